// Inputs that parse but mean nothing are refused where they enter, located, without echoing
// personal values: enum numbers the protos do not define (in files and in messages built in
// code), times outside the window a case store holds, amounts past any real dispute.
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/incident/incident_log.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/routing/rule_source.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/sample_district.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

class Validation : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(map_, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
    good_.set_id("i-1");
    good_.set_grid_code("g11");
    good_.set_channel(v1::CHANNEL_CALL_110);
    good_.set_kind(v1::INCIDENT_KIND_PUBLIC_ORDER);
    good_.mutable_reported_at()->set_seconds(1'791'943'200);  // 2026-10-14
    v1::Party* p = good_.add_parties();
    p->set_person_id("p-1");
    p->set_name("王小明");
    p->set_phone("13912345678");
  }
  std::shared_ptr<const GridMap> map_;
  v1::Incident good_;
};

TEST_F(Validation, AGoodIncidentPasses) { EXPECT_OK(ValidateIncident(good_, *map_)); }

TEST_F(Validation, AnEnumNumberTheProtoDoesNotDefineIsRefusedNamingTheField) {
  v1::Incident kind = good_;
  kind.set_kind(static_cast<v1::IncidentKind>(99));
  EXPECT_THAT(
      ValidateIncident(kind, *map_),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("i-1"), HasSubstr("kind: 99 is not a fengqiao.v1.IncidentKind"))));
  v1::Incident role = good_;
  role.mutable_parties(0)->set_role(static_cast<v1::PartyRole>(42));
  const absl::Status s = ValidateIncident(role, *map_);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("parties[0].role: 42")));
  EXPECT_THAT(s.message(), AllOf(Not(HasSubstr("王小明")), Not(HasSubstr("13912345678"))));
}

TEST_F(Validation, TimesOutsideTheStoresWindowAreDateEntryErrors) {
  for (const int64_t seconds :
       {int64_t{-2'208'988'800} /* 1900 */, int64_t{4'102'444'800} /* 2100 */,
        std::numeric_limits<int64_t>::min()}) {
    v1::Incident t = good_;
    t.mutable_reported_at()->set_seconds(seconds);
    EXPECT_THAT(ValidateIncident(t, *map_),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         AllOf(HasSubstr("reported_at"), HasSubstr("2000-01-01 .. 2099-12-31"))))
        << seconds;
  }
  v1::Incident nanos = good_;
  nanos.mutable_reported_at()->set_nanos(-1);
  EXPECT_THAT(ValidateIncident(nanos, *map_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("nanos -1")));
  v1::Incident occurred = good_;
  occurred.mutable_occurred_at()->set_seconds(-2'208'988'800);
  EXPECT_THAT(ValidateIncident(occurred, *map_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("occurred_at")));
}

TEST_F(Validation, AnAmountPastAnyRealDisputeIsRefused) {
  v1::Incident a = good_;
  a.set_amount_fen(std::numeric_limits<int64_t>::max());
  EXPECT_THAT(ValidateIncident(a, *map_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("amount_fen: is above")));
  a.set_amount_fen(10'000'000'000'000);
  EXPECT_OK(ValidateIncident(a, *map_));
}

TEST_F(Validation, RuleFilesAndRuleSetsBuiltInCodeRefuseUndefinedTiersAndDepartments) {
  const std::string text =
      "name: \"x\"\nrules { id: \"a\" when { kinds: INCIDENT_KIND_DISPUTE }\n"
      "  then { tier: TIER_MEDIATOR department: 1000 } }\n";
  EXPECT_THAT(RuleSetSource::Parse(text, "bad.textproto"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("bad.textproto:3:"),
                             HasSubstr("department: 1000 is not a fengqiao.v1.Department"))));
  v1::RuleSet in_code;
  in_code.set_name("code");
  v1::Rule* rule = in_code.add_rules();
  rule->set_id("r");
  rule->mutable_then()->set_tier(static_cast<v1::Tier>(99));
  EXPECT_THAT(RuleSet::Compile(RuleSetSource::FromProto(in_code), map_),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("rules[0].then.tier: 99 is not a fengqiao.v1.Tier")));
}

TEST_F(Validation, GridMapsRefuseUndefinedLevels) {
  EXPECT_THAT(
      GridMap::Parse("name: \"m\"\nareas { code: \"c\" name: \"c\" level: 99 }\n", "m.textproto"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("m.textproto:2:"),
                     HasSubstr("level: 99 is not a fengqiao.v1.AreaLevel"))));
}

