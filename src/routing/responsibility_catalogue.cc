// The responsibility catalogue: read with every field's place, checked and linted level by
// level, indexed by item code.
#include "fengqiao/routing/responsibility_catalogue.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/vocabulary.h"
#include "internal/proto_files.h"

namespace fengqiao {
namespace {

using Severity = RuleIssue::Severity;

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// A level's code: digits for a domain; the parent's code, ".", digits below it.
bool WellFormed(absl::string_view code, absl::string_view parent) {
  if (parent.empty()) return AllDigits(code);
  return absl::StartsWith(code, parent) && code.size() > parent.size() + 1 &&
         code[parent.size()] == '.' && AllDigits(code.substr(parent.size() + 1));
}

// An ISO date "YYYY-MM-DD" that names a real day (no normalising of 2026-02-30).
bool ParseIsoDay(const std::string& text, absl::CivilDay* day) {
  return text.size() == 10 && absl::ParseCivilTime(text, day) &&
         absl::FormatCivilTime(*day) == text;
}

// The checks of one catalogue, every finding in file order.
class Checker {
 public:
  explicit Checker(const internal::SourceMap& map) : map_(map) {}

  std::vector<RuleIssue> Run(const v1::ResponsibilityCatalogue& c) {
    if (c.version().empty()) {
      Add(Severity::kError, "version", "", "missing-version", "the catalogue has no version");
    }
    absl::CivilDay day;
    if (!ParseIsoDay(c.effective_date(), &day)) {
      Add(Severity::kError, "effective_date", "", "bad-date",
          c.effective_date().empty() ? "the catalogue has no effective_date"
                                     : "effective_date is not an ISO date (YYYY-MM-DD)");
    }
    // Enum numbers the protos do not define were refused by the parse (CheckFields).
    if (c.fallback_department() == v1::DEPARTMENT_UNSPECIFIED) {
      Add(Severity::kError, "fallback_department", "", "missing-fallback",
          "the catalogue names no fallback owner (兜底) for matters no item claims");
    }
    int items = 0;
    for (int d = 0; d < c.domains_size(); ++d) {
      const v1::CatalogueDomain& domain = c.domains(d);
      const std::string dp = absl::StrCat("domains[", d, "]");
      Level(dp, domain.code(), domain.name(), "", "domain");
      if (domain.classes_size() == 0) {
        Add(Severity::kWarning, dp, "", "empty-domain",
            absl::StrCat("domain \"", domain.code(), "\" has no class"));
      }
      for (int k = 0; k < domain.classes_size(); ++k) {
        const v1::CatalogueClass& cls = domain.classes(k);
        const std::string kp = absl::StrCat(dp, ".classes[", k, "]");
        Level(kp, cls.code(), cls.name(), domain.code(), "class");
        if (cls.items_size() == 0) {
          Add(Severity::kWarning, kp, "", "empty-class",
              absl::StrCat("class \"", cls.code(), "\" has no item"));
        }
        absl::flat_hash_map<std::string, std::string> names;  // name -> first item's code
        for (int i = 0; i < cls.items_size(); ++i) {
          const v1::CatalogueItem& item = cls.items(i);
          const std::string ip = absl::StrCat(kp, ".items[", i, "]");
          if (++items == kMaxCatalogueItems + 1) {
            Add(Severity::kError, ip, item.code(), "too-many-items",
                absl::StrCat("more than ", kMaxCatalogueItems, " items"));
          }
          Level(ip, item.code(), item.name(), cls.code(), "item");
          Item(ip, item);
          if (!item.name().empty()) {
            auto [it, inserted] = names.emplace(item.name(), item.code());
            if (!inserted) {
              Add(Severity::kWarning, ip + ".name", item.code(), "duplicate-name",
                  absl::StrCat("class \"", cls.code(), "\" already has an item named \"",
                               item.name(), "\" (", it->second, ")"));
            }
          }
        }
      }
    }
    return std::move(issues_);
  }

 private:
  void Add(Severity severity, const std::string& path, const std::string& code,
           absl::string_view kind, std::string message) {
    RuleIssue issue;
    issue.severity = severity;
    issue.where = map_.Where(path);
    issue.rule_id = code;
    issue.code = std::string(kind);
    issue.message = std::move(message);
    issues_.push_back(std::move(issue));
  }

  // Code and name of a domain, class or item.
  void Level(const std::string& path, const std::string& code, const std::string& name,
             const std::string& parent, absl::string_view level) {
    const std::string id = level == "item" ? code : std::string();
    if (code.empty()) {
      Add(Severity::kError, path, id, "missing-code",
          absl::StrCat(level == "item" ? "an " : "a ", level, " has no code"));
    } else {
      if (!WellFormed(code, parent)) {
        Add(Severity::kError, path + ".code", id, "bad-code",
            parent.empty() ? absl::StrCat("domain code \"", code, "\" is not digits")
                           : absl::StrCat(level, " code \"", code, "\" is not \"", parent,
                                          ".\" followed by digits"));
      }
      auto [it, inserted] = seen_.emplace(code, path + ".code");
      if (!inserted) {
        Add(Severity::kError, path + ".code", id, "duplicate-code",
            absl::StrCat(level, " code \"", code, "\" is already used at ",
                         map_.Where(it->second)));
      }
    }
    if (name.empty()) {
      Add(Severity::kError, path, id, "missing-name",
          absl::StrCat(level, " \"", code, "\" has no name"));
    }
  }

