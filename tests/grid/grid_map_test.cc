#include "fengqiao/grid/grid_map.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "internal/proto_files.h"
#include "testing/sample_district.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Codes(const std::vector<const v1::Area*>& areas) {
  std::vector<std::string> out;
  for (const v1::Area* a : areas) out.push_back(a->code());
  return out;
}

v1::LatLng Point(double lat, double lng) {
  v1::LatLng p;
  p.set_lat_deg(lat);
  p.set_lng_deg(lng);
  return p;
}

class TinyMap : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(map_, GridMap::Parse(testing::TinyGridMapText(), "tiny.textproto"));
  }
  std::shared_ptr<const GridMap> map_;
};

TEST_F(TinyMap, AncestorsRunFromCommunityUpToTheCity) {
  ASSERT_OK_AND_ASSIGN(auto up, map_->Ancestors("g12"));
  EXPECT_THAT(Codes(up), ElementsAre("s1-c1", "s1", "d", "c"));
  EXPECT_THAT(map_->Ancestors("nowhere"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nowhere")));
}

TEST_F(TinyMap, DescendantsAndGridsOfAStreet) {
  ASSERT_OK_AND_ASSIGN(auto below, map_->Descendants("s2"));
  EXPECT_THAT(Codes(below), ElementsAre("s2-c1", "g21", "g22"));
  ASSERT_OK_AND_ASSIGN(auto grids, map_->GridsUnder("d"));
  EXPECT_THAT(Codes(grids), UnorderedElementsAre("g11", "g12", "g21", "g22"));
  ASSERT_OK_AND_ASSIGN(auto self, map_->GridsUnder("g21"));
  EXPECT_THAT(Codes(self), ElementsAre("g21"));
}

TEST_F(TinyMap, AncestorAtFindsTheStreetOfAGrid) {
  ASSERT_NE(map_->AncestorAt("g22", v1::AREA_LEVEL_STREET), nullptr);
  EXPECT_EQ(map_->AncestorAt("g22", v1::AREA_LEVEL_STREET)->code(), "s2");
  EXPECT_EQ(map_->AncestorAt("s2", v1::AREA_LEVEL_COMMUNITY), nullptr);
  EXPECT_TRUE(map_->IsWithin("g22", "d"));
  EXPECT_FALSE(map_->IsWithin("g22", "s1"));
}

TEST_F(TinyMap, FourGridTeamOfAGridInheritsPartyAndPoliceGridsFromItsCommunity) {
  ASSERT_OK_AND_ASSIGN(v1::FourGridTeam team, map_->TeamOf("g21"));
  EXPECT_EQ(team.party_grid_lead(), "lead2");
  EXPECT_EQ(team.police_grid_officer(), "cop2");
  EXPECT_EQ(team.management_grid_worker(), "");
}

TEST_F(TinyMap, BaseRegistersRollUpPerLevel) {
  ASSERT_OK_AND_ASSIGN(v1::BaseRegister street, map_->RollUp("s1"));
  EXPECT_EQ(street.actual_residents(), 1000 + 1200);
  EXPECT_EQ(street.standard_addresses(), 500 + 600);
  ASSERT_OK_AND_ASSIGN(v1::BaseRegister district, map_->RollUp("d"));
  EXPECT_EQ(district.actual_residents(), 1000 + 1200 + 900 + 600);
  EXPECT_EQ(district.actual_housing(), 333 + 400 + 300 + 200);
  EXPECT_EQ(district.actual_units(), 10 + 12 + 9 + 6);
}

TEST_F(TinyMap, LocateFindsTheGridHoldingAPoint) {
  ASSERT_OK_AND_ASSIGN(const v1::Area* a, map_->Locate(Point(30.005, 120.015)));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->code(), "g12");
  ASSERT_OK_AND_ASSIGN(const v1::Area* b, map_->Locate(Point(30.015, 120.005)));
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->code(), "g21");
}

TEST_F(TinyMap, LocateOutsideEveryGridIsNullNotAnError) {
  ASSERT_OK_AND_ASSIGN(const v1::Area* a, map_->Locate(Point(31.0, 121.0)));
  EXPECT_EQ(a, nullptr);
}

