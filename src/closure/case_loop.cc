#include "fengqiao/closure/case_loop.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fengqiao/mediation/ladder.h"
#include "fengqiao/status_macros.h"
#include "internal/time_util.h"

namespace fengqiao {
namespace {

using S = v1::CaseState;
using E = v1::CaseEventType;

constexpr int kStates = v1::CaseState_ARRAYSIZE;
constexpr int kEvents = v1::CaseEventType_ARRAYSIZE;

// next[state][event]: the state after the event, or -1 when the state does not accept it.
// SLA_BREACH is handled apart (accepted in every open state, changes nothing).
struct Table {
  std::array<std::array<int8_t, kEvents>, kStates> next;
  constexpr Table() : next() {
    for (auto& row : next) row.fill(-1);
    auto on = [&](S from, E event, S to) { next[from][event] = static_cast<int8_t>(to); };
    // Not reported yet: only a report starts a case.
    on(v1::CASE_STATE_UNSPECIFIED, v1::CASE_EVENT_TYPE_REPORT, v1::CASE_STATE_REPORTED);
    on(v1::CASE_STATE_REPORTED, v1::CASE_EVENT_TYPE_TRIAGE, v1::CASE_STATE_TRIAGED);
    on(v1::CASE_STATE_TRIAGED, v1::CASE_EVENT_TYPE_ASSIGN, v1::CASE_STATE_ASSIGNED);
    on(v1::CASE_STATE_TRIAGED, v1::CASE_EVENT_TYPE_ESCALATE, v1::CASE_STATE_ESCALATED);
    on(v1::CASE_STATE_ASSIGNED, v1::CASE_EVENT_TYPE_ASSIGN, v1::CASE_STATE_ASSIGNED);
    on(v1::CASE_STATE_ASSIGNED, v1::CASE_EVENT_TYPE_ACCEPT, v1::CASE_STATE_ACCEPTED);
    on(v1::CASE_STATE_ASSIGNED, v1::CASE_EVENT_TYPE_RETURN, v1::CASE_STATE_RETURNED);
    on(v1::CASE_STATE_ASSIGNED, v1::CASE_EVENT_TYPE_ESCALATE, v1::CASE_STATE_ESCALATED);
    on(v1::CASE_STATE_ACCEPTED, v1::CASE_EVENT_TYPE_CONTACT, v1::CASE_STATE_CONTACTED);
    on(v1::CASE_STATE_ACCEPTED, v1::CASE_EVENT_TYPE_ARRIVE, v1::CASE_STATE_ON_SITE);
    on(v1::CASE_STATE_ACCEPTED, v1::CASE_EVENT_TYPE_START_MEDIATION, v1::CASE_STATE_IN_MEDIATION);
    on(v1::CASE_STATE_ACCEPTED, v1::CASE_EVENT_TYPE_RETURN, v1::CASE_STATE_RETURNED);
    on(v1::CASE_STATE_ACCEPTED, v1::CASE_EVENT_TYPE_ESCALATE, v1::CASE_STATE_ESCALATED);
    on(v1::CASE_STATE_CONTACTED, v1::CASE_EVENT_TYPE_ARRIVE, v1::CASE_STATE_ON_SITE);
    on(v1::CASE_STATE_CONTACTED, v1::CASE_EVENT_TYPE_START_MEDIATION, v1::CASE_STATE_IN_MEDIATION);
    on(v1::CASE_STATE_CONTACTED, v1::CASE_EVENT_TYPE_RESOLVE, v1::CASE_STATE_RESOLVED);
    on(v1::CASE_STATE_CONTACTED, v1::CASE_EVENT_TYPE_ESCALATE, v1::CASE_STATE_ESCALATED);
    on(v1::CASE_STATE_ON_SITE, v1::CASE_EVENT_TYPE_START_MEDIATION, v1::CASE_STATE_IN_MEDIATION);
    on(v1::CASE_STATE_ON_SITE, v1::CASE_EVENT_TYPE_RESOLVE, v1::CASE_STATE_RESOLVED);
    on(v1::CASE_STATE_ON_SITE, v1::CASE_EVENT_TYPE_ESCALATE, v1::CASE_STATE_ESCALATED);
    on(v1::CASE_STATE_IN_MEDIATION, v1::CASE_EVENT_TYPE_RESOLVE, v1::CASE_STATE_RESOLVED);
    on(v1::CASE_STATE_IN_MEDIATION, v1::CASE_EVENT_TYPE_MEDIATION_FAILED, v1::CASE_STATE_ESCALATED);
    on(v1::CASE_STATE_IN_MEDIATION, v1::CASE_EVENT_TYPE_ESCALATE, v1::CASE_STATE_ESCALATED);
    on(v1::CASE_STATE_ESCALATED, v1::CASE_EVENT_TYPE_ASSIGN, v1::CASE_STATE_ASSIGNED);
    on(v1::CASE_STATE_RETURNED, v1::CASE_EVENT_TYPE_TRIAGE, v1::CASE_STATE_TRIAGED);
    on(v1::CASE_STATE_RESOLVED, v1::CASE_EVENT_TYPE_GIVE_FEEDBACK, v1::CASE_STATE_FEEDBACK_GIVEN);
    on(v1::CASE_STATE_RESOLVED, v1::CASE_EVENT_TYPE_REVISIT, v1::CASE_STATE_REVISITED);
    on(v1::CASE_STATE_FEEDBACK_GIVEN, v1::CASE_EVENT_TYPE_TRACK, v1::CASE_STATE_TRACKING);
    on(v1::CASE_STATE_FEEDBACK_GIVEN, v1::CASE_EVENT_TYPE_REVISIT, v1::CASE_STATE_REVISITED);
    on(v1::CASE_STATE_TRACKING, v1::CASE_EVENT_TYPE_REVISIT, v1::CASE_STATE_REVISITED);
    on(v1::CASE_STATE_REVISITED, v1::CASE_EVENT_TYPE_CLOSE, v1::CASE_STATE_CLOSED);
    on(v1::CASE_STATE_REVISITED, v1::CASE_EVENT_TYPE_REOPEN, v1::CASE_STATE_REOPENED);
    on(v1::CASE_STATE_REOPENED, v1::CASE_EVENT_TYPE_ASSIGN, v1::CASE_STATE_ASSIGNED);
    on(v1::CASE_STATE_REOPENED, v1::CASE_EVENT_TYPE_ESCALATE, v1::CASE_STATE_ESCALATED);
    on(v1::CASE_STATE_REOPENED, v1::CASE_EVENT_TYPE_TRIAGE, v1::CASE_STATE_TRIAGED);
    // Cancel or mark as duplicate from any open state before resolution.
    for (S s : {v1::CASE_STATE_REPORTED, v1::CASE_STATE_TRIAGED, v1::CASE_STATE_ASSIGNED,
                v1::CASE_STATE_ACCEPTED, v1::CASE_STATE_CONTACTED, v1::CASE_STATE_RETURNED,
                v1::CASE_STATE_ESCALATED, v1::CASE_STATE_REOPENED}) {
      on(s, v1::CASE_EVENT_TYPE_CANCEL, v1::CASE_STATE_CANCELLED);
      on(s, v1::CASE_EVENT_TYPE_MARK_DUPLICATE, v1::CASE_STATE_DUPLICATE);
    }
  }
};
constexpr Table kTable;

bool Open(v1::CaseState s) { return s != v1::CASE_STATE_UNSPECIFIED && !IsTerminal(s); }

bool Valid(int v, int n) { return v >= 0 && v < n; }

}  // namespace

bool IsTerminal(v1::CaseState state) {
  return state == v1::CASE_STATE_CLOSED || state == v1::CASE_STATE_CANCELLED ||
         state == v1::CASE_STATE_DUPLICATE;
}

namespace {
// Enum value names without their prefix ("CASE_STATE_ON_SITE" -> "ON_SITE"), built once.
template <typename NameOf>
std::vector<std::string>* ShortNames(int n, absl::string_view prefix, NameOf name_of) {
  auto* out = new std::vector<std::string>;
  for (int i = 0; i < n; ++i) out->push_back(name_of(i).substr(prefix.size()));
  return out;
}
}  // namespace

absl::string_view CaseStateName(v1::CaseState state) {
  static const auto* names = ShortNames(kStates, "CASE_STATE_", [](int i) {
    return v1::CaseState_Name(static_cast<v1::CaseState>(i));
  });
  return Valid(state, kStates) ? absl::string_view((*names)[state]) : "INVALID";
}

absl::string_view CaseEventName(v1::CaseEventType type) {
  static const auto* names = ShortNames(kEvents, "CASE_EVENT_TYPE_", [](int i) {
    return v1::CaseEventType_Name(static_cast<v1::CaseEventType>(i));
  });
  return Valid(type, kEvents) ? absl::string_view((*names)[type]) : "INVALID";
}

std::vector<v1::CaseEventType> AllowedEvents(v1::CaseState state) {
  std::vector<v1::CaseEventType> out;
  if (!Valid(state, kStates)) return out;
  for (int e = 0; e < kEvents; ++e) {
    if (kTable.next[state][e] >= 0) out.push_back(static_cast<v1::CaseEventType>(e));
  }
  if (Open(state)) out.push_back(v1::CASE_EVENT_TYPE_SLA_BREACH);
  return out;
}

absl::StatusOr<LoopState> Apply(const LoopState& state, const LoopEvent& event) {
  if (!Valid(state.state, kStates) || !Valid(event.type, kEvents)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown state ", state.state, " or event ", event.type));
  }
  if (event.at < state.last_at) {
    return absl::InvalidArgumentError(
        absl::StrCat(CaseEventName(event.type), " at ", absl::FormatTime(event.at),
                     " is earlier than the case's last event at ", absl::FormatTime(state.last_at),
                     ": time never runs backwards within a case"));
  }
  LoopState next = state;
  next.last_at = event.at;
  ++next.events;
  if (event.type == v1::CASE_EVENT_TYPE_SLA_BREACH && Open(state.state)) return next;
  const int to = kTable.next[state.state][event.type];
  if (to < 0) {
    std::vector<std::string> allowed;
    for (v1::CaseEventType e : AllowedEvents(state.state)) {
      allowed.push_back(std::string(CaseEventName(e)));
    }
    return absl::FailedPreconditionError(
        absl::StrCat("a case in state ", CaseStateName(state.state), " does not accept ",
                     CaseEventName(event.type), "; it accepts ",
                     allowed.empty() ? "nothing (final state)" : absl::StrJoin(allowed, ", ")));
  }
  switch (event.type) {
    case v1::CASE_EVENT_TYPE_TRIAGE:
    case v1::CASE_EVENT_TYPE_ESCALATE:
    case v1::CASE_EVENT_TYPE_MEDIATION_FAILED:
      if (event.tier == v1::TIER_UNSPECIFIED) {
        return absl::InvalidArgumentError(
            absl::StrCat(CaseEventName(event.type), " must name the tier that takes the case"));
      }
      next.tier = event.tier;
      if (event.type != v1::CASE_EVENT_TYPE_TRIAGE) ++next.escalations;
      break;
    case v1::CASE_EVENT_TYPE_REVISIT:
      next.satisfied = event.satisfied;
      break;
    case v1::CASE_EVENT_TYPE_CLOSE:
      if (!state.satisfied) {
        return absl::FailedPreconditionError(
            "the revisit found the party unsatisfied: REOPEN with a reason instead of CLOSE");
      }
      break;
    case v1::CASE_EVENT_TYPE_REOPEN:
      if (state.satisfied) {
        return absl::FailedPreconditionError(
            "the revisit found the party satisfied: CLOSE instead of REOPEN");
      }
      ++next.reopens;
      [[fallthrough]];
    case v1::CASE_EVENT_TYPE_RETURN:
    case v1::CASE_EVENT_TYPE_CANCEL:
      if (!event.has_reason) {
        return absl::InvalidArgumentError(
            absl::StrCat(CaseEventName(event.type), " needs a reason"));
      }
      break;
    default:
      break;
  }
  next.state = static_cast<v1::CaseState>(to);
  return next;
}

std::string TransitionTableDot() {
  std::string out = "digraph case_loop {\n  rankdir=LR;\n";
  for (int s = 0; s < kStates; ++s) {
    for (int e = 0; e < kEvents; ++e) {
      const int to = kTable.next[s][e];
      if (to < 0) continue;
      absl::StrAppend(&out, "  ", CaseStateName(static_cast<v1::CaseState>(s)), " -> ",
                      CaseStateName(static_cast<v1::CaseState>(to)), " [label=\"",
                      CaseEventName(static_cast<v1::CaseEventType>(e)), "\"];\n");
    }
  }
  return out + "}\n";
}

std::string TransitionTableMermaid() {
  std::string out = "stateDiagram-v2\n";
  for (int s = 0; s < kStates; ++s) {
    for (int e = 0; e < kEvents; ++e) {
      const int to = kTable.next[s][e];
      if (to < 0) continue;
      absl::StrAppend(
          &out, "  ",
          s == 0 ? absl::string_view("[*]") : CaseStateName(static_cast<v1::CaseState>(s)), " --> ",
          CaseStateName(static_cast<v1::CaseState>(to)), ": ",
          CaseEventName(static_cast<v1::CaseEventType>(e)), "\n");
    }
  }
  return out;
}

std::vector<v1::Deadline> DeadlinesFor(const v1::Sla& sla, absl::Time reported_at) {
  std::vector<v1::Deadline> out;
  auto add = [&](const char* name, const google::protobuf::Duration& d, bool from_report) {
    const absl::Duration duration = internal::ToDuration(d);
    if (duration <= absl::ZeroDuration()) return;
    v1::Deadline deadline;
    deadline.set_name(name);
    if (from_report) *deadline.mutable_due() = internal::ToTimestamp(reported_at + duration);
    out.push_back(std::move(deadline));
  };
  add("accept", sla.accept(), true);
  add("contact", sla.contact(), true);
  add("on_site", sla.on_site(), true);
  add("resolve", sla.resolve(), true);
  add("revisit", sla.revisit(), false);  // due once the case is resolved
  return out;
}

v1::CaseEvent MakeEvent(v1::CaseEventType type, absl::Time at, absl::string_view actor) {
  v1::CaseEvent e;
  e.set_type(type);
  *e.mutable_at() = internal::ToTimestamp(at);
  e.set_actor(std::string(actor));
  return e;
}

namespace {

LoopEvent ToLoopEvent(const v1::CaseEvent& e) {
  LoopEvent out;
  out.type = e.type();
  out.at = internal::ToTime(e.at());
  out.tier = e.tier();
  out.satisfied = e.satisfied();
  out.has_reason = !e.reason().empty();
  return out;
}

// Which deadline an event meets.
const char* DeadlineMetBy(v1::CaseEventType type) {
  switch (type) {
    case v1::CASE_EVENT_TYPE_ACCEPT:
      return "accept";
    case v1::CASE_EVENT_TYPE_CONTACT:
      return "contact";
    case v1::CASE_EVENT_TYPE_ARRIVE:
      return "on_site";
    case v1::CASE_EVENT_TYPE_RESOLVE:
      return "resolve";
    case v1::CASE_EVENT_TYPE_REVISIT:
      return "revisit";
    default:
      return nullptr;
  }
}

// Marks deadlines after an event; a resolution (again, after a reopen) arms the revisit clock.
void UpdateDeadlines(v1::Case& c, const v1::CaseEvent& e) {
  const char* met = DeadlineMetBy(e.type());
  const absl::Time at = internal::ToTime(e.at());
  for (v1::Deadline& d : *c.mutable_deadlines()) {
    if (met != nullptr && d.name() == met && !d.met()) {
      // A deadline that is met late stays recorded as breached in the log, and is met now.
      d.set_met(true);
    }
    if (e.type() == v1::CASE_EVENT_TYPE_RESOLVE && d.name() == "revisit") {
      d.set_met(false);
      d.set_breached(false);
      *d.mutable_due() =
          internal::ToTimestamp(at + internal::ToDuration(c.decision().action().sla().revisit()));
    }
  }
}

}  // namespace

absl::StatusOr<CaseLoop> CaseLoop::Open(const v1::Incident& incident, const v1::Decision& decision,
                                        absl::Time reported_at, absl::string_view actor) {
  if (decision.rule_id().empty() || decision.action().tier() == v1::TIER_UNSPECIFIED) {
    return absl::InvalidArgumentError(absl::StrCat(
        "case \"", incident.id(), "\": the routing decision names no rule and no tier"));
  }
  CaseLoop loop;
  loop.case_.set_id(incident.id());
  *loop.case_.mutable_incident() = incident;
  *loop.case_.mutable_decision() = decision;
  for (v1::Deadline& d : DeadlinesFor(decision.action().sla(), reported_at)) {
    *loop.case_.add_deadlines() = std::move(d);
  }
  FENGQIAO_RETURN_IF_ERROR(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_REPORT, reported_at, actor)));
  v1::CaseEvent triage = MakeEvent(v1::CASE_EVENT_TYPE_TRIAGE, reported_at, "router");
  triage.set_tier(decision.action().tier());
  triage.set_reason(absl::StrCat("rule ", decision.rule_id(), " of rule set ",
                                 decision.rule_set_version(), " (", decision.rule_set_hash(), ")"));
  FENGQIAO_RETURN_IF_ERROR(loop.Record(std::move(triage)));
  return loop;
}

