#include "fengqiao/mediation/ladder.h"

#include "absl/strings/str_cat.h"
#include "fengqiao/vocabulary.h"

namespace fengqiao {

absl::string_view EscalationReasonName(EscalationReason reason) {
  return DisplayName(static_cast<v1::EscalationReason>(reason));
}

absl::StatusOr<v1::Tier> NextTier(v1::Tier current, v1::EscalationReason reason) {
  if (reason <= v1::ESCALATION_REASON_UNSPECIFIED || reason >= v1::EscalationReason_ARRAYSIZE) {
    return absl::InvalidArgumentError("an escalation must name its reason (escalation_reason)");
  }
  return NextTier(current, static_cast<EscalationReason>(reason));
}

absl::StatusOr<v1::Tier> NextTier(v1::Tier current, EscalationReason reason) {
  if (current == v1::TIER_UNSPECIFIED) {
    return absl::InvalidArgumentError("escalation from an unspecified tier");
  }
  if (reason == EscalationReason::kRiskFlag) return v1::TIER_POLICE_DISPATCH;
  switch (current) {
    case v1::TIER_MEDIATOR:
      return v1::TIER_COMMUNITY_POLICE;
    case v1::TIER_DEPARTMENT_DIVERSION:
      // A department that cannot settle a matter hands it to the community police officer, who
      // takes it to joint mediation if need be.
      return v1::TIER_COMMUNITY_POLICE;
    case v1::TIER_COMMUNITY_POLICE:
    case v1::TIER_LAWYER:
      return v1::TIER_JOINT_MEDIATION;
    case v1::TIER_JOINT_MEDIATION:
      return v1::TIER_COURT_REFERRAL;
    default:
      return absl::FailedPreconditionError(
          absl::StrCat(v1::Tier_Name(current), " is the top of the ladder; ",
                       EscalationReasonName(reason), " cannot take the case higher"));
  }
}

}  // namespace fengqiao
