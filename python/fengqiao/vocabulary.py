"""The vocabulary's display names, read from the protos' ``(fengqiao.v1.label)`` option.

The same option the C++ library reads (``fengqiao/vocabulary.h``), so Python, the CLI and the
library print the same words::

    from fengqiao import vocabulary
    from fengqiao.v1 import taxonomy_pb2
    vocabulary.label(taxonomy_pb2.DisputeType, taxonomy_pb2.DISPUTE_TYPE_NOISE).zh   # '噪音'
    vocabulary.display_name(taxonomy_pb2.DisputeType, 8)                             # 'noise (噪音)'
    vocabulary.parse(taxonomy_pb2.DisputeType, "噪音")                                # 8
    vocabulary.categories(taxonomy_pb2.DisputeType, lang="zh")   # names for pd.Categorical
"""

import collections

from fengqiao.errors import InvalidArgumentError
from fengqiao.v1 import options_pb2

Label = collections.namedtuple("Label", "proto_name short_name en zh display known")

_UNKNOWN = Label("", "unknown", "unknown", "未知", "unknown (未知)", False)
_cache = {}


def _descriptor(enum_type):
    return getattr(enum_type, "DESCRIPTOR", enum_type)


def _table(enum_type):
    d = _descriptor(enum_type)
    table = _cache.get(d.full_name)
    if table is not None:
        return table
    names = [v.name for v in d.values]
    prefix = names[0]
    for n in names[1:]:
        k = 0
        while k < min(len(prefix), len(n)) and prefix[k] == n[k]:
            k += 1
        prefix = prefix[:k]
    prefix = prefix[:prefix.rfind("_") + 1] if len(names) > 1 else ""
    table = {}
    for v in d.values:
        option = v.GetOptions().Extensions[options_pb2.label]
        short = v.name[len(prefix):].lower()
        en = option.en or short
        zh = option.zh
        display = en if not zh or zh == en else f"{en} ({zh})"
        table.setdefault(v.number, Label(v.name, short, en, zh, display, True))
    _cache[d.full_name] = table
    return table


def label(enum_type, number):
    """The :class:`Label` of ``number`` (a number the enum lacks gets ``known=False``)."""
    try:
        return _table(enum_type).get(int(number), _UNKNOWN)
    except (TypeError, ValueError):
        return _UNKNOWN


def display_name(enum_type, number):
    """``"en (zh)"``, what tables print, e.g. ``"noise (噪音)"``."""
    return label(enum_type, number).display


def categories(enum_type, lang="display", include_unspecified=False):
    """Names of every value in declaration order, as ``{number: name}``; ``lang`` is one of
    ``"display"``, ``"en"``, ``"zh"``, ``"short_name"``."""
    if lang not in ("display", "en", "zh", "short_name"):
        raise InvalidArgumentError(f"lang: {lang!r} is not one of display, en, zh, short_name")
    return {n: getattr(l, lang) for n, l in _table(enum_type).items()
            if n != 0 or include_unspecified}


def parse(enum_type, text, allow_unspecified=False):
    """The number of ``text``: a proto name, short name (any case), English or Chinese label, or
    the number. Raises :class:`fengqiao.InvalidArgumentError` naming the enum otherwise."""
    d = _descriptor(enum_type)
    table = _table(enum_type)
    if isinstance(text, (int,)) and not isinstance(text, bool):
        number = int(text)
    else:
        if not isinstance(text, str):
            raise InvalidArgumentError(f"{d.name}: expected a name, got {type(text).__name__}")
        t = text.strip()
        number = None
        # Names first ("110" is the English label of CHANNEL_CALL_110), then numbers.
        for n, l in table.items():
            if t and (t.lower() in (l.proto_name.lower(), l.short_name, l.en.lower()) or t == l.zh):
                number = n
                break
        if number is None and t.lstrip("-").isdigit() and len(t) < 12:
            number = int(t)
    if number is not None and number in table and (number != 0 or allow_unspecified):
        return number
    accepted = ", ".join(l.short_name for n, l in table.items() if n != 0 or allow_unspecified)
    shown = f'"{text}"' if isinstance(text, str) and len(text.encode()) <= 40 else "the value"
    raise InvalidArgumentError(f"{d.name}: {shown} is not one of {accepted}")
