// File: fengqiao/store/case_access.h
// A person's access to the case store (个人信息保护): CaseAccess reads cases for one Viewer (who,
// in which role, over which areas, for what purpose) and returns only the cases that role may
// see, with personal data masked unless the role and purpose need it in clear; every read in
// clear, every export and every reading of the audit trail is recorded in the store's
// append-only audit trail before the data is returned (no record, no data).
//
// Who sees which case (the case's grid is its incident's grid_code; "held" means the person is or
// was its assignee, or is or was a co-handler):
//  - 所长 (VIEWER_ROLE_STATION_CHIEF)       cases in the station's areas (Viewer.area_codes)
//  - 社区民警 (VIEWER_ROLE_COMMUNITY_POLICE) cases in the grids of the 警格 (area_codes), and held
//  - 网格员 (VIEWER_ROLE_GRID_WORKER)        cases in the grid (area_codes)
//  - 调解员 (VIEWER_ROLE_MEDIATOR)           cases held
//  - 部门 (VIEWER_ROLE_DEPARTMENT)           cases diverted to the department
//  - 分析员 (VIEWER_ROLE_ANALYST)            cases in the areas analysed
// Who may ask for personal data in clear (Viewer.unmasked): the station chief for case
// handling, supervision or export; community police, mediators and departments for case
// handling; a grid worker for case handling, with parties' contact details (phone, ID and bank
// card numbers, e-mail) and free text still masked. Analysts and the purpose ANALYSIS never.
//
//   #include "fengqiao/grid/grid_map.h"
//   #include "fengqiao/store/memory_case_store.h"
//   fengqiao::MemoryCaseStore store;
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   fengqiao::v1::Viewer viewer;
//   viewer.set_member_id("m-0001");
//   viewer.set_role(fengqiao::v1::VIEWER_ROLE_ANALYST);
//   viewer.add_area_codes(map->proto().areas(0).code());
//   viewer.set_purpose(fengqiao::v1::ACCESS_PURPOSE_ANALYSIS);
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::CaseAccess access,
//                             fengqiao::CaseAccess::Open(&store, map, viewer));
//   FENGQIAO_ASSIGN_OR_RETURN(std::vector<std::string> ids, access.Find({}));
//   viewer.set_unmasked(true);  // an analyst may not read names and phones in clear
//   if (!absl::IsPermissionDenied(fengqiao::CaseAccess::Open(&store, map, viewer).status())) {
//     return absl::InternalError("an analyst was let see personal data");
//   }
//
// Thread safety: immutable after Open; safe from several threads (as the store is). The store
// must outlive the CaseAccess.
#ifndef FENGQIAO_STORE_CASE_ACCESS_H_
#define FENGQIAO_STORE_CASE_ACCESS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/store/case_store.h"
#include "fengqiao/v1/case.pb.h"

namespace fengqiao {

class CaseAccess {
 public:
  // Checks the viewer against the map and the rules above. Errors:
  //   InvalidArgument: no store or map, a role or purpose unset or not defined by the proto, an
  //     empty member_id, an area code the map does not know (named with its index), no area for
  //     a role scoped by areas (station chief, grid worker, analyst), no department for a
  //     department.
  //   PermissionDenied: the role may not read in clear for that purpose, or may not have that
  //     purpose (supervision is the station chief's).
  static absl::StatusOr<CaseAccess> Open(CaseStore* store, std::shared_ptr<const GridMap> map,
                                         const v1::Viewer& viewer);

  // The case, masked as the viewer's role says. NotFound both when the case is not stored and
  // when it is not the viewer's (the message does not tell which). A read in clear is recorded
  // in the audit trail at `now` first; when that fails its error is returned, not the case.
  absl::StatusOr<v1::Case> Get(absl::string_view id, absl::Time now) const;

  // The case's events, as Get.
  absl::StatusOr<std::vector<v1::CaseEvent>> Timeline(absl::string_view id, absl::Time now) const;

