// The transition function of the closure loop: the table, the rules an event's content must
// follow (the ladder, returns and arbitration, mediation outcomes) and the diagram exports.
#include <algorithm>
#include <array>
#include <limits>
#include <string>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/types/span.h"
#include "closure/internal/transition_internal.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/mediation/consultation_calendar.h"
#include "fengqiao/mediation/ladder.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/vocabulary.h"

namespace fengqiao {
namespace {

using S = v1::CaseState;
using E = v1::CaseEventType;

static_assert(sizeof(LoopState) <= 48, "LoopState is copied on the hot path: keep it small");
static_assert(sizeof(LoopEvent) <= 48, "LoopEvent is copied on the hot path: keep it small");

constexpr int kStates = v1::CaseState_ARRAYSIZE;
constexpr int kEvents = v1::CaseEventType_ARRAYSIZE;

// next[state][event]: the state after the event, or -1 when the state does not accept it, or
// kByContent when the event's content decides (CONSULT: its outcome). SLA_BREACH and MERGE are
// handled apart (accepted in every open state, paused too; they change nothing but the count).
constexpr int8_t kByContent = 127;
struct alignas(64) Table {
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
    // A return is reviewed by the command room (退单审核); past max_returns it arbitrates.
    on(v1::CASE_STATE_RETURNED, v1::CASE_EVENT_TYPE_APPROVE_RETURN, v1::CASE_STATE_ASSIGNED);
    on(v1::CASE_STATE_RETURNED, v1::CASE_EVENT_TYPE_REJECT_RETURN, v1::CASE_STATE_ASSIGNED);
    on(v1::CASE_STATE_IN_ARBITRATION, v1::CASE_EVENT_TYPE_ARBITRATE, v1::CASE_STATE_ASSIGNED);
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
    // Co-handlers (协办) join, accept and finish while the lead handles the case; the holder
    // pauses its clocks (挂起) and asks the centre for more time (延期) there too.
    for (S s : {v1::CASE_STATE_ASSIGNED, v1::CASE_STATE_ACCEPTED, v1::CASE_STATE_CONTACTED,
                v1::CASE_STATE_ON_SITE, v1::CASE_STATE_IN_MEDIATION}) {
      for (E e : {v1::CASE_EVENT_TYPE_ADD_CO_HANDLER, v1::CASE_EVENT_TYPE_CO_HANDLER_ACCEPT,
                  v1::CASE_EVENT_TYPE_CO_HANDLER_DONE, v1::CASE_EVENT_TYPE_PAUSE,
                  v1::CASE_EVENT_TYPE_RESUME, v1::CASE_EVENT_TYPE_REQUEST_EXTENSION,
                  v1::CASE_EVENT_TYPE_APPROVE_EXTENSION, v1::CASE_EVENT_TYPE_REJECT_EXTENSION}) {
        on(s, e, s);
      }
      // The centre urges the holder while the order runs (督办).
      on(s, v1::CASE_EVENT_TYPE_SUPERVISE, s);
    }
    // The "512" consultation that has the case on its agenda decides: resolved, assigned, sent up.
    for (S s : {v1::CASE_STATE_ESCALATED, v1::CASE_STATE_ASSIGNED, v1::CASE_STATE_ACCEPTED,
                v1::CASE_STATE_CONTACTED, v1::CASE_STATE_ON_SITE, v1::CASE_STATE_IN_MEDIATION}) {
      next[s][v1::CASE_EVENT_TYPE_CONSULT] = kByContent;
    }
    // 110 and 12345 hand a matter over (the receiving platform triages it anew): at intake,
    // after a department's return, or while it is handled (12345 pushing an emergency to 110;
    // the loop checks the mode against the state and the platforms). A three-way call where
    // ownership is unclear comes before the matter is given to anyone.
    for (S s : {v1::CASE_STATE_REPORTED, v1::CASE_STATE_TRIAGED, v1::CASE_STATE_RETURNED,
                v1::CASE_STATE_ASSIGNED, v1::CASE_STATE_ACCEPTED, v1::CASE_STATE_CONTACTED,
                v1::CASE_STATE_ON_SITE}) {
      on(s, v1::CASE_EVENT_TYPE_TRANSFER_PLATFORM, v1::CASE_STATE_REPORTED);
    }
    for (S s : {v1::CASE_STATE_REPORTED, v1::CASE_STATE_TRIAGED, v1::CASE_STATE_RETURNED}) {
      on(s, v1::CASE_EVENT_TYPE_THREE_WAY_CALL, s);
    }
    // An unsatisfied revisit reviewed on the handler's reasoned complaint (差评甄别).
    on(v1::CASE_STATE_REVISITED, v1::CASE_EVENT_TYPE_REVIEW_RATING, v1::CASE_STATE_REVISITED);
    // Cancel or mark as duplicate from any open state before resolution.
    for (S s : {v1::CASE_STATE_REPORTED, v1::CASE_STATE_TRIAGED, v1::CASE_STATE_ASSIGNED,
                v1::CASE_STATE_ACCEPTED, v1::CASE_STATE_CONTACTED, v1::CASE_STATE_RETURNED,
                v1::CASE_STATE_ESCALATED, v1::CASE_STATE_REOPENED, v1::CASE_STATE_IN_ARBITRATION}) {
      on(s, v1::CASE_EVENT_TYPE_CANCEL, v1::CASE_STATE_CANCELLED);
      on(s, v1::CASE_EVENT_TYPE_MARK_DUPLICATE, v1::CASE_STATE_DUPLICATE);
    }
  }
};
constexpr Table kTable;

// Transitions the content of the event decides, drawn next to the table's.
struct ConditionalEdge {
  S from;
  E event;
  S to;
  const char* when;
};
constexpr ConditionalEdge kConditional[] = {
    {v1::CASE_STATE_ASSIGNED, v1::CASE_EVENT_TYPE_RETURN, v1::CASE_STATE_IN_ARBITRATION,
     "after max_returns"},
    {v1::CASE_STATE_ACCEPTED, v1::CASE_EVENT_TYPE_RETURN, v1::CASE_STATE_IN_ARBITRATION,
     "after max_returns"},
};

// Where CONSULT goes, by its outcome (drawn as conditional edges).
struct OutcomeEdge {
  S to;
  const char* when;
};
constexpr OutcomeEdge kConsultEdges[] = {
    {v1::CASE_STATE_RESOLVED, "resolved"},
    {v1::CASE_STATE_ASSIGNED, "assigned"},
    {v1::CASE_STATE_ESCALATED, "sent up"},
};

// The higher of two levels (AreaLevel numbers fall as levels rise; 0 is none).
int8_t Higher(int8_t a, int8_t b) { return a == 0 ? b : b == 0 ? a : std::min(a, b); }

// The final states (IsTerminal), inline for the hot path.
constexpr bool Final(v1::CaseState s) {
  return s == v1::CASE_STATE_CLOSED || s == v1::CASE_STATE_CANCELLED ||
         s == v1::CASE_STATE_DUPLICATE;
}

bool IsOpen(v1::CaseState s) { return s != v1::CASE_STATE_UNSPECIFIED && !Final(s); }

bool Valid(int v, int n) { return v >= 0 && v < n; }

// Enum value names without their prefix ("CASE_STATE_ON_SITE" -> "ON_SITE"), built once.
template <typename NameOf>
std::vector<std::string>* ShortNames(int n, absl::string_view prefix, NameOf name_of) {
  auto* out = new std::vector<std::string>;
  for (int i = 0; i < n; ++i) out->push_back(name_of(i).substr(prefix.size()));
  return out;
}

// The options an event is checked under; without options, the defaults.
struct Rules {
  absl::Span<const v1::ActorRole> override_roles;
  int32_t max_returns;
  int32_t max_extensions;
  int32_t max_extension_days;
};

Rules RulesOf(const CaseLoopOptions* options) {
  if (options == nullptr) {
    return {kDefaultOverrideRoles, kDefaultMaxReturns, kDefaultMaxExtensions,
            kDefaultMaxExtensionWorkingDays};
  }
  return {options->override_roles, options->max_returns, options->max_extensions,
          options->max_extension_working_days};
}

std::string RoleList(absl::Span<const v1::ActorRole> roles) {
  std::vector<absl::string_view> names;
  for (v1::ActorRole r : roles) names.push_back(LabelOf(r).short_name);
  return names.empty() ? std::string("nobody") : absl::StrJoin(names, ", ");
}

// A count of the state at its limit refuses one more (the caller increments it).
ABSL_ATTRIBUTE_NOINLINE absl::Status TooMany(const LoopEvent& event) {
  return absl::InvalidArgumentError(absl::StrCat(CaseEventName(event.type),
                                                 ": a case takes at most ",
                                                 std::numeric_limits<int16_t>::max(), " of these"));
}

inline absl::Status Room(int16_t count, const LoopEvent& event) {
  if (ABSL_PREDICT_FALSE(count == std::numeric_limits<int16_t>::max())) return TooMany(event);
  return absl::OkStatus();
}

// ESCALATE / MEDIATION_FAILED: the tier is the ladder's for the reason, unless an allowed role
// overrides it with a reason (`overridden`). The helpers of Apply only check and report: the next
// state is written by ApplyUnder alone, so it never leaves registers on the hot path.
absl::Status CheckLadder(const LoopState& state, const LoopEvent& event, const Rules& options,
                         v1::Tier& next_tier, bool& overridden) {
  v1::EscalationReason reason = event.escalation_reason;
  if (event.type == v1::CASE_EVENT_TYPE_MEDIATION_FAILED) {
    if (reason != v1::ESCALATION_REASON_UNSPECIFIED &&
        reason != v1::ESCALATION_REASON_MEDIATION_FAILED) {
      return absl::InvalidArgumentError(
          absl::StrCat("MEDIATION_FAILED escalates because mediation failed; ",
                       LabelOf(reason).short_name, " belongs on an ESCALATE"));
    }
    reason = v1::ESCALATION_REASON_MEDIATION_FAILED;
  }
  if (reason == v1::ESCALATION_REASON_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        absl::StrCat(CaseEventName(event.type),
                     " must name its reason (escalation_reason: mediation_failed, deadline_breach, "
                     "party_request or risk_flag); the ladder decides the tier"));
  }
  const absl::StatusOr<v1::Tier> ladder = NextTier(state.tier, reason);
  if (!ladder.ok() && ladder.status().code() == absl::StatusCode::kInvalidArgument) {
    return ladder.status();
  }
  const v1::Tier tier = event.tier != v1::TIER_UNSPECIFIED ? event.tier
                        : ladder.ok()                      ? *ladder
                                                           : v1::TIER_UNSPECIFIED;
  if (ladder.ok() && tier == *ladder) {
    next_tier = tier;
    return absl::OkStatus();
  }
  // Off the ladder: the message is built only when the override is refused.
  auto off = [&] {
    return ladder.ok()
               ? absl::StrCat("the ladder takes a case at ", LabelOf(state.tier).proto_name, " on ",
                              LabelOf(reason).short_name, " to ", LabelOf(*ladder).proto_name,
                              ", not ", LabelOf(tier).proto_name)
               : std::string(ladder.status().message());
  };
  if (!event.has_override_reason) {
    return absl::FailedPreconditionError(
        absl::StrCat(off(), "; an override (越级) names override_reason and is recorded by ",
                     RoleList(options.override_roles)));
  }
  if (std::find(options.override_roles.begin(), options.override_roles.end(), event.actor_role) ==
      options.override_roles.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        off(), "; only ", RoleList(options.override_roles),
        " may override the ladder, not actor_role ", LabelOf(event.actor_role).short_name));
  }
  if (tier == v1::TIER_UNSPECIFIED) {
    return absl::InvalidArgumentError("an override of the ladder must name the tier it goes to");
  }
  next_tier = tier;
  overridden = true;
  return Room(state.overrides, event);
}

