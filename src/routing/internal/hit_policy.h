// Internal: what a hit policy means, in one place. The compiler orders the rules by it, the lint
// chooses its checks by it, the hot path resolves candidates by it and Decide / Explain report by
// it; nothing else compares v1::HitPolicy values.
#ifndef FENGQIAO_SRC_ROUTING_INTERNAL_HIT_POLICY_H_
#define FENGQIAO_SRC_ROUTING_INTERNAL_HIT_POLICY_H_

#include "fengqiao/v1/routing.pb.h"

namespace fengqiao::routing_internal {

class HitPolicy {
 public:
  // UNSPECIFIED means FIRST (the DMN default).
  static constexpr HitPolicy Of(v1::HitPolicy policy) {
    return HitPolicy(policy == v1::HIT_POLICY_UNSPECIFIED ? v1::HIT_POLICY_FIRST : policy);
  }

  constexpr v1::HitPolicy value() const { return value_; }
  // PRIORITY: rules are tried by descending priority (file order among equals); the others try
  // them in file order.
  constexpr bool orders_by_priority() const { return value_ == v1::HIT_POLICY_PRIORITY; }
  // FIRST / PRIORITY: the first matching rule wins and no later one is looked at, so a rule that
  // an earlier one covers can never fire (lint: "shadowed"); an explanation stops at the winner.
  constexpr bool first_match_wins() const {
    return value_ == v1::HIT_POLICY_FIRST || value_ == v1::HIT_POLICY_PRIORITY;
  }
  // UNIQUE: at most one rule may match; rules that can match the same incident are an error
  // (lint: "overlap") and an incident matching two is routed nowhere, marked ambiguous.
  constexpr bool unique() const { return value_ == v1::HIT_POLICY_UNIQUE; }
  // COLLECT: the decision lists every matching rule; the first one in file order acts.
  constexpr bool collects() const { return value_ == v1::HIT_POLICY_COLLECT; }

 private:
  constexpr explicit HitPolicy(v1::HitPolicy value) : value_(value) {}
  v1::HitPolicy value_;
};

}  // namespace fengqiao::routing_internal

#endif  // FENGQIAO_SRC_ROUTING_INTERNAL_HIT_POLICY_H_
