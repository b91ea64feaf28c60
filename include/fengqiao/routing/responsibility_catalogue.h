// File: fengqiao/routing/responsibility_catalogue.h
// A ResponsibilityCatalogue is a district's responsibility catalogue (职责清单 / 派单目录) as data:
// matters in three levels (domain -> class -> item, as Shenzhen's 民意速办 catalogue), each item
// owned by a department, versioned, with a fallback owner (兜底) for what no item claims. Routing
// compiled with one (RuleSetOptions::catalogue) takes a non-police matter's department from the
// item its matter code names, and the decision names the item and the catalogue's version.
//
//   FENGQIAO_ASSIGN_OR_RETURN(
//       std::shared_ptr<const fengqiao::ResponsibilityCatalogue> catalogue,
//       fengqiao::ResponsibilityCatalogue::Load("examples/data/catalogue.textproto"));
//   fengqiao::v1::CatalogueAssignment a = catalogue->Assign("01.01.001");  // 占道经营
//   if (a.fallback()) return absl::InternalError("the sample catalogue lists 01.01.001");
//   // a.department() == fengqiao::v1::DEPARTMENT_CITY_MANAGEMENT
//
// Thread safety: immutable once loaded; share it across threads.
// Errors: Load: NotFound (no file); Load / Parse / FromProto: InvalidArgument naming file:line:col
// (or the field path of a catalogue built in code) and every error finding of Lint, one per line:
// a malformed file, invalid UTF-8, an unknown field or enum number, a missing or malformed
// version or effective date, no fallback owner, a level without a code or a name, a code that is
// not its parent's code followed by "." and digits, a code used twice, an item without an owning
// department, more than kMaxCatalogueItems items. Lookup: NotFound for a code no item has.
#ifndef FENGQIAO_ROUTING_RESPONSIBILITY_CATALOGUE_H_
#define FENGQIAO_ROUTING_RESPONSIBILITY_CATALOGUE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/v1/routing.pb.h"

namespace fengqiao {

// Most items a catalogue may list (Shenzhen's has 4,315).
inline constexpr int kMaxCatalogueItems = 100000;

class ResponsibilityCatalogue {
 public:
  // Reads, checks and indexes a catalogue file (protobuf text format, or JSON for ".json").
  static absl::StatusOr<std::shared_ptr<const ResponsibilityCatalogue>> Load(
      absl::string_view path);
  // As Load, from text named `filename` in messages.
  static absl::StatusOr<std::shared_ptr<const ResponsibilityCatalogue>> Parse(
      absl::string_view text, absl::string_view filename);
  // As Load, from a message built in code; findings name field paths ("<domains[0].code>").
  static absl::StatusOr<std::shared_ptr<const ResponsibilityCatalogue>> FromProto(
      v1::ResponsibilityCatalogue catalogue);

  // Every finding of a catalogue file, in file order, errors and warnings (RuleIssue::rule_id
  // holds the item's code): the errors Load refuses (codes "missing-version", "bad-date",
  // "missing-fallback", "missing-code", "missing-name", "bad-code", "duplicate-code",
  // "no-owner", "too-many-items") and the warnings it keeps: "duty-pushed-down"
  // (a department's duty handed down to a community or a grid without an admission basis: the
  // item is handled at DUTY_LEVEL_COMMUNITY or DUTY_LEVEL_GRID while a department other than
  // 社区 owns it, or 社区 owns it while its statutory department is another),
  // "duplicate-name" (two items of one class with the same name), "empty-class",
  // "empty-domain". A file that does not parse is the Status (file:line:col), and so is an enum
  // number the protos do not define (an unknown department: "department: 99").
  static absl::StatusOr<std::vector<RuleIssue>> Lint(absl::string_view text,
                                                     absl::string_view filename);
  // As Lint, from the file at `path` (NotFound when missing; the size limit of every input).
  static absl::StatusOr<std::vector<RuleIssue>> LintFile(absl::string_view path);

  ResponsibilityCatalogue(const ResponsibilityCatalogue&) = delete;
  ResponsibilityCatalogue& operator=(const ResponsibilityCatalogue&) = delete;

  const v1::ResponsibilityCatalogue& proto() const { return proto_; }
  const std::string& version() const { return proto_.version(); }
  absl::CivilDay effective_date() const { return effective_date_; }
  v1::Department fallback_department() const { return proto_.fallback_department(); }
  // Warning findings of the lint, in file order.
  const std::vector<RuleIssue>& warnings() const { return warnings_; }

  // Number of items; items are indexed 0..size()-1 in file order.
  int32_t size() const { return static_cast<int32_t>(items_.size()); }
  // Index of the item with this code; -1 when none has it.
  int32_t Find(absl::string_view code) const;
  // The item at `index` (0 <= index < size()).
  const v1::CatalogueItem& item(int32_t index) const { return *items_[index].item; }
  // The department owning the matter of RoutingFacts::matter `matter`: the item's for an index,
  // the fallback owner's for kMatterFallback or any other value.
  v1::Department DepartmentOf(int32_t matter) const {
    return matter >= 0 && matter < size() ? items_[matter].item->department()
                                          : proto_.fallback_department();
  }
  // What the catalogue says of RoutingFacts::matter `matter` (as DepartmentOf).
  const v1::CatalogueAssignment& AssignmentOf(int32_t matter) const {
    return matter >= 0 && matter < size() ? items_[matter].assignment : fallback_;
  }

  // The item claiming `matter_code` with its class, domain and the catalogue's version; the
  // fallback owner (fallback set) when no item has the code.
  const v1::CatalogueAssignment& Assign(absl::string_view matter_code) const {
    return AssignmentOf(Find(matter_code));
  }
  // The item with `code`; NotFound naming the code and the catalogue's version when none has it.
  absl::StatusOr<v1::CatalogueAssignment> Lookup(absl::string_view code) const;

 private:
  struct Entry {
    const v1::CatalogueItem* item = nullptr;
    v1::CatalogueAssignment assignment;
  };
  ResponsibilityCatalogue() = default;
  static absl::StatusOr<std::shared_ptr<const ResponsibilityCatalogue>> Build(
      v1::ResponsibilityCatalogue proto, std::vector<RuleIssue> issues);

  v1::ResponsibilityCatalogue proto_;
  absl::CivilDay effective_date_;
  std::vector<RuleIssue> warnings_;
  std::vector<Entry> items_;
  absl::flat_hash_map<std::string, int32_t> index_;
  v1::CatalogueAssignment fallback_;
};

}  // namespace fengqiao

#endif  // FENGQIAO_ROUTING_RESPONSIBILITY_CATALOGUE_H_
