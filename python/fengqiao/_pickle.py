"""GridMap and RuleSet pickle by their source (issue 15): a pickled grid map is its
``fengqiao.v1.GridMap`` in text format, a rule set is its merged ``fengqiao.v1.RuleSet`` with its
grid map; unpickling parses and validates (or compiles) them again, so ``dask.delayed`` and
``multiprocessing`` can ship them to workers and the copy routes exactly as the original."""

import copyreg

from google.protobuf import text_format

from fengqiao import _core
from fengqiao.v1 import grid_pb2, routing_pb2


def _text(message_class, data):
    message = message_class()
    message.ParseFromString(data)
    return text_format.MessageToString(message, as_utf8=True)


def grid_map_from_source(text):
    """The grid map parsed (and validated) from its text-format source."""
    return _core.GridMap.parse(text, "pickled_grid_map.textproto")


def rule_set_from_source(text, grid_map):
    """The rule set compiled again from its merged text-format source."""
    return _core.RuleSet.compile_text(text, "pickled_rules.textproto", grid_map)


def _reduce_grid_map(grid_map):
    return grid_map_from_source, (_text(grid_pb2.GridMap, grid_map.proto),)


def _reduce_rule_set(rules):
    return rule_set_from_source, (_text(routing_pb2.RuleSet, rules.proto), rules.grid_map)


copyreg.pickle(_core.GridMap, _reduce_grid_map)
copyreg.pickle(_core.RuleSet, _reduce_rule_set)