// A mediation ends (the case leaves IN_MEDIATION) with the type it started with and an outcome:
// an agreement for RESOLVE, 终止 (terminated) for MEDIATION_FAILED and ESCALATE (filled in when
// not given).
absl::Status CheckMediationEnd(const LoopState& state, const LoopEvent& event) {
  if (event.mediation_type != v1::MEDIATION_TYPE_UNSPECIFIED &&
      event.mediation_type != state.mediation) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the mediation started as ", LabelOf(state.mediation).short_name, "; ",
        CaseEventName(event.type), " cannot end it as ", LabelOf(event.mediation_type).short_name));
  }
  const v1::MediationOutcome outcome = event.mediation_outcome;
  if (event.type == v1::CASE_EVENT_TYPE_RESOLVE ||
      event.consultation_outcome == v1::CONSULTATION_OUTCOME_RESOLVED) {
    if (outcome == v1::MEDIATION_OUTCOME_UNSPECIFIED ||
        outcome == v1::MEDIATION_OUTCOME_TERMINATED) {
      return absl::InvalidArgumentError(absl::StrCat(
          CaseEventName(event.type),
          " resolving a mediation ends it with an agreement (mediation_outcome: written, oral, or "
          "司法确认 applied for); a mediation without one ends as MEDIATION_FAILED (终止)"));
    }
  } else if (outcome != v1::MEDIATION_OUTCOME_UNSPECIFIED &&
             outcome != v1::MEDIATION_OUTCOME_TERMINATED) {
    return absl::InvalidArgumentError(absl::StrCat(
        CaseEventName(event.type), " ends a mediation without agreement: its outcome is 终止"));
  }
  return absl::OkStatus();
}

