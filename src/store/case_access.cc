#include "fengqiao/store/case_access.h"

#include <algorithm>
#include <random>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/privacy/masking.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/vocabulary.h"
#include "internal/time_util.h"

namespace fengqiao {
namespace {

bool RoleScopedByAreas(v1::ViewerRole role) {
  return role == v1::VIEWER_ROLE_STATION_CHIEF || role == v1::VIEWER_ROLE_GRID_WORKER ||
         role == v1::VIEWER_ROLE_ANALYST;
}

// Whether the role may read personal data in clear for the purpose.
bool MayUnmask(v1::ViewerRole role, v1::AccessPurpose purpose) {
  switch (role) {
    case v1::VIEWER_ROLE_STATION_CHIEF:
      return purpose == v1::ACCESS_PURPOSE_CASE_HANDLING ||
             purpose == v1::ACCESS_PURPOSE_SUPERVISION || purpose == v1::ACCESS_PURPOSE_EXPORT;
    case v1::VIEWER_ROLE_COMMUNITY_POLICE:
    case v1::VIEWER_ROLE_MEDIATOR:
    case v1::VIEWER_ROLE_DEPARTMENT:
    case v1::VIEWER_ROLE_GRID_WORKER:
      return purpose == v1::ACCESS_PURPOSE_CASE_HANDLING;
    default:
      return false;
  }
}

// What a grid worker's view in clear still masks: the parties' contact details and free text.
constexpr v1::PersonalKind kGridWorkerMasked[] = {
    v1::PERSONAL_KIND_PHONE, v1::PERSONAL_KIND_ID_NUMBER, v1::PERSONAL_KIND_BANK_CARD,
    v1::PERSONAL_KIND_EMAIL, v1::PERSONAL_KIND_FREE_TEXT};

// A fresh pseudonymous person id: random, so it cannot be traced back to the erased one.
std::string Pseudonym() {
  std::random_device device;
  const uint64_t high = (static_cast<uint64_t>(device()) << 32) | device();
  const uint64_t low = (static_cast<uint64_t>(device()) << 32) | device();
  return absl::StrCat("erased-", absl::Hex(high, absl::kZeroPad16),
                      absl::Hex(low, absl::kZeroPad16));
}

// Erases the parties `erase` selects (their name and phone cleared, person id replaced through
// `pseudonym_of`) and the free text of the case (the erased names and phones removed, every
// personal pattern masked). Returns the number of parties erased.
int EraseParties(v1::Case& c, absl::FunctionRef<bool(const v1::Party&)> erase,
                 absl::FunctionRef<std::string(const std::string&)> pseudonym_of) {
  std::vector<std::string> gone;
  int parties = 0;
  for (v1::Party& p : *c.mutable_incident()->mutable_parties()) {
    if (!erase(p)) continue;
    for (const std::string* v : {&p.name(), &p.phone()}) {
      if (!v->empty()) gone.push_back(*v);
    }
    p.clear_name();
    p.clear_phone();
    if (!p.person_id().empty()) p.set_person_id(pseudonym_of(p.person_id()));
    ++parties;
  }
  if (parties == 0) return 0;
  EditPersonalFields(&c, [&](v1::PersonalKind kind, std::string& value) {
    if (kind != v1::PERSONAL_KIND_FREE_TEXT) return;
    for (const std::string& v : gone) value = absl::StrReplaceAll(value, {{v, "***"}});
    value = MaskFreeText(value);
  });
  return parties;
}

std::string RoleName(v1::ViewerRole role) { return std::string(LabelOf(role).display); }
std::string PurposeName(v1::AccessPurpose purpose) { return std::string(LabelOf(purpose).display); }

}  // namespace

absl::StatusOr<CaseAccess> CaseAccess::Open(CaseStore* store, std::shared_ptr<const GridMap> map,
                                            const v1::Viewer& viewer) {
  if (store == nullptr) return absl::InvalidArgumentError("CaseAccess: no case store");
  if (map == nullptr) return absl::InvalidArgumentError("CaseAccess: no grid map");
  if (!v1::ViewerRole_IsValid(viewer.role()) || viewer.role() == v1::VIEWER_ROLE_UNSPECIFIED) {
    return absl::InvalidArgumentError(absl::StrCat("viewer.role: ", static_cast<int>(viewer.role()),
                                                   " is not a role (fengqiao.v1.ViewerRole)"));
  }
  if (!v1::AccessPurpose_IsValid(viewer.purpose()) ||
      viewer.purpose() == v1::ACCESS_PURPOSE_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        absl::StrCat("viewer.purpose: ", static_cast<int>(viewer.purpose()),
                     " is not a purpose (fengqiao.v1.AccessPurpose)"));
  }
  if (viewer.member_id().empty()) {
    return absl::InvalidArgumentError("viewer.member_id: empty (every read is someone's)");
  }
  for (int i = 0; i < viewer.area_codes_size(); ++i) {
    if (map->Find(viewer.area_codes(i)) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("viewer.area_codes[", i, "]: \"",
                                                     viewer.area_codes(i),
                                                     "\" is not an area of the grid map"));
    }
  }
  const std::string role = RoleName(viewer.role());
  if (RoleScopedByAreas(viewer.role()) && viewer.area_codes_size() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("viewer.area_codes: empty; a ", role, " sees the cases of their areas"));
  }
  if (viewer.role() == v1::VIEWER_ROLE_DEPARTMENT &&
      (!v1::Department_IsValid(viewer.department()) ||
       viewer.department() == v1::DEPARTMENT_UNSPECIFIED)) {
    return absl::InvalidArgumentError(
        absl::StrCat("viewer.department: ", static_cast<int>(viewer.department()),
                     " is not a department (fengqiao.v1.Department)"));
  }
  if (viewer.purpose() == v1::ACCESS_PURPOSE_SUPERVISION &&
      viewer.role() != v1::VIEWER_ROLE_STATION_CHIEF) {
    return absl::PermissionDeniedError(
        absl::StrCat("a ", role, " does not supervise cases (督办 is the station chief's)"));
  }
  if (viewer.purpose() == v1::ACCESS_PURPOSE_ERASURE &&
      viewer.role() != v1::VIEWER_ROLE_STATION_CHIEF) {
    return absl::PermissionDeniedError(absl::StrCat(
        "a ", role, " does not erase personal data (依法删除 is the station chief's)"));
  }
  if (viewer.unmasked() && !MayUnmask(viewer.role(), viewer.purpose())) {
    return absl::PermissionDeniedError(absl::StrCat(
        "a ", role, " may not read personal data in clear for ", PurposeName(viewer.purpose())));
  }
  return CaseAccess(store, std::move(map), viewer);
}

