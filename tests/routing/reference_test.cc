// The compiled index against a plain first-match loop over the same rules: identical decisions
// on a million random incidents at 20, 200 and 2,000 rules, and on 100,000 at 20,000 rules
// (partitions of several words, range fields looked up in two levels; the loop is slow there).
#include "fengqiao/routing/rule_set.h"
#include "gtest/gtest.h"
#include "testing/generated_rules.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

class Reference : public ::testing::TestWithParam<int> {};

TEST_P(Reference, IndexAgreesWithNaiveFirstMatchOnAMillionIncidents) {
  const int rule_count = GetParam();
  auto map = testing::GeneratedDistrict();
  const v1::RuleSet proto = testing::GeneratedRules(*map, rule_count);
  ASSERT_EQ(proto.rules_size(), rule_count);
  ASSERT_OK_AND_ASSIGN(auto rules, RuleSet::Compile(RuleSetSource::FromProto(proto), map));
  EXPECT_TRUE(rules->warnings().empty());
  const testing::NaiveFirstMatch naive(*map, rules->proto());
  const int total = rule_count > 2000 ? 100'000 : 1'000'000;
  constexpr int kChunk = 100'000;
  std::vector<RouteResult> out(kChunk);
  int mismatches = 0, matched_local = 0;
  for (int chunk = 0; chunk < total / kChunk; ++chunk) {
    const std::vector<RoutingFacts> facts =
        testing::GeneratedFacts(*map, kChunk, 1000 * rule_count + chunk);
    rules->RouteBatch(facts, absl::MakeSpan(out));
    for (int i = 0; i < kChunk; ++i) {
      const int expected = naive.Match(facts[i]);
      if (out[i].rule != expected && ++mismatches <= 5) {
        ADD_FAILURE() << "incident " << chunk * kChunk + i << ": index says " << out[i].rule
                      << ", first match is " << expected;
      }
      matched_local += expected >= 0 && expected < rule_count - 20 ? 1 : 0;
      // The one-at-a-time path agrees with the batch.
      if (i % 1000 == 0) {
        ASSERT_EQ(rules->Route(facts[i]).rule, out[i].rule);
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
  if (rule_count > 20) {
    EXPECT_GT(matched_local, 0);  // local overrides do fire
  }
}

INSTANTIATE_TEST_SUITE_P(RuleCounts, Reference, ::testing::Values(20, 200, 2000, 20000));

}  // namespace
}  // namespace fengqiao
