"""The checked conversion layer: every column and scalar that enters the C++ core from Python
passes here first (issue 10 point 2).

Each function takes what a user hands in (a pandas Series or column of a DataFrame, a NumPy
array, a list, a scalar), checks its dtype, range, missing values (NaN / None / pd.NA / NaT) and
length, and returns a NumPy array of the exact dtype the core reads, or raises
:class:`fengqiao.InvalidArgumentError` naming the column (or argument) and the first bad row.
The value itself is shown only for columns that are not personal, and never when its text is not
valid UTF-8 or is long.

Where the conversion is the cost (route_frame's columns, issue 17 point 2), a 1-D NumPy column of
plain numbers is checked and converted in one pass in C++ (``_core.checked_integers``; the very
array when its dtype already is the core's); C++ finds the first bad row and this module words
the error, so the messages are the same either way. What C++ does not decide goes through the
Python checks below.

Conventions (issue 15): a time is a datetime / ``pd.Timestamp`` / ISO string / epoch number
(seconds); a naive time is taken in the given zone (not UTC); a tz-aware datetime64 column is
converted to epoch seconds; a duration is a ``timedelta64`` or a number of seconds, NaN / NaT for
missing; an enum is a number in its domain, its proto name, short name or label (object and
categorical columns of either are read too).
"""

from __future__ import annotations

import os
import datetime as _dt
import math
from typing import Any, Iterable, List, NoReturn, Optional, Union

import numpy as np
import pandas as pd

from fengqiao import _core, vocabulary
from fengqiao.errors import InvalidArgumentError

# Report times are bounded to years 1900..2200: a wider number is garbage (1e300, inf), not a time.
EARLIEST_SECONDS = -2208988800  # 1900-01-01T00:00:00Z
LATEST_SECONDS = 7258118400  # 2200-01-01T00:00:00Z

_RANGES = {
    np.uint8: (0, 2**8 - 1),
    np.int32: (-(2**31), 2**31 - 1),
    np.uint32: (0, 2**32 - 1),
    np.int64: (-(2**63), 2**63 - 1),
    np.uint64: (0, 2**64 - 1),
}


def _shown(value: Any, personal: bool) -> str:
    """The value for an error message, or nothing (personal, long, or not valid text)."""
    if personal:
        return ""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return ""
    text = repr(value)
    return f" ({text})" if len(text) <= 40 else ""


def fail(name: str, row: Optional[int], problem: str, value: Any = None, personal: bool = False,
         show: bool = True) -> NoReturn:
    """Raises InvalidArgumentError for column ``name`` at positional ``row``."""
    where = name if row is None else f"{name}: row {row}"
    shown = _shown(value, personal) if show and value is not None else ""
    raise InvalidArgumentError(f"{where}: {problem}{shown}")


def series(values: Any, name: str, length: Optional[int] = None) -> pd.Series:
    """``values`` (Series, array, list, Categorical) as a 1-D Series with a positional index;
    ``length`` checks it against the frame's row count."""
    if isinstance(values, pd.DataFrame):
        fail(name, None, "expected one column, got a table (duplicate column name?)")
    if isinstance(values, (str, bytes)) or np.isscalar(values):
        fail(name, None, "expected a column of values, got a scalar")
    if isinstance(values, np.ndarray) and values.ndim != 1:
        fail(name, None, f"expected a 1-D column, got {values.ndim} dimensions")
    try:
        s = pd.Series(values).reset_index(drop=True)
    except (TypeError, ValueError) as e:
        fail(name, None, f"not a column of values: {type(e).__name__}")
    if length is not None and len(s) != length:
        fail(name, None, f"has {len(s)} rows, expected {length}")
    return s


def _missing(s):
    return s.isna().to_numpy()


def _first(mask):
    return int(np.flatnonzero(mask)[0])