// CONSULT: the meeting that has the case on its agenda resolves it, assigns it (the instruction
// and its deadline are checked with the case) or sends it to the level above (`to`).
absl::Status CheckConsultation(const LoopState& state, const LoopEvent& event, int& to) {
  if (!state.on_agenda) {
    return absl::FailedPreconditionError(
        "CONSULT records a meeting's outcome on a case on its agenda, and this case is on no "
        "consultation's agenda (a case goes onto one when it is escalated past its level)");
  }
  switch (static_cast<v1::ConsultationOutcome>(event.consultation_outcome)) {
    case v1::CONSULTATION_OUTCOME_RESOLVED:
      to = v1::CASE_STATE_RESOLVED;
      return absl::OkStatus();
    case v1::CONSULTATION_OUTCOME_ASSIGNED:
      to = v1::CASE_STATE_ASSIGNED;
      return absl::OkStatus();
    case v1::CONSULTATION_OUTCOME_SENT_UP:
      if (state.level <= v1::AREA_LEVEL_DISTRICT) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the ", LabelOf(static_cast<v1::AreaLevel>(state.level)).zh,
            "-level consultation is the top of the \"512\" rhythm: it resolves or assigns, it "
            "cannot send the case up"));
      }
      to = v1::CASE_STATE_ESCALATED;
      return Room(state.escalations, event);
    default:
      return absl::InvalidArgumentError(
          "CONSULT records what the meeting decided (consultation_outcome: resolved, assigned or "
          "sent_up)");
  }
}

