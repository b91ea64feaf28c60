// File: fengqiao/closure/case_loop.h
// The closure loop (闭环) of a case: discover -> transfer -> handle -> feed back -> track ->
// revisit -> close, as a pure transition function over a compact state, and a CaseLoop that keeps
// a case's event log (who, when, from, to, why) with the deadlines of whoever holds the case.
//
//   fengqiao::v1::Incident incident;
//   incident.set_id("c-0001");
//   fengqiao::v1::Decision decision;
//   decision.set_rule_id("noise-property-butler");
//   decision.mutable_action()->set_tier(fengqiao::v1::TIER_MEDIATOR);
//   decision.mutable_action()->mutable_sla()->mutable_accept()->set_seconds(60);
//   decision.mutable_action()->mutable_sla()->mutable_resolve()->set_seconds(3 * 86400);
//   const absl::Time t0 = absl::FromUnixSeconds(1791943200);  // 2026-10-14 10:00 +08
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::CaseLoop loop,
//                             fengqiao::CaseLoop::Open(incident, decision, t0, "110"));
//   fengqiao::v1::CaseEvent assign = fengqiao::MakeEvent(fengqiao::v1::CASE_EVENT_TYPE_ASSIGN,
//                                                        t0 + absl::Minutes(5), "dispatcher");
//   assign.set_assignee("m-0042");  // the instruction arms m-0042's accept and resolve clocks
//   FENGQIAO_RETURN_IF_ERROR(loop.Record(assign));
//   FENGQIAO_RETURN_IF_ERROR(loop.Record(fengqiao::MakeEvent(
//       fengqiao::v1::CASE_EVENT_TYPE_ACCEPT, t0 + absl::Minutes(5) + absl::Seconds(40),
//       "m-0042")));
//   std::vector<fengqiao::v1::Deadline> late = loop.Overdue(t0 + absl::Hours(1));
//   if (!late.empty()) return absl::InternalError("accepted within a minute of the instruction");
//   return absl::OkStatus();
//
// The normal path, per tier (docs/case_loop.md draws the whole transition table):
//   every case   REPORT -> TRIAGE (the routing decision's tier) -> ASSIGN (派单: the instruction
//                arms the holder's clocks) ... -> RESOLVE -> GIVE_FEEDBACK -> [TRACK] ->
//                REVISIT (by someone other than the handler) -> CLOSE (satisfied) or REOPEN;
//                after a redo (a reopen) the command room may CLOSE an order the party is still
//                unsatisfied with, with a reason (不满意办结: the rating stands).
//   MEDIATOR, COMMUNITY_POLICE, LAWYER, JOINT_MEDIATION, COURT_REFERRAL
//                ASSIGN -> ACCEPT -> CONTACT -> [ARRIVE] -> START_MEDIATION -> RESOLVE (with the
//                mediation's type and agreement); or MEDIATION_FAILED (终止) -> ESCALATED at the
//                next rung (MEDIATOR, DEPARTMENT_DIVERSION -> COMMUNITY_POLICE; COMMUNITY_POLICE,
//                LAWYER -> JOINT_MEDIATION -> COURT_REFERRAL) -> ASSIGN to the new holder.
//   POLICE_DISPATCH
//                ASSIGN -> ACCEPT (1 min) -> CONTACT (3 min) -> ARRIVE (10 min) -> RESOLVE; the
//                1/3/10 clocks run from the instruction and only where the rule's SLA has them.
//   DEPARTMENT_DIVERSION
//                ASSIGN (to the department, 限时反馈 via feedback_within) -> ACCEPT -> CONTACT ->
//                RESOLVE -> GIVE_FEEDBACK; or RETURN (naming who should take it) -> the command
//                room's APPROVE_RETURN (re-divert) or REJECT_RETURN (back, with a reason) ->
//                ASSIGNED; the return after max_returns goes to IN_ARBITRATION -> ARBITRATE
//                (裁定, final: no further return).
//   co-handlers  beside the lead (主办 = assignee), e.g. the lawyer on duty in 警律联调: from
//                ASSIGNED to IN_MEDIATION, ADD_CO_HANDLER (its own accept clock: sla.accept) ->
//                CO_HANDLER_ACCEPT -> CO_HANDLER_DONE (outcome in reason); the state stays.
//   any open state before resolution: ESCALATE with a reason (risk of violence -> POLICE_DISPATCH
//                from anywhere), CANCEL, MARK_DUPLICATE; SLA_BREACH anywhere open.
//   并单         the command room's MERGE on the order that stays (any open state, paused too; the
//                state stays) keeps the duplicate's requester: merged_requests carries its report;
//                the duplicate records MARK_DUPLICATE with duplicate_of (MergeDuplicate does both,
//                all or nothing; Requests lists every requester).
//   levels       a case is held by a level (社区 / 街道 / 区: HandlingLevel of its tier at triage);
//                an escalation past the level puts it on the agenda of the next "512" meeting of
//                the level it reaches (street: Monday, district: Tuesday; consultation_calendar),
//                where CONSULT records the outcome on or after the meeting: RESOLVED (settled),
//                ASSIGNED (交办: an instruction with a resolve deadline, from the meeting) or
//                SENT_UP (onto the district's next meeting; the district's is the top). A case
//                resolved before its meeting leaves the agenda. The level is never lowered.
//   work orders  while the holder has it (ASSIGNED .. IN_MEDIATION): PAUSE (挂起, reason) stops
//                every clock until RESUME moves their due times by the pause (working-day clocks
//                by the working days it covered); REQUEST_EXTENSION (延期: 1..max working days,
//                reason; at most max_extensions) -> the centre's APPROVE_EXTENSION (the party
//                told: party_notified; the resolve clock moves by the working days granted) or
//                REJECT_EXTENSION (reason). Sla.resolve_working_days counts 办结时限 in working
//                days on CaseLoopOptions::working_calendar.
//   督办 (supervision of the holder's order, by the command room; the state does not change):
//                SUPERVISE with supervision_step REMINDER (催办, before the holder's resolve
//                deadline), NOTICE (催办通知书, on or after it), CIRCULAR (通报, from
//                circular_after_working_days working days after it), ESCALATED (提级督办, after
//                supervision_after_rounds notices and circulars, to the next of
//                supervision_bodies). Case.supervision counts the current holder's steps; a
//                hand-over starts it again. With redo_on_dissatisfaction an unsatisfied REVISIT
//                sends the order back for redo (REOPEN + ASSIGN to the same holder, recorded by
//                the loop); from the second one the redo is supervised from the start.
//                REVISIT may carry RevisitRating (contacted, solved, satisfaction); the
//                command room's REVIEW_RATING (差评甄别) sets an unsatisfied rating aside (the
//                case may CLOSE) or lets it stand.
//   110 ↔ 12345: Case.platform is the hotline holding the matter (from the incident's
//                channel); TRANSFER_PLATFORM -> REPORTED hands it to the other (ONE_CLICK at
//                intake or after a return, AFTER_CALL following a THREE_WAY_CALL that agreed,
//                EMERGENCY_PUSH from 12345 to 110 at any handling step); a three-way call
//                that cannot agree leaves it with the first receiver (先行受理).
//   首接负责:    with return_within_working_days, a RETURN later than that after the holder's
//                instruction is refused: the matter is the holder's own.
//
// Errors: an event the state does not accept is FailedPrecondition naming the state, the event
// and the events allowed there; so is an escalation off the ladder without an allowed override,
// a return after arbitration, a review by someone other than the command room, a revisit by the
// handler or a co-handler, a co-handler added twice or as the lead, and a co-handler step by
// someone not added or already past it. A malformed event is InvalidArgument: dated before the
// case's last event; reopen, return, cancel, reject-return, arbitrate, override or
// CO_HANDLER_DONE without a reason; ADD_CO_HANDLER without co_handler; an escalation without its
// reason; a return without the department that should take it; START_MEDIATION without the
// mediation's type (人民调解 / 治安调解); RESOLVE of a mediation without its agreement (written,
// oral, 司法确认 applied for); MEDIATION_FAILED with an agreement (its outcome is 终止); CONSULT
// without its outcome, or assigning without assignee and resolve deadline. CONSULT on a case on
// no agenda, before its meeting, or sending up from the district is FailedPrecondition; so is any
// event but RESUME, CANCEL, MARK_DUPLICATE, MERGE on a paused case, RESUME of a running one, an
// extension asked while one is pending or past max_extensions, decided by someone other than the
// command room, or decided with none pending. PAUSE, REQUEST_EXTENSION and REJECT_EXTENSION
// without a reason, an extension of 0 or more than max_extension_working_days working days, or
// an approval without party_notified or of more days than asked is InvalidArgument. Restore
// reports a log that does not replay as DataLoss. SUPERVISE without a known step is
// InvalidArgument; by someone other than the command room, on a case with no running resolve
// deadline of its holder, a step before its time (a reminder after the due date, a notice
// before it, a circular before circular_after_working_days past it, 提级督办 before
// supervision_after_rounds rounds) or past the last supervising body is FailedPrecondition.
// TRANSFER_PLATFORM without a known receiving platform or linkage, THREE_WAY_CALL with an
// unknown platform, a REVISIT whose satisfied contradicts its rating or with an unknown
// satisfaction, and REVIEW_RATING without a reason are InvalidArgument; a transfer of a matter
// no hotline received, to where it is, against a call's outcome, one-click while it is being
// handled, an emergency push other than 12345 to 110, a review by someone other than the
// command room or of a satisfied revisit, and a late return are FailedPrecondition. MERGE
// without merged_case_id or merged_requests (or one without an id), or of the case itself, and
// MARK_DUPLICATE of itself are InvalidArgument; MERGE by someone other than the command room or
// of a case merged before is FailedPrecondition.
// Time is always passed in.
//
// Thread safety: Apply is a pure function. A CaseLoop is a value; guard it if shared.
#ifndef FENGQIAO_CLOSURE_CASE_LOOP_H_
#define FENGQIAO_CLOSURE_CASE_LOOP_H_

