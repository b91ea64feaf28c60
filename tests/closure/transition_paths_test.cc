// Apply answers most events (the ones that only move the case) by a short path; every other
// event, and every refusal, goes through the full checks. On random states and events, of every
// type, valid or not, the two give the same state or the same refusal.
#include <random>

#include "closure/internal/transition_internal.h"
#include "fengqiao/closure/case_loop.h"
#include "gtest/gtest.h"

namespace fengqiao {
namespace {

template <typename Enum>
Enum Pick(std::mt19937_64& rng, int size) {
  return static_cast<Enum>(std::uniform_int_distribution<int>(0, size - 1)(rng));
}

LoopState RandomState(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> coin(0, 1), small(0, 4);
  LoopState s;
  s.state = Pick<v1::CaseState>(rng, v1::CaseState_ARRAYSIZE);
  s.tier = Pick<v1::Tier>(rng, v1::Tier_ARRAYSIZE);
  s.last_at = absl::FromUnixSeconds(1791943200 + small(rng) * 60);
  s.events = small(rng);
  s.mediation = Pick<v1::MediationType>(rng, v1::MediationType_ARRAYSIZE);
  // Counts near their limit too, so refusals of the 32,768th are compared.
  auto count = [&]() -> int16_t { return coin(rng) && coin(rng) ? 32767 : small(rng); };
  s.reopens = count();
  s.escalations = count();
  s.overrides = count();
  s.returns = count();
  s.arbitrated = coin(rng);
  s.satisfied = coin(rng);
  s.level = static_cast<int8_t>(small(rng));
  s.on_agenda = coin(rng);
  s.paused = coin(rng) && coin(rng);
  s.extension_pending = coin(rng);
  s.extensions = static_cast<int8_t>(small(rng));
  return s;
}

LoopEvent RandomEvent(std::mt19937_64& rng, const LoopState& s) {
  std::uniform_int_distribution<int> coin(0, 1), small(0, 4);
  LoopEvent e;
  // Unknown event numbers and events earlier than the case's last are refused by both paths.
  e.type = small(rng) == 0
               ? static_cast<v1::CaseEventType>(v1::CaseEventType_ARRAYSIZE + small(rng))
               : Pick<v1::CaseEventType>(rng, v1::CaseEventType_ARRAYSIZE);
  e.at = s.last_at + absl::Seconds(std::uniform_int_distribution<int>(-30, 600)(rng));
  e.tier = Pick<v1::Tier>(rng, v1::Tier_ARRAYSIZE);
  e.escalation_reason = Pick<v1::EscalationReason>(rng, v1::EscalationReason_ARRAYSIZE);
  e.actor_role = Pick<v1::ActorRole>(rng, v1::ActorRole_ARRAYSIZE);
  e.mediation_type = Pick<v1::MediationType>(rng, v1::MediationType_ARRAYSIZE);
  e.mediation_outcome = Pick<v1::MediationOutcome>(rng, v1::MediationOutcome_ARRAYSIZE);
  e.consultation_outcome = static_cast<int8_t>(small(rng));
  e.extension_working_days = static_cast<int8_t>(small(rng) - 1);
  e.party_notified = coin(rng);
  e.satisfied = coin(rng);
  e.has_reason = coin(rng);
  e.has_override_reason = coin(rng);
  e.has_should_go_to = coin(rng);
  e.has_department = coin(rng);
  return e;
}

TEST(TransitionPaths, ShortPathAndFullChecksGiveTheSameStateOrTheSameRefusal) {
  std::mt19937_64 rng(20261207);
  CaseLoopOptions strict;
  strict.max_returns = 1;
  strict.max_extensions = 1;
  strict.max_extension_working_days = 2;
  const CaseLoopOptions defaults;
  int accepted = 0, refused = 0;
  for (int i = 0; i < 400000; ++i) {
    const LoopState s = RandomState(rng);
    const LoopEvent e = RandomEvent(rng, s);
    const CaseLoopOptions& options = i % 2 == 0 ? defaults : strict;
    const absl::StatusOr<LoopState> fast = Apply(s, e, options);
    const absl::StatusOr<LoopState> full = closure_internal::ApplyByFullPath(s, e, options);
    ASSERT_EQ(fast.status(), full.status()) << "event " << e.type << " in state " << s.state;
    if (fast.ok()) {
      ASSERT_EQ(*fast, *full) << "event " << e.type << " in state " << s.state;
      ++accepted;
    } else {
      ++refused;
    }
    if (i % 2 == 0) {
      ASSERT_EQ(fast.status(), Apply(s, e).status());
    }
  }
  // Both answers occur often enough for the comparison to mean something.
  EXPECT_GT(accepted, 20000);
  EXPECT_GT(refused, 20000);
}

}  // namespace
}  // namespace fengqiao
