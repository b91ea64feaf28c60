// File: fengqiao/store/case_store.h
// Durable case storage. A CaseStore keeps every case's header (incident, routing decision,
// deadlines) and its event log, appends new events all-or-nothing per call, and answers the
// queries a duty desk asks: cases by state, grid, tier, assignee, overdue at a time; one case's
// timeline. MemoryCaseStore is the in-process one; SqliteCaseStore the embedded default.
//
//   std::unique_ptr<fengqiao::CaseStore> store = *fengqiao::SqliteCaseStore::Open("cases.db");
//   FENGQIAO_RETURN_IF_ERROR(store->Save({&loop.proto()}));      // appends the new events
//   fengqiao::CaseQuery overdue;
//   overdue.overdue_at = now;
//   auto late = store->Find(overdue);                           // ids of overdue cases
//
// Thread safety: every method may be called from several threads; writes are serialised.
#ifndef FENGQIAO_STORE_CASE_STORE_H_
#define FENGQIAO_STORE_CASE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
  // Most ids returned; 0 = all. Ids come in ascending order.
  int limit = 0;
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // Saves cases: a case not stored yet is created with all its events; for a stored case the
  // events after the last stored one are appended and its header (state, tier, assignee,
  // deadlines) replaced. All cases of one call are written in one transaction: after a crash
  // either all of them are there or none. FailedPrecondition when a case's events do not continue
  // the stored log (seq gap or a stored event missing from the case).
  virtual absl::Status Save(absl::Span<const v1::Case* const> cases) = 0;

  // The case with its whole event log. NotFound for an unknown id.
  virtual absl::StatusOr<v1::Case> Get(absl::string_view id) const = 0;

  // One case's events in order. NotFound for an unknown id.
  virtual absl::StatusOr<std::vector<v1::CaseEvent>> Timeline(absl::string_view id) const = 0;

  // Ids of the cases the query selects, ascending.
  virtual absl::StatusOr<std::vector<std::string>> Find(const CaseQuery& query) const = 0;

  // Number of cases and of events stored.
  virtual absl::StatusOr<int64_t> CountCases() const = 0;
  virtual absl::StatusOr<int64_t> CountEvents() const = 0;
};

// The earliest due time among a case's deadlines not met, if the case is open and has one.
std::optional<absl::Time> NextDue(const v1::Case& c);

}  // namespace fengqiao

#endif  // FENGQIAO_STORE_CASE_STORE_H_