TEST_F(TinyMap, LocateRejectsImpossibleCoordinates) {
  EXPECT_THAT(map_->Locate(Point(91.0, 120.0)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("91")));
}

TEST_F(TinyMap, CenterOfACommunityLiesBetweenItsGrids) {
  ASSERT_OK_AND_ASSIGN(v1::LatLng c, map_->Center("s1-c1"));
  EXPECT_NEAR(c.lat_deg(), 30.005, 1e-4);
  EXPECT_NEAR(c.lng_deg(), 120.01, 1e-4);
  ASSERT_OK_AND_ASSIGN(const v1::Area* a, map_->Locate(*map_->Center("g22")));
  EXPECT_EQ(a->code(), "g22");
}

TEST_F(TinyMap, DistanceIsGreatCircleMetres) {
  // 0.01 degree of latitude is about 1,112 m.
  EXPECT_NEAR(GridMap::DistanceMeters(Point(30.0, 120.0), Point(30.01, 120.0)), 1112, 2);
}

TEST(GridMapSample, SampleDistrictHasTheShapeTheIssueAsksFor) {
  ASSERT_OK_AND_ASSIGN(auto map,
                       GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto"));
  EXPECT_GE(map->CountAt(v1::AREA_LEVEL_STREET), 2);
  EXPECT_GE(map->CountAt(v1::AREA_LEVEL_COMMUNITY), 6);
  EXPECT_GE(map->CountAt(v1::AREA_LEVEL_GRID), 30);
  EXPECT_TRUE(map->proto().grids_disjoint());
  // Every grid's own centre locates back to that grid.
  for (const v1::Area& area : map->proto().areas()) {
    if (area.level() != v1::AREA_LEVEL_GRID) continue;
    ASSERT_OK_AND_ASSIGN(v1::LatLng center, map->Center(area.code()));
    ASSERT_OK_AND_ASSIGN(const v1::Area* found, map->Locate(center));
    ASSERT_NE(found, nullptr) << area.code();
    EXPECT_EQ(found->code(), area.code());
  }
}

// ---- Bad input: one test per error kind, each naming file:line:col and the item. ----

std::string Map(const std::string& areas, bool disjoint = true) {
  return absl::StrCat("name: \"m\"\n", disjoint ? "grids_disjoint: true\n" : "", areas);
}

TEST(GridMapErrors, MalformedTextFormatNamesLineAndColumn) {
  auto map = GridMap::Parse("name: \"m\"\nareas { code: \"a\" \n", "bad.textproto");
  EXPECT_THAT(map, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bad.textproto:3:1")));
}

TEST(GridMapErrors, UnknownEnumNameIsNamedWithItsPosition) {
  auto map =
      GridMap::Parse("areas { code: \"a\" name: \"A\" level: AREA_LEVEL_TOWN }", "bad.textproto");
  EXPECT_THAT(map, StatusIs(absl::StatusCode::kInvalidArgument,
                            AllOf(HasSubstr("bad.textproto:1:"), HasSubstr("AREA_LEVEL_TOWN"))));
}

TEST(GridMapErrors, UnknownFieldIsNamed) {
  auto map = GridMap::Parse("areas {\n  code: \"a\"\n  colour: \"red\"\n}", "bad.textproto");
  EXPECT_THAT(map, StatusIs(absl::StatusCode::kInvalidArgument,
                            AllOf(HasSubstr("bad.textproto:3:"), HasSubstr("colour"))));
}

TEST(GridMapErrors, DuplicateCodeNamesBothPlaces) {
  auto map = GridMap::Parse(Map("areas { code: \"c\" name: \"C\" level: AREA_LEVEL_CITY }\n"
                                "areas { code: \"c\" name: \"D\" level: AREA_LEVEL_DISTRICT }\n"),
                            "dup.textproto");
  EXPECT_THAT(map, StatusIs(absl::StatusCode::kInvalidArgument,
                            AllOf(HasSubstr("dup.textproto:4:9: duplicate area code \"c\""),
                                  HasSubstr("dup.textproto:3:9"))));
}

TEST(GridMapErrors, DanglingParentIsNamed) {
  auto map = GridMap::Parse(
      Map("areas { code: \"c\" name: \"C\" level: AREA_LEVEL_CITY }\n"
          "areas { code: \"d\" name: \"D\" level: AREA_LEVEL_DISTRICT parent_code: \"zz\" }\n"),
      "dangling.textproto");
  EXPECT_THAT(map, StatusIs(absl::StatusCode::kInvalidArgument,
                            AllOf(HasSubstr("dangling.textproto:4:"), HasSubstr("area \"d\""),
                                  HasSubstr("parent_code \"zz\" does not exist"))));
}

TEST(GridMapErrors, ParentCycleIsRejected) {
  auto map = GridMap::Parse(
      Map("areas { code: \"a\" name: \"A\" level: AREA_LEVEL_STREET parent_code: \"b\" }\n"
          "areas { code: \"b\" name: \"B\" level: AREA_LEVEL_COMMUNITY parent_code: \"a\" }\n"),
      "cycle.textproto");
  EXPECT_THAT(map, StatusIs(absl::StatusCode::kInvalidArgument,
                            AllOf(HasSubstr("cycle.textproto:3:"), HasSubstr("cycle"))));
}

TEST(GridMapErrors, LevelsMustDescend) {
  auto map = GridMap::Parse(
      Map("areas { code: \"s\" name: \"S\" level: AREA_LEVEL_STREET }\n"
          "areas { code: \"d\" name: \"D\" level: AREA_LEVEL_DISTRICT parent_code: \"s\" }\n"),
      "levels.textproto");
  EXPECT_THAT(map, StatusIs(absl::StatusCode::kInvalidArgument,
                            AllOf(HasSubstr("levels.textproto:4:"),
                                  HasSubstr("\"d\" (district) cannot sit under \"s\" (street)"))));
}

TEST(GridMapErrors, GridWithoutBoundaryIsRejected) {
  auto map = GridMap::Parse(Map("areas { code: \"g\" name: \"G\" level: AREA_LEVEL_GRID }\n"),
                            "nobound.textproto");
  EXPECT_THAT(map, StatusIs(absl::StatusCode::kInvalidArgument,
                            AllOf(HasSubstr("nobound.textproto:3:"),
                                  HasSubstr("grid \"g\" has no boundary"))));
}

TEST(GridMapErrors, SelfIntersectingPolygonIsRejected) {
  // A bow tie: the edges (0,0)-(1,1) and (1,0)-(0,1) cross.
  auto map = GridMap::Parse(
      Map("areas { code: \"g\" name: \"G\" level: AREA_LEVEL_GRID\n"
          "  boundary { vertices { lat_deg: 30 lng_deg: 120 } vertices { lat_deg: 30.01 lng_deg: "
          "120.01 }\n"
          "             vertices { lat_deg: 30 lng_deg: 120.01 } vertices { lat_deg: 30.01 "
          "lng_deg: 120 } } }\n"),
      "bowtie.textproto");
  EXPECT_THAT(map, StatusIs(absl::StatusCode::kInvalidArgument,
                            AllOf(HasSubstr("bowtie.textproto:4:3"), HasSubstr("area \"g\""),
                                  HasSubstr("invalid polygon"))));
}

TEST(GridMapErrors, PolygonNeedsThreeVertices) {
  auto map = GridMap::Parse(
      Map("areas { code: \"g\" name: \"G\" level: AREA_LEVEL_GRID\n"
          "  boundary { vertices { lat_deg: 30 lng_deg: 120 } vertices { lat_deg: 30.01 lng_deg: "
          "120.01 } } }\n"),
      "two.textproto");
  EXPECT_THAT(map, StatusIs(absl::StatusCode::kInvalidArgument,
                            AllOf(HasSubstr("two.textproto:4:3"), HasSubstr("at least 3"))));
}

TEST(GridMapErrors, VertexOutOfRangeIsNamed) {
  auto map = GridMap::Parse(
      Map("areas { code: \"g\" name: \"G\" level: AREA_LEVEL_GRID\n"
          "  boundary { vertices { lat_deg: 30 lng_deg: 120 }\n"
          "    vertices { lat_deg: 95 lng_deg: 120.01 } vertices { lat_deg: 30.01 lng_deg: 120 } } "
          "}\n"),
      "range.textproto");
  EXPECT_THAT(map, StatusIs(absl::StatusCode::kInvalidArgument,
                            AllOf(HasSubstr("range.textproto:5:5"), HasSubstr("vertex 1"))));
}

TEST(GridMapErrors, OverlappingGridsAreRejectedWhenDeclaredDisjoint) {
  auto overlapping = GridMap::Parse(
      Map(absl::StrCat(
          testing::GridArea("a", "", 0, 0, 10),
          "areas { code: \"b\" name: \"B\" level: AREA_LEVEL_GRID\n"
          "  boundary { vertices { lat_deg: 30.0 lng_deg: 120.005 } vertices { lat_deg: 30.0 "
          "lng_deg: 120.015 }\n"
          "    vertices { lat_deg: 30.01 lng_deg: 120.015 } vertices { lat_deg: 30.01 lng_deg: "
          "120.005 } } }\n")),
      "overlap.textproto");
  EXPECT_THAT(overlapping, StatusIs(absl::StatusCode::kInvalidArgument,
                                    AllOf(HasSubstr("overlap.textproto:"),
                                          HasSubstr("\"b\" overlaps area \"a\""))));
  // Neighbours sharing an edge are fine.
  EXPECT_OK(GridMap::Parse(
      Map(absl::StrCat(testing::GridArea("a", "", 0, 0, 10), testing::GridArea("b", "", 0, 1, 10))),
      "edge.textproto"));
}

TEST(GridMapErrors, OverlapsAreAllowedWhenNotDeclaredDisjointAndTheFirstGridWins) {
  ASSERT_OK_AND_ASSIGN(auto map,
                       GridMap::Parse(Map(absl::StrCat(testing::GridArea("a", "", 0, 0, 10),
                                                       testing::GridArea("b", "", 0, 0, 10)),
                                          /*disjoint=*/false),
                                      "loose.textproto"));
  ASSERT_OK_AND_ASSIGN(const v1::Area* a, map->Locate(Point(30.005, 120.005)));
  EXPECT_EQ(a->code(), "a");
}

TEST(GridMapErrors, InvalidUtf8InANameIsNamed) {
  std::string text = "areas {\n  code: \"c\"\n  name: \"\\xff\\xfe\"\n  level: AREA_LEVEL_CITY\n}";
  auto map = GridMap::Parse(text, "utf8.textproto");
  EXPECT_THAT(map, StatusIs(absl::StatusCode::kInvalidArgument,
                            AllOf(HasSubstr("utf8.textproto:3:3"), HasSubstr("areas[0].name"),
                                  HasSubstr("UTF-8"))));
}

// The sample map with the city's name replaced by `name` (text-format escapes allowed).
std::string SampleMapNamed(const std::string& name) {
  std::string text;
  EXPECT_TRUE(
      internal::ReadFile(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto", &text).ok());
  const std::string city = "name: \"舟山市\"";
  const size_t at = text.find(city);
  EXPECT_NE(at, std::string::npos);
  return text.replace(at, city.size(), "name: \"" + name + "\"");
}

// Byte sequences that are not UTF-8 (the validity check is protobuf's): each is rejected in a
// name, with the field named.
class GridMapInvalidUtf8 : public ::testing::TestWithParam<const char*> {};

TEST_P(GridMapInvalidUtf8, NameWithTheSequenceIsRejected) {
  auto map = GridMap::Parse(SampleMapNamed(std::string("ok ") + GetParam()), "utf8.textproto");
  EXPECT_THAT(map, StatusIs(absl::StatusCode::kInvalidArgument,
                            AllOf(HasSubstr("utf8.textproto:10:3"), HasSubstr("areas[0].name"),
                                  HasSubstr("invalid UTF-8"))));
}

INSTANTIATE_TEST_SUITE_P(Sequences, GridMapInvalidUtf8,
                         ::testing::Values(R"(\x80)",          // a continuation byte alone
                                           R"(\xe4\xb8)",      // 中 cut short
                                           R"(\xe4\xb8 )",     // 中 cut short before a space
                                           R"(\xc0\xaf)",      // '/' in an overlong two-byte form
                                           R"(\xe0\x80\xaf)",  // '/' in an overlong three-byte form
                                           R"(\xed\xa0\x80)",  // a UTF-16 surrogate (U+D800)
                                           R"(\xf4\x90\x80\x80)",      // past U+10FFFF
                                           R"(\xf8\x88\x80\x80\x80)",  // a five-byte form
                                           R"(\xff\xfe)"));

TEST(GridMapUtf8, NamesInOneToFourByteFormsAreAccepted) {
  // é (2 bytes), 中 (3), 𠀀 U+20000 (4), U+10FFFF (4, the last code point), U+E000 after the
  // surrogates.
  auto map = GridMap::Parse(
      SampleMapNamed(R"(a\xc3\xa9\xe4\xb8\xad\xf0\xa0\x80\x80\xf4\x8f\xbf\xbf\xee\x80\x80)"),
      "utf8.textproto");
  ASSERT_TRUE(map.ok()) << map.status();
  EXPECT_EQ((*map)->proto().areas(0).name(),
            "a\xc3\xa9\xe4\xb8\xad\xf0\xa0\x80\x80\xf4\x8f\xbf\xbf\xee\x80\x80");
}

TEST(GridMapErrors, JsonSyntaxErrorNamesLineAndColumn) {
  auto map =
      GridMap::Parse("{\n  \"name\": \"m\",\n  \"areas\": [ { \"code\" \"a\" } ]\n}", "bad.json");
  EXPECT_THAT(map, StatusIs(absl::StatusCode::kInvalidArgument,
                            HasSubstr("bad.json:3:23: JSON syntax error: expected ':'")));
}

TEST(GridMapErrors, JsonUnknownEnumValueIsLocated) {
  auto map = GridMap::Parse(
      "{\n  \"areas\": [\n    {\"code\": \"a\", \"name\": \"A\", \"level\": \"AREA_LEVEL_TOWN\"}\n "
      " ]\n}",
      "enum.json");
  EXPECT_THAT(map, StatusIs(absl::StatusCode::kInvalidArgument,
                            AllOf(HasSubstr("enum.json:3:"), HasSubstr("AREA_LEVEL_TOWN"))));
}

TEST(GridMapErrors, JsonMapValidationErrorsAreLocatedToo) {
  auto map = GridMap::Parse(
      "{\"areas\": [\n {\"code\": \"c\", \"name\": \"C\", \"level\": \"AREA_LEVEL_CITY\"},\n"
      " {\"code\": \"d\", \"name\": \"D\", \"level\": \"AREA_LEVEL_DISTRICT\", \"parentCode\": "
      "\"x\"}\n]}",
      "dangling.json");
  EXPECT_THAT(map, StatusIs(absl::StatusCode::kInvalidArgument,
                            AllOf(HasSubstr("dangling.json:3:61"),
                                  HasSubstr("parent_code \"x\" does not exist"))));
}

TEST(GridMapErrors, MissingFileIsNotFound) {
  EXPECT_THAT(GridMap::Load("/nonexistent/map.textproto"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("/nonexistent/map.textproto")));
}

TEST(GridMapErrors, DirectoryGivenAsTheFileIsRejectedNotReadAsAnEmptyMap) {
  EXPECT_THAT(GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("examples/data: is a directory, not a file")));
}

TEST(GridMapErrors, MapBuiltInCodeNamesTheFieldPath) {
  v1::GridMap proto;
  v1::Area* city = proto.add_areas();
  city->set_code("c");
  city->set_name("C");
  city->set_level(v1::AREA_LEVEL_CITY);
  v1::Area* d = proto.add_areas();
  d->set_code("d");
  d->set_name("D");
  d->set_level(v1::AREA_LEVEL_DISTRICT);
  d->set_parent_code("gone");
  EXPECT_THAT(GridMap::Create(proto),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("<areas[1].parent_code>")));
}

}  // namespace
}  // namespace fengqiao
