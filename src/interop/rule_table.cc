#include "fengqiao/interop/rule_table.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/vocabulary.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/struct.pb.h"
#include "internal/proto_files.h"
#include "internal/text.h"
#include "interop/internal/xml_tree.h"

namespace fengqiao {
namespace {

namespace pb = google::protobuf;
using interop_internal::XmlElement;

// ---------------------------------------------------------------------------------------------
// The columns: one input per routing fact (a capacity test is two, per team), the action as
// outputs. The same names in both formats.

enum class Fact {
  kArea,
  kPolice,
  kKind,
  kDispute,
  kSeverity,
  kChannel,
  kDepartment,
  kAmount,
  kParties,
  kRepeats,
  kHour,
  kWeekday,
  kInjury,
  kViolence,
  kTags,
  kSlots,  // capacity: free slots of a team
  kShift,  // capacity: a member of the team on shift
};

struct FixedInput {
  Fact fact;
  const char* field;      // the input's name in both formats
  const char* condition;  // the v1::Condition field it holds
};

constexpr FixedInput kFixedInputs[] = {
    {Fact::kArea, "area", "area_codes"},
    {Fact::kPolice, "police_matter", "police_matter"},
    {Fact::kKind, "kind", "kinds"},
    {Fact::kDispute, "dispute_type", "dispute_types"},
    {Fact::kSeverity, "severity", "severities"},
    {Fact::kChannel, "channel", "channels"},
    {Fact::kDepartment, "department", "departments"},
    {Fact::kAmount, "amount_fen", "amount_fen"},
    {Fact::kParties, "party_count", "party_count"},
    {Fact::kRepeats, "repeat_count", "repeat_count"},
    {Fact::kHour, "hour", "hour_of_day"},
    {Fact::kWeekday, "weekday", "days_of_week"},
    {Fact::kInjury, "injury", "injury"},
    {Fact::kViolence, "violence_risk", "violence_risk"},
    {Fact::kTags, "tags", "tags_all"},
};

enum class Out {
  kRuleId,
  kTier,
  kForceType,
  kDepartment,
  kTeam,
  kSlaAccept,
  kSlaContact,
  kSlaOnSite,
  kSlaResolve,
  kSlaRevisit,
  kSlaResolveWorkingDays,
  kSlaRevisitWorkingDays,
  kPriority,
  kDefault,
};

constexpr std::pair<Out, const char*> kOutputs[] = {
    {Out::kRuleId, "rule_id"},
    {Out::kTier, "tier"},
    {Out::kForceType, "target_force_type"},
    {Out::kDepartment, "department"},
    {Out::kTeam, "target_team_id"},
    {Out::kSlaAccept, "sla_accept"},
    {Out::kSlaContact, "sla_contact"},
    {Out::kSlaOnSite, "sla_on_site"},
    {Out::kSlaResolve, "sla_resolve"},
    {Out::kSlaRevisit, "sla_revisit"},
    {Out::kSlaResolveWorkingDays, "sla_resolve_working_days"},
    {Out::kSlaRevisitWorkingDays, "sla_revisit_working_days"},
    {Out::kPriority, "priority"},
    {Out::kDefault, "is_default"},
};

struct InputColumn {
  Fact fact;
  std::string field;  // "kind", or the capacity column's team for kSlots / kShift
  std::string team;
};

const char* ConditionName(Fact f) {
  for (const FixedInput& in : kFixedInputs) {
    if (in.fact == f) return in.condition;
  }
  return "capacity";
}

const pb::EnumDescriptor* EnumOf(Fact f) {
  switch (f) {
    case Fact::kKind:
      return v1::IncidentKind_descriptor();
    case Fact::kDispute:
      return v1::DisputeType_descriptor();
    case Fact::kSeverity:
      return v1::Severity_descriptor();
    case Fact::kChannel:
      return v1::Channel_descriptor();
    case Fact::kDepartment:
      return v1::Department_descriptor();
    case Fact::kWeekday:
      return v1::Weekday_descriptor();
    default:
      return nullptr;
  }
}

pb::RepeatedField<int>* EnumValues(Fact f, v1::Condition* w) {
  switch (f) {
    case Fact::kKind:
      return w->mutable_kinds();
    case Fact::kDispute:
      return w->mutable_dispute_types();
    case Fact::kSeverity:
      return w->mutable_severities();
    case Fact::kChannel:
      return w->mutable_channels();
    case Fact::kDepartment:
      return w->mutable_departments();
    default:
      return w->mutable_days_of_week();
  }
}

const pb::RepeatedField<int>& EnumValues(Fact f, const v1::Condition& w) {
  return *EnumValues(f, const_cast<v1::Condition*>(&w));
}

v1::Int64Range* Range(Fact f, v1::Condition* w) {
  switch (f) {
    case Fact::kAmount:
      return w->mutable_amount_fen();
    case Fact::kParties:
      return w->mutable_party_count();
    case Fact::kRepeats:
      return w->mutable_repeat_count();
    default:
      return w->mutable_hour_of_day();
  }
}

bool HasRange(Fact f, const v1::Condition& w) {
  switch (f) {
    case Fact::kAmount:
      return w.has_amount_fen();
    case Fact::kParties:
      return w.has_party_count();
    case Fact::kRepeats:
      return w.has_repeat_count();
    default:
      return w.has_hour_of_day();
  }
}

const pb::Duration* SlaField(Out o, const v1::Sla& s) {
  switch (o) {
    case Out::kSlaAccept:
      return s.has_accept() ? &s.accept() : nullptr;
    case Out::kSlaContact:
      return s.has_contact() ? &s.contact() : nullptr;
    case Out::kSlaOnSite:
      return s.has_on_site() ? &s.on_site() : nullptr;
    case Out::kSlaResolve:
      return s.has_resolve() ? &s.resolve() : nullptr;
    default:
      return s.has_revisit() ? &s.revisit() : nullptr;
  }
}

pb::Duration* MutableSla(Out o, v1::Sla* s) {
  switch (o) {
    case Out::kSlaAccept:
      return s->mutable_accept();
    case Out::kSlaContact:
      return s->mutable_contact();
    case Out::kSlaOnSite:
      return s->mutable_on_site();
    case Out::kSlaResolve:
      return s->mutable_resolve();
    default:
      return s->mutable_revisit();
  }
}

// The expression languages: ZEN's unary tests (JDM, `$` the input) and FEEL's (DMN, `?`).
struct Lang {
  bool feel;
  std::string Quote(absl::string_view s) const {
    return feel ? absl::StrCat("\"", s, "\"") : absl::StrCat("'", s, "'");
  }
  std::string Any() const { return feel ? "-" : ""; }
  std::string Contains(absl::string_view s) const {
    return feel ? absl::StrCat("list contains(?, ", Quote(s), ")")
                : absl::StrCat("contains($, ", Quote(s), ")");
  }
  std::string SlotsField(absl::string_view team) const {
    return feel ? absl::StrCat("get value(get value(capacity, \"", team, "\"), \"free_slots\")")
                : absl::StrCat("capacity[\"", team, "\"].free_slots");
  }
  std::string ShiftField(absl::string_view team) const {
    return feel ? absl::StrCat("get value(get value(capacity, \"", team, "\"), \"on_shift\")")
                : absl::StrCat("capacity[\"", team, "\"].on_shift");
  }
};

// A string a cell can quote: no quote, backslash or control character.
bool Quotable(absl::string_view s) {
  for (char c : s) {
    if (c == '"' || c == '\'' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

std::string Seconds(const pb::Duration& d) {
  if (d.nanos() == 0) return absl::StrCat(d.seconds());
  // Nanos carry the seconds' sign; print seconds.fraction without trailing zeros.
  const bool negative = d.seconds() < 0 || d.nanos() < 0;
  std::string frac = absl::StrCat(std::abs(d.nanos()) + 1000000000);
  frac = frac.substr(1);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return absl::StrCat(negative ? "-" : "", std::abs(d.seconds()), ".", frac);
}

// ---------------------------------------------------------------------------------------------
// The table, format-neutral: what export writes and import reads.

struct Row {
  std::string id;  // JDM _id / DMN rule id
  std::string description;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::string where;  // file:line:col of the row
};

struct Table {
  std::string name, version;
  v1::HitPolicy hit_policy = v1::HIT_POLICY_FIRST;
  std::vector<InputColumn> inputs;
  std::vector<std::string> input_where;
  std::vector<Out> outputs;
  std::vector<std::string> output_where;
  std::vector<Row> rows;
  std::vector<std::string> rule_order;  // JDM PRIORITY: rule ids in file order
  std::string rule_order_where;
};

const char* OutputName(Out o) {
  for (const auto& [out, name] : kOutputs) {
    if (out == o) return name;
  }
  return "";
}

std::string FieldText(const Lang& lang, const InputColumn& c) {
  if (c.fact == Fact::kSlots) return lang.SlotsField(c.team);
  if (c.fact == Fact::kShift) return lang.ShiftField(c.team);
  return c.field;
}

absl::Status ExportError(const v1::Rule& rule, int index, absl::string_view field,
                         absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("rules[", index, "] (rule \"", rule.id(),
                                                 "\"): ", field, ": ", what,
                                                 "; no decision-table cell can hold it"));
}

absl::StatusOr<std::string> InputCell(const Lang& lang, const InputColumn& c, const v1::Rule& rule,
                                      int index) {
  const v1::Condition& w = rule.when();
  auto quotable = [&](const std::string& s, absl::string_view field) -> absl::Status {
    if (Quotable(s)) return absl::OkStatus();
    return ExportError(rule, index, field, "a quote, backslash or control character");
  };
  switch (c.fact) {
    case Fact::kArea: {
      std::vector<std::string> parts;
      for (const std::string& code : w.area_codes()) {
        FENGQIAO_RETURN_IF_ERROR(quotable(code, "when.area_codes"));
        parts.push_back(lang.Contains(code));
      }
      return parts.empty() ? lang.Any() : absl::StrJoin(parts, " or ");
    }
    case Fact::kTags: {
      std::vector<std::string> parts;
      for (const std::string& tag : w.tags_all()) {
        FENGQIAO_RETURN_IF_ERROR(quotable(tag, "when.tags_all"));
        parts.push_back(lang.Contains(tag));
      }
      return parts.empty() ? lang.Any() : absl::StrJoin(parts, " and ");
    }
    case Fact::kPolice:
      return w.has_police_matter() ? (w.police_matter() ? "true" : "false") : lang.Any();
    case Fact::kInjury:
      return w.has_injury() ? (w.injury() ? "true" : "false") : lang.Any();
    case Fact::kViolence:
      return w.has_violence_risk() ? (w.violence_risk() ? "true" : "false") : lang.Any();
    case Fact::kAmount:
    case Fact::kParties:
    case Fact::kRepeats:
    case Fact::kHour: {
      if (!HasRange(c.fact, w)) return lang.Any();
      const v1::Int64Range& r = *Range(c.fact, const_cast<v1::Condition*>(&w));
      if (r.has_min() && r.has_max()) return absl::StrCat("[", r.min(), "..", r.max(), "]");
      if (r.has_min()) return absl::StrCat(">= ", r.min());
      if (r.has_max()) return absl::StrCat("<= ", r.max());
      return ExportError(rule, index, absl::StrCat("when.", ConditionName(c.fact)),
                         "a range with neither bound");
    }
    case Fact::kSlots:
    case Fact::kShift: {
      const v1::CapacityTest* test = nullptr;
      for (const v1::CapacityTest& t : w.capacity()) {
        if (t.team_id() != c.team) continue;
        if (test != nullptr) {
          return ExportError(rule, index, "when.capacity",
                             absl::StrCat("two capacity tests on team \"", c.team, "\""));
        }
        test = &t;
      }
      if (test == nullptr) return lang.Any();
      if (c.fact == Fact::kSlots) return absl::StrCat(">= ", test->min_free_slots());
      return test->require_on_shift() ? "true" : lang.Any();
    }
    default: {
      const pb::EnumDescriptor* e = EnumOf(c.fact);
      std::vector<std::string> parts;
      for (int v : EnumValues(c.fact, w)) parts.push_back(lang.Quote(LabelOf(e, v).short_name));
      return parts.empty() ? lang.Any() : absl::StrJoin(parts, ", ");
    }
  }
}

std::string Literal(const Lang& lang, absl::string_view s) { return lang.Quote(s); }

absl::StatusOr<std::string> OutputCell(const Lang& lang, Out o, const v1::Rule& rule, int index) {
  const v1::Action& a = rule.then();
  switch (o) {
    case Out::kRuleId:
      if (!Quotable(rule.id())) {
        return ExportError(rule, index, "id", "a quote, backslash or control character");
      }
      return Literal(lang, rule.id());
    case Out::kTier:
      return Literal(lang, LabelOf(a.tier()).short_name);
    case Out::kForceType:
      return Literal(lang, LabelOf(a.target_force_type()).short_name);
    case Out::kDepartment:
      return Literal(lang, LabelOf(a.department()).short_name);
    case Out::kTeam:
      if (!Quotable(a.target_team_id())) {
        return ExportError(rule, index, "then.target_team_id",
                           "a quote, backslash or control character");
      }
      return Literal(lang, a.target_team_id());
    case Out::kPriority:
      return absl::StrCat(rule.priority());
    case Out::kDefault:
      return rule.is_default() ? "true" : "false";
    case Out::kSlaResolveWorkingDays:
    case Out::kSlaRevisitWorkingDays: {
      const int32_t days = o == Out::kSlaResolveWorkingDays ? a.sla().resolve_working_days()
                                                            : a.sla().revisit_working_days();
      return days > 0 ? absl::StrCat(days) : "null";
    }
    default: {
      const pb::Duration* d = a.has_sla() ? SlaField(o, a.sla()) : nullptr;
      if (d == nullptr) return "null";
      return lang.feel ? absl::StrCat("duration(\"PT", Seconds(*d), "S\")") : Seconds(*d);
    }
  }
}

absl::StatusOr<Table> TableOf(const RuleSet& rules, const Lang& lang) {
  const v1::RuleSet& p = rules.proto();
  Table t;
  t.name = p.name();
  t.version = p.version();
  t.hit_policy = p.hit_policy();
  for (const FixedInput& f : kFixedInputs) t.inputs.push_back({f.fact, f.field, ""});
  for (const std::string& team : rules.teams()) {
    if (!Quotable(team)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "capacity team \"", team, "\": a quote, backslash or control character in its id"));
    }
    t.inputs.push_back({Fact::kSlots, absl::StrCat("capacity.", team, ".free_slots"), team});
    t.inputs.push_back({Fact::kShift, absl::StrCat("capacity.", team, ".on_shift"), team});
  }
  bool priorities = p.hit_policy() == v1::HIT_POLICY_PRIORITY, defaults = false;
  for (const v1::Rule& r : p.rules()) {
    priorities |= r.priority() != 0;
    defaults |= r.is_default();
  }
  for (const auto& [o, name] : kOutputs) {
    if (o == Out::kPriority && !priorities) continue;
    if (o == Out::kDefault && !defaults) continue;
    t.outputs.push_back(o);
  }
  for (int i = 0; i < p.rules_size(); ++i) {
    const v1::Rule& r = p.rules(i);
    Row row;
    row.id = r.id();
    row.description = r.description();
    for (const InputColumn& c : t.inputs) {
      FENGQIAO_ASSIGN_OR_RETURN(std::string cell, InputCell(lang, c, r, i));
      row.inputs.push_back(std::move(cell));
    }
    for (Out o : t.outputs) {
      FENGQIAO_ASSIGN_OR_RETURN(std::string cell, OutputCell(lang, o, r, i));
      row.outputs.push_back(std::move(cell));
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

// Rule indices in hit order for PRIORITY: highest priority first, ties in file order.
std::vector<int> PriorityOrder(const v1::RuleSet& p) {
  std::vector<int> order(p.rules_size());
  for (int i = 0; i < p.rules_size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return p.rules(a).priority() > p.rules(b).priority(); });
  return order;
}

// ---------------------------------------------------------------------------------------------
// JDM out.

std::string Json(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppend(&out, "\\u00", absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
        } else {
          out.push_back(c);
        }
    }
  }
  out += "\"";
  return out;
}

std::string JdmHitPolicy(v1::HitPolicy h) {
  switch (h) {
    case v1::HIT_POLICY_PRIORITY:
      return "priority";
    case v1::HIT_POLICY_COLLECT:
      return "collect";
    case v1::HIT_POLICY_UNIQUE:
      return "unique";
    default:
      return "first";
  }
}

// Output column ids apart from the inputs' ("department" is both a fact and an action field).
std::string JdmOutputId(Out o) { return absl::StrCat("then.", OutputName(o)); }

std::string WriteJdm(const Table& t, const v1::RuleSet& p) {
  const Lang lang{false};
  std::string out = absl::StrCat("{\n  \"fengqiao\": {\"name\": ", Json(t.name),
                                 ", \"version\": ", Json(t.version),
                                 ", \"hitPolicy\": ", Json(JdmHitPolicy(t.hit_policy)));
  std::vector<int> order(t.rows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  if (t.hit_policy == v1::HIT_POLICY_PRIORITY) {
    std::vector<std::string> ids;
    for (const Row& r : t.rows) ids.push_back(Json(r.id));
    absl::StrAppend(&out, ", \"ruleOrder\": [", absl::StrJoin(ids, ", "), "]");
    order = PriorityOrder(p);
  }
  // ZEN knows "first" and "collect": PRIORITY is FIRST over the rows in hit order, UNIQUE is
  // COLLECT (more than one result: ambiguous).
  const char* zen_policy =
      t.hit_policy == v1::HIT_POLICY_COLLECT || t.hit_policy == v1::HIT_POLICY_UNIQUE ? "collect"
                                                                                      : "first";
  absl::StrAppend(&out,
                  "},\n  \"nodes\": [\n    {\"id\": \"request\", \"type\": \"inputNode\", "
                  "\"name\": \"Request\", \"position\": {\"x\": 0, \"y\": 0}},\n"
                  "    {\"id\": \"routing\", \"type\": \"decisionTableNode\", \"name\": ",
                  Json(t.name.empty() ? "routing" : t.name),
                  ", \"position\": {\"x\": 300, \"y\": 0}, \"content\": {\n"
                  "      \"hitPolicy\": \"",
                  zen_policy, "\",\n      \"inputs\": [\n");
  std::vector<std::string> lines;
  for (const InputColumn& c : t.inputs) {
    lines.push_back(absl::StrCat("        {\"id\": ", Json(c.field), ", \"name\": ", Json(c.field),
                                 ", \"field\": ", Json(FieldText(lang, c)),
                                 ", \"type\": \"expression\"}"));
  }
  absl::StrAppend(&out, absl::StrJoin(lines, ",\n"), "\n      ],\n      \"outputs\": [\n");
  lines.clear();
  for (Out o : t.outputs) {
    lines.push_back(
        absl::StrCat("        {\"id\": ", Json(JdmOutputId(o)), ", \"name\": ", Json(OutputName(o)),
                     ", \"field\": ", Json(OutputName(o)), ", \"type\": \"expression\"}"));
  }
  absl::StrAppend(&out, absl::StrJoin(lines, ",\n"), "\n      ],\n      \"rules\": [\n");
  lines.clear();
  for (int i : order) {
    const Row& r = t.rows[i];
    std::vector<std::string> cells = {absl::StrCat("\"_id\": ", Json(r.id))};
    if (!r.description.empty()) {
      cells.push_back(absl::StrCat("\"_description\": ", Json(r.description)));
    }
    for (size_t c = 0; c < t.inputs.size(); ++c) {
      cells.push_back(absl::StrCat(Json(t.inputs[c].field), ": ", Json(r.inputs[c])));
    }
    for (size_t c = 0; c < t.outputs.size(); ++c) {
      cells.push_back(absl::StrCat(Json(JdmOutputId(t.outputs[c])), ": ", Json(r.outputs[c])));
    }
    lines.push_back(absl::StrCat("        {", absl::StrJoin(cells, ", "), "}"));
  }
  absl::StrAppend(&out, absl::StrJoin(lines, ",\n"),
                  "\n      ]\n    }},\n"
                  "    {\"id\": \"response\", \"type\": \"outputNode\", \"name\": \"Response\", "
                  "\"position\": {\"x\": 600, \"y\": 0}}\n  ],\n  \"edges\": [\n"
                  "    {\"id\": \"request-routing\", \"sourceId\": \"request\", \"targetId\": "
                  "\"routing\", \"type\": \"edge\"},\n"
                  "    {\"id\": \"routing-response\", \"sourceId\": \"routing\", \"targetId\": "
                  "\"response\", \"type\": \"edge\"}\n  ]\n}\n");
  return out;
}

// ---------------------------------------------------------------------------------------------
// DMN out.

constexpr absl::string_view kDmnNamespace = "https://www.omg.org/spec/DMN/20191111/MODEL/";
constexpr absl::string_view kFengqiaoNamespace = "urn:fengqiao:rule-table:1";

std::string Xml(absl::string_view s) { return internal::MarkupEscape(s); }

// An attribute value: also line breaks and tabs as character references, which a parser
// would otherwise read back as spaces.
std::string XmlAttr(absl::string_view s) {
  std::string out;
  for (char c : Xml(s)) {
    if (c == '\n') {
      out += "&#10;";
    } else if (c == '\r') {
      out += "&#13;";
    } else if (c == '\t') {
      out += "&#9;";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

const char* DmnType(Fact f) {
  switch (f) {
    case Fact::kArea:
    case Fact::kTags:
      return "";
    case Fact::kPolice:
    case Fact::kInjury:
    case Fact::kViolence:
    case Fact::kShift:
      return "boolean";
    case Fact::kAmount:
    case Fact::kParties:
    case Fact::kRepeats:
    case Fact::kHour:
    case Fact::kSlots:
      return "number";
    default:
      return "string";
  }
}

const char* DmnType(Out o) {
  switch (o) {
    case Out::kPriority:
    case Out::kSlaResolveWorkingDays:
    case Out::kSlaRevisitWorkingDays:
      return "number";
    case Out::kDefault:
      return "boolean";
    case Out::kSlaAccept:
    case Out::kSlaContact:
    case Out::kSlaOnSite:
    case Out::kSlaResolve:
    case Out::kSlaRevisit:
      return "days and time duration";
    default:
      return "string";
  }
}

std::string DmnHitPolicy(v1::HitPolicy h) {
  switch (h) {
    case v1::HIT_POLICY_PRIORITY:
      return "PRIORITY";
    case v1::HIT_POLICY_COLLECT:
      return "COLLECT";
    case v1::HIT_POLICY_UNIQUE:
      return "UNIQUE";
    default:
      return "FIRST";
  }
}

std::string WriteDmn(const Table& t, const v1::RuleSet& p) {
  const Lang lang{true};
  std::string out = absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<definitions xmlns=\"", kDmnNamespace,
      "\" xmlns:fq=\"", kFengqiaoNamespace, "\" id=\"fengqiao-rules\" name=\"", XmlAttr(t.name),
      "\" namespace=\"urn:fengqiao:rules\" fq:version=\"", XmlAttr(t.version),
      "\">\n  <decision id=\"routing\" name=\"", XmlAttr(t.name.empty() ? "routing" : t.name),
      "\">\n    <decisionTable id=\"routing-table\" hitPolicy=\"", DmnHitPolicy(t.hit_policy),
      "\">\n");
  for (size_t i = 0; i < t.inputs.size(); ++i) {
    const InputColumn& c = t.inputs[i];
    const std::string type = DmnType(c.fact);
    absl::StrAppend(&out, "      <input id=\"input-", i + 1, "\" label=\"", XmlAttr(c.field),
                    "\">\n        <inputExpression id=\"input-", i + 1, "-expression\"",
                    type.empty() ? "" : absl::StrCat(" typeRef=\"", type, "\""), "><text>",
                    Xml(FieldText(lang, c)), "</text></inputExpression>\n      </input>\n");
  }
  for (Out o : t.outputs) {
    absl::StrAppend(&out, "      <output id=\"output-", OutputName(o), "\" name=\"", OutputName(o),
                    "\" typeRef=\"", DmnType(o), "\"");
    if (o == Out::kRuleId && t.hit_policy == v1::HIT_POLICY_PRIORITY) {
      // DMN's PRIORITY: the matching rule whose output comes first in the output values wins.
      std::vector<std::string> ids;
      for (int i : PriorityOrder(p)) ids.push_back(lang.Quote(t.rows[i].id));
      absl::StrAppend(&out, ">\n        <outputValues><text>", Xml(absl::StrJoin(ids, ",")),
                      "</text></outputValues>\n      </output>\n");
    } else {
      absl::StrAppend(&out, "/>\n");
    }
  }
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const Row& row = t.rows[r];
    absl::StrAppend(&out, "      <rule id=\"rule-", r + 1, "\">\n");
    if (!row.description.empty()) {
      absl::StrAppend(&out, "        <description>", XmlAttr(row.description), "</description>\n");
    }
    for (size_t c = 0; c < row.inputs.size(); ++c) {
      absl::StrAppend(&out, "        <inputEntry id=\"rule-", r + 1, "-input-", c + 1, "\"><text>",
                      Xml(row.inputs[c]), "</text></inputEntry>\n");
    }
    for (size_t c = 0; c < row.outputs.size(); ++c) {
      absl::StrAppend(&out, "        <outputEntry id=\"rule-", r + 1, "-output-", c + 1,
                      "\"><text>", Xml(row.outputs[c]), "</text></outputEntry>\n");
    }
    absl::StrAppend(&out, "      </rule>\n");
  }
  absl::StrAppend(&out, "    </decisionTable>\n  </decision>\n</definitions>\n");
  return out;
}

// ---------------------------------------------------------------------------------------------
// Import: cells back to conditions and actions.

// The expression as an error quotes it: at most 80 bytes, cut on a UTF-8 boundary.
std::string Shown(absl::string_view s) {
  if (s.size() <= 80) return std::string(s);
  size_t n = 80;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return absl::StrCat(s.substr(0, n), "...");
}

// Splits `text` at `sep` outside quotes.
std::vector<std::string> SplitOutsideQuotes(absl::string_view text, absl::string_view sep) {
  std::vector<std::string> parts;
  char quote = 0;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (text.substr(i, sep.size()) == sep) {
      parts.emplace_back(absl::StripAsciiWhitespace(text.substr(start, i - start)));
      start = i + sep.size();
      i = start - 1;
    }
  }
  parts.emplace_back(absl::StripAsciiWhitespace(text.substr(start)));
  return parts;
}

// A string literal ('x' in ZEN, "x" in FEEL and ZEN) without escapes.
std::optional<std::string> StringLiteral(const Lang& lang, absl::string_view s) {
  s = absl::StripAsciiWhitespace(s);
  if (s.size() < 2) return std::nullopt;
  const char q = s.front();
  if (!(q == '"' || (q == '\'' && !lang.feel)) || s.back() != q) return std::nullopt;
  const absl::string_view body = s.substr(1, s.size() - 2);
  if (absl::StrContains(body, q) || absl::StrContains(body, '\\')) return std::nullopt;
  return std::string(body);
}

// `contains($, 'x')` (ZEN) or `list contains(?, "x")` (FEEL) -> x.
std::optional<std::string> ContainsLiteral(const Lang& lang, absl::string_view s) {
  s = absl::StripAsciiWhitespace(s);
  const absl::string_view head = lang.feel ? "list contains(" : "contains(";
  if (!absl::ConsumePrefix(&s, head) || !absl::ConsumeSuffix(&s, ")")) return std::nullopt;
  s = absl::StripLeadingAsciiWhitespace(s);
  if (!absl::ConsumePrefix(&s, lang.feel ? "?" : "$")) return std::nullopt;
  s = absl::StripLeadingAsciiWhitespace(s);
  if (!absl::ConsumePrefix(&s, ",")) return std::nullopt;
  return StringLiteral(lang, s);
}

struct CellError {
  std::string what;
};

// An integer range test: [a..b] (either bracket open or closed), >= a, > a, <= b, < b, = a, a.
std::optional<std::pair<std::optional<int64_t>, std::optional<int64_t>>> RangeTest(
    absl::string_view s, std::string* why) {
  s = absl::StripAsciiWhitespace(s);
  auto integer = [&](absl::string_view t, int64_t* v) {
    t = absl::StripAsciiWhitespace(t);
    if (absl::SimpleAtoi(t, v)) return true;
    *why = absl::StrCat("\"", Shown(t), "\" is not an integer");
    return false;
  };
  int64_t a = 0, b = 0;
  if (!s.empty() && (s.front() == '[' || s.front() == '(' || s.front() == ']')) {
    const size_t dots = s.find("..");
    if (dots == absl::string_view::npos || s.size() < 5) return std::nullopt;
    const char close = s.back();
    if (close != ']' && close != ')' && close != '[') return std::nullopt;
    if (!integer(s.substr(1, dots - 1), &a) ||
        !integer(s.substr(dots + 2, s.size() - dots - 3), &b)) {
      return std::nullopt;
    }
    const bool open_low = s.front() != '[', open_high = close != ']';
    if (open_low && a == std::numeric_limits<int64_t>::max()) return std::nullopt;
    if (open_high && b == std::numeric_limits<int64_t>::min()) return std::nullopt;
    return std::make_pair(std::optional<int64_t>(open_low ? a + 1 : a),
                          std::optional<int64_t>(open_high ? b - 1 : b));
  }
  for (const auto& [op, kind] : {std::pair(">=", 0), std::pair("<=", 1), std::pair(">", 2),
                                 std::pair("<", 3), std::pair("=", 4)}) {
    absl::string_view rest = s;
    if (!absl::ConsumePrefix(&rest, op)) continue;
    if (!integer(rest, &a)) return std::nullopt;
    switch (kind) {
      case 0:
        return std::make_pair(std::optional<int64_t>(a), std::optional<int64_t>());
      case 1:
        return std::make_pair(std::optional<int64_t>(), std::optional<int64_t>(a));
      case 2:
        if (a == std::numeric_limits<int64_t>::max()) return std::nullopt;
        return std::make_pair(std::optional<int64_t>(a + 1), std::optional<int64_t>());
      case 3:
        if (a == std::numeric_limits<int64_t>::min()) return std::nullopt;
        return std::make_pair(std::optional<int64_t>(), std::optional<int64_t>(a - 1));
      default:
        return std::make_pair(std::optional<int64_t>(a), std::optional<int64_t>(a));
    }
  }
  why->clear();
  if (absl::SimpleAtoi(s, &a))
    return std::make_pair(std::optional<int64_t>(a), std::optional<int64_t>(a));
  return std::nullopt;
}

bool IsAny(const Lang& lang, absl::string_view s) {
  s = absl::StripAsciiWhitespace(s);
  return s.empty() || (lang.feel && s == "-");
}

std::optional<bool> BoolLiteral(absl::string_view s) {
  s = absl::StripAsciiWhitespace(s);
  if (s == "true") return true;
  if (s == "false") return false;
  return std::nullopt;
}

// Reads one input cell into the rule; "" or an explanation of why it cannot be expressed.
std::string ReadInputCell(const Lang& lang, const InputColumn& c, absl::string_view cell,
                          v1::Rule* rule) {
  if (IsAny(lang, cell)) return "";
  v1::Condition* w = rule->mutable_when();
  switch (c.fact) {
    case Fact::kArea:
    case Fact::kTags: {
      const bool area = c.fact == Fact::kArea;
      for (const std::string& part : SplitOutsideQuotes(cell, area ? " or " : " and ")) {
        const std::optional<std::string> code = ContainsLiteral(lang, part);
        if (!code.has_value() || code->empty()) {
          return absl::StrCat("expected ", lang.Contains(area ? "CODE" : "TAG"), " joined by ",
                              area ? "\"or\" (any of the areas)" : "\"and\" (every tag)");
        }
        if (area) {
          w->add_area_codes(*code);
        } else {
          w->add_tags_all(*code);
        }
      }
      return "";
    }
    case Fact::kPolice:
    case Fact::kInjury:
    case Fact::kViolence: {
      const std::optional<bool> b = BoolLiteral(cell);
      if (!b.has_value()) return "expected true or false";
      if (c.fact == Fact::kPolice) w->set_police_matter(*b);
      if (c.fact == Fact::kInjury) w->set_injury(*b);
      if (c.fact == Fact::kViolence) w->set_violence_risk(*b);
      return "";
    }
    case Fact::kAmount:
    case Fact::kParties:
    case Fact::kRepeats:
    case Fact::kHour: {
      std::string why;
      const auto range = RangeTest(cell, &why);
      if (!range.has_value()) {
        return why.empty() ? "expected an integer range: [a..b], >= a, <= b, > a, < b or a" : why;
      }
      v1::Int64Range* r = Range(c.fact, w);
      if (range->first.has_value()) r->set_min(*range->first);
      if (range->second.has_value()) r->set_max(*range->second);
      return "";
    }
    case Fact::kSlots:
    case Fact::kShift: {
      v1::CapacityTest* test = nullptr;
      for (v1::CapacityTest& t : *w->mutable_capacity()) {
        if (t.team_id() == c.team) test = &t;
      }
      if (test == nullptr) {
        test = w->add_capacity();
        test->set_team_id(c.team);
      }
      if (c.fact == Fact::kShift) {
        if (BoolLiteral(cell) != std::optional<bool>(true)) {
          return "expected true (a member on shift) or no test; \"not on shift\" is no capacity "
                 "test";
        }
        test->set_require_on_shift(true);
        return "";
      }
      absl::string_view rest = absl::StripAsciiWhitespace(cell);
      int32_t n = 0;
      if (!absl::ConsumePrefix(&rest, ">=") ||
          !absl::SimpleAtoi(absl::StripAsciiWhitespace(rest), &n) || n < 0) {
        return "expected >= N free slots (N a non-negative integer)";
      }
      test->set_min_free_slots(n);
      return "";
    }
    default: {
      const pb::EnumDescriptor* e = EnumOf(c.fact);
      pb::RepeatedField<int>* values = EnumValues(c.fact, w);
      for (const std::string& part : SplitOutsideQuotes(cell, ",")) {
        const std::optional<std::string> name = StringLiteral(lang, part);
        if (!name.has_value()) {
          return absl::StrCat(
              "expected a list of quoted ", e->name(), " names, e.g. ",
              lang.Quote(LabelOf(e, e->value(e->value_count() - 1)->number()).short_name));
        }
        absl::StatusOr<int> v = ParseEnum(e, *name, /*allow_unspecified=*/true);
        if (!v.ok()) return std::string(v.status().message());
        values->Add(*v);
      }
      return "";
    }
  }
}

std::optional<pb::Duration> DurationText(const Lang& lang, absl::string_view s, std::string* why) {
  s = absl::StripAsciiWhitespace(s);
  absl::string_view seconds = s;
  if (lang.feel) {
    if (!absl::ConsumePrefix(&s, "duration(") || !absl::ConsumeSuffix(&s, ")")) {
      *why = "expected duration(\"PT<seconds>S\") or null";
      return std::nullopt;
    }
    const std::optional<std::string> iso = StringLiteral(lang, s);
    absl::string_view t = iso.has_value() ? absl::string_view(*iso) : absl::string_view();
    if (!iso.has_value() || !absl::ConsumePrefix(&t, "PT") || !absl::ConsumeSuffix(&t, "S")) {
      *why = "expected duration(\"PT<seconds>S\") or null";
      return std::nullopt;
    }
    seconds = t;
    std::string copy(seconds);
    return DurationText(Lang{false}, copy, why);
  }
  // [-]seconds[.fraction], at most 9 fraction digits.
  const bool negative = absl::ConsumePrefix(&seconds, "-");
  const size_t dot = seconds.find('.');
  int64_t whole = 0, nanos = 0;
  const absl::string_view int_part = seconds.substr(0, dot);
  if (int_part.empty() || !absl::SimpleAtoi(int_part, &whole) || whole < 0) {
    *why = "expected a number of seconds or null";
    return std::nullopt;
  }
  if (dot != absl::string_view::npos) {
    absl::string_view frac = seconds.substr(dot + 1);
    if (frac.empty() || frac.size() > 9 || !absl::SimpleAtoi(frac, &nanos) ||
        !std::all_of(frac.begin(), frac.end(), absl::ascii_isdigit)) {
      *why = "expected a number of seconds (at most 9 decimals) or null";
      return std::nullopt;
    }
    for (size_t i = frac.size(); i < 9; ++i) nanos *= 10;
  }
  pb::Duration d;
  d.set_seconds(negative ? -whole : whole);
  d.set_nanos(static_cast<int32_t>(negative ? -nanos : nanos));
  return d;
}

std::string ReadOutputCell(const Lang& lang, Out o, absl::string_view cell, v1::Rule* rule) {
  v1::Action* a = rule->mutable_then();
  auto enum_cell = [&](const pb::EnumDescriptor* e, auto set) -> std::string {
    const std::optional<std::string> name = StringLiteral(lang, cell);
    if (!name.has_value()) return absl::StrCat("expected a quoted ", e->name(), " name");
    absl::StatusOr<int> v = ParseEnum(e, *name, /*allow_unspecified=*/true);
    if (!v.ok()) return std::string(v.status().message());
    set(*v);
    return "";
  };
  switch (o) {
    case Out::kRuleId: {
      const std::optional<std::string> id = StringLiteral(lang, cell);
      if (!id.has_value()) return "expected a quoted rule id";
      rule->set_id(*id);
      return "";
    }
    case Out::kTier:
      return enum_cell(v1::Tier_descriptor(), [&](int v) { a->set_tier(v1::Tier(v)); });
    case Out::kForceType:
      return enum_cell(v1::ForceType_descriptor(),
                       [&](int v) { a->set_target_force_type(v1::ForceType(v)); });
    case Out::kDepartment:
      return enum_cell(v1::Department_descriptor(),
                       [&](int v) { a->set_department(v1::Department(v)); });
    case Out::kTeam: {
      const std::optional<std::string> id = StringLiteral(lang, cell);
      if (!id.has_value()) return "expected a quoted team id";
      a->set_target_team_id(*id);
      return "";
    }
    case Out::kPriority: {
      int32_t p = 0;
      if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(cell), &p)) {
        return "expected an integer priority";
      }
      rule->set_priority(p);
      return "";
    }
    case Out::kDefault: {
      const std::optional<bool> b = BoolLiteral(cell);
      if (!b.has_value()) return "expected true or false";
      rule->set_is_default(*b);
      return "";
    }
    case Out::kSlaResolveWorkingDays:
    case Out::kSlaRevisitWorkingDays: {
      const absl::string_view s = absl::StripAsciiWhitespace(cell);
      if (s == "null" || s.empty()) return "";
      int32_t days = 0;
      if (!absl::SimpleAtoi(s, &days) || days < 1 || days > 366) {
        return "expected a whole number of working days, 1 to 366";
      }
      if (o == Out::kSlaResolveWorkingDays) {
        a->mutable_sla()->set_resolve_working_days(days);
      } else {
        a->mutable_sla()->set_revisit_working_days(days);
      }
      return "";
    }
    default: {
      const absl::string_view s = absl::StripAsciiWhitespace(cell);
      if (s == "null" || s.empty()) return "";
      std::string why;
      const std::optional<pb::Duration> d = DurationText(lang, s, &why);
      if (!d.has_value()) return why;
      *MutableSla(o, a->mutable_sla()) = *d;
      return "";
    }
  }
}

absl::Status CellProblem(const Row& row, int index, absl::string_view column,
                         absl::string_view cell, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      row.where, ": row ", index + 1,
      row.id.empty() ? "" : absl::StrCat(" (rule \"", row.id, "\")"), ", column \"", column,
      "\": cannot express \"", Shown(cell), "\" as a routing ", "condition or action: ", why));
}

