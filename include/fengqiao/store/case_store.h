// File: fengqiao/store/case_store.h
// Durable case storage. A CaseStore keeps every case's header (incident, routing decision,
// deadlines) and its event log, appends new events all-or-nothing per call, and answers the
// queries a duty desk asks: cases by state, grid, tier, assignee, overdue at a time; one case's
// timeline. MemoryCaseStore is the in-process one; SqliteCaseStore the embedded default.
//
//   #include "fengqiao/closure/case_loop.h"
//   #include "fengqiao/store/sqlite_case_store.h"
//   const std::string path =
//       (std::filesystem::temp_directory_path() / "fengqiao-example-case-store.db").string();
//   for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
//   FENGQIAO_ASSIGN_OR_RETURN(std::unique_ptr<fengqiao::CaseStore> store,
//                             fengqiao::SqliteCaseStore::Open(path));
//   const absl::Time now = absl::FromUnixSeconds(1791943200);  // the caller's clock
//   fengqiao::v1::Incident incident;
//   incident.set_id("c1");
//   fengqiao::v1::Decision decision;
//   decision.set_rule_id("noise");
//   decision.mutable_action()->set_tier(fengqiao::v1::TIER_MEDIATOR);
//   decision.mutable_action()->mutable_sla()->mutable_accept()->set_seconds(60);
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::CaseLoop loop,
//                             fengqiao::CaseLoop::Open(incident, decision, now, "110"));
//   FENGQIAO_RETURN_IF_ERROR(store->Save({&loop.proto()}, now));  // creates the case
//   // Two desks work on copies of the stored case; the first save wins.
//   fengqiao::CaseLoop other = loop;
//   fengqiao::v1::CaseEvent assign = fengqiao::MakeEvent(fengqiao::v1::CASE_EVENT_TYPE_ASSIGN,
//                                                        now + absl::Seconds(10), "desk-1");
//   assign.set_assignee("m-1");
//   FENGQIAO_RETURN_IF_ERROR(loop.Record(assign));
//   FENGQIAO_RETURN_IF_ERROR(store->Save({&loop.proto()}, now + absl::Seconds(10)));
//   assign.set_assignee("m-2");
//   FENGQIAO_RETURN_IF_ERROR(other.Record(assign));
//   absl::Status saved = store->Save({&other.proto()}, now + absl::Seconds(11));
//   if (!absl::IsAborted(saved)) return absl::InternalError("the stale copy was saved");
//   // Aborted: reload, apply the change again, save.
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::v1::Case stored, store->Get("c1"));
//   FENGQIAO_ASSIGN_OR_RETURN(other, fengqiao::CaseLoop::Restore(stored));
//   FENGQIAO_RETURN_IF_ERROR(other.Record(assign));  // reassigned to m-2 after m-1
//   FENGQIAO_RETURN_IF_ERROR(store->Save({&other.proto()}, now + absl::Seconds(12)));
//   fengqiao::CaseQuery overdue;
//   overdue.overdue_at = now + absl::Minutes(5);  // nobody accepted within the minute
//   FENGQIAO_ASSIGN_OR_RETURN(std::vector<std::string> late, store->Find(overdue));
//   if (late != std::vector<std::string>{"c1"}) return absl::InternalError("c1 is overdue");
//
// Thread safety: every method may be called from several threads; writes are serialised.
#ifndef FENGQIAO_STORE_CASE_STORE_H_
#define FENGQIAO_STORE_CASE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "fengqiao/v1/case.pb.h"

