#include "fengqiao/metrics/case_record.h"

#include <algorithm>
#include <iterator>

#include "fengqiao/incident/incident.h"
#include "internal/columns.h"

namespace fengqiao {
namespace {

// A step recorded before the report is a negative interval (a data error): kept below -1 so that
// the metrics exclude and count it, never clamped to 0.
int32_t SecondsAfter(int64_t at, int64_t reported_at) {
  const int64_t d = at - reported_at;
  return static_cast<int32_t>(d < 0 ? std::clamp<int64_t>(d, INT32_MIN, -2)
                                    : std::min<int64_t>(d, INT32_MAX));
}

// A clock of the order's own stint: its due time and when it was met. A clock handed over unmet
// before it fell due is no clock of the department's; one handed over after it is late.
void ClockFacts(const v1::Deadline& d, int64_t reported_at, int32_t& due_s, int32_t& met_s) {
  if (!d.has_due()) return;
  if (!d.met() && d.has_closed_at() && d.closed_at().seconds() < d.due().seconds()) return;
  due_s = SecondsAfter(d.due().seconds(), reported_at);
  if (d.met()) met_s = SecondsAfter(d.closed_at().seconds(), reported_at);
}

// The department scorecards' facts of a case: who held the order last, who returned it, its
// supervision and extensions, and the clocks of the holder's own order.
void WorkOrderFacts(const v1::Case& c, CaseRecord& r) {
  static_assert(v1::Department_ARRAYSIZE <= 32, "CaseRecord::returned_by holds one bit each");
  for (const v1::CaseEvent& e : c.events()) {
    switch (e.type()) {
      case v1::CASE_EVENT_TYPE_RETURN:
        if (v1::Department_IsValid(e.refused_by()) &&
            e.refused_by() != v1::DEPARTMENT_UNSPECIFIED) {
          r.returned_by |= 1u << static_cast<unsigned>(e.refused_by());
        }
        break;
      case v1::CASE_EVENT_TYPE_SUPERVISE:
        if (r.supervision_steps < 255) ++r.supervision_steps;
        break;
      case v1::CASE_EVENT_TYPE_APPROVE_EXTENSION:
        if (r.extensions < 255) ++r.extensions;
        break;
      default:
        break;
    }
  }
  const v1::Department holder = c.department();
  if (holder == v1::DEPARTMENT_UNSPECIFIED || !v1::Department_IsValid(holder)) return;
  r.order_department = internal::SmallEnum(holder);
  // The holder's own order: its first instruction that it did not return.
  const v1::CaseEvent* order = nullptr;
  for (const v1::CaseEvent& e : c.events()) {
    if (e.type() == v1::CASE_EVENT_TYPE_RETURN) {
      if (order != nullptr && e.refused_by() == holder) order = nullptr;
    } else if (e.department() == holder && !e.assignee().empty()) {
      if (order != nullptr) break;
      order = &e;
    }
  }
  if (order == nullptr) return;
  for (const auto* list : {&c.closed_deadlines(), &c.deadlines()}) {
    for (const v1::Deadline& d : *list) {
      if (d.armed_at().seconds() != order->at().seconds() || d.holder() != order->assignee()) {
        continue;
      }
      if (d.name() == "accept") ClockFacts(d, r.reported_at, r.signoff_due_s, r.signoff_s);
      if (d.name() == "resolve") ClockFacts(d, r.reported_at, r.complete_due_s, r.complete_s);
    }
  }
}

}  // namespace

CaseRecord CaseRecordBuilder::Add(const v1::Case& c) {
  const v1::Incident& incident = c.incident();
  CaseRecord r;
  r.reported_at = incident.reported_at().seconds();
  if (!c.events().empty()) r.reported_at = c.events(0).at().seconds();
  r.area = map_.AreaIndex(incident.grid_code());
  r.kind = internal::SmallEnum(incident.kind());
  if (incident.kind() == v1::INCIDENT_KIND_DISPUTE) {
    r.dispute_type = internal::SmallEnum(incident.dispute_type());
  }
  if (!IsPoliceMatter(incident)) {
    r.department = internal::SmallEnum(incident.responsible_department());
  } else {
    r.flags |= kRecordPolice;
  }
  r.channel = internal::SmallEnum(incident.channel());
  // Co-handlers, each credited: on time when it accepted within its own co_accept clock (a
  // clock breached first is late even if met), or accepted at all when it had none.
  for (const v1::CoHandler& co : c.co_handlers()) {
    if (r.co_handlers == 255) break;
    ++r.co_handlers;
    if (!co.has_accepted_at()) continue;
    bool on_time = true;
    for (const auto* list : {&c.deadlines(), &c.closed_deadlines()}) {
      for (const v1::Deadline& d : *list) {
        if (d.name() == "co_accept" && d.holder() == co.id()) on_time = d.met() && !d.breached();
      }
    }
    r.co_on_time += on_time ? 1 : 0;
  }
  r.tier = internal::SmallEnum(c.decision().action().tier());
  r.force = internal::SmallEnum(c.decision().action().target_force_type());
  if (c.decision().action().sla().on_site().seconds() > 0) r.flags |= kRecordOnSiteRequired;
  auto first = [&](int32_t& slot, const v1::CaseEvent& e) {
    if (slot != kStepNotHappened) return;
    slot = SecondsAfter(e.at().seconds(), r.reported_at);
  };
  bool failed_to_court = false;
  for (const v1::CaseEvent& e : c.events()) {
    switch (e.type()) {
      case v1::CASE_EVENT_TYPE_ASSIGN:
        first(r.assign_s, e);
        break;
      case v1::CASE_EVENT_TYPE_ACCEPT:
        first(r.accept_s, e);
        break;
      case v1::CASE_EVENT_TYPE_CONTACT:
        first(r.contact_s, e);
        break;
      case v1::CASE_EVENT_TYPE_ARRIVE:
        first(r.arrival_s, e);
        break;
      case v1::CASE_EVENT_TYPE_RESOLVE:
        first(r.resolve_s, e);
        r.flags |= kRecordDisposed;
        break;
      case v1::CASE_EVENT_TYPE_START_MEDIATION:
        if (incident.kind() == v1::INCIDENT_KIND_DISPUTE) r.flags |= kRecordMediationStarted;
        break;
      case v1::CASE_EVENT_TYPE_MEDIATION_FAILED:
      case v1::CASE_EVENT_TYPE_ESCALATE:
        failed_to_court |= e.tier() == v1::TIER_COURT_REFERRAL;
        break;
      case v1::CASE_EVENT_TYPE_REVISIT:
        r.flags |= kRecordRevisited;
        r.flags = e.satisfied() ? (r.flags | kRecordSatisfied) : (r.flags & ~kRecordSatisfied);
        // The last revisit's answers count (a redo's revisit replaces the first's).
        r.flags &= ~(kRecordAskedContacted | kRecordContacted | kRecordAskedSolved | kRecordSolved |
                     kRecordRatingSetAside);
        if (e.rating().has_contacted()) {
          r.flags |= kRecordAskedContacted | (e.rating().contacted() ? kRecordContacted : 0u);
        }
        if (e.rating().has_solved()) {
          r.flags |= kRecordAskedSolved | (e.rating().solved() ? kRecordSolved : 0u);
        }
        break;
      case v1::CASE_EVENT_TYPE_REVIEW_RATING:
        if (e.rating_set_aside()) r.flags |= kRecordRatingSetAside;
        break;
      case v1::CASE_EVENT_TYPE_REOPEN:
        r.flags |= kRecordReopened;
        break;
      case v1::CASE_EVENT_TYPE_CLOSE:
        r.flags |= kRecordClosed;
        break;
      case v1::CASE_EVENT_TYPE_CANCEL:
        r.flags |= kRecordCancelled;
        break;
      case v1::CASE_EVENT_TYPE_MARK_DUPLICATE:
        r.flags |= kRecordCancelled;
        if (!e.duplicate_of().empty()) r.flags |= kRecordMergedInto;
        break;
      case v1::CASE_EVENT_TYPE_TRANSFER_PLATFORM:
        if (e.platform() == v1::PLATFORM_12345) r.flags |= kRecordTransferredTo12345;
        if (e.platform() == v1::PLATFORM_110) r.flags |= kRecordTransferredTo110;
        if (e.linkage() == v1::LINKAGE_MODE_EMERGENCY_PUSH) r.flags |= kRecordEmergencyPushed;
        break;
      case v1::CASE_EVENT_TYPE_THREE_WAY_CALL:
        r.flags |= kRecordThreeWayCall;
        if (e.platform() == v1::PLATFORM_UNSPECIFIED) r.flags |= kRecordFirstReceiverKept;
        break;
      default:
        break;
    }
  }
  WorkOrderFacts(c, r);
  if ((r.flags & kRecordMediationStarted) && (r.flags & kRecordDisposed) && !failed_to_court) {
    r.flags |= kRecordMediationSucceeded;
  }
  // 民转刑: a criminal case between the same parties as a dispute not long before it.
  std::vector<std::string> parties;
  for (const v1::Party& p : incident.parties()) {
    if (!p.person_id().empty()) parties.push_back(p.person_id());
  }
  std::sort(parties.begin(), parties.end());
  parties.erase(std::unique(parties.begin(), parties.end()), parties.end());
  const int64_t window = absl::ToInt64Seconds(window_);
  if (incident.kind() == v1::INCIDENT_KIND_CRIMINAL &&
      static_cast<int>(parties.size()) >= min_shared_parties_) {
    const Dispute* best = nullptr;
    int best_shared = 0;
    for (const std::string& person : parties) {
      const auto it = disputes_of_.find(person);
      if (it == disputes_of_.end()) continue;
      for (size_t index : it->second) {
        const Dispute& d = disputes_[index];
        if (d.reported_at > r.reported_at || r.reported_at - d.reported_at > window) continue;
        std::vector<std::string> shared;
        std::set_intersection(parties.begin(), parties.end(), d.parties.begin(), d.parties.end(),
                              std::back_inserter(shared));
        const int n = static_cast<int>(shared.size());
        // The most recent qualifying dispute (the one the crime most plausibly grew out of).
        if (n >= min_shared_parties_ && (best == nullptr || d.reported_at > best->reported_at)) {
          best = &d;
          best_shared = n;
        }
      }
    }
    if (best != nullptr) {
      r.flags |= kRecordCivilToCriminal;
      links_.push_back({c.id(), best->case_id, best_shared, r.reported_at - best->reported_at});
    }
  }
  if (incident.kind() == v1::INCIDENT_KIND_DISPUTE && !parties.empty()) {
    disputes_.push_back({c.id(), r.reported_at, parties});
    for (const std::string& person : parties) disputes_of_[person].push_back(disputes_.size() - 1);
  }
  return r;
}

}  // namespace fengqiao
