// A responsibility catalogue in protobuf text format. Invariants: a refusal is InvalidArgument
// naming the file; a catalogue that loads has every item found under its own code, owned by a
// department the enum defines, the lint finds no error in it, and a matter no item claims falls
// back to the fallback owner; routing under it diverts a non-police matter to its item's owner.
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "fengqiao/routing/responsibility_catalogue.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto loaded = fengqiao::ResponsibilityCatalogue::Parse(text, "fuzz.textproto");
  if (!loaded.ok()) {
    FQ_FUZZ_CHECK(loaded.status().code() == absl::StatusCode::kInvalidArgument,
                  loaded.status().ToString());
    FQ_FUZZ_CHECK(absl::StrContains(loaded.status().message(), "fuzz.textproto"),
                  loaded.status().ToString());
    return 0;
  }
  const fengqiao::ResponsibilityCatalogue& c = **loaded;
  for (int32_t i = 0; i < c.size(); ++i) {
    const fengqiao::v1::CatalogueItem& item = c.item(i);
    FQ_FUZZ_CHECK(c.Find(item.code()) == i, item.code());
    FQ_FUZZ_CHECK(fengqiao::v1::Department_IsValid(item.department()) &&
                      item.department() != fengqiao::v1::DEPARTMENT_UNSPECIFIED,
                  item.code());
    FQ_FUZZ_CHECK(c.Assign(item.code()).department() == item.department(), item.code());
    FQ_FUZZ_CHECK(!c.Assign(item.code()).fallback(), item.code());
  }
  const fengqiao::v1::CatalogueAssignment& none = c.Assign("\xff not a code");
  FQ_FUZZ_CHECK(none.fallback() && none.department() == c.fallback_department(), "fallback");
  FQ_FUZZ_CHECK(fengqiao::v1::Department_IsValid(c.fallback_department()) &&
                    c.fallback_department() != fengqiao::v1::DEPARTMENT_UNSPECIFIED,
                "fallback owner");
  auto issues = fengqiao::ResponsibilityCatalogue::Lint(text, "fuzz.textproto");
  FQ_FUZZ_CHECK(issues.ok(), issues.status().ToString());
  for (const fengqiao::RuleIssue& issue : *issues) {
    FQ_FUZZ_CHECK(issue.severity == fengqiao::RuleIssue::Severity::kWarning, issue.ToString());
  }
  FQ_FUZZ_CHECK(issues->size() == c.warnings().size(), "warnings");
  return 0;
}