// PAUSE / RESUME and the extension requests (延期): the clocks stand still while paused (only
// RESUME, CANCEL and MARK_DUPLICATE are taken then); an extension is asked with its working days
// and a reason, within the deployment's caps, and decided by the centre.
ABSL_ATTRIBUTE_NOINLINE absl::Status CheckWorkOrder(const LoopState& state, const LoopEvent& event,
                                                    const Rules& options);

absl::Status NeedsReason(const LoopEvent& event) {
  if (event.has_reason) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(CaseEventName(event.type), " needs a reason"));
}

absl::Status NeedsCommandRoom(const LoopEvent& event) {
  if (event.actor_role == v1::ACTOR_ROLE_COMMAND_ROOM) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      CaseEventName(event.type),
      " is the command room's (指挥中心) decision: actor_role must be command_room, not ",
      LabelOf(event.actor_role).short_name));
}

ABSL_ATTRIBUTE_NOINLINE absl::StatusOr<LoopState> ApplyUnder(const LoopState& state,
                                                             const LoopEvent& event,
                                                             const Rules& options);

// The refusal of an event the state does not accept, naming what it accepts (out of line: the
// hot path never builds it).
ABSL_ATTRIBUTE_NOINLINE absl::Status NotAccepted(const LoopState& state, const LoopEvent& event);

// The refusal of an unknown state or event, or of an event earlier than the case's last.
ABSL_ATTRIBUTE_NOINLINE absl::Status Malformed(const LoopState& state, const LoopEvent& event) {
  if (!Valid(state.state, kStates) || !Valid(event.type, kEvents)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown state ", state.state, " or event ", event.type));
  }
  return absl::InvalidArgumentError(
      absl::StrCat(CaseEventName(event.type), " at ", absl::FormatTime(event.at),
                   " is earlier than the case's last event at ", absl::FormatTime(state.last_at),
                   ": time never runs backwards within a case"));
}