bool CaseAccess::Sees(const v1::Case& c) const {
  const std::string& me = viewer_.member_id();
  auto held = [&] {
    if (c.assignee() == me) return true;
    for (const v1::CoHandler& h : c.co_handlers()) {
      if (h.id() == me) return true;
    }
    for (const v1::CaseEvent& e : c.events()) {
      if (e.assignee() == me || e.co_handler() == me) return true;
    }
    return false;
  };
  auto in_areas = [&] {
    const std::string& grid = c.incident().grid_code();
    if (grid.empty()) return false;
    for (const std::string& area : viewer_.area_codes()) {
      if (map_->IsWithin(grid, area)) return true;
    }
    return false;
  };
  switch (viewer_.role()) {
    case v1::VIEWER_ROLE_STATION_CHIEF:
    case v1::VIEWER_ROLE_GRID_WORKER:
    case v1::VIEWER_ROLE_ANALYST:
      return in_areas();
    case v1::VIEWER_ROLE_COMMUNITY_POLICE:
      return in_areas() || held();
    case v1::VIEWER_ROLE_MEDIATOR:
      return held();
    case v1::VIEWER_ROLE_DEPARTMENT:
      return c.department() == viewer_.department() ||
             c.decision().action().department() == viewer_.department();
    default:
      return false;
  }
}

void CaseAccess::MaskFor(v1::Case* c) const {
  if (!viewer_.unmasked()) {
    MaskMessage(c);
  } else if (viewer_.role() == v1::VIEWER_ROLE_GRID_WORKER) {
    MaskMessage(c, kGridWorkerMasked);
  }
}