absl::StatusOr<CaseLoop> CaseLoop::Restore(v1::Case stored) {
  CaseLoop loop;
  std::vector<v1::CaseEvent> events(stored.events().begin(), stored.events().end());
  stored.clear_events();
  // Deadlines come back as stored (absolute times): no clock is re-derived, nothing re-runs.
  loop.case_ = std::move(stored);
  for (size_t i = 0; i < events.size(); ++i) {
    const v1::CaseEvent& e = events[i];
    if (e.seq() != static_cast<int64_t>(i) + 1) {
      return absl::DataLossError(absl::StrCat("case \"", loop.case_.id(), "\": event ", i + 1,
                                              " has seq ", e.seq(), " (log has a gap)"));
    }
    absl::StatusOr<LoopState> next = Apply(loop.state_, ToLoopEvent(e));
    if (!next.ok()) {
      return absl::DataLossError(absl::StrCat("case \"", loop.case_.id(), "\": event ", e.seq(),
                                              " (", CaseEventName(e.type()),
                                              ") does not replay: ", next.status().message()));
    }
    if (e.from_state() != loop.state_.state || e.to_state() != next->state) {
      return absl::DataLossError(absl::StrCat(
          "case \"", loop.case_.id(), "\": event ", e.seq(), " records ",
          CaseStateName(e.from_state()), " -> ", CaseStateName(e.to_state()), " but replays ",
          CaseStateName(loop.state_.state), " -> ", CaseStateName(next->state)));
    }
    loop.state_ = *next;
    *loop.case_.add_events() = e;
  }
  loop.case_.set_state(loop.state_.state);
  loop.case_.set_tier(loop.state_.tier);
  return loop;
}