#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "fengqiao/mediation/consultation_calendar.h"
#include "fengqiao/mediation/working_calendar.h"
#include "fengqiao/v1/case.pb.h"
#include "fengqiao/v1/routing.pb.h"

namespace fengqiao {

// The defaults of CaseLoopOptions (Apply without options uses them).
inline constexpr v1::ActorRole kDefaultOverrideRoles[] = {v1::ACTOR_ROLE_DUTY_OFFICER,
                                                          v1::ACTOR_ROLE_STATION_CHIEF};
inline constexpr int32_t kDefaultMaxReturns = 2;
// Extensions (延期) the centre may grant a case, and the working days each may add (县市 12345
// rules: at most 3 extensions of at most 3 working days).
inline constexpr int32_t kDefaultMaxExtensions = 3;
inline constexpr int32_t kDefaultMaxExtensionWorkingDays = 3;
// Supervision (督办): a circular (通报) from 5 working days past the due date; 提级督办 after two
// rounds of the platform's own notices and circulars (柳林 / 松滋 rules, issue 18).
inline constexpr int32_t kDefaultCircularAfterWorkingDays = 5;
inline constexpr int32_t kDefaultSupervisionAfterRounds = 2;

// What a deployment configures about its loop.
struct CaseLoopOptions {
  // Roles that may take a case off the ladder (越级) with a reason: the duty officer, the 所长.
  std::vector<v1::ActorRole> override_roles{std::begin(kDefaultOverrideRoles),
                                            std::end(kDefaultOverrideRoles)};
  // Returns (退回) the command room reviews; the next one goes to its arbitration (裁定).
  int32_t max_returns = kDefaultMaxReturns;
  // SLA of a tier reached by escalation when the event carries none. A tier without one keeps
  // the current SLA's resolve and revisit times and has no accept / contact / on-site clocks.
  std::map<v1::Tier, v1::Sla> tier_sla;
  // The "512" meetings: a case escalated past its level goes onto the agenda of the next
  // meeting of the level it reaches (street: Monday, district: Tuesday), dated by this calendar.
  // Null: the weekly rhythm without holidays. A year the calendar's holiday schedule does not
  // hold falls back to the weekly rhythm too (the event records the date used).
  std::shared_ptr<const ConsultationCalendar> consultation_calendar;
  // The district's working days (holidays and make-up days) for clocks counted in working days
  // (Sla.resolve_working_days, extensions, pauses over rest days). Null, or a year the schedule
  // does not hold: Monday to Friday.
  std::shared_ptr<const WorkingCalendar> working_calendar;
  // Extensions (延期) the centre may approve per case, and the working days each may add.
  int32_t max_extensions = kDefaultMaxExtensions;
  int32_t max_extension_working_days = kDefaultMaxExtensionWorkingDays;
  // Supervision (督办): the working days past the due date from which a circular (通报) may be
  // issued, the rounds of notices and circulars after which it climbs (提级督办), and the bodies
  // it climbs through, the platform's own first (a district's 社会治理中心, then its government
  // office, then the inspection office).
  int32_t circular_after_working_days = kDefaultCircularAfterWorkingDays;
  int32_t supervision_after_rounds = kDefaultSupervisionAfterRounds;
  std::vector<std::string> supervision_bodies = {"区社会治理中心", "区政府办公室",
                                                 "区委区政府督查室"};
  // 回访不满意，自动重办: an unsatisfied REVISIT sends the order back to its holder at once
  // (Record appends REOPEN and an ASSIGN to the same holder, arming new clocks); from the second
  // dissatisfaction the redo starts under supervision_bodies[1] (提级督办). Off: REVISIT leaves
  // the case REVISITED for the centre to REOPEN or CLOSE.
  bool redo_on_dissatisfaction = false;
  // 首接负责: a RETURN comes within this many working days of the instruction that gave the
  // holder the case (by the same time of day on that working day); after it the matter is the
  // holder's own and the return is refused. 0: no limit.
  int32_t return_within_working_days = 0;
};

// The hotline a report reached (110 or 12345; none for the other channels).
v1::Platform PlatformOf(v1::Channel channel);

// The compact state Apply works on (what the engine reasons about; labels live elsewhere).
struct LoopState {
  v1::CaseState state = v1::CASE_STATE_UNSPECIFIED;  // UNSPECIFIED: not reported yet
  v1::Tier tier = v1::TIER_UNSPECIFIED;
  absl::Time last_at = absl::InfinitePast();                     // time of the last event
  int32_t events = 0;                                            // events applied
  v1::MediationType mediation = v1::MEDIATION_TYPE_UNSPECIFIED;  // of the mediation under way
  // Counts (16 bits keep the state small on the hot path; Apply refuses the 32,768th).
  int16_t reopens = 0;
  int16_t escalations = 0;
  int16_t overrides = 0;    // escalations off the ladder (越级)
  int16_t returns = 0;      // returns (退回) so far
  bool arbitrated = false;  // the command room has decided (裁定): no further return
  bool satisfied = false;   // the last revisit's answer
  int8_t level = 0;  // v1::AreaLevel holding the case (社区 / 街道 / 区); 0 before triage
  bool on_agenda = false;          // waiting for the consultation of `level`
  bool paused = false;             // 挂起: the clocks stand still until RESUME
  bool extension_pending = false;  // a REQUEST_EXTENSION awaits the centre
  int8_t extensions = 0;           // extensions (延期) approved