absl::StatusOr<v1::RuleSet> RuleSetOf(const Table& t, const Lang& lang) {
  v1::RuleSet out;
  out.set_name(t.name);
  out.set_version(t.version);
  out.set_hit_policy(t.hit_policy);
  const bool has_id_column =
      std::find(t.outputs.begin(), t.outputs.end(), Out::kRuleId) != t.outputs.end();
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const Row& row = t.rows[i];
    v1::Rule rule;
    if (!has_id_column) rule.set_id(row.id);
    rule.set_description(row.description);
    for (size_t c = 0; c < t.inputs.size(); ++c) {
      const std::string why = ReadInputCell(lang, t.inputs[c], row.inputs[c], &rule);
      if (!why.empty()) {
        return CellProblem(row, static_cast<int>(i), t.inputs[c].field, row.inputs[c], why);
      }
    }
    for (size_t c = 0; c < t.outputs.size(); ++c) {
      const std::string why = ReadOutputCell(lang, t.outputs[c], row.outputs[c], &rule);
      if (!why.empty()) {
        return CellProblem(row, static_cast<int>(i), OutputName(t.outputs[c]), row.outputs[c], why);
      }
    }
    *out.add_rules() = std::move(rule);
  }
  if (!t.rule_order.empty()) {
    // JDM PRIORITY rows come in hit order; ruleOrder gives the file order back.
    absl::flat_hash_map<std::string, int> at;
    for (int i = 0; i < out.rules_size(); ++i) at.emplace(out.rules(i).id(), i);
    if (t.rule_order.size() != at.size() || static_cast<int>(at.size()) != out.rules_size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(t.rule_order_where, ": ruleOrder must name every rule once (",
                       t.rule_order.size(), " ids for ", out.rules_size(), " rows)"));
    }
    v1::RuleSet ordered = out;
    ordered.clear_rules();
    for (const std::string& id : t.rule_order) {
      auto it = at.find(id);
      if (it == at.end()) {
        return absl::InvalidArgumentError(absl::StrCat(t.rule_order_where, ": ruleOrder names \"",
                                                       Shown(id), "\", which no row has"));
      }
      *ordered.add_rules() = out.rules(it->second);
      at.erase(it);
    }
    out = std::move(ordered);
  }
  return out;
}

