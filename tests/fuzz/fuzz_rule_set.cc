// Rule sets in protobuf text format (with inheritance: an `inherits` reads only files under the
// working folder). Invariant: a rule set that compiles routes every probe incident as the naive
// rule-by-rule evaluation (Explain) does.
#include <cstdint>
#include <string>

#include "fengqiao/routing/routing_facts.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/routing/rule_source.h"
#include "fuzz_common.h"

namespace {

// Probe incidents: every kind, a few dispute types and departments, grids of two streets.
std::vector<fengqiao::v1::Incident> Probes() {
  std::vector<fengqiao::v1::Incident> out;
  const char* grids[] = {"xc-lc-c1-g1", "xc-qd-c1-g1", "xc-cz-c1-g1"};
  for (int kind = 1; kind < fengqiao::v1::IncidentKind_ARRAYSIZE; ++kind) {
    for (int k = 0; k < 6; ++k) {
      fengqiao::v1::Incident i;
      i.set_id("probe");
      i.set_grid_code(grids[k % 3]);
      i.set_kind(static_cast<fengqiao::v1::IncidentKind>(kind));
      i.set_channel(static_cast<fengqiao::v1::Channel>(1 + k % 4));
      i.set_dispute_type(static_cast<fengqiao::v1::DisputeType>(1 + (kind + k) % 10));
      i.set_responsible_department(static_cast<fengqiao::v1::Department>(1 + k % 8));
      i.set_severity(static_cast<fengqiao::v1::Severity>(1 + k % 4));
      i.set_amount_fen(k * 250'000);
      i.mutable_reported_at()->set_seconds(1'791'943'200 + 3'600 * 5 * k);
      out.push_back(i);
    }
  }
  return out;
}

}  // namespace

// Loading the sample map is not part of any input's time.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fengqiao::fuzz::SampleMap();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<fengqiao::v1::Incident> probes = Probes();
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<fengqiao::RuleSetSource> source =
      fengqiao::RuleSetSource::Parse(text, "fuzz.textproto");
  if (!source.ok()) return 0;
  (void)fengqiao::RuleSet::Lint(*source, fengqiao::fuzz::SampleMap());
  absl::StatusOr<std::shared_ptr<const fengqiao::RuleSet>> rules =
      fengqiao::RuleSet::Compile(*source, fengqiao::fuzz::SampleMapPtr());
  if (!rules.ok()) return 0;
  for (const fengqiao::v1::Incident& incident : probes) {
    absl::StatusOr<fengqiao::RoutingFacts> facts = fengqiao::MakeRoutingFacts(incident, 0, **rules);
    if (!facts.ok()) continue;
    const fengqiao::v1::Decision fast = (*rules)->Decide(*facts, incident.id());
    const fengqiao::v1::Explanation slow = (*rules)->Explain(*facts, incident.id());
    FQ_FUZZ_CHECK(fast.rule_id() == slow.decision().rule_id(),
                  fast.rule_id() + " vs " + slow.decision().rule_id());
  }
  return 0;
}