absl::Status CaseAccess::Record(v1::AuditAction action, const std::vector<std::string>& case_ids,
                                absl::Time now) const {
  v1::AuditRecord record;
  *record.mutable_at() = internal::ToTimestamp(now);
  *record.mutable_viewer() = viewer_;
  record.set_action(action);
  for (const std::string& id : case_ids) record.add_case_ids(id);
  record.set_unmasked(viewer_.unmasked());
  return store_->AppendAudit(absl::MakeSpan(&record, 1));
}

absl::StatusOr<v1::Case> CaseAccess::Get(absl::string_view id, absl::Time now) const {
  absl::StatusOr<v1::Case> c = store_->Get(id);
  if (absl::IsNotFound(c.status()) || (c.ok() && !Sees(*c))) {
    return absl::NotFoundError(absl::StrCat("case \"", id, "\" is not among the cases of ",
                                            viewer_.member_id(), " (", RoleName(viewer_.role()),
                                            ")"));
  }
  if (!c.ok()) return c.status();
  if (viewer_.unmasked()) {
    FENGQIAO_RETURN_IF_ERROR(Record(v1::AUDIT_ACTION_READ_UNMASKED, {c->id()}, now));
  }
  MaskFor(&*c);
  return c;
}

absl::StatusOr<std::vector<v1::CaseEvent>> CaseAccess::Timeline(absl::string_view id,
                                                                absl::Time now) const {
  FENGQIAO_ASSIGN_OR_RETURN(v1::Case c, Get(id, now));
  return std::vector<v1::CaseEvent>(c.events().begin(), c.events().end());
}

