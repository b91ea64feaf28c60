// Test helpers for absl::Status / absl::StatusOr (Debian's Abseil has no status_matchers.h).
//
//   ASSERT_OK_AND_ASSIGN(auto map, fengqiao::GridMap::Load(path));
//   EXPECT_THAT(result.status(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("x")));
#ifndef FENGQIAO_TESTS_TESTING_STATUS_MATCHERS_H_
#define FENGQIAO_TESTS_TESTING_STATUS_MATCHERS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fengqiao::testing {

inline const absl::Status& GetStatus(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER_P2(StatusIs, code, message_matcher, "") {
  const absl::Status& status = ::fengqiao::testing::GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, std::string(status.message()),
                                       result_listener);
}

}  // namespace fengqiao::testing

#define FENGQIAO_TEST_CONCAT_INNER_(a, b) a##b
#define FENGQIAO_TEST_CONCAT_(a, b) FENGQIAO_TEST_CONCAT_INNER_(a, b)

#define ASSERT_OK(expr) \
  ASSERT_TRUE(::fengqiao::testing::GetStatus(expr).ok()) << ::fengqiao::testing::GetStatus(expr)
#define EXPECT_OK(expr) \
  EXPECT_TRUE(::fengqiao::testing::GetStatus(expr).ok()) << ::fengqiao::testing::GetStatus(expr)

#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  ASSERT_TRUE(tmp.ok()) << tmp.status();           \
  lhs = *std::move(tmp)
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(FENGQIAO_TEST_CONCAT_(statusor_, __LINE__), lhs, expr)

#endif  // FENGQIAO_TESTS_TESTING_STATUS_MATCHERS_H_
