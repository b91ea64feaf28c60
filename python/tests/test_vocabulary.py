"""Labels come from the protos' (fengqiao.v1.label) option, the same source the C++ library reads."""

import pytest

import fengqiao
from fengqiao import vocabulary
from fengqiao.v1 import case_pb2, force_pb2, incident_pb2, routing_pb2, taxonomy_pb2

ENUMS = [taxonomy_pb2.DisputeType, taxonomy_pb2.Department, taxonomy_pb2.Severity,
         incident_pb2.Channel, incident_pb2.IncidentKind, routing_pb2.Tier,
         force_pb2.ForceType, case_pb2.CaseState, case_pb2.CaseEventType]


@pytest.mark.parametrize("enum_type", ENUMS, ids=lambda e: e.DESCRIPTOR.name)
def test_every_value_has_both_labels_and_parses_back(enum_type):
    for number in enum_type.values():
        lab = vocabulary.label(enum_type, number)
        assert lab.known and lab.en and lab.zh
        for text in (lab.proto_name, lab.short_name, lab.en, lab.zh, str(number)):
            assert vocabulary.parse(enum_type, text, allow_unspecified=True) == number


def test_labels_match_what_the_library_prints():
    assert vocabulary.display_name(taxonomy_pb2.DisputeType, taxonomy_pb2.DISPUTE_TYPE_NOISE) \
        == "noise (噪音)"
    assert vocabulary.label(routing_pb2.Tier, routing_pb2.TIER_COMMUNITY_POLICE).zh == "社区民警"


def test_unknown_number_is_unknown_not_another_value():
    assert not vocabulary.label(taxonomy_pb2.DisputeType, 99).known
    assert vocabulary.label(taxonomy_pb2.DisputeType, None).display == "unknown (未知)"


@pytest.mark.parametrize("bad", ["nosie", "", "unspecified", 99, None, 1.5, "9" * 100])
def test_parse_refuses_bad_input_with_a_library_error(bad):
    with pytest.raises(fengqiao.InvalidArgumentError) as info:
        vocabulary.parse(taxonomy_pb2.DisputeType, bad)
    assert "DisputeType" in str(info.value)
    assert "9" * 20 not in str(info.value)