// JSON files: every error located at line:col, none quoting the value or the text around it.
TEST_F(Validation, JsonErrorsAreLocatedAndNeverEchoTheInput) {
  struct Case {
    std::string json, where, what;
  };
  const std::vector<Case> cases = {
      {"{\"incidents\": [{\"id\": \"a\",\n \"id\": \"b\"}]}", "log.json:2:2",
       "duplicate key \"id\""},
      {"[{\"incidents\": []}]", "log.json:1:1", "expected a JSON object"},
      {"{\"name\": \"\xff\xfe 13912345678\"}", "log.json:1:", "invalid UTF-8"},
      {"{\"name\": \"\\ud800 13912345678\"}", "log.json:1:", "lone UTF-16 surrogate"},
      {"{\"incidents\": [{\"amountFen\": 1e400}]}", "log.json:1:30", "number out of range"},
      {"{\"incidents\": [\n{\"id\": \"a\", \"parties\": [{\"name\": 13912345678}]}]}",
       "log.json:2:", "incidents[0].parties[0].name: invalid value"},
      {"{\"incidents\": [{\"13912345678\": 1}]}", "log.json:1:16",
       "incidents[0]: a key that is not a field of fengqiao.v1.Incident"},
  };
  for (const Case& c : cases) {
    const absl::StatusOr<v1::IncidentLog> log = ParseIncidentLog(c.json, "log.json", *map_);
    EXPECT_THAT(log, StatusIs(absl::StatusCode::kInvalidArgument,
                              AllOf(HasSubstr(c.where), HasSubstr(c.what))))
        << c.json;
    EXPECT_THAT(log.status().message(), Not(HasSubstr("13912345678"))) << c.json;
  }
}

// A grid whose boundary crosses itself or encloses nothing, and base registers past any real
// area (whose roll-up overflowed int32 before), are refused at the area's line.
std::string OneGridMap(const std::string& boundary, const std::string& reg = "") {
  return "name: \"m\"\n"
         "areas { code: \"c\" name: \"c\" level: AREA_LEVEL_CITY }\n"
         "areas { code: \"d\" name: \"d\" level: AREA_LEVEL_DISTRICT parent_code: \"c\" }\n"
         "areas { code: \"s\" name: \"s\" level: AREA_LEVEL_STREET parent_code: \"d\" }\n"
         "areas { code: \"k\" name: \"k\" level: AREA_LEVEL_COMMUNITY parent_code: \"s\" }\n"
         "areas { code: \"g\" name: \"g\" level: AREA_LEVEL_GRID parent_code: \"k\"\n"
         "  boundary { " +
         boundary + " } " + reg + " }\n";
}
std::string V(double lat, double lng) {
  return absl::StrCat("vertices { lat_deg: ", lat, " lng_deg: ", lng, " } ");
}

TEST(GridValidation, ASquareGridLoads) {
  EXPECT_OK(GridMap::Parse(
      OneGridMap(V(30, 120) + V(30, 120.01) + V(30.01, 120.01) + V(30.01, 120)), "m.textproto"));
}

TEST(GridValidation, ABowTieBoundaryIsRefused) {
  EXPECT_THAT(
      GridMap::Parse(OneGridMap(V(30, 120) + V(30.01, 120.01) + V(30, 120.01) + V(30.01, 120)),
                     "m.textproto"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("m.textproto:7:"), HasSubstr("invalid polygon"))));
}

TEST(GridValidation, ABoundaryThatEnclosesNothingIsRefused) {
  // Three points on one meridian, and a sliver along a parallel (about 7 m²).
  for (const std::string& boundary :
       {V(30, 120) + V(30.005, 120) + V(30.01, 120), V(30, 120) + V(30, 120.005) + V(30, 120.01)}) {
    EXPECT_THAT(GridMap::Parse(OneGridMap(boundary), "m.textproto"),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         AllOf(HasSubstr("m.textproto:7:"), HasSubstr("\"g\""))))
        << boundary;
  }
}

TEST(GridValidation, BaseRegisterCountsPastAnyRealAreaAreRefused) {
  const std::string square = V(30, 120) + V(30, 120.01) + V(30.01, 120.01) + V(30.01, 120);
  EXPECT_THAT(
      GridMap::Parse(OneGridMap(square, "base_register { actual_residents: 9223372036854775807 }"),
                     "m.textproto"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("above 10^9")));
  ASSERT_OK_AND_ASSIGN(
      std::shared_ptr<const GridMap> ok,
      GridMap::Parse(OneGridMap(square, "base_register { actual_residents: 1000000000 }"),
                     "m.textproto"));
  ASSERT_OK_AND_ASSIGN(v1::BaseRegister city, ok->RollUp("c"));
  EXPECT_EQ(city.actual_residents(), 1'000'000'000);
}

}  // namespace
}  // namespace fengqiao