absl::Status CaseLoop::Record(v1::CaseEvent event) {
  // Deadlines that passed before this event are breaches: the log records them first (once
  // each), dated when they fell due or at the last event, whichever is later.
  const v1::Case saved_case = event.type() == v1::CASE_EVENT_TYPE_SLA_BREACH ? v1::Case() : case_;
  const LoopState saved_state = state_;
  if (event.type() != v1::CASE_EVENT_TYPE_SLA_BREACH && state_.events > 0) {
    absl::StatusOr<int> breaches = RecordBreachesBefore(internal::ToTime(event.at()), "sla-clock");
    if (!breaches.ok()) {
      case_ = saved_case;
      state_ = saved_state;
      return breaches.status();
    }
  }
  absl::Status applied = Append(std::move(event));
  if (!applied.ok() && saved_state.events != state_.events) {
    case_ = saved_case;
    state_ = saved_state;
  }
  return applied;
}

absl::Status CaseLoop::Append(v1::CaseEvent event) {
  event.set_case_id(case_.id());
  event.set_seq(state_.events + 1);
  absl::StatusOr<LoopState> next = Apply(state_, ToLoopEvent(event));
  if (!next.ok()) {
    return absl::Status(next.status().code(),
                        absl::StrCat("case \"", case_.id(), "\": ", next.status().message()));
  }
  event.set_from_state(state_.state);
  event.set_to_state(next->state);
  if (event.tier() == v1::TIER_UNSPECIFIED) event.set_tier(next->tier);
  state_ = *next;
  case_.set_state(state_.state);
  case_.set_tier(state_.tier);
  if (!event.assignee().empty()) case_.set_assignee(event.assignee());
  UpdateDeadlines(case_, event);
  *case_.add_events() = std::move(event);
  return absl::OkStatus();
}

