// CaseLoop: a case's event log on top of the transition function, with the holder's clocks
// (armed by the instruction, closed by the hand-over) and the checks that need the whole case.
#include "fengqiao/closure/case_loop.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "fengqiao/mediation/ladder.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/time_zone.h"
#include "fengqiao/vocabulary.h"
#include "internal/time_util.h"

namespace fengqiao {

v1::Platform PlatformOf(v1::Channel channel) {
  switch (channel) {
    case v1::CHANNEL_CALL_110:
      return v1::PLATFORM_110;
    case v1::CHANNEL_HOTLINE_12345:
      return v1::PLATFORM_12345;
    default:
      return v1::PLATFORM_UNSPECIFIED;
  }
}

std::vector<v1::Deadline> DeadlinesFor(const v1::Sla& sla, absl::Time instructed_at) {
  std::vector<v1::Deadline> out;
  auto add = [&](const char* name, const google::protobuf::Duration& d, bool armed) {
    const absl::Duration duration = internal::ToDuration(d);
    if (duration <= absl::ZeroDuration()) return;  // absent: no clock
    v1::Deadline deadline;
    deadline.set_name(name);
    if (armed) {
      *deadline.mutable_due() = internal::ToTimestamp(instructed_at + duration);
      *deadline.mutable_armed_at() = internal::ToTimestamp(instructed_at);
    }
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
  out.satisfied =
      e.type() == v1::CASE_EVENT_TYPE_REVIEW_RATING ? e.rating_set_aside() : e.satisfied();
  out.has_reason = !e.reason().empty();
  out.escalation_reason = e.escalation_reason();
  out.has_override_reason = !e.override_reason().empty();
  out.actor_role = e.actor_role();
  out.has_should_go_to = e.should_go_to() != v1::DEPARTMENT_UNSPECIFIED;
  out.has_department = e.department() != v1::DEPARTMENT_UNSPECIFIED;
  out.mediation_type = e.mediation_type();
  out.mediation_outcome = e.mediation_outcome();
  out.extension_working_days = static_cast<int8_t>(std::clamp(e.extension_working_days(), -1, 127));
  out.party_notified = e.party_notified();
  // Out of one byte's range: not a defined outcome either way (Apply refuses it).
  out.consultation_outcome = e.consultation_outcome() >= 0 && e.consultation_outcome() < 128
                                 ? static_cast<int8_t>(e.consultation_outcome())
                                 : int8_t{-1};
  return out;
}

// Which deadline an event meets.
const char* DeadlineMetBy(const v1::CaseEvent& e) {
  switch (e.type()) {
    case v1::CASE_EVENT_TYPE_CONSULT:
      return e.consultation_outcome() == v1::CONSULTATION_OUTCOME_RESOLVED ? "resolve" : nullptr;
    case v1::CASE_EVENT_TYPE_ACCEPT:
      return "accept";
    case v1::CASE_EVENT_TYPE_CONTACT:
      return "contact";
    case v1::CASE_EVENT_TYPE_ARRIVE:
      return "on_site";
    case v1::CASE_EVENT_TYPE_RESOLVE:
      return "resolve";
    case v1::CASE_EVENT_TYPE_GIVE_FEEDBACK:
      return "feedback";
    case v1::CASE_EVENT_TYPE_REVISIT:
      return "revisit";
    default:
      return nullptr;
  }
}

// An instruction (派单/指令) gives the case to a holder and arms the holder's clocks; a
// consultation's 交办 is one.
bool IsInstruction(const v1::CaseEvent& e) {
  const v1::CaseEventType type = e.type();
  return type == v1::CASE_EVENT_TYPE_ASSIGN || type == v1::CASE_EVENT_TYPE_APPROVE_RETURN ||
         type == v1::CASE_EVENT_TYPE_REJECT_RETURN || type == v1::CASE_EVENT_TYPE_ARBITRATE ||
         (type == v1::CASE_EVENT_TYPE_CONSULT &&
          e.consultation_outcome() == v1::CONSULTATION_OUTCOME_ASSIGNED);
}

bool IsEscalation(v1::CaseEventType type) {
  return type == v1::CASE_EVENT_TYPE_ESCALATE || type == v1::CASE_EVENT_TYPE_MEDIATION_FAILED;
}

// A hand-over takes the case from its holder: the holder's clocks stop.
bool IsHandOver(const v1::CaseEvent& e) {
  return IsInstruction(e) || IsEscalation(e.type()) || e.type() == v1::CASE_EVENT_TYPE_RETURN ||
         e.type() == v1::CASE_EVENT_TYPE_TRANSFER_PLATFORM ||
         (e.type() == v1::CASE_EVENT_TYPE_CONSULT &&
          e.consultation_outcome() == v1::CONSULTATION_OUTCOME_SENT_UP);
}

// Working days on the loop's calendar; Monday to Friday without one, or for a year its schedule
// does not hold.
class WorkingDays {
 public:
  explicit WorkingDays(const WorkingCalendar* calendar) : calendar_(calendar) {}
  bool IsWorking(absl::CivilDay day) const {
    if (calendar_ != nullptr) {
      absl::StatusOr<bool> w = calendar_->IsWorkingDay(day);
      if (w.ok()) return *w;
    }
    const absl::Weekday wd = absl::GetWeekday(day);
    return wd != absl::Weekday::saturday && wd != absl::Weekday::sunday;
  }
  // The n-th working day after `day` (n >= 1), or `day` itself for n = 0 when it works: the
  // calendar's answer, counted here only without one.
  absl::CivilDay Add(absl::CivilDay day, int n) const {
    if (calendar_ != nullptr) {
      absl::StatusOr<absl::CivilDay> d = calendar_->AddWorkingDays(day, n);
      if (d.ok()) return *d;
    }
    while (!IsWorking(day)) ++day;
    for (int i = 0; i < n; ++i) {
      ++day;
      while (!IsWorking(day)) ++day;
    }
    return day;
  }
  // The time `n` working days after `t`: the same time of day on the n-th working day after t's
  // day; from the next working day's start when t falls on a rest day.
  absl::Time After(absl::Time t, int n) const {
    const absl::TimeZone tz = ChinaTimeZone();
    const absl::CivilDay day = absl::ToCivilDay(t, tz);
    absl::Duration into = t - absl::FromCivil(day, tz);
    if (!IsWorking(day)) into = absl::ZeroDuration();
    return absl::FromCivil(Add(day, n), tz) + into;
  }
  // Working days in [from, to).
  int Between(absl::CivilDay from, absl::CivilDay to) const {
    if (calendar_ != nullptr) {
      absl::StatusOr<int> n = calendar_->WorkingDaysBetween(from, to);
      if (n.ok()) return *n;
    }
    int n = 0;
    for (absl::CivilDay d = from; d < to; ++d) n += IsWorking(d) ? 1 : 0;
    return n;
  }

 private:
  const WorkingCalendar* calendar_;
};

// The meeting of `level` at or after `at` on `calendar` (null: the weekly rhythm); a year the
// calendar's holiday schedule does not hold falls back to the weekly rhythm.
Consultation MeetingOf(const ConsultationCalendar* calendar, v1::AreaLevel level, absl::Time at) {
  static const auto* const kWeekly = new ConsultationCalendar({});
  if (calendar != nullptr) {
    absl::StatusOr<Consultation> c = calendar->Next(level, at);
    if (c.ok()) return *std::move(c);
  }
  absl::StatusOr<Consultation> c = kWeekly->Next(level, at);
  return c.ok() ? *std::move(c) : Consultation{level, at, ""};
}

// The last event of `type` in the log (the RETURN a review decides on, the PAUSE a RESUME ends,
// the extension request the centre decides).
const v1::CaseEvent* LastOf(absl::Span<const v1::CaseEvent* const> log, v1::CaseEventType type) {
  for (auto it = log.rbegin(); it != log.rend(); ++it) {
    if ((*it)->type() == type) return *it;
  }
  return nullptr;
}

// The current holder's resolve deadline while it runs (not met), or null.
const v1::Deadline* RunningResolve(const v1::Case& c) {
  for (const v1::Deadline& d : c.deadlines()) {
    if (d.name() == "resolve" && !d.met() && d.has_due()) return &d;
  }
  return nullptr;
}

const v1::CoHandler* FindCoHandler(const v1::Case& c, const std::string& id) {
  for (const v1::CoHandler& co : c.co_handlers()) {
    if (co.id() == id) return &co;
  }
  return nullptr;
}

// A resolution: RESOLVE, or a consultation that settled the case at the meeting.
bool Resolves(const v1::CaseEvent& e) {
  return e.type() == v1::CASE_EVENT_TYPE_RESOLVE ||
         (e.type() == v1::CASE_EVENT_TYPE_CONSULT &&
          e.consultation_outcome() == v1::CONSULTATION_OUTCOME_RESOLVED);
}

// Who handled the case to its resolution: the actor of the last resolution.
const std::string* Resolver(absl::Span<const v1::CaseEvent* const> log) {
  for (auto it = log.rbegin(); it != log.rend(); ++it) {
    if (Resolves(**it)) return &(*it)->actor();
  }
  return nullptr;
}

// The default options, shared by every case opened or restored without options.
const std::shared_ptr<const CaseLoopOptions>& DefaultOptions() {
  static const auto* const kDefault =
      new std::shared_ptr<const CaseLoopOptions>(std::make_shared<const CaseLoopOptions>());
  return *kDefault;
}

}  // namespace

absl::StatusOr<CaseLoop> CaseLoop::Open(const v1::Incident& incident, const v1::Decision& decision,
                                        absl::Time reported_at, absl::string_view actor,
                                        CaseLoopOptions options) {
  return OpenWith(incident, decision, reported_at, actor,
                  std::make_shared<const CaseLoopOptions>(std::move(options)));
}

absl::StatusOr<CaseLoop> CaseLoop::Open(const v1::Incident& incident, const v1::Decision& decision,
                                        absl::Time reported_at, absl::string_view actor) {
  return OpenWith(incident, decision, reported_at, actor, DefaultOptions());
}

absl::StatusOr<CaseLoop> CaseLoop::Restore(v1::Case stored, CaseLoopOptions options) {
  return RestoreWith(std::move(stored),
                     std::make_shared<const CaseLoopOptions>(std::move(options)));
}

absl::StatusOr<CaseLoop> CaseLoop::Restore(v1::Case stored) {
  return RestoreWith(std::move(stored), DefaultOptions());
}

absl::StatusOr<CaseLoop> CaseLoop::Restore(v1::Case stored,
                                           std::shared_ptr<const CaseLoopOptions> options) {
  return RestoreWith(std::move(stored), options != nullptr ? std::move(options) : DefaultOptions());
}

absl::StatusOr<CaseLoop> CaseLoop::OpenWith(const v1::Incident& incident,
                                            const v1::Decision& decision, absl::Time reported_at,
                                            absl::string_view actor,
                                            std::shared_ptr<const CaseLoopOptions> options) {
  if (decision.rule_id().empty() || decision.action().tier() == v1::TIER_UNSPECIFIED) {
    return absl::InvalidArgumentError(absl::StrCat(
        "case \"", incident.id(), "\": the routing decision names no rule and no tier"));
  }
  CaseLoop loop;
  loop.options_ = std::move(options);
  loop.case_.set_id(incident.id());
  *loop.case_.mutable_incident() = incident;
  *loop.case_.mutable_decision() = decision;
  *loop.case_.mutable_sla() = decision.action().sla();
  FENGQIAO_RETURN_IF_ERROR(loop.Record(MakeEvent(v1::CASE_EVENT_TYPE_REPORT, reported_at, actor)));
  v1::CaseEvent triage = MakeEvent(v1::CASE_EVENT_TYPE_TRIAGE, reported_at, "router");
  triage.set_tier(decision.action().tier());
  triage.set_reason(absl::StrCat("rule ", decision.rule_id(), " of rule set ",
                                 decision.rule_set_version(), " (", decision.rule_set_hash(), ")"));
  FENGQIAO_RETURN_IF_ERROR(loop.Record(std::move(triage)));
  return loop;
}

absl::StatusOr<CaseLoop> CaseLoop::RestoreWith(v1::Case stored,
                                               std::shared_ptr<const CaseLoopOptions> options) {
  CaseLoop loop;
  loop.options_ = std::move(options);
  // The events are moved out of the stored case and back in as they replay (no copy).
  google::protobuf::RepeatedPtrField<v1::CaseEvent> events;
  events.Swap(stored.mutable_events());
  // What the events decide is re-derived from the log; the header keeps incident and decision.
  stored.clear_deadlines();
  stored.clear_closed_deadlines();
  stored.clear_co_handlers();
  stored.clear_assignee();
  stored.clear_department();
  stored.clear_state();
  stored.clear_tier();
  stored.clear_level();
  stored.clear_consultation();
  stored.clear_supervision();
  stored.clear_platform();
  stored.clear_first_platform();
  *stored.mutable_sla() = stored.decision().action().sla();
  loop.case_ = std::move(stored);
  for (int i = 0; i < events.size(); ++i) {
    FENGQIAO_RETURN_IF_ERROR(loop.ReplayEvent(events[i], i));
    *loop.case_.add_events() = std::move(events[i]);
  }
  return loop;
}

absl::StatusOr<LoopState> CaseLoop::ReplayState(const v1::Case& stored,
                                                std::shared_ptr<const CaseLoopOptions> options) {
  // The loop reads the stored log in place; its case holds only what the events decide.
  CaseLoop loop;
  loop.options_ = options != nullptr ? std::move(options) : DefaultOptions();
  loop.case_.set_id(stored.id());
  loop.case_.mutable_incident()->set_channel(stored.incident().channel());  // the first platform
  *loop.case_.mutable_sla() = stored.decision().action().sla();
  loop.replay_log_ = &stored.events();
  for (int i = 0; i < stored.events_size(); ++i) {
    FENGQIAO_RETURN_IF_ERROR(loop.ReplayEvent(stored.events(i), i));
    ++loop.replayed_;
  }
  return loop.state_;
}

absl::StatusOr<v1::Case> CaseLoop::AsOf(const v1::Case& stored, absl::Time t,
                                        std::shared_ptr<const CaseLoopOptions> options) {
  int prefix = 0;
  while (prefix < stored.events_size() && internal::ToTime(stored.events(prefix).at()) <= t) {
    ++prefix;
  }
  if (prefix == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("case \"", stored.id(), "\" was not yet reported at that time"));
  }
  v1::Case then;
  then.set_id(stored.id());
  *then.mutable_incident() = stored.incident();
  *then.mutable_decision() = stored.decision();
  then.mutable_events()->Reserve(prefix);
  for (int i = 0; i < prefix; ++i) *then.add_events() = stored.events(i);
  FENGQIAO_ASSIGN_OR_RETURN(
      CaseLoop loop,
      RestoreWith(std::move(then), options != nullptr ? std::move(options) : DefaultOptions()));
  return std::move(loop.case_);
}

