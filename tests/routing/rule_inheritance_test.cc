// Inheritance reads only what it should: regular files under the rule files' folder, bounded in
// size, with every refusal located at the `inherits` line and nothing of a refused file echoed.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "fengqiao/routing/rule_source.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "internal/proto_files.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

class Inheritance : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "rules");
    Write("rules/district.textproto", "name: \"district\"\nversion: \"1\"\n");
  }
  void Write(const std::string& file, const std::string& content) {
    std::ofstream(dir_ / file) << content;
  }
  absl::StatusOr<RuleSetSource> LoadStreet(const std::string& inherits) {
    Write("rules/street.textproto", "name: \"street\"\ninherits: \"" + inherits + "\"\n");
    return RuleSetSource::Load((dir_ / "rules/street.textproto").string());
  }
  std::filesystem::path dir_;
};

TEST_F(Inheritance, AFileBesideItIsRead) {
  ASSERT_OK_AND_ASSIGN(RuleSetSource street, LoadStreet("district.textproto"));
  EXPECT_EQ(street.proto().version(), "1");
}

TEST_F(Inheritance, AnEndlessDeviceIsRefusedBeforeAnythingIsRead) {
  EXPECT_THAT(LoadStreet("/dev/zero"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("street.textproto:2:1"),
                             HasSubstr("outside the rule files' folder"))));
  // The same device linked from inside the folder resolves to where it is.
  std::filesystem::create_symlink("/dev/zero", dir_ / "rules/zero.textproto");
  EXPECT_THAT(LoadStreet("zero.textproto"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("outside")));
}

TEST_F(Inheritance, AFifoInTheFolderIsRefusedWithoutBlocking) {
  ASSERT_EQ(mkfifo((dir_ / "rules/pipe.textproto").c_str(), 0600), 0);
  EXPECT_THAT(LoadStreet("pipe.textproto"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("street.textproto:2:1"), HasSubstr("not a regular file"))));
}

TEST_F(Inheritance, ADirectoryIsNotReadAsAnEmptyFile) {
  EXPECT_THAT(LoadStreet("."),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("street.textproto:2:1"), HasSubstr("is a directory"))));
}

TEST_F(Inheritance, FilesOutsideTheFolderAreNotReadAndNotEchoed) {
  Write("secret.textproto", "name: \"13912345678 王小明\"\n");
  for (const std::string& target : {std::string("/etc/passwd"), std::string("../secret.textproto"),
                                    (dir_ / "secret.textproto").string()}) {
    const absl::StatusOr<RuleSetSource> loaded = LoadStreet(target);
    EXPECT_THAT(loaded, StatusIs(absl::StatusCode::kInvalidArgument,
                                 AllOf(HasSubstr("street.textproto:2:1"), HasSubstr("outside"))))
        << target;
    EXPECT_THAT(loaded.status().message(), Not(HasSubstr("root:")));
    EXPECT_THAT(loaded.status().message(), Not(HasSubstr("13912345678")));
  }
}

TEST_F(Inheritance, ACycleIsLocatedAtTheInheritsThatClosesIt) {
  Write("rules/a.textproto", "name: \"a\"\ninherits: \"b.textproto\"\n");
  Write("rules/b.textproto", "name: \"b\"\n\ninherits: \"a.textproto\"\n");
  EXPECT_THAT(RuleSetSource::Load((dir_ / "rules/a.textproto").string()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("b.textproto:3:1"), HasSubstr("inheritance cycle"))));
  Write("rules/self.textproto", "inherits: \"self.textproto\"\n");
  EXPECT_THAT(RuleSetSource::Load((dir_ / "rules/self.textproto").string()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("self.textproto:1:1"), HasSubstr("inheritance cycle"))));
}

TEST_F(Inheritance, EveryInputFileIsReadUpToALimit) {
  Write("big.textproto", std::string(100'000, '#'));
  std::string content;
  EXPECT_THAT(internal::ReadFile((dir_ / "big.textproto").string(), &content, 65'536),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("larger than 65536 bytes")));
  EXPECT_TRUE(content.empty());
  EXPECT_OK(internal::ReadFile((dir_ / "big.textproto").string(), &content, 100'000));
  EXPECT_EQ(content.size(), 100'000u);
  EXPECT_THAT(internal::ReadFile("/dev/zero", &content),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a regular file")));
}

}  // namespace
}  // namespace fengqiao
