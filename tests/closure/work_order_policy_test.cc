// A district's rules of work for orders as data: the sample district's file, what each rule
// changes in the loop, and every malformed file named by file:line:col and field.
#include "fengqiao/closure/work_order_policy.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

TEST(WorkOrderPolicy, TheSampleDistrictsRulesAreReadAndLaidOverTheDefaults) {
  ASSERT_OK_AND_ASSIGN(
      v1::WorkOrderPolicy policy,
      LoadWorkOrderPolicy(FENGQIAO_SOURCE_DIR "/examples/data/work_orders.textproto"));
  EXPECT_EQ(policy.sources_size(), 4);
  CaseLoopOptions base;
  base.max_returns = 7;
  base.circular_after_working_days = 9;
  const CaseLoopOptions options = WithWorkOrderPolicy(base, policy);
  EXPECT_EQ(options.max_returns, 2);
  EXPECT_EQ(options.return_within_working_days, 1);
  EXPECT_EQ(options.max_extensions, 3);
  EXPECT_EQ(options.max_extension_working_days, 3);
  EXPECT_EQ(options.circular_after_working_days, 5);
  EXPECT_EQ(options.supervision_after_rounds, 2);
  ASSERT_EQ(options.supervision_bodies.size(), 3u);
  EXPECT_EQ(options.supervision_bodies[1], "新城区人民政府办公室");
}

TEST(WorkOrderPolicy, UnsetRulesKeepTheirDefaults) {
  ASSERT_OK_AND_ASSIGN(v1::WorkOrderPolicy policy,
                       ParseWorkOrderPolicy("supervision_after_rounds: 3\n"
                                            "redo_on_dissatisfaction: true\n",
                                            "w.textproto"));
  const CaseLoopOptions options = WithWorkOrderPolicy({}, policy);
  EXPECT_EQ(options.supervision_after_rounds, 3);
  EXPECT_TRUE(options.redo_on_dissatisfaction);
  EXPECT_FALSE(CaseLoopOptions().redo_on_dissatisfaction);
  EXPECT_EQ(options.max_extensions, kDefaultMaxExtensions);
  EXPECT_EQ(options.circular_after_working_days, kDefaultCircularAfterWorkingDays);
  EXPECT_EQ(options.supervision_bodies, CaseLoopOptions().supervision_bodies);
}

TEST(WorkOrderPolicy, ValuesOutOfRangeAreNamedByFileLineColumnAndField) {
  struct Bad {
    const char* text;
    const char* says;
  };
  const Bad bad[] = {
      {"max_returns: -1\n", "w.textproto:1:1: max_returns is -1, outside 0..100"},
      {"\nmax_extensions: 128\n", "w.textproto:2:1: max_extensions is 128, outside 0..127"},
      {"max_extension_working_days: 0\n", "max_extension_working_days is 0, outside 1..127"},
      {"circular_after_working_days: 61\n", "circular_after_working_days is 61, outside 0..60"},
      {"supervision_after_rounds: 0\n", "supervision_after_rounds is 0, outside 1..100"},
      {"max_returns: 3000000000\n", "w.textproto:1"},  // overflow of int32
      {"supervision_bodies: \"\"\n", "supervision_bodies[0] is empty"},
      {"supervision_bodies: \"A\"\nsupervision_bodies: \"A\"\n",
       "w.textproto:2:1: supervision_bodies[1] names a body already in the list"},
      {"max_returns: \"two\"\n", "w.textproto:1"},        // wrong type
      {"deadline_days: 3\n", "w.textproto:1"},            // unknown field
      {"supervision_bodies: \"\xff\"\n", "w.textproto"},  // invalid UTF-8
  };
  for (const Bad& b : bad) {
    EXPECT_THAT(ParseWorkOrderPolicy(b.text, "w.textproto"),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(b.says)))
        << b.text;
  }
  std::string many;
  for (int i = 0; i < 17; ++i) many += "supervision_bodies: \"body" + std::to_string(i) + "\"\n";
  EXPECT_THAT(ParseWorkOrderPolicy(many, "w.textproto"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("w.textproto:17"), HasSubstr("at most 16"))));
  EXPECT_THAT(LoadWorkOrderPolicy("/nonexistent/work_orders.textproto"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("work_orders.textproto")));
}

TEST(DistrictRules, TheDistrictsFolderGivesItsHolidaysAndItsRulesOfWork) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const CaseLoopOptions> district,
                       LoadDistrictRules(FENGQIAO_SOURCE_DIR "/examples/data"));
  ASSERT_NE(district->working_calendar, nullptr);
  ASSERT_NE(district->consultation_calendar, nullptr);
  // 2026-10-01..07 are 国庆 holidays in the shipped schedule.
  ASSERT_OK_AND_ASSIGN(bool working,
                       district->working_calendar->IsWorkingDay(absl::CivilDay(2026, 10, 5)));
  EXPECT_FALSE(working);
  EXPECT_EQ(district->supervision_bodies.front(), "新城区社会治理中心");
  // A folder without them: the defaults, Monday to Friday.
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const CaseLoopOptions> bare,
                       LoadDistrictRules(FENGQIAO_SOURCE_DIR "/tests"));
  EXPECT_EQ(bare->working_calendar, nullptr);
  EXPECT_EQ(bare->supervision_bodies, CaseLoopOptions().supervision_bodies);
  EXPECT_THAT(LoadDistrictRules(FENGQIAO_SOURCE_DIR "/examples/data", "/nonexistent/holidays"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("/nonexistent/holidays")));
}

}  // namespace
}  // namespace fengqiao