// Events whose content Apply does not check and that change only the state (ApplyUnder's switch
// has no case for them, and none of them ends a case).
struct PlainEvents {
  std::array<bool, kEvents> plain{};
  constexpr PlainEvents() {
    for (E e : {v1::CASE_EVENT_TYPE_REPORT, v1::CASE_EVENT_TYPE_ASSIGN, v1::CASE_EVENT_TYPE_ACCEPT,
                v1::CASE_EVENT_TYPE_CONTACT, v1::CASE_EVENT_TYPE_ARRIVE,
                v1::CASE_EVENT_TYPE_GIVE_FEEDBACK, v1::CASE_EVENT_TYPE_TRACK,
                v1::CASE_EVENT_TYPE_ADD_CO_HANDLER, v1::CASE_EVENT_TYPE_CO_HANDLER_ACCEPT}) {
      plain[e] = true;
    }
  }
  constexpr bool operator[](int e) const { return plain[e]; }
};
constexpr PlainEvents kPlain;

}  // namespace

bool IsTerminal(v1::CaseState state) { return Final(state); }

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
  if (IsOpen(state)) {
    out.push_back(v1::CASE_EVENT_TYPE_SLA_BREACH);
    out.push_back(v1::CASE_EVENT_TYPE_MERGE);
  }
  return out;
}

namespace {
// Most events only move the case (the instruction and the handling steps, a breach): a short
// path without a stack frame; everything else, and every refusal, goes to ApplyUnder.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool Plain(const LoopState& state, const LoopEvent& event,
                                               int& to) {
  if (!Valid(state.state, kStates) || !Valid(event.type, kEvents) || event.at < state.last_at ||
      state.paused || state.state == v1::CASE_STATE_IN_MEDIATION) {
    return false;
  }
  to = event.type == v1::CASE_EVENT_TYPE_SLA_BREACH && IsOpen(state.state)
           ? static_cast<int>(state.state)
           : kTable.next[state.state][event.type];
  return to >= 0 && (kPlain[event.type] || event.type == v1::CASE_EVENT_TYPE_SLA_BREACH);
}

ABSL_ATTRIBUTE_ALWAYS_INLINE inline LoopState Moved(const LoopState& state, const LoopEvent& event,
                                                    int to) {
  LoopState next = state;
  next.state = static_cast<v1::CaseState>(to);
  next.last_at = event.at;
  ++next.events;
  return next;
}
}  // namespace

absl::StatusOr<LoopState> Apply(const LoopState& state, const LoopEvent& event) {
  int to;
  if (Plain(state, event, to)) return Moved(state, event, to);
  return ApplyUnder(state, event, RulesOf(nullptr));
}

absl::StatusOr<LoopState> Apply(const LoopState& state, const LoopEvent& event,
                                const CaseLoopOptions& options) {
  int to;
  if (Plain(state, event, to)) return Moved(state, event, to);
  return ApplyUnder(state, event, RulesOf(&options));
}

absl::StatusOr<LoopState> closure_internal::ApplyByFullPath(const LoopState& state,
                                                            const LoopEvent& event,
                                                            const CaseLoopOptions& options) {
  return ApplyUnder(state, event, RulesOf(&options));
}

