#include "fengqiao/store/memory_case_store.h"

#include <algorithm>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/status_macros.h"
#include "internal/time_util.h"
#include "store/internal/store_checks.h"

namespace fengqiao {

std::optional<absl::Time> NextDue(const v1::Case& c) {
  if (IsTerminal(c.state())) return std::nullopt;
  for (auto it = c.events().rbegin(); it != c.events().rend(); ++it) {
    if (it->type() == v1::CASE_EVENT_TYPE_PAUSE) return std::nullopt;  // nothing falls due
    if (it->type() == v1::CASE_EVENT_TYPE_RESUME) break;
  }
  std::optional<absl::Time> next;
  for (const v1::Deadline& d : c.deadlines()) {
    if (d.met() || !d.has_due()) continue;
    const absl::Time due = internal::ToTime(d.due());
    if (!next.has_value() || due < *next) next = due;
  }
  return next;
}

absl::Status MemoryCaseStore::Save(absl::Span<const v1::Case* const> cases, absl::Time now) {
  for (const v1::Case* c : cases)
    FENGQIAO_RETURN_IF_ERROR(store_internal::CheckReplays(*c, loop_options_));
  std::unique_lock lock(mu_);
  // A case saved twice in one call is checked against its earlier copy, as SQLite does.
  std::map<std::string, const v1::Case*, std::less<>> staged;
  std::vector<std::string> stored;
  for (const v1::Case* c : cases) {
    stored.clear();
    const v1::Case* before = nullptr;
    if (auto s = staged.find(c->id()); s != staged.end()) {
      before = s->second;
    } else if (auto it = cases_.find(c->id()); it != cases_.end()) {
      before = &it->second.c;
    }
    if (before != nullptr) {
      if (store_internal::IncidentDigest(before->incident()) !=
          store_internal::IncidentDigest(c->incident())) {
        return store_internal::IncidentRewritten(*c);
      }
      for (const v1::CaseEvent& e : before->events()) stored.push_back(e.SerializeAsString());
    }
    FENGQIAO_RETURN_IF_ERROR(store_internal::CheckExtends(*c, stored));
    staged[c->id()] = c;
  }
  const int64_t saved_at = absl::ToUnixSeconds(now);
  for (const auto& [id, c] : staged) cases_[id] = Stored{*c, saved_at};
  return absl::OkStatus();
}

absl::StatusOr<v1::Case> MemoryCaseStore::Get(absl::string_view id) const {
  std::shared_lock lock(mu_);
  auto it = cases_.find(id);
  if (it == cases_.end())
    return absl::NotFoundError(absl::StrCat("case \"", id, "\" is not stored"));
  return it->second.c;
}

absl::StatusOr<std::vector<v1::CaseEvent>> MemoryCaseStore::Timeline(absl::string_view id) const {
  std::shared_lock lock(mu_);
  auto it = cases_.find(id);
  if (it == cases_.end())
    return absl::NotFoundError(absl::StrCat("case \"", id, "\" is not stored"));
  return std::vector<v1::CaseEvent>(it->second.c.events().begin(), it->second.c.events().end());
}

absl::StatusOr<std::vector<std::string>> MemoryCaseStore::Find(const CaseQuery& q) const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  for (const auto& [id, stored] : cases_) {
    const v1::Case& c = stored.c;
    if (q.saved_since.has_value() && stored.saved_at < absl::ToUnixSeconds(*q.saved_since)) {
      continue;
    }
    if (q.state.has_value() && c.state() != *q.state) continue;
    if (!q.grid_code.empty() && c.incident().grid_code() != q.grid_code) continue;
    if (q.tier.has_value() && c.tier() != *q.tier) continue;
    if (!q.assignee.empty() && c.assignee() != q.assignee) continue;
    if (q.overdue_at.has_value()) {
      const std::optional<absl::Time> due = NextDue(c);
      if (!due.has_value() || *due >= *q.overdue_at) continue;
    }
    out.push_back(id);
    if (q.limit > 0 && static_cast<int>(out.size()) >= q.limit) break;
  }
  return out;
}

bool AuditSelects(const AuditQuery& q, const v1::AuditRecord& r) {
  const absl::Time at = internal::ToTime(r.at());
  if (q.since.has_value() && at < *q.since) return false;
  if (q.until.has_value() && at >= *q.until) return false;
  if (!q.member_id.empty() && r.viewer().member_id() != q.member_id) return false;
  if (q.action.has_value() && r.action() != *q.action) return false;
  if (!q.case_id.empty() &&
      std::find(r.case_ids().begin(), r.case_ids().end(), q.case_id) == r.case_ids().end()) {
    return false;
  }
  return true;
}

absl::Status MemoryCaseStore::AppendAudit(absl::Span<v1::AuditRecord> records) {
  std::unique_lock lock(mu_);
  int64_t seq = static_cast<int64_t>(audit_.size());
  for (v1::AuditRecord& r : records) {
    r.set_seq(++seq);
    audit_.push_back(r);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::AuditRecord>> MemoryCaseStore::ReadAudit(const AuditQuery& q) const {
  std::shared_lock lock(mu_);
  std::vector<v1::AuditRecord> out;
  for (const v1::AuditRecord& r : audit_) {
    if (!AuditSelects(q, r)) continue;
    out.push_back(r);
    if (q.limit > 0 && static_cast<int>(out.size()) >= q.limit) break;
  }
  return out;
}

absl::Status MemoryCaseStore::RewriteCases(absl::FunctionRef<bool(v1::Case&)> edit,
                                           v1::AuditRecord& record) {
  std::unique_lock lock(mu_);
  std::vector<std::pair<Stored*, v1::Case>> changed;
  for (auto& [id, stored] : cases_) {
    v1::Case copy = stored.c;
    if (!edit(copy)) continue;
    FENGQIAO_RETURN_IF_ERROR(store_internal::CheckSameLog(stored.c, copy, loop_options_));
    changed.emplace_back(&stored, std::move(copy));
  }
  record.clear_case_ids();
  for (auto& [stored, c] : changed) {
    record.add_case_ids(c.id());
    stored->c = std::move(c);
  }
  record.set_seq(static_cast<int64_t>(audit_.size()) + 1);
  audit_.push_back(record);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> MemoryCaseStore::CountCases() const {
  std::shared_lock lock(mu_);
  return static_cast<int64_t>(cases_.size());
}

absl::StatusOr<int64_t> MemoryCaseStore::CountEvents() const {
  std::shared_lock lock(mu_);
  int64_t n = 0;
  for (const auto& [id, stored] : cases_) n += stored.c.events_size();
  return n;
}

}  // namespace fengqiao
