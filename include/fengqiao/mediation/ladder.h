// File: fengqiao/mediation/ladder.h
// The tier ladder of mediation (分级调处): what a tier cannot settle goes one step up —
// full-time mediator -> community police officer -> joint mediation (大调解) -> court referral
// (共享法庭) — on mediation failure, a missed deadline or the party's request; a risk of violence
// goes straight to police dispatch from anywhere (民转刑 kept at zero).
//
//   absl::StatusOr<fengqiao::v1::Tier> up =
//       fengqiao::NextTier(fengqiao::v1::TIER_MEDIATOR,
//       fengqiao::EscalationReason::kMediationFailed);
//   // *up == TIER_COMMUNITY_POLICE
//
// Thread safety: pure functions.
#ifndef FENGQIAO_MEDIATION_LADDER_H_
#define FENGQIAO_MEDIATION_LADDER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fengqiao/v1/routing.pb.h"

namespace fengqiao {

// Why a case leaves its tier.
enum class EscalationReason {
  kMediationFailed,  // 调解不成
  kDeadlineBreach,   // the resolve deadline passed
  kPartyRequest,     // a party asks for a higher level
  kRiskFlag,         // violence risk: police dispatch at once
};

// The tier after `current` for `reason`. FailedPrecondition at the top of the ladder (court
// referral, or police dispatch for anything but risk), InvalidArgument for an unspecified tier.
absl::StatusOr<v1::Tier> NextTier(v1::Tier current, EscalationReason reason);

absl::string_view EscalationReasonName(EscalationReason reason);

}  // namespace fengqiao

#endif  // FENGQIAO_MEDIATION_LADDER_H_