absl::Span<const v1::CaseEvent* const> CaseLoop::Log() const {
  if (replay_log_ != nullptr) return {replay_log_->data(), static_cast<size_t>(replayed_)};
  return {case_.events().data(), static_cast<size_t>(case_.events_size())};
}

absl::Status CaseLoop::ReplayEvent(const v1::CaseEvent& e, int index) {
  if (e.seq() != static_cast<int64_t>(index) + 1) {
    return absl::DataLossError(absl::StrCat("case \"", case_.id(), "\": event ", index + 1,
                                            " has seq ", e.seq(), " (log has a gap)"));
  }
  absl::StatusOr<LoopState> next = Apply(state_, ToLoopEvent(e), *options_);
  absl::Status with_case = next.ok() ? CheckWithCase(e) : next.status();
  if (!with_case.ok()) {
    return absl::DataLossError(absl::StrCat("case \"", case_.id(), "\": event ", e.seq(), " (",
                                            CaseEventName(e.type()),
                                            ") does not replay: ", with_case.message()));
  }
  if (e.from_state() != state_.state || e.to_state() != next->state) {
    return absl::DataLossError(absl::StrCat(
        "case \"", case_.id(), "\": event ", e.seq(), " records ", CaseStateName(e.from_state()),
        " -> ", CaseStateName(e.to_state()), " but replays ", CaseStateName(state_.state), " -> ",
        CaseStateName(next->state)));
  }
  state_ = *next;
  Effects(e);
  return absl::OkStatus();
}