namespace {
absl::Status NotAccepted(const LoopState& state, const LoopEvent& event) {
  std::vector<std::string> allowed;
  for (v1::CaseEventType e : AllowedEvents(state.state)) {
    allowed.push_back(std::string(CaseEventName(e)));
  }
  return absl::FailedPreconditionError(
      absl::StrCat("a case in state ", CaseStateName(state.state), " does not accept ",
                   CaseEventName(event.type), "; it accepts ",
                   allowed.empty() ? "nothing (final state)" : absl::StrJoin(allowed, ", ")));
}

absl::StatusOr<LoopState> ApplyUnder(const LoopState& state, const LoopEvent& event,
                                     const Rules& options) {
  if (ABSL_PREDICT_FALSE(!Valid(state.state, kStates) || !Valid(event.type, kEvents) ||
                         event.at < state.last_at)) {
    return Malformed(state, event);
  }
  LoopState next = state;
  next.last_at = event.at;
  ++next.events;
  if (event.type == v1::CASE_EVENT_TYPE_SLA_BREACH && IsOpen(state.state)) return next;
  if (event.type == v1::CASE_EVENT_TYPE_MERGE && IsOpen(state.state)) {
    // 并单 is the centre's (派单员 / command room), in any open state, paused too.
    FENGQIAO_RETURN_IF_ERROR(NeedsCommandRoom(event));
    return next;
  }
  int to = kTable.next[state.state][event.type];
  if (ABSL_PREDICT_FALSE(to < 0)) return NotAccepted(state, event);
  if (ABSL_PREDICT_FALSE(state.paused || (event.type >= v1::CASE_EVENT_TYPE_PAUSE &&
                                          event.type <= v1::CASE_EVENT_TYPE_REJECT_EXTENSION))) {
    FENGQIAO_RETURN_IF_ERROR(CheckWorkOrder(state, event, options));
  }
  switch (event.type) {
    case v1::CASE_EVENT_TYPE_TRIAGE:
      if (event.tier == v1::TIER_UNSPECIFIED) {
        return absl::InvalidArgumentError("TRIAGE must name the tier that takes the case");
      }
      next.tier = event.tier;
      next.level = Higher(state.level, static_cast<int8_t>(HandlingLevel(event.tier)));
      break;
    case v1::CASE_EVENT_TYPE_ESCALATE:
    case v1::CASE_EVENT_TYPE_MEDIATION_FAILED: {
      v1::Tier tier = v1::TIER_UNSPECIFIED;
      bool overridden = false;
      FENGQIAO_RETURN_IF_ERROR(CheckLadder(state, event, options, tier, overridden));
      FENGQIAO_RETURN_IF_ERROR(Room(state.escalations, event));
      next.tier = tier;
      next.overrides = static_cast<int16_t>(state.overrides + overridden);
      ++next.escalations;
      // Past its level: onto the agenda of the next meeting of the level it reaches.
      next.level = Higher(state.level, static_cast<int8_t>(HandlingLevel(next.tier)));
      if (next.level != state.level) next.on_agenda = true;
      break;
    }
    case v1::CASE_EVENT_TYPE_CONSULT:
      FENGQIAO_RETURN_IF_ERROR(CheckConsultation(state, event, to));
      if (to == v1::CASE_STATE_ESCALATED) {
        next.level = static_cast<int8_t>(state.level - 1);  // street -> district
        ++next.escalations;
      } else {
        next.on_agenda = false;
      }
      break;
    case v1::CASE_EVENT_TYPE_PAUSE:
      next.paused = true;
      break;
    case v1::CASE_EVENT_TYPE_RESUME:
      next.paused = false;
      break;
    case v1::CASE_EVENT_TYPE_REQUEST_EXTENSION:
      next.extension_pending = true;
      break;
    case v1::CASE_EVENT_TYPE_APPROVE_EXTENSION:
      next.extension_pending = false;
      ++next.extensions;
      break;
    case v1::CASE_EVENT_TYPE_REJECT_EXTENSION:
      next.extension_pending = false;
      break;
    case v1::CASE_EVENT_TYPE_RESOLVE:
      next.on_agenda = false;  // settled before its meeting
      break;
    case v1::CASE_EVENT_TYPE_TRANSFER_PLATFORM:
      // The other platform's matter now: off this side's agenda, no request pending here.
      next.on_agenda = false;
      next.extension_pending = false;
      break;
    case v1::CASE_EVENT_TYPE_START_MEDIATION:
      if (event.mediation_type == v1::MEDIATION_TYPE_UNSPECIFIED) {
        return absl::InvalidArgumentError(
            "START_MEDIATION names the mediation's type (mediation_type: people's 人民调解 or "
            "public-security 治安调解)");
      }
      next.mediation = event.mediation_type;
      break;
    case v1::CASE_EVENT_TYPE_REVISIT:
      next.satisfied = event.satisfied;
      break;
    case v1::CASE_EVENT_TYPE_REVIEW_RATING:
      FENGQIAO_RETURN_IF_ERROR(NeedsCommandRoom(event));
      FENGQIAO_RETURN_IF_ERROR(NeedsReason(event));
      if (state.satisfied) {
        return absl::FailedPreconditionError(
            "差评甄别 reviews an unsatisfied revisit, and the last revisit found the party "
            "satisfied (or its bad rating was already set aside)");
      }
      next.satisfied = event.satisfied;  // set aside: the case may close
      break;
    case v1::CASE_EVENT_TYPE_CLOSE:
      // 不满意办结: after a redo (a reopen) the command room may close an order the party is
      // still unsatisfied with, with its reason; the rating stands and counts.
      if (!state.satisfied &&
          !(state.reopens > 0 && event.actor_role == v1::ACTOR_ROLE_COMMAND_ROOM &&
            event.has_reason)) {
        return absl::FailedPreconditionError(
            "the revisit found the party unsatisfied: REOPEN with a reason instead of CLOSE "
            "(after a redo, the command room may close it with a reason: 不满意办结)");
      }
      break;
    case v1::CASE_EVENT_TYPE_REOPEN:
      if (state.satisfied) {
        return absl::FailedPreconditionError(
            "the revisit found the party satisfied: CLOSE instead of REOPEN");
      }
      FENGQIAO_RETURN_IF_ERROR(NeedsReason(event));
      FENGQIAO_RETURN_IF_ERROR(Room(state.reopens, event));
      ++next.reopens;
      break;
    case v1::CASE_EVENT_TYPE_RETURN:
      if (state.arbitrated) {
        return absl::FailedPreconditionError(
            "the command room's arbitration (裁定) is final: the case cannot be returned again");
      }
      FENGQIAO_RETURN_IF_ERROR(NeedsReason(event));
      if (!event.has_should_go_to) {
        return absl::InvalidArgumentError(
            "RETURN must name the department that should take the case (should_go_to)");
      }
      FENGQIAO_RETURN_IF_ERROR(Room(state.returns, event));
      ++next.returns;
      if (state.returns >= options.max_returns) to = v1::CASE_STATE_IN_ARBITRATION;
      break;
    case v1::CASE_EVENT_TYPE_CANCEL:
    case v1::CASE_EVENT_TYPE_CO_HANDLER_DONE:
      FENGQIAO_RETURN_IF_ERROR(NeedsReason(event));
      break;
    case v1::CASE_EVENT_TYPE_APPROVE_RETURN:
    case v1::CASE_EVENT_TYPE_SUPERVISE:
      FENGQIAO_RETURN_IF_ERROR(NeedsCommandRoom(event));
      break;
    case v1::CASE_EVENT_TYPE_REJECT_RETURN:
      FENGQIAO_RETURN_IF_ERROR(NeedsCommandRoom(event));
      FENGQIAO_RETURN_IF_ERROR(NeedsReason(event));
      break;
    case v1::CASE_EVENT_TYPE_ARBITRATE:
      FENGQIAO_RETURN_IF_ERROR(NeedsCommandRoom(event));
      FENGQIAO_RETURN_IF_ERROR(NeedsReason(event));
      if (!event.has_department) {
        return absl::InvalidArgumentError(
            "ARBITRATE must name the department that takes the case (department)");
      }
      next.arbitrated = true;
      break;
    default:
      break;
  }
  if (state.state == v1::CASE_STATE_IN_MEDIATION && to != v1::CASE_STATE_IN_MEDIATION) {
    FENGQIAO_RETURN_IF_ERROR(CheckMediationEnd(state, event));
    next.mediation = v1::MEDIATION_TYPE_UNSPECIFIED;
  }
  next.state = static_cast<v1::CaseState>(to);
  if (Final(next.state)) next.on_agenda = false;
  return next;
}
}  // namespace

