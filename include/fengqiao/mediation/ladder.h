// File: fengqiao/mediation/ladder.h
// The tier ladder of mediation (分级调处): what a tier cannot settle goes one step up —
// full-time mediator -> community police officer -> joint mediation (大调解) -> court referral
// (共享法庭) — on mediation failure, a missed deadline or the party's request; a risk of violence
// goes straight to police dispatch from anywhere (民转刑 kept at zero). CaseLoop enforces it:
// an escalation goes where NextTier says unless an allowed role overrides it with a reason.
//
//   absl::StatusOr<fengqiao::v1::Tier> up =
//       fengqiao::NextTier(fengqiao::v1::TIER_MEDIATOR,
//       fengqiao::EscalationReason::kMediationFailed);
//   if (!up.ok()) return up.status();
//   if (*up != fengqiao::v1::TIER_COMMUNITY_POLICE) return absl::InternalError("off the ladder");
//   return absl::OkStatus();
//
// Errors: FailedPrecondition at the top of the ladder (court referral, or police dispatch for
// anything but risk); InvalidArgument for an unspecified tier or reason.
//
// Thread safety: pure functions.
#ifndef FENGQIAO_MEDIATION_LADDER_H_
#define FENGQIAO_MEDIATION_LADDER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fengqiao/v1/case.pb.h"
#include "fengqiao/v1/routing.pb.h"

namespace fengqiao {

// Why a case leaves its tier: the values of v1::EscalationReason (case.proto holds the labels).
enum class EscalationReason {
  kMediationFailed = v1::ESCALATION_REASON_MEDIATION_FAILED,  // 调解不成
  kDeadlineBreach = v1::ESCALATION_REASON_DEADLINE_BREACH,    // the resolve deadline passed
  kPartyRequest = v1::ESCALATION_REASON_PARTY_REQUEST,        // a party asks for a higher level
  kRiskFlag = v1::ESCALATION_REASON_RISK_FLAG,                // violence risk: police at once
};
static_assert(v1::EscalationReason_ARRAYSIZE == 5,
              "a new v1::EscalationReason needs its value here and its rung in NextTier");

// The tier after `current` for `reason`. FailedPrecondition at the top of the ladder (court
// referral, or police dispatch for anything but risk), InvalidArgument for an unspecified tier.
absl::StatusOr<v1::Tier> NextTier(v1::Tier current, EscalationReason reason);
// The same for the proto value; InvalidArgument for ESCALATION_REASON_UNSPECIFIED.
absl::StatusOr<v1::Tier> NextTier(v1::Tier current, v1::EscalationReason reason);

// "mediation failed (调解不成)": the label of the reason in case.proto.
absl::string_view EscalationReasonName(EscalationReason reason);

}  // namespace fengqiao

#endif  // FENGQIAO_MEDIATION_LADDER_H_