// A column's field text -> the input column; nullopt when it is no routing fact.
std::optional<InputColumn> ColumnOf(const Lang& lang, absl::string_view field) {
  field = absl::StripAsciiWhitespace(field);
  for (const FixedInput& f : kFixedInputs) {
    if (field == f.field) return InputColumn{f.fact, f.field, ""};
  }
  // capacity["T"].free_slots (ZEN) or get value(get value(capacity, "T"), "free_slots") (FEEL).
  for (Fact fact : {Fact::kSlots, Fact::kShift}) {
    absl::string_view rest = field;
    const absl::string_view head = lang.feel ? "get value(get value(capacity, \"" : "capacity[\"";
    const std::string tail =
        lang.feel ? absl::StrCat("\"), \"", fact == Fact::kSlots ? "free_slots" : "on_shift", "\")")
                  : absl::StrCat("\"].", fact == Fact::kSlots ? "free_slots" : "on_shift");
    if (absl::ConsumePrefix(&rest, head) && absl::ConsumeSuffix(&rest, tail) && !rest.empty() &&
        Quotable(rest)) {
      const std::string team(rest);
      return InputColumn{
          fact, absl::StrCat("capacity.", team, fact == Fact::kSlots ? ".free_slots" : ".on_shift"),
          team};
    }
  }
  return std::nullopt;
}