namespace {
absl::Status CheckWorkOrder(const LoopState& state, const LoopEvent& event, const Rules& options) {
  if (state.paused && event.type != v1::CASE_EVENT_TYPE_RESUME &&
      event.type != v1::CASE_EVENT_TYPE_CANCEL &&
      event.type != v1::CASE_EVENT_TYPE_MARK_DUPLICATE) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the case is paused (挂起): its clocks stand still and it takes RESUME, CANCEL, "
        "MARK_DUPLICATE or MERGE, not ",
        CaseEventName(event.type)));
  }
  auto needs_pending = [&]() -> absl::Status {
    if (state.extension_pending) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(
        CaseEventName(event.type), " decides an extension request, and none is pending"));
  };
  switch (event.type) {
    case v1::CASE_EVENT_TYPE_PAUSE:
      FENGQIAO_RETURN_IF_ERROR(NeedsReason(event));
      break;
    case v1::CASE_EVENT_TYPE_RESUME:
      if (!state.paused) {
        return absl::FailedPreconditionError(
            "RESUME restarts a paused case's clocks; this case "
            "is not paused");
      }
      break;
    case v1::CASE_EVENT_TYPE_REQUEST_EXTENSION:
      FENGQIAO_RETURN_IF_ERROR(NeedsReason(event));
      if (event.extension_working_days < 1 ||
          event.extension_working_days > options.max_extension_days) {
        return absl::InvalidArgumentError(absl::StrCat(
            "REQUEST_EXTENSION asks for 1 to ", options.max_extension_days,
            " working days (extension_working_days), not ", event.extension_working_days));
      }
      if (state.extension_pending) {
        return absl::FailedPreconditionError(
            "an extension request is already pending: the centre decides it first");
      }
      if (state.extensions >= options.max_extensions) {
        return absl::FailedPreconditionError(
            absl::StrCat("the case has had its ", options.max_extensions,
                         " extensions (延期): no further one can be asked"));
      }
      break;
    case v1::CASE_EVENT_TYPE_APPROVE_EXTENSION:
      FENGQIAO_RETURN_IF_ERROR(NeedsCommandRoom(event));
      FENGQIAO_RETURN_IF_ERROR(needs_pending());
      if (!event.party_notified) {
        return absl::InvalidArgumentError(
            "APPROVE_EXTENSION records that the party was told of the new deadline "
            "(party_notified)");
      }
      break;
    case v1::CASE_EVENT_TYPE_REJECT_EXTENSION:
      FENGQIAO_RETURN_IF_ERROR(NeedsCommandRoom(event));
      FENGQIAO_RETURN_IF_ERROR(NeedsReason(event));
      FENGQIAO_RETURN_IF_ERROR(needs_pending());
      break;
    default:
      break;
  }
  return absl::OkStatus();
}