absl::Status CaseLoop::Record(v1::CaseEvent event) {
  // Deadlines that passed before this event are breaches: the log records them first (once
  // each), dated when they fell due or at the last event, whichever is later. A breach changes
  // only the event count and the time, so the event is first checked against the state the
  // breaches would leave: a refused event leaves nothing behind, without copying the case.
  if (event.type() != v1::CASE_EVENT_TYPE_SLA_BREACH && state_.events > 0 && !state_.paused) {
    const absl::Time t = internal::ToTime(event.at());
    LoopState probe = state_;
    bool breaches = false;
    if (!IsTerminal(state_.state)) {
      for (const v1::Deadline& d : case_.deadlines()) {
        if (d.met() || d.breached() || !d.has_due()) continue;
        const absl::Time due = internal::ToTime(d.due());
        if (!(due < t)) continue;
        ++probe.events;
        probe.last_at = std::max(probe.last_at, due);
        breaches = true;
      }
    }
    if (breaches) {
      absl::StatusOr<LoopState> next = Apply(probe, ToLoopEvent(event), *options_);
      absl::Status checked = next.ok() ? CheckWithCase(event) : next.status();
      if (!checked.ok()) {
        return absl::Status(checked.code(),
                            absl::StrCat("case \"", case_.id(), "\": ", checked.message()));
      }
      FENGQIAO_RETURN_IF_ERROR(RecordBreachesBefore(t, "sla-clock").status());
    }
  }
  if (event.type() == v1::CASE_EVENT_TYPE_REVISIT && !event.satisfied() &&
      options_->redo_on_dissatisfaction) {
    return RevisitAndRedo(std::move(event));
  }
  return Append(std::move(event));
}

absl::Status CaseLoop::RevisitAndRedo(v1::CaseEvent revisit) {
  // 回访不满意，自动重办: the order goes back to its holder at once (REOPEN, then the same
  // holder's instruction, arming new clocks); a second dissatisfaction starts the redo under the
  // next supervising body (提级督办). All or nothing: the steps run on a copy.
  CaseLoop next = *this;
  FENGQIAO_RETURN_IF_ERROR(next.Append(revisit));
  int unsatisfied = 0;
  for (const v1::CaseEvent& e : next.case_.events()) {
    unsatisfied += e.type() == v1::CASE_EVENT_TYPE_REVISIT && !e.satisfied() ? 1 : 0;
  }
  v1::CaseEvent reopen =
      MakeEvent(v1::CASE_EVENT_TYPE_REOPEN, internal::ToTime(revisit.at()), revisit.actor());
  reopen.set_reason("回访不满意，退回重办 (the party is not satisfied: redo)");
  FENGQIAO_RETURN_IF_ERROR(next.Append(std::move(reopen)));
  v1::CaseEvent redo =
      MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, internal::ToTime(revisit.at()), "command-room");
  redo.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  redo.set_assignee(case_.assignee());
  redo.set_department(case_.department());
  redo.set_reason("重办 (redo after an unsatisfied revisit)");
  if (unsatisfied >= 2 && options_->supervision_bodies.size() > 1) {
    redo.set_supervision_step(v1::SUPERVISION_STEP_ESCALATED);
    redo.set_supervisor(options_->supervision_bodies[1]);
  }
  FENGQIAO_RETURN_IF_ERROR(next.Append(std::move(redo)));
  *this = std::move(next);
  return absl::OkStatus();
}

