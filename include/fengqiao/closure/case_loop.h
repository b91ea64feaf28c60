// File: fengqiao/closure/case_loop.h
// The closure loop (闭环) of a case: discover -> transfer -> handle -> feed back -> track ->
// revisit -> close, as a pure transition function over a compact state, and a CaseLoop that keeps
// a case's event log (who, when, from, to, why) with its SLA deadlines.
//
//   absl::StatusOr<fengqiao::LoopState> next = fengqiao::Apply(state, event);  // pure
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::CaseLoop loop,
//                             fengqiao::CaseLoop::Open(incident, decision, reported_at, "110"));
//   FENGQIAO_RETURN_IF_ERROR(loop.Record(fengqiao::AcceptEvent(now, "m-0042")));
//   std::vector<fengqiao::v1::Deadline> late = loop.Overdue(now);
//
// An event the state does not accept is FailedPrecondition naming the state, the event and the
// events allowed there; an event dated before the case's last event is InvalidArgument; reopen,
// return and cancel need a reason. Time is always passed in.
//
// Thread safety: Apply is a pure function. A CaseLoop is a value; guard it if shared.
#ifndef FENGQIAO_CLOSURE_CASE_LOOP_H_
#define FENGQIAO_CLOSURE_CASE_LOOP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "fengqiao/v1/case.pb.h"
#include "fengqiao/v1/routing.pb.h"

namespace fengqiao {

// The compact state Apply works on (what the engine reasons about; labels live elsewhere).
struct LoopState {
  v1::CaseState state = v1::CASE_STATE_UNSPECIFIED;  // UNSPECIFIED: not reported yet
  v1::Tier tier = v1::TIER_UNSPECIFIED;
  absl::Time last_at = absl::InfinitePast();  // time of the last event
  int32_t events = 0;                         // events applied
  int32_t reopens = 0;
  int32_t escalations = 0;
  bool satisfied = false;  // the last revisit's answer

  bool operator==(const LoopState&) const = default;
};

// One event as Apply sees it.
struct LoopEvent {
  v1::CaseEventType type = v1::CASE_EVENT_TYPE_UNSPECIFIED;
  absl::Time at;
  v1::Tier tier = v1::TIER_UNSPECIFIED;  // TRIAGE, ESCALATE, MEDIATION_FAILED: the new tier
  bool satisfied = false;                // REVISIT: the party's answer
  bool has_reason = false;               // REOPEN, RETURN, CANCEL need one
};

// The transition function: the state after `event`, or why the event is refused.
absl::StatusOr<LoopState> Apply(const LoopState& state, const LoopEvent& event);

// Events a state accepts (SLA_BREACH is accepted in every open state).
std::vector<v1::CaseEventType> AllowedEvents(v1::CaseState state);

// Whether the state is final (CLOSED, CANCELLED, DUPLICATE).
bool IsTerminal(v1::CaseState state);

// Short names, e.g. "IN_MEDIATION", "START_MEDIATION".
absl::string_view CaseStateName(v1::CaseState state);
absl::string_view CaseEventName(v1::CaseEventType type);

// The transition table as Graphviz DOT or Mermaid, for people to see.
std::string TransitionTableDot();
std::string TransitionTableMermaid();

// SLA deadlines of a case: absolute times kept in the case, so a restored case keeps its timers.
// accept / contact / on_site / resolve run from the report; revisit from the resolution.
std::vector<v1::Deadline> DeadlinesFor(const v1::Sla& sla, absl::Time reported_at);

// A case with its event log: the state is always the replay of its events.
class CaseLoop {
 public:
  // A new case: a REPORT event at `reported_at` by `actor`, then TRIAGE to the decision's tier,
  // with the decision's SLA deadlines. InvalidArgument when the decision routed nowhere.
  static absl::StatusOr<CaseLoop> Open(const v1::Incident& incident, const v1::Decision& decision,
                                       absl::Time reported_at, absl::string_view actor);

  // Rebuilds a case from a stored header (incident, decision, deadlines as stored) and its
  // events, checking every event against the transition function (seq contiguous from 1, from
  // and to states as recorded, times in order). Runs no entry actions.
  static absl::StatusOr<CaseLoop> Restore(v1::Case stored);

  // Appends an event: first an SLA_BREACH for every deadline that fell due before it unmet (once
  // per deadline), then the event itself, with seq, from_state and to_state set and checked by
  // Apply; marks the deadlines it meets. The case is unchanged when it fails.
  absl::Status Record(v1::CaseEvent event);

  // Deadlines due before `now` and not met.
  std::vector<v1::Deadline> Overdue(absl::Time now) const;

  // Records an SLA_BREACH event for every deadline due before `now`, unmet and not yet recorded
  // (a clock tick); returns how many.
  absl::StatusOr<int> RecordBreaches(absl::Time now, absl::string_view actor = "sla-clock");

  const v1::Case& proto() const { return case_; }
  const LoopState& state() const { return state_; }
  const std::string& id() const { return case_.id(); }

 private:
  CaseLoop() = default;
  absl::Status Append(v1::CaseEvent event);
  absl::StatusOr<int> RecordBreachesBefore(absl::Time t, absl::string_view actor);
  v1::Case case_;
  LoopState state_;
};

// The deadline-breach rule of the ladder (mediation): when the case's resolve deadline has passed
// unmet by `now` and its state accepts ESCALATE, records the breach (if not yet recorded) and an
// ESCALATE one tier up (NextTier with kDeadlineBreach). Returns whether it escalated;
// FailedPrecondition at the top of the ladder.
absl::StatusOr<bool> EscalateIfResolveOverdue(CaseLoop& loop, absl::Time now,
                                              absl::string_view actor = "sla-clock");

// Event helpers for the common steps.
v1::CaseEvent MakeEvent(v1::CaseEventType type, absl::Time at, absl::string_view actor);

}  // namespace fengqiao

#endif  // FENGQIAO_CLOSURE_CASE_LOOP_H_