  bool operator==(const LoopState&) const = default;
};

// One event as Apply sees it (fields ordered to keep it small: it is copied on the hot path).
struct LoopEvent {
  absl::Time at;
  v1::CaseEventType type = v1::CASE_EVENT_TYPE_UNSPECIFIED;
  // TRIAGE: the tier; ESCALATE, MEDIATION_FAILED: the new tier (unspecified: the ladder's).
  v1::Tier tier = v1::TIER_UNSPECIFIED;
  v1::EscalationReason escalation_reason = v1::ESCALATION_REASON_UNSPECIFIED;
  v1::ActorRole actor_role = v1::ACTOR_ROLE_UNSPECIFIED;
  v1::MediationType mediation_type = v1::MEDIATION_TYPE_UNSPECIFIED;
  v1::MediationOutcome mediation_outcome = v1::MEDIATION_OUTCOME_UNSPECIFIED;
  // CONSULT: the meeting's outcome, a v1::ConsultationOutcome number (one byte keeps the event
  // at 48 bytes).
  int8_t consultation_outcome = 0;
  // REQUEST_EXTENSION: working days asked for (clamped to -1..127 from the event).
  int8_t extension_working_days = 0;
  bool party_notified = false;  // APPROVE_EXTENSION: the party was told
  // REVISIT: the party's answer; REVIEW_RATING: the bad rating is set aside (the answer that
  // counts becomes "satisfied"). One field for both keeps the event at 48 bytes.
  bool satisfied = false;
  bool has_reason = false;           // REOPEN, RETURN, CANCEL, REJECT_RETURN, ARBITRATE
  bool has_override_reason = false;  // ESCALATE, MEDIATION_FAILED off the ladder
  bool has_should_go_to = false;     // RETURN
  bool has_department = false;       // ARBITRATE
};

// The transition function: the state after `event`, or why the event is refused. The ladder,
// the return limit and who may override come from `options`.
absl::StatusOr<LoopState> Apply(const LoopState& state, const LoopEvent& event,
                                const CaseLoopOptions& options);
absl::StatusOr<LoopState> Apply(const LoopState& state, const LoopEvent& event);

// Events a state accepts (SLA_BREACH is accepted in every open state). Some are refused by
// their content (a return after arbitration, an escalation off the ladder); see Apply.
std::vector<v1::CaseEventType> AllowedEvents(v1::CaseState state);

// Whether the state is final (CLOSED, CANCELLED, DUPLICATE).
bool IsTerminal(v1::CaseState state);

// Short names, e.g. "IN_MEDIATION", "START_MEDIATION".
absl::string_view CaseStateName(v1::CaseState state);
absl::string_view CaseEventName(v1::CaseEventType type);

// The transition table as Graphviz DOT or Mermaid, for people to see (docs/case_loop.md is
// generated from TransitionTableMermaid by tools/case_loop_doc).
std::string TransitionTableDot();
std::string TransitionTableMermaid();

// The clocks an instruction at `instructed_at` arms from `sla`: accept / contact / on_site /
// resolve, each only when the SLA has it (absent or zero: no clock), as absolute times so a
// restored case keeps its timers; revisit is listed without a due time (armed at RESOLVE).
std::vector<v1::Deadline> DeadlinesFor(const v1::Sla& sla, absl::Time instructed_at);

// A case with its event log: the state is always the replay of its events.
class CaseLoop {
 public:
  // A new case: a REPORT event at `reported_at` by `actor`, then TRIAGE to the decision's tier.
  // No clock runs yet: the holder's deadlines are armed by the instruction (ASSIGN).
  // InvalidArgument when the decision routed nowhere.
  static absl::StatusOr<CaseLoop> Open(const v1::Incident& incident, const v1::Decision& decision,
                                       absl::Time reported_at, absl::string_view actor,
                                       CaseLoopOptions options);
  // As above with the default options (shared, not copied).
  static absl::StatusOr<CaseLoop> Open(const v1::Incident& incident, const v1::Decision& decision,
                                       absl::Time reported_at, absl::string_view actor);

