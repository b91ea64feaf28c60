// File: fengqiao/store/memory_case_store.h
// A CaseStore in memory: for tests, simulations and what-if runs. Nothing survives the process.
//
//   #include "fengqiao/closure/case_loop.h"
//   fengqiao::MemoryCaseStore store;
//   const absl::Time now = absl::FromUnixSeconds(1791943200);
//   fengqiao::v1::Incident incident;
//   incident.set_id("c1");
//   fengqiao::v1::Decision decision;
//   decision.set_rule_id("noise");
//   decision.mutable_action()->set_tier(fengqiao::v1::TIER_MEDIATOR);
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::CaseLoop loop,
//                             fengqiao::CaseLoop::Open(incident, decision, now, "110"));
//   FENGQIAO_RETURN_IF_ERROR(store.Save({&loop.proto()}, now));
//   FENGQIAO_ASSIGN_OR_RETURN(int64_t events, store.CountEvents());  // REPORT, TRIAGE
//   if (events != 2) return absl::InternalError("two events");
//
// Thread safety: safe from several threads (a reader-writer lock).
#ifndef FENGQIAO_STORE_MEMORY_CASE_STORE_H_
#define FENGQIAO_STORE_MEMORY_CASE_STORE_H_

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "fengqiao/closure/case_loop.h"
#include "fengqiao/store/case_store.h"

namespace fengqiao {

class MemoryCaseStore : public CaseStore {
 public:
  MemoryCaseStore() = default;
  // Save replays every log under the closure loop's options the cases are recorded under (the
  // working calendar, the caps, the supervision rules); null: the defaults.
  explicit MemoryCaseStore(std::shared_ptr<const CaseLoopOptions> loop_options)
      : loop_options_(std::move(loop_options)) {}

  absl::Status Save(absl::Span<const v1::Case* const> cases, absl::Time now) override;
  absl::StatusOr<v1::Case> Get(absl::string_view id) const override;
  absl::StatusOr<std::vector<v1::CaseEvent>> Timeline(absl::string_view id) const override;
  absl::StatusOr<std::vector<std::string>> Find(const CaseQuery& query) const override;
  absl::StatusOr<int64_t> CountCases() const override;
  absl::StatusOr<int64_t> CountEvents() const override;

 protected:
  absl::Status AppendAudit(absl::Span<v1::AuditRecord> records) override;
  absl::StatusOr<std::vector<v1::AuditRecord>> ReadAudit(const AuditQuery& query) const override;
  absl::Status RewriteCases(absl::FunctionRef<bool(v1::Case&)> edit,
                            v1::AuditRecord& record) override;

 private:
  mutable std::shared_mutex mu_;
  std::vector<v1::AuditRecord> audit_;  // guarded by mu_
  struct Stored {
    v1::Case c;
    int64_t saved_at = 0;  // unix seconds of the last Save
  };
  std::map<std::string, Stored, std::less<>> cases_;  // guarded by mu_
  std::shared_ptr<const CaseLoopOptions> loop_options_;
};

}  // namespace fengqiao

#endif  // FENGQIAO_STORE_MEMORY_CASE_STORE_H_