absl::Status CaseLoop::CheckWithCase(const v1::CaseEvent& event) const {
  const v1::CoHandler* co =
      FindCoHandler(case_, event.type() == v1::CASE_EVENT_TYPE_ADD_CO_HANDLER ? event.co_handler()
                                                                              : event.actor());
  switch (event.type()) {
    case v1::CASE_EVENT_TYPE_REVISIT: {
      if (event.has_rating()) {
        const v1::Satisfaction satisfaction = event.rating().satisfaction();
        if (!v1::Satisfaction_IsValid(satisfaction)) {
          return absl::InvalidArgumentError(
              absl::StrCat("REVISIT's rating.satisfaction is not a known answer: ", satisfaction));
        }
        if (satisfaction != v1::SATISFACTION_UNSPECIFIED &&
            event.satisfied() != (satisfaction != v1::SATISFACTION_DISSATISFIED)) {
          return absl::InvalidArgumentError(
              absl::StrCat("REVISIT says satisfied=", event.satisfied() ? "true" : "false",
                           " but its rating says ", LabelOf(satisfaction).zh,
                           ": the answer the loop acts on agrees with the rating"));
        }
      }
      const std::string* resolver = Resolver(Log());
      if (event.actor() == case_.assignee() || co != nullptr ||
          (resolver != nullptr && event.actor() == *resolver)) {
        return absl::FailedPreconditionError(
            "回访由办理人以外的人进行: the revisit is made by someone other than the handler, and "
            "this REVISIT's actor is one of the case's handlers");
      }
      break;
    }
    case v1::CASE_EVENT_TYPE_ADD_CO_HANDLER:
      if (event.co_handler().empty()) {
        return absl::InvalidArgumentError("ADD_CO_HANDLER names the co-handler (co_handler)");
      }
      if (event.co_handler() == case_.assignee() || co != nullptr) {
        return absl::FailedPreconditionError(
            "the co-handler is already the lead (主办) or a co-handler (协办) of the case");
      }
      break;
    case v1::CASE_EVENT_TYPE_CO_HANDLER_ACCEPT:
    case v1::CASE_EVENT_TYPE_CO_HANDLER_DONE: {
      const bool accept = event.type() == v1::CASE_EVENT_TYPE_CO_HANDLER_ACCEPT;
      if (co == nullptr || (accept ? co->has_accepted_at() : co->has_done_at())) {
        return absl::FailedPreconditionError(absl::StrCat(
            CaseEventName(event.type()), " is recorded by a co-handler added to the case that ",
            accept ? "has not accepted yet" : "is not done yet"));
      }
      break;
    }
    case v1::CASE_EVENT_TYPE_APPROVE_EXTENSION: {
      const v1::CaseEvent* asked = LastOf(Log(), v1::CASE_EVENT_TYPE_REQUEST_EXTENSION);
      if (asked != nullptr && (event.extension_working_days() < 0 ||
                               event.extension_working_days() > asked->extension_working_days())) {
        return absl::InvalidArgumentError(
            absl::StrCat("APPROVE_EXTENSION grants at most the ", asked->extension_working_days(),
                         " working days asked for (extension_working_days), not ",
                         event.extension_working_days()));
      }
      break;
    }
    case v1::CASE_EVENT_TYPE_SUPERVISE:
      return CheckSupervision(event);
    case v1::CASE_EVENT_TYPE_TRANSFER_PLATFORM:
    case v1::CASE_EVENT_TYPE_THREE_WAY_CALL:
      return CheckLinkage(event);
    case v1::CASE_EVENT_TYPE_RETURN:
      return CheckReturnWindow(event);
    case v1::CASE_EVENT_TYPE_MERGE:
    case v1::CASE_EVENT_TYPE_MARK_DUPLICATE:
      return CheckMerge(event);
    case v1::CASE_EVENT_TYPE_ASSIGN:
      // A redo after a second dissatisfaction starts under the next body (提级督办); no other
      // step rides on an instruction.
      if (event.supervision_step() != v1::SUPERVISION_STEP_UNSPECIFIED &&
          (event.supervision_step() != v1::SUPERVISION_STEP_ESCALATED ||
           options_->supervision_bodies.size() < 2)) {
        return absl::InvalidArgumentError(
            "an ASSIGN carries supervision_step only as 提级督办 (escalated) of a redo, and only "
            "when supervision_bodies has a body above the platform's");
      }
      break;
    case v1::CASE_EVENT_TYPE_CONSULT:
      if (case_.has_consultation() &&
          internal::ToTime(event.at()) < internal::ToTime(case_.consultation().meeting_at())) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the ", LabelOf(case_.consultation().level()).zh,
            "会商 with this case on its agenda is "
            "held at ",
            absl::FormatTime("%Y-%m-%d %H:%M %z",
                             internal::ToTime(case_.consultation().meeting_at()), ChinaTimeZone()),
            "; its outcome cannot be recorded before"));
      }
      if (event.consultation_outcome() == v1::CONSULTATION_OUTCOME_ASSIGNED &&
          ((event.assignee().empty() && event.department() == v1::DEPARTMENT_UNSPECIFIED) ||
           internal::ToDuration(event.sla().resolve()) <= absl::ZeroDuration())) {
        return absl::InvalidArgumentError(
            "a consultation's 交办 names who takes the case (assignee or department) and its "
            "deadline (sla.resolve)");
      }
      break;
    default:
      break;
  }
  return absl::OkStatus();
}

