// Routing rule tables read back from GoRules JDM (JSON) and DMN 1.3 (XML): the first byte
// chooses (odd: DMN), the rest is the table's text.
// Invariants: a refused table is InvalidArgument naming the file; a table that imports and
// compiles against the sample map exports again in the same format, and that export imports and
// compiles to the same rule set hash (the round trip is exact).
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "fengqiao/interop/rule_table.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/routing/rule_source.h"
#include "fuzz_common.h"

namespace {

absl::StatusOr<std::shared_ptr<const fengqiao::RuleSet>> Compiled(
    const std::string& text, fengqiao::RuleTableFormat format) {
  absl::StatusOr<fengqiao::v1::RuleSet> imported =
      fengqiao::ImportRuleTable(text, format, "fuzz.table");
  if (!imported.ok()) return imported.status();
  // The teams the table names are taken as known (the roster is not the table's business).
  fengqiao::RuleSetOptions options;
  for (const fengqiao::v1::Rule& r : imported->rules()) {
    options.known_teams.push_back(r.then().target_team_id());
    for (const fengqiao::v1::CapacityTest& c : r.when().capacity()) {
      options.known_teams.push_back(c.team_id());
    }
  }
  return fengqiao::RuleSet::Compile(fengqiao::RuleSetSource::FromProto(*imported),
                                    fengqiao::fuzz::SampleMapPtr(), options);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fengqiao::fuzz::SampleMap();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const fengqiao::RuleTableFormat format =
      (data[0] & 1) ? fengqiao::RuleTableFormat::kDmn : fengqiao::RuleTableFormat::kJdm;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  absl::StatusOr<fengqiao::v1::RuleSet> imported =
      fengqiao::ImportRuleTable(text, format, "fuzz.table");
  if (!imported.ok()) {
    FQ_FUZZ_CHECK(absl::IsInvalidArgument(imported.status()),
                  std::string(imported.status().message()));
    FQ_FUZZ_CHECK(absl::StrContains(imported.status().message(), "fuzz.table"),
                  std::string(imported.status().message()));
    return 0;
  }
  absl::StatusOr<std::shared_ptr<const fengqiao::RuleSet>> rules = Compiled(text, format);
  if (!rules.ok()) return 0;
  absl::StatusOr<std::string> exported = fengqiao::ExportRuleTable(**rules, format);
  if (!exported.ok()) {  // a value the table's cells cannot quote: refused by name
    FQ_FUZZ_CHECK(absl::IsInvalidArgument(exported.status()),
                  std::string(exported.status().message()));
    return 0;
  }
  absl::StatusOr<std::shared_ptr<const fengqiao::RuleSet>> again = Compiled(*exported, format);
  FQ_FUZZ_CHECK(again.ok(), std::string(again.status().message()));
  FQ_FUZZ_CHECK((*again)->hash() == (*rules)->hash(), "the round trip changed the rule set");
  return 0;
}
