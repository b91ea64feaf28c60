#include "fengqiao/routing/router.h"

#include <atomic>
#include <thread>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "testing/sample_district.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::HasSubstr;

std::shared_ptr<const RuleSet> Compile(const std::shared_ptr<const GridMap>& map,
                                       v1::Tier noise_tier, const std::string& version) {
  const std::string text = absl::StrCat(
      "version: \"", version, "\"\n",
      "rules { id: \"noise\" when { dispute_types: DISPUTE_TYPE_NOISE } then { tier: ",
      v1::Tier_Name(noise_tier), " } }\n",
      "rules { id: \"default\" is_default: true then { tier: TIER_POLICE_DISPATCH } }\n");
  auto source = RuleSetSource::Parse(text, absl::StrCat(version, ".textproto"));
  EXPECT_OK(source);
  auto rules = RuleSet::Compile(*source, map);
  EXPECT_OK(rules);
  return *rules;
}

v1::Incident Noise(int i) {
  v1::Incident incident;
  incident.set_id(absl::StrCat("n-", i));
  incident.mutable_reported_at()->set_seconds(1791943200 + i);
  incident.set_kind(v1::INCIDENT_KIND_DISPUTE);
  incident.set_dispute_type(v1::DISPUTE_TYPE_NOISE);
  incident.set_channel(v1::CHANNEL_HOTLINE_12345);
  incident.set_grid_code(i % 2 ? "g11" : "g22");
  incident.add_parties()->set_person_id("p1");
  return incident;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(map_, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
  }
  std::shared_ptr<const GridMap> map_;
};

TEST_F(RouterTest, RoutesAnIncidentToADecisionRecord) {
  Router router(Compile(map_, v1::TIER_MEDIATOR, "v1"));
  ASSERT_OK_AND_ASSIGN(v1::Decision d, router.Route(Noise(1), 0));
  EXPECT_EQ(d.incident_id(), "n-1");
  EXPECT_EQ(d.rule_id(), "noise");
  EXPECT_EQ(d.rule_set_version(), "v1");
  EXPECT_EQ(d.rule_set_hash(), router.Current()->hash());
}

TEST_F(RouterTest, SwapPutsTheNewRulesInForceForLaterCalls) {
  Router router(Compile(map_, v1::TIER_MEDIATOR, "v1"));
  std::shared_ptr<const RuleSet> held = router.Current();
  ASSERT_OK(router.Swap(Compile(map_, v1::TIER_COMMUNITY_POLICE, "v2")));
  ASSERT_OK_AND_ASSIGN(v1::Decision d, router.Route(Noise(2), 0));
  EXPECT_EQ(d.action().tier(), v1::TIER_COMMUNITY_POLICE);
  EXPECT_EQ(d.rule_set_version(), "v2");
  // A caller still holding the old set keeps a valid one.
  EXPECT_EQ(held->proto().version(), "v1");
}

TEST_F(RouterTest, SwapRefusesNullAndRulesOfAnotherMap) {
  Router router(Compile(map_, v1::TIER_MEDIATOR, "v1"));
  EXPECT_THAT(router.Swap(nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("null")));
  ASSERT_OK_AND_ASSIGN(auto other, GridMap::Parse(testing::TinyGridMapText(), "other.textproto"));
  EXPECT_THAT(router.Swap(Compile(other, v1::TIER_MEDIATOR, "x")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("grid map")));
}

TEST_F(RouterTest, BatchErrorsNameTheIncident) {
  Router router(Compile(map_, v1::TIER_MEDIATOR, "v1"));
  std::vector<v1::Incident> batch = {Noise(1), Noise(2)};
  batch[1].clear_reported_at();
  EXPECT_THAT(router.RouteBatch(batch, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::AllOf(HasSubstr("incident 1"), HasSubstr("n-2"))));
  std::vector<int> counts = {0};
  EXPECT_THAT(router.RouteBatch(batch, counts),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1 repeat counts")));
  batch[1] = Noise(2);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Decision> decisions, router.RouteBatch(batch, {}));
  ASSERT_EQ(decisions.size(), 2u);
  EXPECT_EQ(decisions[1].incident_id(), "n-2");
}

// Several threads route while the rule set is swapped back and forth; every decision must be
// whole: the tier it names belongs to the rule set whose hash it carries. Run under
// ThreadSanitizer (FENGQIAO_SANITIZE=thread) this also checks the swap for data races.
TEST_F(RouterTest, RoutingWhileSwappingFromSeveralThreads) {
  const auto mediator = Compile(map_, v1::TIER_MEDIATOR, "a");
  const auto police = Compile(map_, v1::TIER_COMMUNITY_POLICE, "b");
  Router router(mediator);
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0}, routed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; !stop.load() || i < 200; ++i) {
        absl::StatusOr<v1::Decision> d = router.Route(Noise(t * 100000 + i), 0);
        if (!d.ok()) {
          ++bad;
          continue;
        }
        const v1::Tier expected =
            d->rule_set_hash() == mediator->hash() ? v1::TIER_MEDIATOR : v1::TIER_COMMUNITY_POLICE;
        if (d->action().tier() != expected ||
            (d->rule_set_hash() != mediator->hash() && d->rule_set_hash() != police->hash())) {
          ++bad;
        }
        ++routed;
      }
    });
  }
  for (int swap = 0; swap < 200; ++swap) {
    ASSERT_OK(router.Swap(swap % 2 ? mediator : police));
    std::this_thread::yield();
  }
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GE(routed.load(), 600);
  EXPECT_EQ(router.Current(), mediator);  // the last swap (199) put the mediator set back
}

}  // namespace
}  // namespace fengqiao