absl::Status CaseLoop::CheckSupervision(const v1::CaseEvent& event) const {
  const v1::SupervisionStep step = event.supervision_step();
  if (step == v1::SUPERVISION_STEP_UNSPECIFIED || !v1::SupervisionStep_IsValid(step)) {
    return absl::InvalidArgumentError(
        "SUPERVISE names its step (supervision_step: reminder 催办, notice 催办通知书, circular "
        "通报 or escalated 提级督办)");
  }
  const v1::Deadline* resolve = RunningResolve(case_);
  if (resolve == nullptr) {
    return absl::FailedPreconditionError(
        "督办 follows the holder's 办结时限, and this case has no running resolve deadline");
  }
  const absl::Time at = internal::ToTime(event.at()), due = internal::ToTime(resolve->due());
  const absl::TimeZone tz = ChinaTimeZone();
  auto day = [&](absl::Time t) { return absl::FormatTime("%Y-%m-%d", t, tz); };
  const v1::Supervision& so_far = case_.supervision();
  switch (step) {
    case v1::SUPERVISION_STEP_REMINDER:
      if (at >= due) {
        return absl::FailedPreconditionError(
            absl::StrCat("催办 comes before the due date (", day(due),
                         "); on or after it the centre sends a 催办通知书 (notice)"));
      }
      break;
    case v1::SUPERVISION_STEP_NOTICE:
      if (at < due) {
        return absl::FailedPreconditionError(absl::StrCat(
            "a 催办通知书 is sent on or after the due date (", day(due), "); before it, 催办"));
      }
      break;
    case v1::SUPERVISION_STEP_CIRCULAR: {
      const absl::Time from = WorkingDays(options_->working_calendar.get())
                                  .After(due, options_->circular_after_working_days);
      if (at < from) {
        return absl::FailedPreconditionError(
            absl::StrCat("a 通报 (circular) comes ", options_->circular_after_working_days,
                         " working days after the due date (", day(due), "): from ", day(from)));
      }
      break;
    }
    default:  // ESCALATED
      if (so_far.rounds() < options_->supervision_after_rounds) {
        return absl::FailedPreconditionError(absl::StrCat(
            "提级督办 follows ", options_->supervision_after_rounds,
            " rounds of notices and circulars at the current level; this order has had ",
            so_far.rounds()));
      }
      if (static_cast<size_t>(so_far.level()) + 1 >= options_->supervision_bodies.size()) {
        return absl::FailedPreconditionError(
            "the order is already supervised by the last body of supervision_bodies: it cannot "
            "climb further");
      }
      break;
  }
  return absl::OkStatus();
}

absl::Status CaseLoop::CheckLinkage(const v1::CaseEvent& event) const {
  const v1::Platform from = case_.platform(), to = event.platform();
  const bool transfer = event.type() == v1::CASE_EVENT_TYPE_TRANSFER_PLATFORM;
  if (!v1::Platform_IsValid(to) || (transfer && to == v1::PLATFORM_UNSPECIFIED)) {
    return absl::InvalidArgumentError(absl::StrCat(
        CaseEventName(event.type()),
        transfer ? " names the receiving platform" : " names the platform agreed, if any",
        " (platform: 110 or 12345), not ", static_cast<int>(to)));
  }
  if (transfer && !(event.linkage() == v1::LINKAGE_MODE_ONE_CLICK ||
                    event.linkage() == v1::LINKAGE_MODE_AFTER_CALL ||
                    event.linkage() == v1::LINKAGE_MODE_EMERGENCY_PUSH)) {
    return absl::InvalidArgumentError(
        "TRANSFER_PLATFORM says how (linkage: one-click 一键转接, after a three-way call, or "
        "12345's emergency push 紧急推送)");
  }
  if (from == v1::PLATFORM_UNSPECIFIED) {
    return absl::FailedPreconditionError(
        absl::StrCat(CaseEventName(event.type()),
                     " is between 110 and 12345, and no hotline received this "
                     "matter (channel ",
                     LabelOf(case_.incident().channel()).short_name, ")"));
  }
  if (!transfer) return absl::OkStatus();
  if (to == from) {
    return absl::FailedPreconditionError(
        absl::StrCat("the matter is already with ", LabelOf(from).zh));
  }
  // The three-way call held since the matter came to this platform, if any.
  const v1::CaseEvent* call = nullptr;
  for (const v1::CaseEvent* e : Log()) {
    if (e->type() == v1::CASE_EVENT_TYPE_THREE_WAY_CALL) call = e;
    if (e->type() == v1::CASE_EVENT_TYPE_TRANSFER_PLATFORM) call = nullptr;
  }
  if (event.linkage() == v1::LINKAGE_MODE_EMERGENCY_PUSH) {
    if (from != v1::PLATFORM_12345 || to != v1::PLATFORM_110) {
      return absl::FailedPreconditionError(
          "紧急推送 is 12345 pushing an emergency to 110, not the other way");
    }
    return absl::OkStatus();  // an emergency goes, whatever a call said
  }
  if (call != nullptr && call->platform() == v1::PLATFORM_UNSPECIFIED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "首接负责: the three-way call could not agree who takes the matter, so the platform that "
        "received it first handles it (先行受理): ",
        LabelOf(from).zh));
  }
  if (call != nullptr && call->platform() != to) {
    return absl::FailedPreconditionError(
        absl::StrCat("the three-way call agreed that ", LabelOf(call->platform()).zh, " takes it"));
  }
  if (event.linkage() == v1::LINKAGE_MODE_AFTER_CALL && call == nullptr) {
    return absl::FailedPreconditionError(
        "a transfer after a three-way call follows a THREE_WAY_CALL that agreed on the receiving "
        "platform");
  }
  const v1::CaseState s = state_.state;
  if (s != v1::CASE_STATE_REPORTED && s != v1::CASE_STATE_TRIAGED && s != v1::CASE_STATE_RETURNED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "a matter being handled (", CaseStateName(s),
        ") is not transferred between 110 and 12345, except an emergency 12345 pushes to 110; "
        "transfers are made at intake or after a department's return"));
  }
  return absl::OkStatus();
}

absl::Status CaseLoop::CheckMerge(const v1::CaseEvent& event) const {
  if (event.type() == v1::CASE_EVENT_TYPE_MARK_DUPLICATE) {
    if (!event.duplicate_of().empty() && event.duplicate_of() == case_.id()) {
      return absl::InvalidArgumentError("MARK_DUPLICATE: a case is not a duplicate of itself");
    }
    return absl::OkStatus();
  }
  if (event.merged_case_id().empty() || event.merged_requests_size() == 0) {
    return absl::InvalidArgumentError(
        "MERGE names the duplicate case (merged_case_id) and carries its report "
        "(merged_requests)");
  }
  if (event.merged_case_id() == case_.id()) {
    return absl::InvalidArgumentError("MERGE: a case cannot be merged into itself");
  }
  for (int i = 0; i < event.merged_requests_size(); ++i) {
    if (event.merged_requests(i).id().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("MERGE: merged_requests[", i, "] has no incident id"));
    }
  }
  for (const v1::CaseEvent* e : Log()) {
    if (e->type() == v1::CASE_EVENT_TYPE_MERGE && e->merged_case_id() == event.merged_case_id()) {
      return absl::FailedPreconditionError(
          absl::StrCat("case \"", event.merged_case_id(),
                       "\" is already merged into this one (event ", e->seq(), ")"));
    }
  }
  return absl::OkStatus();
}

