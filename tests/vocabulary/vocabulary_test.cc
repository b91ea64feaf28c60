// The vocabulary lives once, in the protos: every value of every fengqiao enum has an English and
// a Chinese label, a unique short name, and parses back from each way people write it.
#include "fengqiao/vocabulary.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "fengqiao/v1/alert.pb.h"
#include "fengqiao/v1/case.pb.h"
#include "fengqiao/v1/force.pb.h"
#include "fengqiao/v1/grid.pb.h"
#include "fengqiao/v1/incident.pb.h"
#include "fengqiao/v1/metrics.pb.h"
#include "fengqiao/v1/routing.pb.h"
#include "fengqiao/v1/taxonomy.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "testing/proto_files.h"

namespace fengqiao {
namespace {

namespace pb = google::protobuf;
using ::testing::HasSubstr;
using ::testing::Not;

void CollectEnums(const pb::Descriptor* m, std::vector<const pb::EnumDescriptor*>* out) {
  for (int i = 0; i < m->enum_type_count(); ++i) out->push_back(m->enum_type(i));
  for (int i = 0; i < m->nested_type_count(); ++i) CollectEnums(m->nested_type(i), out);
}

// Every enum of every fengqiao .proto (a new file or enum is covered without editing this test).
std::vector<const pb::EnumDescriptor*> AllEnums() {
  std::vector<const pb::EnumDescriptor*> out;
  for (const pb::FileDescriptor* f : testing::AllFengqiaoProtoFiles()) {
    EXPECT_NE(f, nullptr) << "a .proto file is not compiled into the library";
    if (f == nullptr) continue;
    for (int i = 0; i < f->enum_type_count(); ++i) out.push_back(f->enum_type(i));
    for (int i = 0; i < f->message_type_count(); ++i) CollectEnums(f->message_type(i), &out);
  }
  return out;
}

TEST(Vocabulary, EveryEnumValueOfEveryProtoHasAnEnglishAndAChineseLabel) {
  const std::vector<const pb::EnumDescriptor*> enums = AllEnums();
  ASSERT_GE(enums.size(), 14u);
  for (const pb::EnumDescriptor* e : enums) {
    std::set<std::string> short_names;
    for (int i = 0; i < e->value_count(); ++i) {
      const pb::EnumValueDescriptor* v = e->value(i);
      const EnumLabel& l = LabelOf(e, v->number());
      SCOPED_TRACE(v->full_name());
      EXPECT_TRUE(l.known);
      EXPECT_EQ(l.proto_name, v->name());
      EXPECT_FALSE(l.en.empty());
      EXPECT_FALSE(l.zh.empty());
      EXPECT_TRUE(absl::StrContains(l.display, l.en));
      EXPECT_TRUE(absl::StrContains(l.display, l.zh));
      EXPECT_TRUE(short_names.insert(std::string(l.short_name)).second) << "short name repeats";
    }
  }
}

TEST(Vocabulary, EveryLabelParsesBackToItsValue) {
  for (const pb::EnumDescriptor* e : AllEnums()) {
    for (int i = 0; i < e->value_count(); ++i) {
      const int n = e->value(i)->number();
      const EnumLabel& l = LabelOf(e, n);
      SCOPED_TRACE(e->value(i)->full_name());
      for (absl::string_view text : {l.proto_name, l.short_name, l.en, l.zh}) {
        absl::StatusOr<int> parsed = ParseEnum(e, text, /*allow_unspecified=*/true);
        ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status();
        // Two values may share a label in one language only if that text names the first.
        EXPECT_EQ(LabelOf(e, *parsed).display, l.display) << text;
      }
      EXPECT_EQ(*ParseEnum(e, std::to_string(n), true), n);
    }
  }
}

TEST(Vocabulary, DomainIsTheGeneratedArraySize) {
  EXPECT_EQ(EnumDomain<v1::DisputeType>(), v1::DisputeType_ARRAYSIZE);
  EXPECT_EQ(EnumDomain<v1::Department>(), v1::Department_ARRAYSIZE);
  EXPECT_EQ(EnumDomain<v1::Severity>(), v1::Severity_ARRAYSIZE);
  EXPECT_EQ(EnumDomain<v1::Channel>(), v1::Channel_ARRAYSIZE);
  EXPECT_EQ(EnumDomain<v1::IncidentKind>(), v1::IncidentKind_ARRAYSIZE);
  EXPECT_EQ(EnumDomain<v1::ForceType>(), v1::ForceType_ARRAYSIZE);
  EXPECT_EQ(EnumDomain<v1::CaseState>(), v1::CaseState_ARRAYSIZE);
}

TEST(Vocabulary, NoiseReadsAsStationStaffSayIt) {
  EXPECT_EQ(LabelOf(v1::DISPUTE_TYPE_NOISE).zh, "噪音");
  EXPECT_EQ(DisplayName(v1::DISPUTE_TYPE_NOISE), "noise (噪音)");
  EXPECT_EQ(LabelOf(v1::TIER_COMMUNITY_POLICE).short_name, "community_police");
  EXPECT_EQ(*ParseEnum<v1::Tier>("社区民警"), v1::TIER_COMMUNITY_POLICE);
  EXPECT_EQ(*ParseEnum<v1::Channel>("call_110"), v1::CHANNEL_CALL_110);
  EXPECT_EQ(*ParseEnum<v1::Channel>(" CHANNEL_HOTLINE_12345 "), v1::CHANNEL_HOTLINE_12345);
}

TEST(Vocabulary, UnknownNumberIsNamedUnknownNotAnotherValue) {
  const EnumLabel& l = LabelOf(static_cast<v1::DisputeType>(99));
  EXPECT_FALSE(l.known);
  EXPECT_EQ(l.display, "unknown (未知)");
  EXPECT_FALSE(LabelOf(static_cast<v1::Tier>(-1)).known);
  EXPECT_FALSE(LabelOf(nullptr, 1).known);
}

TEST(Vocabulary, ParseRefusesUnspecifiedUnknownAndBadInputWithoutEchoingIt) {
  absl::StatusOr<v1::DisputeType> unspecified = ParseEnum<v1::DisputeType>("unspecified");
  EXPECT_EQ(unspecified.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unspecified.status().message(), HasSubstr("required"));

  absl::StatusOr<v1::DisputeType> typo = ParseEnum<v1::DisputeType>("nosie");
  EXPECT_EQ(typo.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(typo.status().message(), HasSubstr("DisputeType: \"nosie\" is not one of"));
  EXPECT_THAT(typo.status().message(), HasSubstr("noise"));

  EXPECT_FALSE(ParseEnum<v1::DisputeType>("99").ok());  // a number the enum does not define
  EXPECT_FALSE(ParseEnum<v1::DisputeType>("").ok());
  EXPECT_FALSE(ParseEnum<v1::DisputeType>("99999999999999999999").ok());  // overflow

  const std::string invalid_utf8 = "\xff\xfe noise";
  absl::StatusOr<v1::DisputeType> bad = ParseEnum<v1::DisputeType>(invalid_utf8);
  EXPECT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), Not(HasSubstr("\xff")));

  const std::string phone_paragraph(200, '1');
  absl::StatusOr<v1::DisputeType> huge = ParseEnum<v1::DisputeType>(phone_paragraph);
  EXPECT_FALSE(huge.ok());
  EXPECT_THAT(huge.status().message(), Not(HasSubstr("1111111111")));
  EXPECT_THAT(huge.status().message(), HasSubstr("200 bytes"));
}

}  // namespace
}  // namespace fengqiao