  // Rebuilds a case from a stored header (incident, decision) and its events, checking every
  // event against the transition function under `options` (seq contiguous from 1, from and to
  // states as recorded, times in order) and re-deriving from the log what the events decide:
  // state, tier, assignee, department, SLA, deadlines open and closed. DataLoss when the log
  // does not replay.
  static absl::StatusOr<CaseLoop> Restore(v1::Case stored, CaseLoopOptions options);
  static absl::StatusOr<CaseLoop> Restore(v1::Case stored);
  // As above with shared options (not copied; null: the defaults).
  static absl::StatusOr<CaseLoop> Restore(v1::Case stored,
                                          std::shared_ptr<const CaseLoopOptions> options);

  // The state a stored case's log replays to, checked exactly as Restore checks it (the same
  // DataLoss errors) but without copying or rebuilding the case: for a store checking what it
  // is asked to save, or an integrator checking a case it received. Null options: the defaults.
  static absl::StatusOr<LoopState> ReplayState(const v1::Case& stored,
                                               std::shared_ptr<const CaseLoopOptions> options);

  // The case as it stood at `t`: the stored events dated at or before `t` replayed under
  // `options` (null: the defaults), with what the loop derives from them (state, holder, open
  // and closed deadlines, supervision) as it was then; for a briefing or a query about a past
  // day. FailedPrecondition when the case was not yet reported at `t`; DataLoss as Restore.
  static absl::StatusOr<v1::Case> AsOf(const v1::Case& stored, absl::Time t,
                                       std::shared_ptr<const CaseLoopOptions> options);