namespace fengqiao {

// What Find() selects; unset fields select everything.
struct CaseQuery {
  std::optional<v1::CaseState> state;
  // Exact grid code of the incident.
  std::string grid_code;
  std::optional<v1::Tier> tier;
  std::string assignee;
  // Open cases with a deadline due before this time and not met.
  std::optional<absl::Time> overdue_at;
  // Cases last saved at or after this time (the `now` of their last Save). Save times are kept
  // to the second, rounded down; this time is rounded down the same way.
  std::optional<absl::Time> saved_since;
  // Most ids returned; 0 = all. Ids come in ascending order.
  int limit = 0;
};

// What the audit trail is read for (CaseAccess::AuditTrail); unset fields select everything.
struct AuditQuery {
  // Records at or after `since` and before `until`.
  std::optional<absl::Time> since, until;
  // Records of one viewer (Viewer.member_id).
  std::string member_id;
  // Records naming one case.
  std::string case_id;
  std::optional<v1::AuditAction> action;
  // Most records returned; 0 = all. Records come in trail order (seq ascending).
  int limit = 0;
};

class CaseAccess;

// The raw store: what the case engine and the station's own processes use. People read cases
// through CaseAccess (fengqiao/store/case_access.h), which scopes, masks and audits.
class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // Saves cases at `now`: a case not stored yet is created with all its events; for a stored case
  // the events after the last stored one are appended and its header (state, tier, assignee,
  // deadlines) replaced. All cases of one call are written in one transaction: after a crash
  // either all of them are there or none; when the call fails nothing of it is written.
  //
  // Optimistic concurrency: a save states what it read by carrying it. Each case must carry every
  // stored event of its id unchanged at its seq (the log it was loaded with, or saved last) and
  // may add events after them; saving the same copy again is a no-op that succeeds. When the
  // stored log moved on since the copy was read (another writer, in this or another process,
  // saved first), the save is refused, so no acknowledged event is ever overwritten or lost and
  // the stored header always agrees with the stored log. The caller reloads (Get,
  // CaseLoop::Restore), re-applies its intent and saves again.
  //
  // Errors:
  //   Aborted: the stored log moved on; the message names the case, the seq this copy was read
  //     at and the stored seq. Also when the stored case was rewritten by an erasure since this
  //     copy was read (its incident differs). Reload and retry.
  //   InvalidArgument: a case without an id, events not numbered 1..n with the case's id, a log
  //     that does not replay through the case loop, or a header (state, tier) other than what
  //     the log replays to. Retrying the same case fails again.
  //   FailedPrecondition: a store opened read-only (SqliteCaseStore).
  //   Unavailable: another process held the write lock longer than the busy timeout; retry later.
  //   ResourceExhausted: the disk is full. PermissionDenied: the file cannot be written.
  //   DataLoss: the stored file is corrupt.
  // `now` is the time of the save, recorded per case (CaseQuery::saved_since); the store reads
  // no clock.
  virtual absl::Status Save(absl::Span<const v1::Case* const> cases, absl::Time now) = 0;

  // The case with its whole event log. NotFound for an unknown id; DataLoss when a stored
  // header or event does not parse.
  virtual absl::StatusOr<v1::Case> Get(absl::string_view id) const = 0;

  // One case's events in order. NotFound for an unknown id.
  virtual absl::StatusOr<std::vector<v1::CaseEvent>> Timeline(absl::string_view id) const = 0;

  // Ids of the cases the query selects, ascending.
  virtual absl::StatusOr<std::vector<std::string>> Find(const CaseQuery& query) const = 0;

  // Number of cases and of events stored.
  virtual absl::StatusOr<int64_t> CountCases() const = 0;
  virtual absl::StatusOr<int64_t> CountEvents() const = 0;

 protected:
  // The audit trail, written and read only through CaseAccess, which decides what is recorded
  // and who may read it; no caller can forge, change or delete a record.
  friend class CaseAccess;
  // Appends the records at the end of the trail, numbering them (seq) after the last one, all or
  // none and as durably as Save. FailedPrecondition on a read-only store.
  virtual absl::Status AppendAudit(absl::Span<v1::AuditRecord> records) = 0;
  // The records the query selects, in trail order.
  virtual absl::StatusOr<std::vector<v1::AuditRecord>> ReadAudit(const AuditQuery& query) const = 0;
  // Rewrites stored cases in place, for an erasure: calls `edit` on every stored case (header
  // and events) in one write transaction; a case it changes (returns true) is written back
  // whole, and must keep every event's seq, type and time and the state and tier its log
  // replays to (InvalidArgument otherwise; nothing written). The changed cases' ids are put in
  // `record.case_ids` and the record appended to the audit trail in the same transaction. A copy
  // of a rewritten case read before it is refused by Save (Aborted), so no stale copy writes the
  // erased data back.
  virtual absl::Status RewriteCases(absl::FunctionRef<bool(v1::Case&)> edit,
                                    v1::AuditRecord& record) = 0;
};

// Whether an audit record is selected by the query (both stores use it, so they agree).
bool AuditSelects(const AuditQuery& query, const v1::AuditRecord& record);

// The earliest due time among a case's deadlines not met, if the case is open, not paused (挂起:
// its clocks stand still until RESUME) and has one.
std::optional<absl::Time> NextDue(const v1::Case& c);

}  // namespace fengqiao

#endif  // FENGQIAO_STORE_CASE_STORE_H_
