"""Personal data (个人信息), masked by the library's one masking function.

Fields are declared personal in the protos (``[(fengqiao.v1.personal) = PERSONAL_KIND_PHONE]``);
:func:`masked` masks every declared field of any ``fengqiao.v1`` message, at every depth, the same
way the C++ library and the CLI do::

    from fengqiao import privacy
    shown = privacy.masked(case)            # a new message; `case` is unchanged
    privacy.mask_text("回电13800001111")     # '回电138****1111'
"""

from fengqiao import _core
from fengqiao.errors import InvalidArgumentError
from fengqiao.v1 import options_pb2

PersonalKind = options_pb2.PersonalKind


def masked(message):
    """A copy of ``message`` (any ``fengqiao.v1`` protobuf message) with personal fields masked."""
    descriptor = getattr(message, "DESCRIPTOR", None)
    if descriptor is None or not hasattr(message, "SerializeToString"):
        raise InvalidArgumentError(
            f"masked: expected a fengqiao.v1 protobuf message, got {type(message).__name__}")
    data = _core.mask_message(descriptor.full_name, message.SerializeToString())
    out = type(message)()
    out.ParseFromString(data)
    return out


def mask_text(text):
    """Free text with phone numbers, ID numbers, bank cards, plates and names after 我叫 masked."""
    if not isinstance(text, str):
        raise InvalidArgumentError(f"mask_text: expected str, got {type(text).__name__}")
    return _core.mask_text(text)


def mask_value(kind, value):
    """One value masked as its kind (a ``PersonalKind`` number or name) says."""
    from fengqiao import vocabulary
    number = vocabulary.parse(PersonalKind, kind, allow_unspecified=True)
    if not isinstance(value, str):
        raise InvalidArgumentError(f"mask_value: expected str, got {type(value).__name__}")
    return _core.mask_value(number, value)