absl::Status CaseLoop::CheckReturnWindow(const v1::CaseEvent& event) const {
  const int n = options_->return_within_working_days;
  if (n <= 0) return absl::OkStatus();
  const absl::Span<const v1::CaseEvent* const> log = Log();
  for (auto it = log.rbegin(); it != log.rend(); ++it) {
    if (!IsInstruction(**it)) continue;
    const absl::Time by =
        WorkingDays(options_->working_calendar.get()).After(internal::ToTime((*it)->at()), n);
    if (internal::ToTime(event.at()) > by) {
      return absl::FailedPreconditionError(
          absl::StrCat("首接负责: a department returns a matter within ", n,
                       " working day(s) of receiving it (by ",
                       absl::FormatTime("%Y-%m-%d %H:%M %z", by, ChinaTimeZone()),
                       "), with its basis; after that the matter is its own to handle"));
    }
    break;
  }
  return absl::OkStatus();
}

void CaseLoop::Complete(v1::CaseEvent& event, const LoopState& before,
                        const LoopState& after) const {
  if (event.tier() == v1::TIER_UNSPECIFIED) event.set_tier(after.tier);
  event.set_level(static_cast<v1::AreaLevel>(after.level));
  if (after.on_agenda && (!before.on_agenda || after.level != before.level) &&
      !event.has_consultation()) {
    // Onto the agenda of the next meeting of the level the case reached.
    const absl::Time at = internal::ToTime(event.at());
    Consultation meeting = MeetingOf(options_->consultation_calendar.get(),
                                     static_cast<v1::AreaLevel>(after.level), at);
    v1::ConsultationItem* item = event.mutable_consultation();
    item->set_level(static_cast<v1::AreaLevel>(after.level));
    *item->mutable_meeting_at() = internal::ToTimestamp(meeting.at);
    *item->mutable_since() = event.at();
    item->set_moved_off(std::move(meeting.moved_off));
  }
  if (IsEscalation(event.type())) {
    if (event.type() == v1::CASE_EVENT_TYPE_MEDIATION_FAILED) {
      event.set_escalation_reason(v1::ESCALATION_REASON_MEDIATION_FAILED);
    }
    event.set_ladder_override(after.overrides > before.overrides);
    if (!event.has_sla()) {
      // The new tier's SLA: configured for the tier, or the current resolve and revisit times
      // without the 1/3/10 clocks (they apply only where a rule's action says so).
      auto it = options_->tier_sla.find(after.tier);
      if (it != options_->tier_sla.end()) {
        *event.mutable_sla() = it->second;
      } else {
        *event.mutable_sla()->mutable_resolve() = case_.sla().resolve();
        *event.mutable_sla()->mutable_revisit() = case_.sla().revisit();
      }
    }
  }
  if (event.type() == v1::CASE_EVENT_TYPE_SUPERVISE && event.supervisor().empty()) {
    // The body taking the step: the current one, or the next for 提级督办.
    const size_t level = static_cast<size_t>(case_.supervision().level()) +
                         (event.supervision_step() == v1::SUPERVISION_STEP_ESCALATED ? 1 : 0);
    if (level < options_->supervision_bodies.size()) {
      event.set_supervisor(options_->supervision_bodies[level]);
    }
  }
  if (event.type() == v1::CASE_EVENT_TYPE_APPROVE_EXTENSION &&
      event.extension_working_days() == 0) {
    if (const v1::CaseEvent* asked = LastOf(Log(), v1::CASE_EVENT_TYPE_REQUEST_EXTENSION)) {
      event.set_extension_working_days(asked->extension_working_days());
    }
  }
  const bool review = event.type() == v1::CASE_EVENT_TYPE_APPROVE_RETURN ||
                      event.type() == v1::CASE_EVENT_TYPE_REJECT_RETURN;
  if (review && event.department() == v1::DEPARTMENT_UNSPECIFIED) {
    if (const v1::CaseEvent* last_return = LastOf(Log(), v1::CASE_EVENT_TYPE_RETURN);
        last_return != nullptr) {
      event.set_department(event.type() == v1::CASE_EVENT_TYPE_APPROVE_RETURN
                               ? last_return->should_go_to()
                               : last_return->refused_by());
    }
  }
  if (IsInstruction(event) && event.assignee().empty() &&
      event.department() != v1::DEPARTMENT_UNSPECIFIED) {
    event.set_assignee(std::string(LabelOf(event.department()).short_name));
  }
  if (before.state == v1::CASE_STATE_IN_MEDIATION && after.state != before.state) {
    if (event.mediation_type() == v1::MEDIATION_TYPE_UNSPECIFIED) {
      event.set_mediation_type(before.mediation);
    }
    if (event.mediation_outcome() == v1::MEDIATION_OUTCOME_UNSPECIFIED) {
      event.set_mediation_outcome(v1::MEDIATION_OUTCOME_TERMINATED);  // RESOLVE always has one
    }
  }
}

