// File: fengqiao/routing/routing_facts.h
// RoutingFacts are the interned facts of one incident that rules test: small integers and masks,
// no strings, so that a decision costs tens of nanoseconds. MakeRoutingFacts() builds them from
// an incident; RoutingColumns is the same data as columns, for batches from analysts' arrays.
//
//   #include "fengqiao/routing/rule_set.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> grid_map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(
//       fengqiao::RuleSetSource source,
//       fengqiao::RuleSetSource::Load("examples/data/rules/district.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::RuleSet> rules,
//                             fengqiao::RuleSet::Compile(source, grid_map));
//   fengqiao::v1::Incident incident;  // a noise dispute between neighbours, by 110
//   incident.set_id("110-2026-10-0001");
//   incident.mutable_reported_at()->set_seconds(1791943200);  // 2026-10-14 10:00 (+08)
//   incident.set_channel(fengqiao::v1::CHANNEL_CALL_110);
//   incident.set_kind(fengqiao::v1::INCIDENT_KIND_DISPUTE);
//   incident.set_dispute_type(fengqiao::v1::DISPUTE_TYPE_NOISE);
//   incident.set_grid_code("xc-lc-c1-g1");
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::RoutingFacts facts,
//                             fengqiao::MakeRoutingFacts(incident, /*repeat_count=*/0, *rules));
//   fengqiao::RouteResult r = rules->Route(facts);  // r.rule: index in rules->proto().rules()
//   if (r.rule < 0) return absl::InternalError("the district routes every dispute");
//
// Thread safety: plain data.
#ifndef FENGQIAO_ROUTING_ROUTING_FACTS_H_
#define FENGQIAO_ROUTING_ROUTING_FACTS_H_

#include <cstdint>

#include "absl/types/span.h"

namespace fengqiao {

// Bits of RoutingFacts::flags.
inline constexpr uint8_t kFactInjury = 1;
inline constexpr uint8_t kFactViolenceRisk = 2;
// Not a police matter (非警务事项): set for kind NON_POLICE and for an incident whose
// police_matter is false (a dispute can be non-police). Routing also treats a row whose kind is
// NON_POLICE as non-police without it, so columns built by hand need not set it.
inline constexpr uint8_t kFactNonPolice = 4;

// RoutingFacts::matter when no responsibility catalogue applies (a police matter, or a rule set
// compiled without one).
inline constexpr int32_t kNoMatter = -1;
// RoutingFacts::matter of a non-police matter no catalogue item claims: the department is the
// catalogue's fallback owner (兜底).
inline constexpr int32_t kMatterFallback = -2;

struct RoutingFacts {
  // Amount in dispute, fen.
  int64_t amount_fen = 0;
  // Tags the rule set knows, as bits (RuleSet::TagBit); tags no rule mentions are dropped.
  uint64_t tags = 0;
  // Dense area index in the GridMap (GridMap::AreaIndex) of the incident's grid; -1 unknown.
  int32_t area = -1;
  // Number of parties.
  int32_t party_count = 0;
  // Earlier incidents with the same parties within the repeat window.
  int32_t repeat_count = 0;
  // v1::IncidentKind, v1::DisputeType, v1::Severity, v1::Channel, v1::Department numbers.
  uint8_t kind = 0;
  uint8_t dispute_type = 0;
  uint8_t severity = 0;
  uint8_t channel = 0;
  uint8_t department = 0;
  // Local hour of the report (0..23) and ISO weekday (1 = Monday .. 7; 0 unknown).
  uint8_t hour = 0;
  uint8_t weekday = 0;
  // kFactInjury | kFactViolenceRisk | kFactNonPolice.
  uint8_t flags = 0;
  // Under a responsibility catalogue (RuleSetOptions::catalogue), a non-police matter's item:
  // its index in the catalogue (ResponsibilityCatalogue::Find), whose department `department`
  // then holds, or kMatterFallback; kNoMatter otherwise.
  int32_t matter = kNoMatter;
};

// The same facts as parallel columns (all spans of equal length; an empty span means "all zero",
// except `area`, which is required, and `matter`, which means "no item": kNoMatter).
struct RoutingColumns {
  absl::Span<const int32_t> area;
  absl::Span<const uint8_t> kind;
  absl::Span<const uint8_t> dispute_type;
  absl::Span<const uint8_t> severity;
  absl::Span<const uint8_t> channel;
  absl::Span<const uint8_t> department;
  absl::Span<const int64_t> amount_fen;
  absl::Span<const int32_t> party_count;
  absl::Span<const int32_t> repeat_count;
  absl::Span<const uint8_t> hour;
  absl::Span<const uint8_t> weekday;
  absl::Span<const uint8_t> flags;
  absl::Span<const uint64_t> tags;
  // Under a responsibility catalogue: each row's catalogue item index
  // (ResponsibilityCatalogue::Find of its matter code; kNoMatter or any negative: none). A
  // non-police row's department is then the item's, or the fallback owner's, as MakeRoutingFacts
  // sets it; without a catalogue the column is ignored.
  absl::Span<const int32_t> matter;
};

}  // namespace fengqiao

#endif  // FENGQIAO_ROUTING_ROUTING_FACTS_H_