  // Appends an event: first an SLA_BREACH for every deadline that fell due before it unmet (once
  // per deadline), then the event itself, with seq, from_state and to_state set and checked by
  // Apply; marks the deadlines it meets. An instruction (ASSIGN, APPROVE_RETURN, REJECT_RETURN,
  // ARBITRATE) closes the previous holder's clocks into closed_deadlines and arms the new
  // holder's from the current SLA; ESCALATE, MEDIATION_FAILED and RETURN close them. The loop
  // fills in what it decided: the ladder's tier, ladder_override, the SLA used, the department
  // of a reviewed return, the mediation's type. The case is unchanged when it fails.
  absl::Status Record(v1::CaseEvent event);

  // The current holder's deadlines due before `now` and not met.
  std::vector<v1::Deadline> Overdue(absl::Time now) const;

  // Records an SLA_BREACH event for every deadline due before `now`, unmet and not yet recorded
  // (a clock tick); returns how many.
  absl::StatusOr<int> RecordBreaches(absl::Time now, absl::string_view actor = "sla-clock");

  const v1::Case& proto() const { return case_; }
  const LoopState& state() const { return state_; }
  const std::string& id() const { return case_.id(); }
  const CaseLoopOptions& options() const { return *options_; }

 private:
  CaseLoop() = default;
  static absl::StatusOr<CaseLoop> OpenWith(const v1::Incident& incident,
                                           const v1::Decision& decision, absl::Time reported_at,
                                           absl::string_view actor,
                                           std::shared_ptr<const CaseLoopOptions> options);
  static absl::StatusOr<CaseLoop> RestoreWith(v1::Case stored,
                                              std::shared_ptr<const CaseLoopOptions> options);
  absl::Status Append(v1::CaseEvent event);
  // One event of a log being replayed (Restore, ReplayState): its seq is `index` + 1.
  absl::Status ReplayEvent(const v1::CaseEvent& e, int index);
  // The log so far: the case's events, or while ReplayState runs the stored log's first
  // `replayed_` events (the case then holds none).
  absl::Span<const v1::CaseEvent* const> Log() const;
  absl::Status CheckWithCase(const v1::CaseEvent& event) const;
  // An unsatisfied REVISIT under redo_on_dissatisfaction: the revisit, REOPEN and the redo's
  // ASSIGN to the same holder, all or nothing.
  absl::Status RevisitAndRedo(v1::CaseEvent revisit);
  // SUPERVISE: the step against the holder's resolve deadline and the rounds so far.
  absl::Status CheckSupervision(const v1::CaseEvent& event) const;
  // TRANSFER_PLATFORM and THREE_WAY_CALL against the platforms and the calls so far.
  absl::Status CheckLinkage(const v1::CaseEvent& event) const;
  // MERGE names its duplicate and reports, once per duplicate; MARK_DUPLICATE not of itself.
  absl::Status CheckMerge(const v1::CaseEvent& event) const;
  // RETURN within return_within_working_days of the holder's instruction (首接负责).
  absl::Status CheckReturnWindow(const v1::CaseEvent& event) const;
  void Complete(v1::CaseEvent& event, const LoopState& before, const LoopState& after) const;
  void Effects(const v1::CaseEvent& event);
  void CoHandlerEffects(const v1::CaseEvent& event);
  void ShiftForPause(const v1::CaseEvent& resume);
  absl::StatusOr<int> RecordBreachesBefore(absl::Time t, absl::string_view actor);
  v1::Case case_;
  LoopState state_;
  std::shared_ptr<const CaseLoopOptions> options_;
  const google::protobuf::RepeatedPtrField<v1::CaseEvent>* replay_log_ = nullptr;
  int replayed_ = 0;
};

// The deadline-breach rule of the ladder (mediation): when the current holder's resolve deadline
// has passed unmet by `now` and the state accepts ESCALATE, records the breach (if not yet
// recorded) and an ESCALATE one tier up (NextTier with kDeadlineBreach). Returns whether it
// escalated; FailedPrecondition at the top of the ladder.
absl::StatusOr<bool> EscalateIfResolveOverdue(CaseLoop& loop, absl::Time now,
                                              absl::string_view actor = "sla-clock");

// 并单: merges the duplicate request `duplicate` into the order `lead`, all or nothing: `lead`
// records MERGE (by the command room, at `at`) carrying the duplicate's report and the reports
// merged into it before, and `duplicate` records MARK_DUPLICATE with duplicate_of = the lead's
// id. Either refusal (a final or, for the duplicate, resolved case; the same case; a duplicate
// merged before) leaves both cases unchanged. Save both in one CaseStore::Save.
absl::Status MergeDuplicate(CaseLoop& lead, CaseLoop& duplicate, absl::Time at,
                            absl::string_view actor);

// Every requester (诉求人) of an order: its own report first, then the reports merged into it
// (MERGE events, in order; a merged order's own merged reports follow it).
std::vector<const v1::Incident*> Requests(const v1::Case& order);

// Event helpers for the common steps.
v1::CaseEvent MakeEvent(v1::CaseEventType type, absl::Time at, absl::string_view actor);

}  // namespace fengqiao

#endif  // FENGQIAO_CLOSURE_CASE_LOOP_H_