  // Ids of the viewer's cases the query selects, ascending (query.limit counts the viewer's).
  absl::StatusOr<std::vector<std::string>> Find(const CaseQuery& query) const;

  // The viewer's cases the query selects, masked as Get (what metrics and reports read through
  // a viewer: ReadCaseRecords(access, ...)). A read in clear is one audit record naming every
  // case, written first.
  absl::StatusOr<std::vector<v1::Case>> Cases(const CaseQuery& query, absl::Time now) const;

  // The viewer's cases the query selects, masked as Get, for taking out of the system; needs the
  // purpose ACCESS_PURPOSE_EXPORT (FailedPrecondition otherwise) and is recorded in the audit
  // trail (AUDIT_ACTION_EXPORT, with the case ids and whether they left in clear) first.
  absl::StatusOr<std::vector<v1::Case>> Export(const CaseQuery& query, absl::Time now) const;

  // The audit trail: the station chief's only (PermissionDenied for every other role); the
  // reading itself is recorded (AUDIT_ACTION_READ_AUDIT) after the records are read.
  absl::StatusOr<std::vector<v1::AuditRecord>> AuditTrail(const AuditQuery& query,
                                                          absl::Time now) const;

  // Erasure (依法删除): the station chief's, with the purpose ACCESS_PURPOSE_ERASURE
  // (PermissionDenied otherwise), over the cases of the chief's areas; one write transaction
  // with its audit record (AUDIT_ACTION_ERASE, the cases changed, the number of parties erased).
  // Counts, times and outcomes stay as they were, so every metric is the same before and after.
  struct Erasure {
    // The cases changed, ascending.
    std::vector<std::string> case_ids;
    // Parties erased (a person counts once a case).
    int parties = 0;
  };
  // A person's personal data on a lawful request: in every case where `person_id` is a party,
  // that party's name and phone are erased and its person id replaced by one pseudonymous id
  // (random, the same in every case, so repeat parties and 民转刑 are counted as before), and the
  // case's free text (description, reasons, outcomes) has the person's name and phone number
  // removed and every personal pattern masked. InvalidArgument for an empty id; an unknown one
  // changes nothing (and is still recorded).
  absl::StatusOr<Erasure> ErasePerson(absl::string_view person_id, absl::Time now) const;
  // Several people at once (one pass over the store, one audit record; each person gets a
  // pseudonym of their own). InvalidArgument for an empty id, naming its index.
  absl::StatusOr<Erasure> ErasePeople(absl::Span<const std::string> person_ids,
                                      absl::Time now) const;
  // Retention: every closed case reported before `reported_before` has all its parties erased
  // as above (one pseudonym per person over the whole erasure) and its free text masked. Cases
  // erased before are left as they are.
  absl::StatusOr<Erasure> EraseClosedBefore(absl::Time reported_before, absl::Time now) const;

  // Whether the case is the viewer's (the table above).
  bool Sees(const v1::Case& c) const;

  const v1::Viewer& viewer() const { return viewer_; }

 private:
  CaseAccess(CaseStore* store, std::shared_ptr<const GridMap> map, v1::Viewer viewer)
      : store_(store), map_(std::move(map)), viewer_(std::move(viewer)) {}
  // The case as the viewer may see it.
  void MaskFor(v1::Case* c) const;
  absl::Status Record(v1::AuditAction action, const std::vector<std::string>& case_ids,
                      absl::Time now) const;
  absl::StatusOr<std::vector<v1::Case>> Select(const CaseQuery& query) const;
  absl::Status CheckMayErase() const;
  // One erasure: `erase_case` erases what it must of one of the viewer's cases and returns the
  // parties erased (0: unchanged); the store rewrites the changed cases with the audit record.
  absl::StatusOr<Erasure> Erase(absl::FunctionRef<int(v1::Case&)> erase_case,
                                absl::Time now) const;

  CaseStore* store_;
  std::shared_ptr<const GridMap> map_;
  v1::Viewer viewer_;
};

}  // namespace fengqiao

#endif  // FENGQIAO_STORE_CASE_ACCESS_H_