void CaseLoop::Effects(const v1::CaseEvent& e) {
  const absl::Time at = internal::ToTime(e.at());
  case_.set_state(state_.state);
  case_.set_tier(state_.tier);
  case_.set_level(static_cast<v1::AreaLevel>(state_.level));
  if (e.has_consultation()) *case_.mutable_consultation() = e.consultation();
  if (e.type() == v1::CASE_EVENT_TYPE_REPORT) {
    case_.set_platform(PlatformOf(case_.incident().channel()));
    case_.set_first_platform(case_.platform());
  } else if (e.type() == v1::CASE_EVENT_TYPE_TRANSFER_PLATFORM) {
    case_.set_platform(e.platform());
  }
  if (!state_.on_agenda) case_.clear_consultation();
  if (e.type() == v1::CASE_EVENT_TYPE_SLA_BREACH) {
    for (v1::Deadline& d : *case_.mutable_deadlines()) {
      if (d.name() == e.deadline() && !d.met() && !d.breached() &&
          (e.co_handler().empty() || d.holder() == e.co_handler())) {
        d.set_breached(true);
        break;
      }
    }
    return;
  }
  if (const char* met = DeadlineMetBy(e); met != nullptr) {
    for (v1::Deadline& d : *case_.mutable_deadlines()) {
      if (d.name() != met || d.met() || !d.has_due()) continue;
      d.set_met(true);  // met late, it stays breached too
      *d.mutable_closed_at() = e.at();
    }
  }
  if (IsHandOver(e)) {
    for (v1::Deadline& d : *case_.mutable_deadlines()) {
      if (!d.has_closed_at()) *d.mutable_closed_at() = e.at();
      *case_.add_closed_deadlines() = std::move(d);
    }
    case_.clear_deadlines();
    case_.clear_supervision();  // a new order: its supervision starts again
    if (IsInstruction(e) && e.supervision_step() == v1::SUPERVISION_STEP_ESCALATED) {
      v1::Supervision* s = case_.mutable_supervision();  // a redo supervised from the start
      s->set_level(1);
      s->set_body(e.supervisor());
      *s->mutable_last_at() = e.at();
    }
  }
  if (e.type() == v1::CASE_EVENT_TYPE_SUPERVISE) {
    v1::Supervision* s = case_.mutable_supervision();
    switch (e.supervision_step()) {
      case v1::SUPERVISION_STEP_REMINDER:
        s->set_reminders(s->reminders() + 1);
        break;
      case v1::SUPERVISION_STEP_NOTICE:
        s->set_notices(s->notices() + 1);
        s->set_rounds(s->rounds() + 1);
        break;
      case v1::SUPERVISION_STEP_CIRCULAR:
        s->set_circulars(s->circulars() + 1);
        s->set_rounds(s->rounds() + 1);
        break;
      default:  // ESCALATED
        s->set_level(s->level() + 1);
        s->set_rounds(0);
        break;
    }
    s->set_body(e.supervisor());
    *s->mutable_last_at() = e.at();
  }
  CoHandlerEffects(e);
  if (IsEscalation(e.type()) && e.has_sla()) *case_.mutable_sla() = e.sla();
  if (e.department() != v1::DEPARTMENT_UNSPECIFIED) case_.set_department(e.department());
  if (!e.assignee().empty()) case_.set_assignee(e.assignee());
  if (IsInstruction(e)) {
    if (e.has_sla()) *case_.mutable_sla() = e.sla();
    for (v1::Deadline& d : DeadlinesFor(case_.sla(), at)) {
      if (!d.has_due()) continue;  // the revisit is armed by the resolution
      d.set_holder(case_.assignee());
      d.set_tier(state_.tier);
      *case_.add_deadlines() = std::move(d);
    }
    if (const int days = case_.sla().resolve_working_days(); days > 0) {
      // 办结时限 in working days on the district's calendar, in place of the wall-clock resolve.
      v1::Deadline* resolve = nullptr;
      for (v1::Deadline& d : *case_.mutable_deadlines()) {
        if (d.name() == "resolve" && d.armed_at().seconds() == e.at().seconds()) resolve = &d;
      }
      if (resolve == nullptr) {
        resolve = case_.add_deadlines();
        resolve->set_name("resolve");
        *resolve->mutable_armed_at() = e.at();
        resolve->set_holder(case_.assignee());
        resolve->set_tier(state_.tier);
      }
      *resolve->mutable_due() =
          internal::ToTimestamp(WorkingDays(options_->working_calendar.get()).After(at, days));
      resolve->set_working_days(days);
    }
    const absl::Duration feedback = internal::ToDuration(e.feedback_within());
    if (feedback > absl::ZeroDuration()) {
      v1::Deadline* d = case_.add_deadlines();
      d->set_name("feedback");
      *d->mutable_due() = internal::ToTimestamp(at + feedback);
      *d->mutable_armed_at() = e.at();
      d->set_holder(case_.assignee());
      d->set_tier(state_.tier);
    }
  }
  if (e.type() == v1::CASE_EVENT_TYPE_RESUME) ShiftForPause(e);
  if (e.type() == v1::CASE_EVENT_TYPE_APPROVE_EXTENSION) {
    const WorkingDays days(options_->working_calendar.get());
    for (v1::Deadline& d : *case_.mutable_deadlines()) {
      if (d.name() != "resolve" || d.met() || !d.has_due()) continue;
      *d.mutable_due() =
          internal::ToTimestamp(days.After(internal::ToTime(d.due()), e.extension_working_days()));
      d.set_working_days(d.working_days() + e.extension_working_days());
    }
  }
  const absl::Duration revisit = internal::ToDuration(case_.sla().revisit());
  const int revisit_days = case_.sla().revisit_working_days();
  if (Resolves(e) && (revisit > absl::ZeroDuration() || revisit_days > 0)) {
    // A resolution (again, after a reopen) arms the revisit clock: in working days, by the end
    // of the n-th working day after it (次日回访: 1), else the wall-clock time.
    auto& ds = *case_.mutable_deadlines();
    ds.erase(std::remove_if(ds.begin(), ds.end(),
                            [](const v1::Deadline& d) { return d.name() == "revisit"; }),
             ds.end());
    v1::Deadline* d = case_.add_deadlines();
    d->set_name("revisit");
    absl::Time due = at + revisit;
    if (revisit_days > 0) {
      const absl::TimeZone tz = ChinaTimeZone();
      const absl::CivilDay day =
          WorkingDays(options_->working_calendar.get()).Add(absl::ToCivilDay(at, tz), revisit_days);
      due = absl::FromCivil(day + 1, tz);  // the end of that working day
      d->set_working_days(revisit_days);
    }
    *d->mutable_due() = internal::ToTimestamp(due);
    *d->mutable_armed_at() = e.at();
    d->set_tier(state_.tier);
  }
}