absl::StatusOr<std::vector<v1::Case>> CaseAccess::Select(const CaseQuery& query) const {
  CaseQuery all = query;
  all.limit = 0;
  FENGQIAO_ASSIGN_OR_RETURN(std::vector<std::string> ids, store_->Find(all));
  std::vector<v1::Case> out;
  for (const std::string& id : ids) {
    absl::StatusOr<v1::Case> c = store_->Get(id);
    if (absl::IsNotFound(c.status())) continue;  // gone since Find (no store deletes today)
    if (!c.ok()) return c.status();
    if (!Sees(*c)) continue;
    out.push_back(*std::move(c));
    if (query.limit > 0 && static_cast<int>(out.size()) >= query.limit) break;
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> CaseAccess::Find(const CaseQuery& query) const {
  FENGQIAO_ASSIGN_OR_RETURN(std::vector<v1::Case> cases, Select(query));
  std::vector<std::string> ids;
  ids.reserve(cases.size());
  for (const v1::Case& c : cases) ids.push_back(c.id());
  return ids;
}

absl::StatusOr<std::vector<v1::Case>> CaseAccess::Cases(const CaseQuery& query,
                                                        absl::Time now) const {
  FENGQIAO_ASSIGN_OR_RETURN(std::vector<v1::Case> cases, Select(query));
  if (viewer_.unmasked() && !cases.empty()) {
    std::vector<std::string> ids;
    ids.reserve(cases.size());
    for (const v1::Case& c : cases) ids.push_back(c.id());
    FENGQIAO_RETURN_IF_ERROR(Record(v1::AUDIT_ACTION_READ_UNMASKED, ids, now));
  }
  for (v1::Case& c : cases) MaskFor(&c);
  return cases;
}

absl::StatusOr<std::vector<v1::Case>> CaseAccess::Export(const CaseQuery& query,
                                                         absl::Time now) const {
  if (viewer_.purpose() != v1::ACCESS_PURPOSE_EXPORT) {
    return absl::FailedPreconditionError(absl::StrCat("exporting cases needs the purpose ",
                                                      PurposeName(v1::ACCESS_PURPOSE_EXPORT),
                                                      ", not ", PurposeName(viewer_.purpose())));
  }
  FENGQIAO_ASSIGN_OR_RETURN(std::vector<v1::Case> cases, Select(query));
  std::vector<std::string> ids;
  ids.reserve(cases.size());
  for (const v1::Case& c : cases) ids.push_back(c.id());
  FENGQIAO_RETURN_IF_ERROR(Record(v1::AUDIT_ACTION_EXPORT, ids, now));
  for (v1::Case& c : cases) MaskFor(&c);
  return cases;
}

absl::StatusOr<std::vector<v1::AuditRecord>> CaseAccess::AuditTrail(const AuditQuery& query,
                                                                    absl::Time now) const {
  if (viewer_.role() != v1::VIEWER_ROLE_STATION_CHIEF) {
    return absl::PermissionDeniedError(absl::StrCat(
        "the audit trail is the station chief's to read, not a ", RoleName(viewer_.role())));
  }
  FENGQIAO_ASSIGN_OR_RETURN(std::vector<v1::AuditRecord> records, store_->ReadAudit(query));
  FENGQIAO_RETURN_IF_ERROR(Record(v1::AUDIT_ACTION_READ_AUDIT, {}, now));
  return records;
}

absl::Status CaseAccess::CheckMayErase() const {
  if (viewer_.role() != v1::VIEWER_ROLE_STATION_CHIEF ||
      viewer_.purpose() != v1::ACCESS_PURPOSE_ERASURE) {
    return absl::PermissionDeniedError(
        absl::StrCat("erasing personal data needs the station chief with the purpose ",
                     PurposeName(v1::ACCESS_PURPOSE_ERASURE), ", not a ", RoleName(viewer_.role()),
                     " for ", PurposeName(viewer_.purpose())));
  }
  return absl::OkStatus();
}

absl::StatusOr<CaseAccess::Erasure> CaseAccess::ErasePerson(absl::string_view person_id,
                                                            absl::Time now) const {
  if (person_id.empty()) return absl::InvalidArgumentError("person_id: empty");
  const std::string id(person_id);
  return ErasePeople(absl::MakeConstSpan(&id, 1), now);
}

absl::StatusOr<CaseAccess::Erasure> CaseAccess::Erase(absl::FunctionRef<int(v1::Case&)> erase_case,
                                                      absl::Time now) const {
  FENGQIAO_RETURN_IF_ERROR(CheckMayErase());
  Erasure out;
  v1::AuditRecord record;
  *record.mutable_at() = internal::ToTimestamp(now);
  *record.mutable_viewer() = viewer_;
  record.set_action(v1::AUDIT_ACTION_ERASE);
  FENGQIAO_RETURN_IF_ERROR(store_->RewriteCases(
      [&](v1::Case& c) {
        if (!Sees(c)) return false;
        const int n = erase_case(c);
        out.parties += n;
        record.set_parties_erased(out.parties);  // appended after the last edit
        return n > 0;
      },
      record));
  out.case_ids.assign(record.case_ids().begin(), record.case_ids().end());
  return out;
}

absl::StatusOr<CaseAccess::Erasure> CaseAccess::ErasePeople(
    absl::Span<const std::string> person_ids, absl::Time now) const {
  absl::flat_hash_map<std::string, std::string> pseudonyms;
  for (size_t i = 0; i < person_ids.size(); ++i) {
    if (person_ids[i].empty()) {
      return absl::InvalidArgumentError(absl::StrCat("person_ids[", i, "]: empty"));
    }
    pseudonyms.emplace(person_ids[i], Pseudonym());
  }
  return Erase(
      [&](v1::Case& c) {
        return EraseParties(
            c, [&](const v1::Party& p) { return pseudonyms.contains(p.person_id()); },
            [&](const std::string& id) { return pseudonyms.at(id); });
      },
      now);
}

absl::StatusOr<CaseAccess::Erasure> CaseAccess::EraseClosedBefore(absl::Time reported_before,
                                                                  absl::Time now) const {
  absl::flat_hash_map<std::string, std::string> pseudonyms;  // one per person over the erasure
  return Erase(
      [&](v1::Case& c) {
        if (!IsTerminal(c.state()) ||
            internal::ToTime(c.incident().reported_at()) >= reported_before) {
          return 0;
        }
        return EraseParties(
            c,
            [](const v1::Party& p) {
              return !p.name().empty() || !p.phone().empty() ||
                     (!p.person_id().empty() && !absl::StartsWith(p.person_id(), "erased-"));
            },
            [&](const std::string& id) {
              std::string& p = pseudonyms[id];
              if (p.empty()) p = absl::StartsWith(id, "erased-") ? id : Pseudonym();
              return p;
            });
      },
      now);
}

}  // namespace fengqiao