// Every edge of the table and the conditional ones: f(from, event, to, condition or "").
template <typename F>
void ForEachEdge(F f) {
  for (int s = 0; s < kStates; ++s) {
    for (int e = 0; e < kEvents; ++e) {
      const int to = kTable.next[s][e];
      if (to == kByContent) {
        for (const OutcomeEdge& o : kConsultEdges)
          f(static_cast<S>(s), static_cast<E>(e), o.to, o.when);
      } else if (to >= 0) {
        f(static_cast<S>(s), static_cast<E>(e), static_cast<S>(to), "");
      }
    }
  }
  for (const ConditionalEdge& c : kConditional) f(c.from, c.event, c.to, c.when);
}
}  // namespace

std::string TransitionTableDot() {
  std::string out = "digraph case_loop {\n  rankdir=LR;\n";
  ForEachEdge([&](S from, E event, S to, absl::string_view when) {
    absl::StrAppend(&out, "  ", CaseStateName(from), " -> ", CaseStateName(to), " [label=\"",
                    CaseEventName(event), when.empty() ? "" : " ", when, "\"];\n");
  });
  return out + "}\n";
}

std::string TransitionTableMermaid() {
  std::string out = "stateDiagram-v2\n";
  ForEachEdge([&](S from, E event, S to, absl::string_view when) {
    absl::StrAppend(
        &out, "  ",
        from == v1::CASE_STATE_UNSPECIFIED ? absl::string_view("[*]") : CaseStateName(from),
        " --> ", CaseStateName(to), ": ", CaseEventName(event), when.empty() ? "" : " ", when,
        "\n");
  });
  for (S s : {v1::CASE_STATE_CLOSED, v1::CASE_STATE_CANCELLED, v1::CASE_STATE_DUPLICATE}) {
    absl::StrAppend(&out, "  ", CaseStateName(s), " --> [*]\n");
  }
  return out;
}

}  // namespace fengqiao