void CaseLoop::ShiftForPause(const v1::CaseEvent& resume) {
  const v1::CaseEvent* pause = LastOf(Log(), v1::CASE_EVENT_TYPE_PAUSE);
  if (pause == nullptr) return;
  const absl::Time from = internal::ToTime(pause->at()), to = internal::ToTime(resume.at());
  const absl::Duration still = to - from;
  const WorkingDays days(options_->working_calendar.get());
  const absl::TimeZone tz = ChinaTimeZone();
  const int working_days_paused =
      days.Between(absl::ToCivilDay(from, tz), absl::ToCivilDay(to, tz));
  // Every clock that was running moves by the pause: a working-day clock by the working days it
  // stood still, a wall clock by the time.
  for (v1::Deadline& d : *case_.mutable_deadlines()) {
    if (d.met() || d.breached() || !d.has_due()) continue;
    const absl::Time due = internal::ToTime(d.due());
    *d.mutable_due() = internal::ToTimestamp(
        d.working_days() > 0 ? days.After(due, working_days_paused) : due + still);
    *d.mutable_paused() = internal::ToProtoDuration(internal::ToDuration(d.paused()) + still);
  }
}

void CaseLoop::CoHandlerEffects(const v1::CaseEvent& e) {
  if (e.type() == v1::CASE_EVENT_TYPE_ADD_CO_HANDLER) {
    v1::CoHandler* co = case_.add_co_handlers();
    co->set_id(e.co_handler());
    *co->mutable_added_at() = e.at();
    const absl::Duration accept = internal::ToDuration(e.sla().accept());
    if (accept > absl::ZeroDuration()) {
      v1::Deadline* d = case_.add_deadlines();
      d->set_name("co_accept");
      *d->mutable_due() = internal::ToTimestamp(internal::ToTime(e.at()) + accept);
      *d->mutable_armed_at() = e.at();
      d->set_holder(e.co_handler());
      d->set_tier(state_.tier);
    }
    return;
  }
  const bool accept = e.type() == v1::CASE_EVENT_TYPE_CO_HANDLER_ACCEPT;
  if (!accept && e.type() != v1::CASE_EVENT_TYPE_CO_HANDLER_DONE) return;
  for (v1::CoHandler& co : *case_.mutable_co_handlers()) {
    if (co.id() != e.actor()) continue;
    if (accept) {
      *co.mutable_accepted_at() = e.at();
    } else {
      *co.mutable_done_at() = e.at();
      co.set_outcome(e.reason());
    }
  }
  if (!accept) return;
  for (v1::Deadline& d : *case_.mutable_deadlines()) {
    if (d.name() == "co_accept" && d.holder() == e.actor() && !d.met()) {
      d.set_met(true);
      *d.mutable_closed_at() = e.at();
    }
  }
}

absl::Status CaseLoop::Append(v1::CaseEvent event) {
  event.set_case_id(case_.id());
  event.set_seq(state_.events + 1);
  absl::StatusOr<LoopState> next = Apply(state_, ToLoopEvent(event), *options_);
  absl::Status with_case = next.ok() ? CheckWithCase(event) : next.status();
  if (!with_case.ok()) {
    return absl::Status(with_case.code(),
                        absl::StrCat("case \"", case_.id(), "\": ", with_case.message()));
  }
  event.set_from_state(state_.state);
  event.set_to_state(next->state);
  Complete(event, state_, *next);
  state_ = *next;
  Effects(event);
  *case_.add_events() = std::move(event);
  return absl::OkStatus();
}

absl::StatusOr<int> CaseLoop::RecordBreachesBefore(absl::Time t, absl::string_view actor) {
  int recorded = 0;
  if (IsTerminal(state_.state) || state_.paused) return 0;  // a paused clock does not run
  for (int i = 0; i < case_.deadlines_size(); ++i) {
    const v1::Deadline& d = case_.deadlines(i);
    if (d.met() || d.breached() || !d.has_due() || !(internal::ToTime(d.due()) < t)) continue;
    v1::CaseEvent breach = MakeEvent(v1::CASE_EVENT_TYPE_SLA_BREACH,
                                     std::max(internal::ToTime(d.due()), state_.last_at), actor);
    breach.set_deadline(d.name());
    if (d.name() == "co_accept") breach.set_co_handler(d.holder());
    FENGQIAO_RETURN_IF_ERROR(Append(std::move(breach)));  // marks the deadline breached
    ++recorded;
  }
  return recorded;
}

std::vector<v1::Deadline> CaseLoop::Overdue(absl::Time now) const {
  std::vector<v1::Deadline> out;
  if (IsTerminal(state_.state) || state_.paused) return out;
  for (const v1::Deadline& d : case_.deadlines()) {
    if (!d.met() && d.has_due() && internal::ToTime(d.due()) < now) out.push_back(d);
  }
  return out;
}

absl::StatusOr<int> CaseLoop::RecordBreaches(absl::Time now, absl::string_view actor) {
  return RecordBreachesBefore(now, actor);
}

absl::Status MergeDuplicate(CaseLoop& lead, CaseLoop& duplicate, absl::Time at,
                            absl::string_view actor) {
  if (lead.id() == duplicate.id()) {
    return absl::InvalidArgumentError("并单: a case cannot be merged into itself");
  }
  v1::CaseEvent merge = MakeEvent(v1::CASE_EVENT_TYPE_MERGE, at, actor);
  merge.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  merge.set_merged_case_id(duplicate.id());
  for (const v1::Incident* request : Requests(duplicate.proto())) {
    *merge.add_merged_requests() = *request;
  }
  v1::CaseEvent mark = MakeEvent(v1::CASE_EVENT_TYPE_MARK_DUPLICATE, at, actor);
  mark.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
  mark.set_duplicate_of(lead.id());
  mark.set_reason(absl::StrCat("并单 into ", lead.id()));
  // Both on copies; the originals change only when both are recorded.
  CaseLoop next_lead = lead;
  FENGQIAO_RETURN_IF_ERROR(next_lead.Record(std::move(merge)));
  CaseLoop next_duplicate = duplicate;
  FENGQIAO_RETURN_IF_ERROR(next_duplicate.Record(std::move(mark)));
  lead = std::move(next_lead);
  duplicate = std::move(next_duplicate);
  return absl::OkStatus();
}

std::vector<const v1::Incident*> Requests(const v1::Case& order) {
  std::vector<const v1::Incident*> out = {&order.incident()};
  for (const v1::CaseEvent& e : order.events()) {
    if (e.type() != v1::CASE_EVENT_TYPE_MERGE) continue;
    for (const v1::Incident& request : e.merged_requests()) out.push_back(&request);
  }
  return out;
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
  escalate.set_escalation_reason(v1::ESCALATION_REASON_DEADLINE_BREACH);
  escalate.set_reason("resolve deadline passed unmet (逾期未办结)");
  FENGQIAO_RETURN_IF_ERROR(loop.Record(std::move(escalate)));
  return true;
}

}  // namespace fengqiao