std::optional<Out> OutputOf(absl::string_view name) {
  name = absl::StripAsciiWhitespace(name);
  for (const auto& [o, n] : kOutputs) {
    if (name == n) return o;
  }
  return std::nullopt;
}

std::string KnownInputs() {
  std::vector<std::string> names;
  for (const FixedInput& f : kFixedInputs) names.push_back(f.field);
  names.push_back("capacity[\"TEAM\"].free_slots / .on_shift");
  return absl::StrJoin(names, ", ");
}

std::string KnownOutputs() {
  std::vector<std::string> names;
  for (const auto& [o, n] : kOutputs) names.push_back(n);
  return absl::StrJoin(names, ", ");
}

absl::Status CheckColumns(const Table& t) {
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < t.inputs.size(); ++i) {
    if (!seen.insert(t.inputs[i].field).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(t.input_where[i], ": column \"", t.inputs[i].field, "\" is tested twice"));
    }
  }
  absl::flat_hash_set<int> outs;
  for (size_t i = 0; i < t.outputs.size(); ++i) {
    if (!outs.insert(static_cast<int>(t.outputs[i])).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          t.output_where[i], ": output \"", OutputName(t.outputs[i]), "\" is given twice"));
    }
  }
  if (t.hit_policy == v1::HIT_POLICY_PRIORITY &&
      std::find(t.outputs.begin(), t.outputs.end(), Out::kPriority) == t.outputs.end()) {
    return absl::InvalidArgumentError(
        "PRIORITY hit policy without a \"priority\" output: fengqiao ranks rules by a number per "
        "rule");
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// JDM in.

const pb::Value* Member(const pb::Struct& s, absl::string_view key) {
  auto it = s.fields().find(std::string(key));
  return it == s.fields().end() ? nullptr : &it->second;
}

std::string ValueKind(const pb::Value& v) {
  switch (v.kind_case()) {
    case pb::Value::kNullValue:
      return "null";
    case pb::Value::kNumberValue:
      return "a number";
    case pb::Value::kStringValue:
      return "a string";
    case pb::Value::kBoolValue:
      return "a boolean";
    case pb::Value::kStructValue:
      return "an object";
    case pb::Value::kListValue:
      return "an array";
    default:
      return "nothing";
  }
}

absl::StatusOr<Table> ReadJdm(absl::string_view text, absl::string_view filename) {
  pb::Struct root;
  internal::SourceMap map;
  FENGQIAO_RETURN_IF_ERROR(internal::ParseJsonRecord(text, filename, 1, 1, "", &root, &map));
  auto bad = [&](const std::string& path, absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(map.Where(path), ": ", what));
  };
  // A member of the wanted kind, or an error naming its path.
  auto get = [&](const pb::Struct& s, const std::string& path, absl::string_view key,
                 pb::Value::KindCase kind, const char* kind_name,
                 bool required) -> absl::StatusOr<const pb::Value*> {
    const pb::Value* v = Member(s, key);
    const std::string at = path.empty() ? std::string(key) : absl::StrCat(path, ".", key);
    if (v == nullptr) {
      if (required) return bad(path, absl::StrCat("\"", key, "\" is missing"));
      return nullptr;
    }
    if (v->kind_case() != kind) {
      return bad(at, absl::StrCat("\"", key, "\" must be ", kind_name, ", not ", ValueKind(*v)));
    }
    return v;
  };
  Table t;
  FENGQIAO_ASSIGN_OR_RETURN(const pb::Value* nodes,
                            get(root, "", "nodes", pb::Value::kListValue, "an array", true));
  const pb::Struct* table = nullptr;
  std::string table_path;
  for (int i = 0; i < nodes->list_value().values_size(); ++i) {
    const std::string path = absl::StrCat("nodes[", i, "]");
    const pb::Value& n = nodes->list_value().values(i);
    if (n.kind_case() != pb::Value::kStructValue) {
      return bad(path, absl::StrCat("a node must be an object, not ", ValueKind(n)));
    }
    FENGQIAO_ASSIGN_OR_RETURN(
        const pb::Value* type,
        get(n.struct_value(), path, "type", pb::Value::kStringValue, "a string", true));
    const std::string& kind = type->string_value();
    if (kind == "inputNode" || kind == "outputNode") continue;
    if (kind != "decisionTableNode") {
      return bad(path, absl::StrCat("a \"", Shown(kind),
                                    "\" node has no routing equivalent (only one "
                                    "decisionTableNode between the input and output nodes)"));
    }
    if (table != nullptr) {
      return bad(path, absl::StrCat("a second decisionTableNode (the first at ",
                                    map.Where(table_path), "); fengqiao routes by one table"));
    }
    table = &n.struct_value();
    table_path = path;
    if (const pb::Value* name = Member(*table, "name");
        name != nullptr && name->kind_case() == pb::Value::kStringValue) {
      t.name = name->string_value();
    }
  }
  if (table == nullptr) return bad("nodes", "no decisionTableNode");
  const std::string content_path = absl::StrCat(table_path, ".content");
  FENGQIAO_ASSIGN_OR_RETURN(
      const pb::Value* content_v,
      get(*table, table_path, "content", pb::Value::kStructValue, "an object", true));
  const pb::Struct& content = content_v->struct_value();
  FENGQIAO_ASSIGN_OR_RETURN(const pb::Value* hit, get(content, content_path, "hitPolicy",
                                                      pb::Value::kStringValue, "a string", false));
  const std::string hit_policy = hit == nullptr ? "first" : hit->string_value();
  if (hit_policy == "first") {
    t.hit_policy = v1::HIT_POLICY_FIRST;
  } else if (hit_policy == "collect") {
    t.hit_policy = v1::HIT_POLICY_COLLECT;
  } else {
    return bad(absl::StrCat(content_path, ".hit_policy"),
               absl::StrCat("hit policy \"", Shown(hit_policy),
                            "\" has no routing equivalent (first or collect)"));
  }
  // fengqiao's own note: name, version, and the hit policy ZEN cannot say.
  FENGQIAO_ASSIGN_OR_RETURN(const pb::Value* meta,
                            get(root, "", "fengqiao", pb::Value::kStructValue, "an object", false));
  if (meta != nullptr) {
    const pb::Struct& m = meta->struct_value();
    FENGQIAO_ASSIGN_OR_RETURN(
        const pb::Value* name,
        get(m, "fengqiao", "name", pb::Value::kStringValue, "a string", false));
    if (name != nullptr) t.name = name->string_value();
    FENGQIAO_ASSIGN_OR_RETURN(
        const pb::Value* version,
        get(m, "fengqiao", "version", pb::Value::kStringValue, "a string", false));
    if (version != nullptr) t.version = version->string_value();
    FENGQIAO_ASSIGN_OR_RETURN(
        const pb::Value* policy,
        get(m, "fengqiao", "hitPolicy", pb::Value::kStringValue, "a string", false));
    if (policy != nullptr) {
      const std::string& p = policy->string_value();
      const bool zen_first = t.hit_policy == v1::HIT_POLICY_FIRST;
      if (p == "first" && zen_first) {
      } else if (p == "priority" && zen_first) {
        t.hit_policy = v1::HIT_POLICY_PRIORITY;
      } else if (p == "collect" && !zen_first) {
      } else if (p == "unique" && !zen_first) {
        t.hit_policy = v1::HIT_POLICY_UNIQUE;
      } else {
        return bad("fengqiao.hit_policy",
                   absl::StrCat("hitPolicy \"", Shown(p), "\" does not go with the table's \"",
                                hit_policy, "\""));
      }
    }
    FENGQIAO_ASSIGN_OR_RETURN(
        const pb::Value* order,
        get(m, "fengqiao", "ruleOrder", pb::Value::kListValue, "an array", false));
    if (order != nullptr) {
      t.rule_order_where = map.Where("fengqiao.rule_order");
      for (const pb::Value& id : order->list_value().values()) {
        if (id.kind_case() != pb::Value::kStringValue) {
          return bad("fengqiao.rule_order", "ruleOrder must list rule ids (strings)");
        }
        t.rule_order.push_back(id.string_value());
      }
    }
  }
  const Lang lang{false};
  std::vector<std::string> input_ids, output_ids;
  for (const char* side : {"inputs", "outputs"}) {
    const bool inputs = absl::string_view(side) == "inputs";
    FENGQIAO_ASSIGN_OR_RETURN(const pb::Value* cols, get(content, content_path, side,
                                                         pb::Value::kListValue, "an array", true));
    for (int i = 0; i < cols->list_value().values_size(); ++i) {
      const std::string path = absl::StrCat(content_path, ".", side, "[", i, "]");
      const pb::Value& col = cols->list_value().values(i);
      if (col.kind_case() != pb::Value::kStructValue) {
        return bad(path, absl::StrCat("a column must be an object, not ", ValueKind(col)));
      }
      FENGQIAO_ASSIGN_OR_RETURN(
          const pb::Value* id,
          get(col.struct_value(), path, "id", pb::Value::kStringValue, "a string", true));
      FENGQIAO_ASSIGN_OR_RETURN(
          const pb::Value* field,
          get(col.struct_value(), path, "field", pb::Value::kStringValue, "a string", true));
      if (inputs) {
        const std::optional<InputColumn> c = ColumnOf(lang, field->string_value());
        if (!c.has_value()) {
          return bad(path, absl::StrCat("input column \"", Shown(field->string_value()),
                                        "\" is not a routing fact (", KnownInputs(), ")"));
        }
        t.inputs.push_back(*c);
        t.input_where.push_back(map.Where(path));
        input_ids.push_back(id->string_value());
      } else {
        const std::optional<Out> o = OutputOf(field->string_value());
        if (!o.has_value()) {
          return bad(path,
                     absl::StrCat("output \"", Shown(field->string_value()),
                                  "\" is not part of a routing action (", KnownOutputs(), ")"));
        }
        t.outputs.push_back(*o);
        t.output_where.push_back(map.Where(path));
        output_ids.push_back(id->string_value());
      }
    }
  }
  FENGQIAO_RETURN_IF_ERROR(CheckColumns(t));
  FENGQIAO_ASSIGN_OR_RETURN(const pb::Value* rules, get(content, content_path, "rules",
                                                        pb::Value::kListValue, "an array", true));
  absl::flat_hash_set<std::string> known_ids(input_ids.begin(), input_ids.end());
  known_ids.insert(output_ids.begin(), output_ids.end());
  for (int i = 0; i < rules->list_value().values_size(); ++i) {
    const std::string path = absl::StrCat(content_path, ".rules[", i, "]");
    const pb::Value& r = rules->list_value().values(i);
    if (r.kind_case() != pb::Value::kStructValue) {
      return bad(path, absl::StrCat("a rule row must be an object, not ", ValueKind(r)));
    }
    const pb::Struct& s = r.struct_value();
    Row row;
    row.where = map.Where(path);
    for (const auto& [key, value] : s.fields()) {
      if (value.kind_case() != pb::Value::kStringValue) {
        return bad(path, absl::StrCat("row ", i + 1, ": cell \"", Shown(key),
                                      "\" must be a string, not ", ValueKind(value)));
      }
      if (key == "_id") row.id = value.string_value();
      if (key == "_description") row.description = value.string_value();
      if (!absl::StartsWith(key, "_") && !known_ids.contains(key)) {
        return bad(path,
                   absl::StrCat("row ", i + 1, ": cell \"", Shown(key), "\" belongs to no column"));
      }
    }
    auto cell = [&](const std::string& id) {
      const pb::Value* v = Member(s, id);
      return v == nullptr ? std::string() : v->string_value();
    };
    for (const std::string& id : input_ids) row.inputs.push_back(cell(id));
    for (const std::string& id : output_ids) row.outputs.push_back(cell(id));
    t.rows.push_back(std::move(row));
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// DMN in.

absl::StatusOr<Table> ReadDmn(absl::string_view text, absl::string_view filename) {
  FENGQIAO_ASSIGN_OR_RETURN(std::unique_ptr<XmlElement> root,
                            interop_internal::ParseXml(text, filename));
  auto where = [&](const XmlElement& e) {
    return absl::StrCat(filename, ":", e.line, ":", e.column);
  };
  auto bad = [&](const XmlElement& e, absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(where(e), ": ", what));
  };
  if (root->name != "definitions" ||
      !(absl::StartsWith(root->ns, "https://www.omg.org/spec/DMN/") ||
        absl::StartsWith(root->ns, "http://www.omg.org/spec/DMN/"))) {
    return bad(*root, "not a DMN document (a <definitions> element in a DMN namespace)");
  }
  Table t;
  if (const std::string* name = root->Attribute("name")) t.name = *name;
  if (const std::string* version = root->Attribute(absl::StrCat(kFengqiaoNamespace, " version"))) {
    t.version = *version;
  }
  const XmlElement* table = nullptr;
  for (const XmlElement* d : root->Children("decision")) {
    for (const auto& c : d->children) {
      if (c->name == "decisionTable") {
        if (table != nullptr) {
          return bad(*c, absl::StrCat("a second decision table (the first at ", where(*table),
                                      "); fengqiao routes by one table"));
        }
        table = c.get();
      } else if (c->name != "description" && c->name != "extensionElements" &&
                 c->name != "question" && c->name != "allowedAnswers" && c->name != "variable" &&
                 !absl::EndsWith(c->name, "Requirement")) {
        return bad(*c, absl::StrCat("a decision with <", Shown(c->name),
                                    "> has no routing equivalent (a decision table only)"));
      }
    }
  }
  if (table == nullptr) return bad(*root, "no <decision> with a <decisionTable>");
  if (const std::string* agg = table->Attribute("aggregation")) {
    return bad(*table, absl::StrCat("COLLECT with aggregation ", Shown(*agg),
                                    " has no routing equivalent"));
  }
  const std::string* hit = table->Attribute("hitPolicy");
  const std::string policy = hit == nullptr ? "UNIQUE" : *hit;  // DMN's default
  if (policy == "FIRST") {
    t.hit_policy = v1::HIT_POLICY_FIRST;
  } else if (policy == "PRIORITY") {
    t.hit_policy = v1::HIT_POLICY_PRIORITY;
  } else if (policy == "COLLECT") {
    t.hit_policy = v1::HIT_POLICY_COLLECT;
  } else if (policy == "UNIQUE") {
    t.hit_policy = v1::HIT_POLICY_UNIQUE;
  } else {
    return bad(*table, absl::StrCat("hit policy ", Shown(policy),
                                    " has no routing equivalent (FIRST, PRIORITY, COLLECT, "
                                    "UNIQUE)"));
  }
  const Lang lang{true};
  auto text_of = [](const XmlElement* e) -> std::string {
    const XmlElement* t = e == nullptr ? nullptr : e->Child("text");
    return t == nullptr ? std::string() : t->text;
  };
  for (const XmlElement* in : table->Children("input")) {
    const XmlElement* expr = in->Child("inputExpression");
    if (expr == nullptr) return bad(*in, "an <input> without <inputExpression>");
    const std::string field = text_of(expr);
    const std::optional<InputColumn> c = ColumnOf(lang, field);
    if (!c.has_value()) {
      return bad(*expr, absl::StrCat("input column \"", Shown(field), "\" is not a routing fact (",
                                     KnownInputs(), ")"));
    }
    t.inputs.push_back(*c);
    t.input_where.push_back(where(*in));
  }
  for (const XmlElement* out : table->Children("output")) {
    const std::string* name = out->Attribute("name");
    const std::optional<Out> o = OutputOf(name == nullptr ? "" : *name);
    if (!o.has_value()) {
      return bad(*out, absl::StrCat("output \"", Shown(name == nullptr ? "" : *name),
                                    "\" is not part of a routing action (", KnownOutputs(), ")"));
    }
    t.outputs.push_back(*o);
    t.output_where.push_back(where(*out));
  }
  FENGQIAO_RETURN_IF_ERROR(CheckColumns(t));
  int index = 0;
  for (const XmlElement* r : table->Children("rule")) {
    ++index;
    Row row;
    row.where = where(*r);
    if (const std::string* id = r->Attribute("id")) row.id = *id;
    if (const XmlElement* d = r->Child("description")) row.description = d->text;
    for (const XmlElement* e : r->Children("inputEntry")) row.inputs.push_back(text_of(e));
    for (const XmlElement* e : r->Children("outputEntry")) row.outputs.push_back(text_of(e));
    if (row.inputs.size() != t.inputs.size() || row.outputs.size() != t.outputs.size()) {
      return bad(*r, absl::StrCat("row ", index, " has ", row.inputs.size(), " input and ",
                                  row.outputs.size(), " output entries for ", t.inputs.size(),
                                  " inputs and ", t.outputs.size(), " outputs"));
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace

absl::StatusOr<RuleTableFormat> ParseRuleTableFormat(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "jdm") return RuleTableFormat::kJdm;
  if (lower == "dmn") return RuleTableFormat::kDmn;
  return absl::InvalidArgumentError(
      absl::StrCat("rule table format \"", Quotable(name) ? Shown(name) : "?",
                   "\": expected jdm (GoRules JSON Decision Model) or dmn (DMN 1.3)"));
}

absl::StatusOr<std::string> ExportRuleTable(const RuleSet& rules, RuleTableFormat format) {
  const Lang lang{format == RuleTableFormat::kDmn};
  FENGQIAO_ASSIGN_OR_RETURN(Table t, TableOf(rules, lang));
  return lang.feel ? WriteDmn(t, rules.proto()) : WriteJdm(t, rules.proto());
}

absl::StatusOr<v1::RuleSet> ImportRuleTable(absl::string_view text, RuleTableFormat format,
                                            absl::string_view filename,
                                            const RuleTableOptions& options) {
  if (text.size() > options.max_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(filename, ": ", text.size(),
                                                     " bytes, more than the ", options.max_bytes,
                                                     " a rule table may have"));
  }
  const Lang lang{format == RuleTableFormat::kDmn};
  absl::StatusOr<Table> t = lang.feel ? ReadDmn(text, filename) : ReadJdm(text, filename);
  if (!t.ok()) return t.status();
  return RuleSetOf(*t, lang);
}

absl::StatusOr<v1::RuleSet> LoadRuleTable(absl::string_view path, RuleTableFormat format,
                                          const RuleTableOptions& options) {
  std::string text;
  FENGQIAO_RETURN_IF_ERROR(
      internal::ReadFile(path, &text, static_cast<int64_t>(options.max_bytes)));
  return ImportRuleTable(text, format, path, options);
}

std::string RuleTableInput(const RuleSet& rules, const RoutingFacts& f,
                           absl::Span<const CapacityState> capacity) {
  const GridMap& map = rules.grid_map();
  std::vector<std::string> area;
  for (int32_t a = f.area; a >= 0 && a < map.size() && area.size() < 16; a = map.ParentIndex(a)) {
    area.push_back(Json(map.proto().areas(a).code()));
  }
  auto enum_value = [](const pb::EnumDescriptor* e, int v) {
    const EnumLabel& l = LabelOf(e, v);
    return l.known ? Json(l.short_name) : std::string("null");
  };
  const bool known_kind = f.kind != v1::INCIDENT_KIND_UNSPECIFIED &&
                          LabelOf(v1::IncidentKind_descriptor(), f.kind).known;
  absl::flat_hash_set<std::string> seen;
  std::vector<std::string> tags;
  for (const v1::Rule& r : rules.proto().rules()) {
    for (const std::string& tag : r.when().tags_all()) {
      const uint64_t bit = rules.TagBit(tag);
      if (bit != 0 && (f.tags & bit) != 0 && seen.insert(tag).second) tags.push_back(Json(tag));
    }
  }
  std::vector<std::string> teams;
  for (size_t i = 0; i < rules.teams().size() && i < capacity.size(); ++i) {
    if (!capacity[i].known) continue;
    teams.push_back(absl::StrCat(Json(rules.teams()[i]),
                                 ": {\"free_slots\": ", capacity[i].free_slots,
                                 ", \"on_shift\": ", capacity[i].on_shift ? "true" : "false", "}"));
  }
  return absl::StrCat(
      "{\"area\": [", absl::StrJoin(area, ", "), "], \"police_matter\": ",
      known_kind
          ? (f.kind != v1::INCIDENT_KIND_NON_POLICE && (f.flags & kFactNonPolice) == 0 ? "true"
                                                                                       : "false")
          : "null",
      ", \"kind\": ", enum_value(v1::IncidentKind_descriptor(), f.kind),
      ", \"dispute_type\": ", enum_value(v1::DisputeType_descriptor(), f.dispute_type),
      ", \"severity\": ", enum_value(v1::Severity_descriptor(), f.severity),
      ", \"channel\": ", enum_value(v1::Channel_descriptor(), f.channel),
      ", \"department\": ", enum_value(v1::Department_descriptor(), f.department),
      ", \"amount_fen\": ", f.amount_fen, ", \"party_count\": ", f.party_count,
      ", \"repeat_count\": ", f.repeat_count, ", \"hour\": ", f.hour,
      ", \"weekday\": ", enum_value(v1::Weekday_descriptor(), f.weekday),
      ", \"injury\": ", (f.flags & kFactInjury) != 0 ? "true" : "false",
      ", \"violence_risk\": ", (f.flags & kFactViolenceRisk) != 0 ? "true" : "false",
      ", \"tags\": [", absl::StrJoin(tags, ", "), "], \"capacity\": {", absl::StrJoin(teams, ", "),
      "}}");
}

}  // namespace fengqiao