absl::StatusOr<int> CaseLoop::RecordBreachesBefore(absl::Time t, absl::string_view actor) {
  int recorded = 0;
  if (IsTerminal(state_.state)) return 0;
  for (int i = 0; i < case_.deadlines_size(); ++i) {
    const v1::Deadline d = case_.deadlines(i);
    if (d.met() || d.breached() || !d.has_due() || !(internal::ToTime(d.due()) < t)) continue;
    v1::CaseEvent breach = MakeEvent(v1::CASE_EVENT_TYPE_SLA_BREACH,
                                     std::max(internal::ToTime(d.due()), state_.last_at), actor);
    breach.set_deadline(d.name());
    FENGQIAO_RETURN_IF_ERROR(Append(std::move(breach)));
    case_.mutable_deadlines(i)->set_breached(true);
    ++recorded;
  }
  return recorded;
}

std::vector<v1::Deadline> CaseLoop::Overdue(absl::Time now) const {
  std::vector<v1::Deadline> out;
  if (IsTerminal(state_.state)) return out;
  for (const v1::Deadline& d : case_.deadlines()) {
    if (!d.met() && d.has_due() && internal::ToTime(d.due()) < now) out.push_back(d);
  }
  return out;
}

absl::StatusOr<int> CaseLoop::RecordBreaches(absl::Time now, absl::string_view actor) {
  return RecordBreachesBefore(now, actor);
}

absl::StatusOr<bool> EscalateIfResolveOverdue(CaseLoop& loop, absl::Time now,
                                              absl::string_view actor) {
  bool overdue = false;
  for (const v1::Deadline& d : loop.Overdue(now)) overdue |= d.name() == "resolve";
  if (!overdue) return false;
  const std::vector<v1::CaseEventType> allowed = AllowedEvents(loop.state().state);
  if (std::find(allowed.begin(), allowed.end(), v1::CASE_EVENT_TYPE_ESCALATE) == allowed.end()) {
    return false;  // e.g. already escalated and waiting for the next assignment
  }
  FENGQIAO_ASSIGN_OR_RETURN(v1::Tier up,
                            NextTier(loop.state().tier, EscalationReason::kDeadlineBreach));
  v1::CaseEvent escalate =
      MakeEvent(v1::CASE_EVENT_TYPE_ESCALATE, std::max(now, loop.state().last_at), actor);
  escalate.set_tier(up);
  escalate.set_reason("resolve deadline passed unmet (逾期未办结)");
  FENGQIAO_RETURN_IF_ERROR(loop.Record(std::move(escalate)));
  return true;
}

}  // namespace fengqiao