  // Owner, duty level and the grassroots-burden check of one item.
  void Item(const std::string& path, const v1::CatalogueItem& item) {
    if (item.department() == v1::DEPARTMENT_UNSPECIFIED) {
      Add(Severity::kError, path, item.code(), "no-owner",
          absl::StrCat("item \"", item.code(), "\" names no owning department"));
      return;
    }
    if (!item.admission_basis().empty()) return;
    const bool grassroots =
        item.handled_at() == v1::DUTY_LEVEL_COMMUNITY || item.handled_at() == v1::DUTY_LEVEL_GRID;
    if (grassroots && item.department() != v1::DEPARTMENT_COMMUNITY) {
      Add(Severity::kWarning, path + ".handled_at", item.code(), "duty-pushed-down",
          absl::StrCat("item \"", item.code(), "\" hands a duty of ",
                       DisplayName(item.department()), " down to ", DisplayName(item.handled_at()),
                       " without an admission basis (社区工作事项准入)"));
    } else if (item.department() == v1::DEPARTMENT_COMMUNITY &&
               item.statutory_department() != v1::DEPARTMENT_UNSPECIFIED &&
               item.statutory_department() != v1::DEPARTMENT_COMMUNITY) {
      Add(Severity::kWarning, path + ".department", item.code(), "duty-pushed-down",
          absl::StrCat("item \"", item.code(), "\" gives ", DisplayName(item.department()),
                       " a statutory duty of ", DisplayName(item.statutory_department()),
                       " without an admission basis (社区工作事项准入)"));
    }
  }

  const internal::SourceMap& map_;
  absl::flat_hash_map<std::string, std::string> seen_;  // code -> path of its first use
  std::vector<RuleIssue> issues_;
};

}  // namespace

absl::StatusOr<std::vector<RuleIssue>> ResponsibilityCatalogue::Lint(absl::string_view text,
                                                                     absl::string_view filename) {
  v1::ResponsibilityCatalogue proto;
  internal::SourceMap map;
  FENGQIAO_RETURN_IF_ERROR(internal::ParseProto(text, filename, &proto, &map));
  return Checker(map).Run(proto);
}

absl::StatusOr<std::vector<RuleIssue>> ResponsibilityCatalogue::LintFile(absl::string_view path) {
  std::string text;
  FENGQIAO_RETURN_IF_ERROR(internal::ReadFile(path, &text));
  return Lint(text, path);
}

absl::StatusOr<std::shared_ptr<const ResponsibilityCatalogue>> ResponsibilityCatalogue::Load(
    absl::string_view path) {
  std::string text;
  FENGQIAO_RETURN_IF_ERROR(internal::ReadFile(path, &text));
  return Parse(text, path);
}

absl::StatusOr<std::shared_ptr<const ResponsibilityCatalogue>> ResponsibilityCatalogue::Parse(
    absl::string_view text, absl::string_view filename) {
  v1::ResponsibilityCatalogue proto;
  internal::SourceMap map;
  FENGQIAO_RETURN_IF_ERROR(internal::ParseProto(text, filename, &proto, &map));
  std::vector<RuleIssue> issues = Checker(map).Run(proto);
  return Build(std::move(proto), std::move(issues));
}

absl::StatusOr<std::shared_ptr<const ResponsibilityCatalogue>> ResponsibilityCatalogue::FromProto(
    v1::ResponsibilityCatalogue catalogue) {
  const internal::SourceMap map;
  FENGQIAO_RETURN_IF_ERROR(internal::CheckFields(catalogue, map));
  std::vector<RuleIssue> issues = Checker(map).Run(catalogue);
  return Build(std::move(catalogue), std::move(issues));
}

absl::StatusOr<std::shared_ptr<const ResponsibilityCatalogue>> ResponsibilityCatalogue::Build(
    v1::ResponsibilityCatalogue proto, std::vector<RuleIssue> issues) {
  std::vector<std::string> errors;
  std::shared_ptr<ResponsibilityCatalogue> out(new ResponsibilityCatalogue());
  for (RuleIssue& issue : issues) {
    if (issue.severity == Severity::kError) {
      errors.push_back(issue.ToString());
    } else {
      out->warnings_.push_back(std::move(issue));
    }
  }
  if (!errors.empty()) return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  out->proto_ = std::move(proto);
  const v1::ResponsibilityCatalogue& c = out->proto_;
  ParseIsoDay(c.effective_date(), &out->effective_date_);  // checked above
  out->fallback_.set_catalogue_version(c.version());
  out->fallback_.set_department(c.fallback_department());
  out->fallback_.set_fallback(true);
  for (const v1::CatalogueDomain& domain : c.domains()) {
    for (const v1::CatalogueClass& cls : domain.classes()) {
      for (const v1::CatalogueItem& item : cls.items()) {
        Entry e;
        e.item = &item;
        e.assignment.set_item_code(item.code());
        e.assignment.set_item_name(item.name());
        e.assignment.set_class_code(cls.code());
        e.assignment.set_domain_code(domain.code());
        e.assignment.set_catalogue_version(c.version());
        e.assignment.set_department(item.department());
        out->index_.emplace(item.code(), static_cast<int32_t>(out->items_.size()));
        out->items_.push_back(std::move(e));
      }
    }
  }
  return std::shared_ptr<const ResponsibilityCatalogue>(std::move(out));
}

int32_t ResponsibilityCatalogue::Find(absl::string_view code) const {
  auto it = index_.find(code);
  return it == index_.end() ? -1 : it->second;
}

absl::StatusOr<v1::CatalogueAssignment> ResponsibilityCatalogue::Lookup(
    absl::string_view code) const {
  const int32_t i = Find(code);
  if (i < 0) {
    return absl::NotFoundError(absl::StrCat("catalogue ", proto_.version(), ": no item has code \"",
                                            absl::Utf8SafeCHexEscape(code.substr(0, 64)), "\""));
  }
  return items_[i].assignment;
}

}  // namespace fengqiao
