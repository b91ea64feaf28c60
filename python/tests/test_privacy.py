"""Personal data is masked by the library's one function, from Python too."""

import pytest

import fengqiao
from fengqiao import privacy
from fengqiao.v1 import case_pb2


def test_masked_case_hides_names_phones_and_free_text_at_every_depth():
    case = case_pb2.Case(id="c-1")
    party = case.incident.parties.add(person_id="p-7f3a", name="陈阿姨", phone="13800001111")
    case.incident.description = "陈阿姨说楼上漏水，回电13800001111"
    shown = privacy.masked(case)
    assert shown.incident.parties[0].name == "陈*姨"
    assert shown.incident.parties[0].phone == "138****1111"
    assert shown.incident.parties[0].person_id == "p-7f3a"
    assert "13800001111" not in shown.incident.description
    assert party.phone == "13800001111"  # the original is untouched


def test_mask_text_and_value_follow_common_practice():
    assert privacy.mask_text("身份证33090219900101123X") == "身份证330902********123X"
    assert privacy.mask_value("phone", "13812345678") == "138****5678"
    assert privacy.mask_value(privacy.PersonalKind.Value("PERSONAL_KIND_NAME"), "张晓明") == "张*明"


@pytest.mark.parametrize("bad", [None, 5, b"13800001111", object()])
def test_bad_input_raises_a_library_error(bad):
    with pytest.raises(fengqiao.InvalidArgumentError):
        privacy.mask_text(bad)
    with pytest.raises(fengqiao.InvalidArgumentError):
        privacy.masked(bad)


def test_unknown_kind_is_refused_by_name_and_number():
    with pytest.raises(fengqiao.InvalidArgumentError):
        privacy.mask_value("passport", "E12345678")
    with pytest.raises(fengqiao.InvalidArgumentError):
        privacy.mask_value(99, "E12345678")