def _numbers(s, name, personal):
    """A Series of anything -> float64 or int64 values (no NaN check yet), raising on text,
    datetimes and other non-numbers."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.to_numpy(dtype=np.int64)
    if pd.api.types.is_datetime64_any_dtype(s.dtype) or pd.api.types.is_timedelta64_dtype(
            s.dtype):
        fail(name, None, f"expected numbers, got {s.dtype}")
    if pd.api.types.is_integer_dtype(s.dtype) and not pd.api.types.is_extension_array_dtype(
            s.dtype):
        if s.dtype == np.uint64 and len(s) and int(s.max()) > 2**63 - 1:
            fail(name, _first(s.to_numpy() > 2**63 - 1), "out of range", s.max(), personal)
        return s.to_numpy(dtype=np.int64)
    if pd.api.types.is_float_dtype(s.dtype) and not pd.api.types.is_extension_array_dtype(
            s.dtype):
        return s.to_numpy(dtype=np.float64)
    # Object, string and nullable extension dtypes: element by element.
    objects = s.astype(object).to_numpy()
    out = np.empty(len(objects), dtype=object)
    for i, v in enumerate(objects):
        if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
            out[i] = np.nan
        elif isinstance(v, (bool, np.bool_)):
            out[i] = int(v)
        elif isinstance(v, (int, np.integer)):
            out[i] = int(v)
        elif isinstance(v, (float, np.floating)):
            out[i] = float(v)
        else:
            fail(name, i, f"expected a number, got {type(v).__name__}", v, personal)
    if all(isinstance(v, int) for v in out):
        if any(not -(2**63) <= v < 2**63 for v in out):
            i = next(i for i, v in enumerate(out) if not -(2**63) <= v < 2**63)
            fail(name, i, "out of range", out[i], personal)
        return out.astype(np.int64)
    return np.array([float(v) for v in out], dtype=np.float64)


def _native(values: Any, length: Optional[int]) -> Optional[np.ndarray]:
    """``values`` as the 1-D NumPy array of plain numbers (bool, int, uint, float) it holds,
    without a copy, when the C++ conversion (``_core.checked_integers``) can take it; None for
    anything else (lists, object, Categorical and nullable dtypes, a wrong length), which the
    Python checks below handle and word."""
    if isinstance(values, pd.Series):
        if not isinstance(values.dtype, np.dtype):
            return None
        values = values.to_numpy()
    if not isinstance(values, np.ndarray) or values.ndim != 1 or values.dtype.kind not in "biuf" \
            or not values.dtype.isnative or (length is not None and len(values) != length):
        return None
    return values


def integers(values: Any, name: str, dtype: type, lo: Optional[int] = None,
             hi: Optional[int] = None, length: Optional[int] = None,
             missing: Optional[int] = None, personal: bool = False) -> np.ndarray:
    """A column of whole numbers as ``dtype``, each in ``[lo, hi]`` (default: the dtype's range).
    ``missing``: the number a missing value stands for, or None when a missing value is an
    error."""
    low, high = _RANGES[dtype]
    lo = low if lo is None else max(lo, low)
    hi = high if hi is None else min(hi, high)
    array = _native(values, length)
    if array is not None:
        if dtype is np.uint64 and array.dtype == np.uint64 and lo == 0 and hi == 2**64 - 1:
            return array  # bit sets (tags): every uint64 is valid, bit 63 included
        # Checked and converted in one pass in C++ (the same array when it already is `dtype`);
        # the first bad integer comes back with its row and is worded here.
        out, row, value = _core.checked_integers(array, np.dtype(dtype).name, lo,
                                                 min(hi, 2**63 - 1), missing, None)
        if out is not None:
            return out
        if row >= 0:
            fail(name, row, f"out of range [{lo}, {hi}]", value, personal)
        # Not decided in C++ (a float column with a value that is no whole number in range):
        # the checks below find and word it.
    s = series(values, name, length)
    if dtype is np.uint64 and s.dtype == np.uint64 and lo == 0 and hi == 2**64 - 1:
        return s.to_numpy()  # bit sets (tags): every uint64 is valid, bit 63 included
    raw = _numbers(s, name, personal)
    if raw.dtype == np.float64:
        absent = np.isnan(raw)
        if absent.any() and missing is None:
            fail(name, _first(absent), "missing value (NaN/None/NA)")
        present = ~absent
        bad = present & ~np.isfinite(raw)
        if bad.any():
            fail(name, _first(bad), "not a finite number", raw[_first(bad)], personal)
        bad = present & (np.floor(raw) != raw)
        if bad.any():
            fail(name, _first(bad), "not a whole number", raw[_first(bad)], personal)
        bad = present & ((raw < lo) | (raw > hi))
        if bad.any():
            fail(name, _first(bad), f"out of range [{lo}, {hi}]", raw[_first(bad)], personal)
        out = np.where(absent, missing if missing is not None else 0, raw)
        if dtype in (np.int64, np.uint64):
            # float64 cannot hold every int64; values this large came in as floats already.
            return np.array([int(v) for v in out], dtype=dtype)
        return out.astype(dtype)
    bad = (raw < lo) | (raw > hi)
    if bad.any():
        fail(name, _first(bad), f"out of range [{lo}, {hi}]", raw[_first(bad)], personal)
    return raw.astype(dtype)


_DOMAIN_TABLES: dict = {}


def _domain_table(enum: Any) -> bytes:
    """The enum's numbers as a byte per number (1: defined), for ``_core.checked_integers``."""
    key = enum.DESCRIPTOR.full_name
    table = _DOMAIN_TABLES.get(key)
    if table is None:
        domain = vocabulary.categories(enum, "short_name", include_unspecified=True)
        flags = np.zeros(max(domain) + 1, dtype=np.uint8)
        flags[list(domain)] = 1
        table = _DOMAIN_TABLES[key] = flags.tobytes()
    return table


def enum_numbers(values: Any, name: str, enum: Any, length: Optional[int] = None,
                 missing: Optional[int] = None) -> np.ndarray:
    """A column of one enum's values (numbers, proto names, short names or labels; object,
    categorical or numeric dtype) as uint8 numbers, each in the enum's domain. ``missing``:
    the number a missing value stands for, or None when missing is an error."""
    array = _native(values, length)
    if array is not None and array.dtype.kind != "b":
        out, row, value = _core.checked_integers(array, "uint8", 0, 0, missing,
                                                 _domain_table(enum))
        if out is not None:
            return out
        if row >= 0:
            fail(name, row, f"not a {enum.DESCRIPTOR.name} number", value)
    s = series(values, name, length)
    if isinstance(s.dtype, pd.CategoricalDtype):
        # Categories parse once (labels from fengqiao.vocabulary, names or numbers), then codes.
        numbers = enum_numbers(pd.Series(s.cat.categories, dtype=object), name, enum)
        codes = s.cat.codes.to_numpy()
        if (codes < 0).any() and missing is None:
            fail(name, _first(codes < 0), "missing value (NaN/None/NA)")
        out = np.where(codes < 0, 0 if missing is None else missing,
                       numbers[np.maximum(codes, 0)] if len(numbers) else 0)
        return out.astype(np.uint8)
    domain = set(vocabulary.categories(enum, "short_name", include_unspecified=True))
    displays = {label: number for number, label in
                vocabulary.categories(enum, "display", include_unspecified=True).items()}
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        numbers = integers(s, name, np.int64, length=length, missing=-1 if missing is None
                           else missing)
        if missing is None and _missing(s).any():
            fail(name, _first(_missing(s)), "missing value (NaN/None/NA)")
    else:
        objects = s.astype(object).to_numpy()
        # Text or plain numbers: each distinct value is checked and parsed once (factorize), then
        # spread by its codes. Anything else (booleans, mixed types, odd objects), which
        # factorize could equate (True == 1), goes value by value.
        if pd.api.types.infer_dtype(objects, skipna=True) in ("string", "integer", "empty"):
            codes, uniques = pd.factorize(objects)
        else:
            codes, uniques = np.arange(len(objects)), objects
            codes = np.where(pd.isna(objects), -1, codes)
        parsed = np.zeros(len(uniques), dtype=np.int64)
        for j, v in enumerate(uniques):
            if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
                continue  # missing: handled below through its code
            row = j if len(uniques) == len(objects) else int(np.argmax(codes == j))
            if isinstance(v, (np.integer,)):
                v = int(v)
            elif isinstance(v, (float, np.floating)) and float(v).is_integer():
                v = int(v)
            if isinstance(v, bool) or not isinstance(v, (int, str)):
                fail(name, row, f"expected a {enum.DESCRIPTOR.name} name or number, got "
                     f"{type(v).__name__}")
            try:
                parsed[j] = displays[v] if v in displays else vocabulary.parse(
                    enum, v, allow_unspecified=True)
            except InvalidArgumentError:
                fail(name, row, f"not a {enum.DESCRIPTOR.name}", v)
        absent = codes < 0
        if absent.any() and missing is None:
            fail(name, _first(absent), "missing value (NaN/None/NA)")
        numbers = np.where(absent, missing if missing is not None else 0,
                           parsed[np.maximum(codes, 0)] if len(parsed) else 0).astype(np.int64)
    # The enum's numbers as a lookup table (a few dozen entries): one gather, not a set search.
    table = np.zeros(max(domain) + 1, dtype=bool)
    table[list(domain)] = True
    inside = (numbers >= 0) & (numbers < len(table))
    bad = ~inside
    bad[inside] = ~table[numbers[inside]]
    if missing is not None:
        bad &= numbers != missing
    if bad.any():
        fail(name, _first(bad), f"not a {enum.DESCRIPTOR.name} number", numbers[_first(bad)])
    return numbers.astype(np.uint8)


def categorical(numbers: Any, enum: Any) -> pd.Categorical:
    """Enum numbers as a Categorical of their display labels ("noise (噪音)"), every value of
    the enum a category in declaration order; a number outside the enum is missing."""
    labels = vocabulary.categories(enum, "display", include_unspecified=True)
    position = {number: i for i, number in enumerate(labels)}
    codes = np.array([position.get(int(n), -1) for n in np.asarray(numbers)], dtype=np.int64)
    return pd.Categorical.from_codes(codes, categories=list(labels.values()))


def durations(values: Any, name: str, length: Optional[int] = None,
              missing: int = -1) -> np.ndarray:
    """A column of durations (``timedelta64``, or numbers of seconds; NaN / NaT / None for
    missing) as int32 whole seconds (fractions dropped); a missing value becomes ``missing``."""
    s = series(values, name, length)
    if pd.api.types.is_timedelta64_dtype(s.dtype):
        s = s.dt.total_seconds()
    elif s.dtype == object:
        if any(isinstance(v, (pd.Timedelta, _dt.timedelta, np.timedelta64)) for v in s):
            try:
                s = pd.to_timedelta(s).dt.total_seconds()
            except (TypeError, ValueError):
                fail(name, None, "mixes durations with other values")
    raw = _numbers(s, name, False).astype(np.float64)
    absent = np.isnan(raw)
    bad = ~absent & ~np.isfinite(raw)
    if bad.any():
        fail(name, _first(bad), "not a finite duration", raw[_first(bad)])
    seconds = np.floor(np.where(absent, 0, raw))
    bad = ~absent & ((seconds < 0) | (seconds > 2**31 - 1))
    if bad.any():
        fail(name, _first(bad), "duration out of range [0, 2147483647] s", raw[_first(bad)])
    return np.where(absent, missing, seconds).astype(np.int32)


def _localize(stamp, time_zone):
    if stamp.tzinfo is None:
        return stamp.tz_localize(time_zone)
    return stamp


def _check_seconds(seconds, name, row=None):
    if not math.isfinite(seconds) or not EARLIEST_SECONDS <= seconds < LATEST_SECONDS:
        fail(name, row, "not a time between 1900 and 2200", seconds)
    return seconds


def time_seconds(value: Any, name: str, time_zone: str = "Asia/Shanghai") -> float:
    """A time scalar (datetime, ``pd.Timestamp``, ``np.datetime64``, ISO string, or epoch
    seconds) as float epoch seconds; a naive time is read in ``time_zone``."""
    if isinstance(value, (bool, np.bool_)) or value is None or value is pd.NA \
            or value is pd.NaT:
        fail(name, None, f"expected a time, got {type(value).__name__}")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return _check_seconds(float(value), name)
    if isinstance(value, (str, _dt.datetime, _dt.date, np.datetime64, pd.Timestamp)):
        try:
            stamp = pd.Timestamp(value)
        except (TypeError, ValueError, OverflowError):
            fail(name, None, "not a time", value if isinstance(value, str) else None)
        if stamp is pd.NaT:
            fail(name, None, "missing time (NaT)")
        return _check_seconds(_localize(stamp, time_zone).timestamp(), name)
    fail(name, None, f"expected a time, got {type(value).__name__}")


def _parsed(s):
    """Object column of times in one zone (all naive or all one offset) parsed at once; the
    same Series when it does not parse so (mixed zones, text that is no time)."""
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pd.to_datetime(s)
    except (TypeError, ValueError, OverflowError):
        return s


def times(values: Any, name: str, time_zone: str = "Asia/Shanghai",
          length: Optional[int] = None) -> np.ndarray:
    """A column of times (datetime64 naive or tz-aware, datetimes, ISO strings or epoch
    seconds) as int64 epoch seconds; a naive time is read in ``time_zone``; missing is an
    error."""
    s = series(values, name, length)
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if _missing(s).any():
            fail(name, _first(_missing(s)), "missing time (NaT)")
        if s.dt.tz is None:
            s = s.dt.tz_localize(time_zone)
        seconds = (s.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(
            dtype="datetime64[s]").astype(np.int64))
    elif s.dtype == object and all(isinstance(v, (str, _dt.datetime)) for v in s) \
            and pd.api.types.is_datetime64_any_dtype(
            (parsed := _parsed(s)).dtype):
        return times(parsed, name, time_zone, length)
    elif s.dtype == object and any(isinstance(v, (str, _dt.datetime, pd.Timestamp))
                                   for v in s):
        seconds = np.empty(len(s), dtype=np.int64)
        for i, v in enumerate(s):
            try:
                seconds[i] = math.floor(time_seconds(v, name, time_zone))
            except InvalidArgumentError as e:
                fail(name, i, e.message.split(": ", 1)[1], show=False)
        return seconds
    else:
        raw = _numbers(s, name, False).astype(np.float64)
        absent = np.isnan(raw)
        if absent.any():
            fail(name, _first(absent), "missing time (NaN/None/NA)")
        bad = ~np.isfinite(raw) | (raw < EARLIEST_SECONDS) | (raw >= LATEST_SECONDS)
        if bad.any():
            fail(name, _first(bad), "not a time between 1900 and 2200", raw[_first(bad)])
        seconds = np.floor(raw).astype(np.int64)
    bad = (seconds < EARLIEST_SECONDS) | (seconds >= LATEST_SECONDS)
    if bad.any():
        fail(name, _first(bad), "not a time between 1900 and 2200")
    return seconds


def names(value: Union[str, Iterable[str], None], name: str) -> List[str]:
    """One name (``"street"``) or a list of names, as a list of str."""
    if isinstance(value, str):
        return [value]
    if value is None:
        return []
    try:
        out = list(value)
    except TypeError:
        fail(name, None, f"expected a name or a list of names, got {type(value).__name__}")
    for i, v in enumerate(out):
        if not isinstance(v, str):
            fail(name, i, f"expected a name, got {type(v).__name__}")
    return out


def text(value: Union[str, bytes], name: str, personal: bool = False) -> str:
    """A str argument (bytes must be valid UTF-8)."""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError as e:
            fail(name, None, f"not valid UTF-8 at byte {e.start}")
    if not isinstance(value, str):
        fail(name, None, f"expected text, got {type(value).__name__}")
    return value


def threads(value: Any, name: str = "threads") -> int:
    """A thread count argument: a whole number in [1, 256] (bool is not a number here)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or not 1 <= int(value) <= 256:
        fail(name, None, "expected a whole number in [1, 256]")
    return int(value)


def path(value: Any, name: str) -> str:
    """A file or folder path argument: str, bytes (valid UTF-8) or os.PathLike."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    return text(value, name)


def column(frame: Any, name: str) -> Any:
    """``frame[name]``, or InvalidArgumentError naming the missing column."""
    try:
        present = name in frame
    except TypeError:
        fail("frame", None, f"expected a DataFrame or a dict of columns, got {type(frame).__name__}")
    if not present:
        fail(name, None, "missing column")
    return frame[name]


def row_count(frame: Any, name: str = "frame") -> int:
    """The number of rows of a DataFrame or dict of columns (all of one length)."""
    if isinstance(frame, pd.DataFrame):
        return len(frame)
    if not isinstance(frame, dict):
        fail(name, None, f"expected a DataFrame or a dict of columns, got {type(frame).__name__}")
    lengths = {}
    for key, values in frame.items():
        try:
            lengths[key] = len(values)
        except TypeError:
            fail(str(key), None, "expected a column of values, got a scalar")
    if len(set(lengths.values())) > 1:
        first = next(iter(lengths))
        other = next(k for k, n in lengths.items() if n != lengths[first])
        fail(str(other), None, f"has {lengths[other]} rows, expected {lengths[first]} "
             f"(as {first})")
    return next(iter(lengths.values()), 0)
