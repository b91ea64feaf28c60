// The responsibility catalogue (issue 18 point 4): the sample district's catalogue, lookups, the
// lint (duties handed down to communities and grids, duplicates, items without an owner,
// unknown departments), every malformed file named by file:line:col, and routing that takes a
// non-police matter's department from the catalogue, falling back when no item claims it.
#include "fengqiao/routing/responsibility_catalogue.h"

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/incident/incident_log.h"
#include "fengqiao/routing/rule_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/generated_rules.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::fengqiao::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kSample[] = FENGQIAO_SOURCE_DIR "/examples/data/catalogue.textproto";

// A small catalogue: one domain, one class, the items given (text of `items { ... }` blocks).
std::string Catalogue(const std::string& items, const std::string& head = "") {
  return absl::StrCat(head.empty() ? "version: \"t1\"\neffective_date: \"2026-01-01\"\n"
                                     "fallback_department: DEPARTMENT_COMMUNITY\n"
                                   : head,
                      "domains {\n  code: \"01\" name: \"城市管理\"\n  classes {\n"
                      "    code: \"01.01\" name: \"市容环境\"\n",
                      items, "  }\n}\n");
}

std::vector<std::string> Codes(const std::vector<RuleIssue>& issues) {
  std::vector<std::string> out;
  for (const RuleIssue& issue : issues) out.push_back(issue.code);
  return out;
}

TEST(ResponsibilityCatalogue, TheSampleDistrictsCatalogueHasThreeLevelsAndEighteenClasses) {
  ASSERT_OK_AND_ASSIGN(auto catalogue, ResponsibilityCatalogue::Load(kSample));
  EXPECT_EQ(catalogue->version(), "2026.1");
  EXPECT_EQ(catalogue->effective_date(), absl::CivilDay(2026, 1, 1));
  EXPECT_EQ(catalogue->fallback_department(), v1::DEPARTMENT_COMMUNITY);
  int classes = 0;
  for (const v1::CatalogueDomain& d : catalogue->proto().domains()) classes += d.classes_size();
  EXPECT_EQ(classes, 18);
  EXPECT_EQ(catalogue->size(), 47);
  // Clean: no duty handed down without its admission basis.
  EXPECT_THAT(catalogue->warnings(), IsEmpty());
  // Every department routing diverts to owns an item.
  std::vector<bool> owns(v1::Department_ARRAYSIZE);
  for (int32_t i = 0; i < catalogue->size(); ++i) owns[catalogue->item(i).department()] = true;
  for (int d = 1; d < v1::Department_ARRAYSIZE; ++d) EXPECT_TRUE(owns[d]) << d;
}

TEST(ResponsibilityCatalogue, EverySampleNonPoliceMatterIsCodedAndTheCodeNamesItsDepartment) {
  // The sample year's intake codes each non-police matter (事项编码); under the catalogue the
  // item names the department the incident names, so routing with or without it agrees.
  ASSERT_OK_AND_ASSIGN(auto catalogue, ResponsibilityCatalogue::Load(kSample));
  ASSERT_OK_AND_ASSIGN(auto map,
                       GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto"));
  int coded = 0, logs = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(FENGQIAO_SOURCE_DIR "/examples/data")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("incidents_", 0) != 0) continue;
    ++logs;
    ASSERT_OK_AND_ASSIGN(v1::IncidentLog log, LoadIncidentLog(entry.path().string(), *map));
    for (const v1::Incident& incident : log.incidents()) {
      const bool non_police = incident.kind() == v1::INCIDENT_KIND_NON_POLICE ||
                              (incident.has_police_matter() && !incident.police_matter());
      if (!non_police) continue;
      ASSERT_FALSE(incident.matter_code().empty()) << incident.id();
      ASSERT_OK_AND_ASSIGN(v1::CatalogueAssignment a, catalogue->Lookup(incident.matter_code()));
      EXPECT_EQ(a.department(), incident.responsible_department())
          << incident.id() << " " << incident.matter_code() << " " << a.item_name();
      ++coded;
    }
  }
  EXPECT_EQ(logs, 13);
  EXPECT_GT(coded, 2000);
}

TEST(ResponsibilityCatalogue, LooksUpAnItemWithItsClassDomainAndVersion) {
  ASSERT_OK_AND_ASSIGN(auto catalogue, ResponsibilityCatalogue::Load(kSample));
  ASSERT_OK_AND_ASSIGN(v1::CatalogueAssignment a, catalogue->Lookup("04.01.002"));
  EXPECT_EQ(a.item_name(), "渔船船员欠薪");
  EXPECT_EQ(a.class_code(), "04.01");
  EXPECT_EQ(a.domain_code(), "04");
  EXPECT_EQ(a.catalogue_version(), "2026.1");
  EXPECT_EQ(a.department(), v1::DEPARTMENT_LABOUR);
  EXPECT_FALSE(a.fallback());
  EXPECT_THAT(catalogue->Lookup("04.01.999").status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("04.01.999")));
  // A class code is not an item.
  EXPECT_THAT(catalogue->Lookup("04.01").status(),
              StatusIs(absl::StatusCode::kNotFound, ::testing::_));
  const v1::CatalogueAssignment& unknown = catalogue->Assign("99.99.999");
  EXPECT_TRUE(unknown.fallback());
  EXPECT_EQ(unknown.item_code(), "");
  EXPECT_EQ(unknown.department(), v1::DEPARTMENT_COMMUNITY);
  EXPECT_EQ(unknown.catalogue_version(), "2026.1");
}

TEST(ResponsibilityCatalogue, LintFlagsADepartmentsDutyHandedDownToACommunityOrAGrid) {
  const std::string text = Catalogue(
      "    items { code: \"01.01.001\" name: \"占道经营\" department: DEPARTMENT_CITY_MANAGEMENT"
      " handled_at: DUTY_LEVEL_GRID }\n"
      "    items { code: \"01.01.002\" name: \"违法搭建巡查\" department: DEPARTMENT_COMMUNITY"
      " statutory_department: DEPARTMENT_CITY_MANAGEMENT }\n"
      "    items { code: \"01.01.003\" name: \"消防通道劝导\" department: DEPARTMENT_FIRE_RESCUE"
      " handled_at: DUTY_LEVEL_COMMUNITY admission_basis: \"社区协助办理事项清单 第3项\" }\n"
      "    items { code: \"01.01.004\" name: \"居住证明\" department: DEPARTMENT_COMMUNITY"
      " handled_at: DUTY_LEVEL_COMMUNITY }\n"
      "    items { code: \"01.01.005\" name: \"户外广告\" department: DEPARTMENT_CITY_MANAGEMENT"
      " handled_at: DUTY_LEVEL_STREET }\n");
  ASSERT_OK_AND_ASSIGN(std::vector<RuleIssue> issues,
                       ResponsibilityCatalogue::Lint(text, "c.textproto"));
  // The grid item and the community's item that is 城管's by law; not the admitted one, not the
  // community's own, not the street's.
  ASSERT_THAT(Codes(issues), ElementsAre("duty-pushed-down", "duty-pushed-down"));
  EXPECT_EQ(issues[0].rule_id, "01.01.001");
  EXPECT_EQ(issues[0].severity, RuleIssue::Severity::kWarning);
  EXPECT_THAT(issues[0].ToString(),
              AllOf(HasSubstr("c.textproto:8:"), HasSubstr("城管"), HasSubstr("网格")));
  EXPECT_EQ(issues[1].rule_id, "01.01.002");
  EXPECT_THAT(issues[1].message, AllOf(HasSubstr("社区"), HasSubstr("城管")));
  // Warnings: the catalogue loads and keeps them.
  ASSERT_OK_AND_ASSIGN(auto catalogue, ResponsibilityCatalogue::Parse(text, "c.textproto"));
  EXPECT_EQ(catalogue->warnings().size(), 2u);
}

TEST(ResponsibilityCatalogue, DuplicatesItemsWithoutAnOwnerAndUnknownDepartmentsAreErrors) {
  const std::string text = Catalogue(
      "    items { code: \"01.01.001\" name: \"占道经营\" department: DEPARTMENT_CITY_MANAGEMENT "
      "}\n"
      "    items { code: \"01.01.001\" name: \"乱张贴\" department: DEPARTMENT_CITY_MANAGEMENT }\n"
      "    items { code: \"01.01.003\" name: \"占道经营\" department: DEPARTMENT_CITY_MANAGEMENT "
      "}\n"
      "    items { code: \"01.01.004\" name: \"无主\" }\n");
  ASSERT_OK_AND_ASSIGN(std::vector<RuleIssue> issues,
                       ResponsibilityCatalogue::Lint(text, "c.textproto"));
  EXPECT_THAT(Codes(issues), ElementsAre("duplicate-code", "duplicate-name", "no-owner"));
  EXPECT_THAT(issues[0].message, HasSubstr("c.textproto:8:"));  // where it was first used
  EXPECT_EQ(issues[0].where.substr(0, 14), "c.textproto:9:");
  EXPECT_EQ(issues[1].severity, RuleIssue::Severity::kWarning);
  EXPECT_EQ(issues[2].rule_id, "01.01.004");
  // Loading refuses it with every error, one per line, and keeps nothing.
  EXPECT_THAT(ResponsibilityCatalogue::Parse(text, "c.textproto").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("[duplicate-code]"), HasSubstr("[no-owner]"),
                             Not(HasSubstr("duplicate-name")))));
  // An unknown department is refused where it stands, by the lint as by the loader.
  const std::string unknown =
      Catalogue("    items { code: \"01.01.001\" name: \"未知\" department: 99 }\n");
  EXPECT_THAT(ResponsibilityCatalogue::Lint(unknown, "c.textproto").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("c.textproto:8:"), HasSubstr("99"))));
}

// Every class of bad input, each named by file:line:col (or the file for what has no place).
TEST(ResponsibilityCatalogue, MalformedFilesAreRefusedWithTheirPlace) {
  struct Bad {
    std::string text;
    const char* says;
  };
  const std::string ok_item =
      "    items { code: \"01.01.001\" name: \"占道经营\" department: DEPARTMENT_CITY_MANAGEMENT "
      "}\n";
  const std::vector<Bad> bad = {
      // Wrong type.
      {"version: 7\n", "c.textproto:1:"},
      {Catalogue("    items { code: \"01.01.001\" name: \"x\" department: \"城管\" }\n"),
       "c.textproto:8:"},
      // Missing fields.
      {Catalogue(ok_item,
                 "effective_date: \"2026-01-01\"\nfallback_department: "
                 "DEPARTMENT_COMMUNITY\n"),
       "[missing-version]"},
      {Catalogue(ok_item, "version: \"t\"\nfallback_department: DEPARTMENT_COMMUNITY\n"),
       "[bad-date]"},
      {Catalogue(ok_item, "version: \"t\"\neffective_date: \"2026-01-01\"\n"),
       "[missing-fallback]"},
      {Catalogue("    items { name: \"x\" department: DEPARTMENT_LABOUR }\n"),
       "c.textproto:8:5: error: an item has no code [missing-code]"},
      {Catalogue("    items { code: \"01.01.001\" department: DEPARTMENT_LABOUR }\n"),
       "[missing-name]"},
      // Out of range.
      {Catalogue(ok_item,
                 "version: \"t\"\neffective_date: \"2026-02-30\"\n"
                 "fallback_department: DEPARTMENT_COMMUNITY\n"),
       "c.textproto:2:1: error: effective_date is not an ISO date"},
      {Catalogue("    items { code: \"01.02.001\" name: \"x\" department: DEPARTMENT_LABOUR }\n"),
       "item code \"01.02.001\" is not \"01.01.\" followed by digits"},
      {Catalogue("    items { code: \"01.01.1a\" name: \"x\" department: DEPARTMENT_LABOUR }\n"),
       "[bad-code]"},
      // Unknown enum numbers.
      {Catalogue(ok_item,
                 "version: \"t\"\neffective_date: \"2026-01-01\"\n"
                 "fallback_department: 77\n"),
       "77"},
      {Catalogue("    items { code: \"01.01.001\" name: \"x\" department: DEPARTMENT_LABOUR"
                 " handled_at: 9 }\n"),
       "9"},
      {Catalogue("    items { code: \"01.01.001\" name: \"x\" department: DEPARTMENT_NOPE }\n"),
       "c.textproto:8:"},
      // Invalid UTF-8.
      {Catalogue("    items { code: \"01.01.001\" name: \"\xff\xfe\" department: "
                 "DEPARTMENT_LABOUR }\n"),
       "c.textproto:8:"},
      // Duplicate ids, at every level.
      {Catalogue(ok_item + ok_item), "[duplicate-code]"},
      {"version: \"t\" effective_date: \"2026-01-01\" fallback_department: DEPARTMENT_LABOUR\n"
       "domains { code: \"01\" name: \"a\" }\ndomains { code: \"01\" name: \"b\" }\n",
       "domain code \"01\" is already used at c.textproto:2:"},
      // Unknown field.
      {"version: \"t\"\nitems_count: 3\n", "c.textproto:2:"},
  };
  for (const Bad& b : bad) {
    const auto loaded = ResponsibilityCatalogue::Parse(b.text, "c.textproto");
    EXPECT_THAT(loaded.status(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(b.says)))
        << b.text;
  }
  EXPECT_THAT(ResponsibilityCatalogue::Load("/no/such/catalogue.textproto").status(),
              StatusIs(absl::StatusCode::kNotFound, ::testing::_));
}

TEST(ResponsibilityCatalogue, AHugeCatalogueIsRefusedPastItsLimit) {
  std::string items;
  items.reserve(size_t{kMaxCatalogueItems + 1} * 80);
  for (int i = 0; i <= kMaxCatalogueItems; ++i) {
    absl::StrAppend(&items, "items { code: \"01.01.", i, "\" name: \"n", i,
                    "\" department: DEPARTMENT_LABOUR }\n");
  }
  EXPECT_THAT(ResponsibilityCatalogue::Parse(Catalogue(items), "c.textproto").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("[too-many-items]"), HasSubstr("01.01.100000"))));
}

TEST(ResponsibilityCatalogue, ACatalogueBuiltInCodeIsCheckedLikeAFile) {
  v1::ResponsibilityCatalogue c;
  c.set_version("code");
  c.set_effective_date("2026-03-01");
  c.set_fallback_department(v1::DEPARTMENT_COMMUNITY);
  v1::CatalogueClass* cls = c.add_domains()->add_classes();
  c.mutable_domains(0)->set_code("01");
  c.mutable_domains(0)->set_name("a");
  cls->set_code("01.01");
  cls->set_name("b");
  v1::CatalogueItem* item = cls->add_items();
  item->set_code("01.01.001");
  item->set_name(std::string("\xc3", 1));  // truncated UTF-8
  item->set_department(v1::DEPARTMENT_LABOUR);
  EXPECT_THAT(ResponsibilityCatalogue::FromProto(c).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("name")));
  item->set_name("欠薪");
  item->set_department(static_cast<v1::Department>(50));
  EXPECT_THAT(ResponsibilityCatalogue::FromProto(c).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("50")));
  item->set_department(v1::DEPARTMENT_LABOUR);
  ASSERT_OK_AND_ASSIGN(auto catalogue, ResponsibilityCatalogue::FromProto(c));
  EXPECT_EQ(catalogue->Find("01.01.001"), 0);
  EXPECT_EQ(catalogue->Find(std::string("01.01.001\0", 10)), -1);
}

// Routing under the catalogue: the district's rules divert by department; the department comes
// from the item, or from the fallback owner, and the decision and its explanation say which.
class CatalogueRouting : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(map_,
                         GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto"));
    ASSERT_OK_AND_ASSIGN(catalogue_, ResponsibilityCatalogue::Load(kSample));
    ASSERT_OK_AND_ASSIGN(
        auto source,
        RuleSetSource::Load(FENGQIAO_SOURCE_DIR "/examples/data/rules/district.textproto"));
    RuleSetOptions options;
    options.catalogue = catalogue_;
    ASSERT_OK_AND_ASSIGN(rules_, RuleSet::Compile(source, map_, options));
    ASSERT_OK_AND_ASSIGN(plain_, RuleSet::Compile(source, map_));
  }

  v1::Incident NonPolice(const std::string& matter_code) const {
    v1::Incident incident;
    incident.set_id("12345-2026-10-0001");
    incident.mutable_reported_at()->set_seconds(1791943200);  // 2026-10-14 10:00 (+08)
    incident.set_channel(v1::CHANNEL_HOTLINE_12345);
    incident.set_kind(v1::INCIDENT_KIND_NON_POLICE);
    incident.set_grid_code("xc-lc-c1-g1");
    // Intake recorded another department: the catalogue decides.
    incident.set_responsible_department(v1::DEPARTMENT_TOBACCO);
    incident.set_matter_code(matter_code);
    return incident;
  }

  std::shared_ptr<const GridMap> map_;
  std::shared_ptr<const ResponsibilityCatalogue> catalogue_;
  std::shared_ptr<const RuleSet> rules_, plain_;
};

TEST_F(CatalogueRouting, ANonPoliceMatterGoesToTheDepartmentOwningItsItem) {
  const v1::Incident incident = NonPolice("01.01.001");  // 占道经营 -> 城管
  ASSERT_OK_AND_ASSIGN(RoutingFacts facts, MakeRoutingFacts(incident, 0, *rules_));
  EXPECT_EQ(facts.matter, catalogue_->Find("01.01.001"));
  const v1::Decision d = rules_->Decide(facts, incident.id());
  EXPECT_EQ(d.action().tier(), v1::TIER_DEPARTMENT_DIVERSION);
  EXPECT_EQ(d.action().department(), v1::DEPARTMENT_CITY_MANAGEMENT);
  EXPECT_EQ(d.catalogue().item_code(), "01.01.001");
  EXPECT_EQ(d.catalogue().item_name(), "占道经营");
  EXPECT_EQ(d.catalogue().catalogue_version(), "2026.1");
  EXPECT_FALSE(d.catalogue().fallback());
  const v1::Explanation e = rules_->Explain(facts, incident.id());
  EXPECT_EQ(e.decision().catalogue().item_code(), "01.01.001");
  // Without the catalogue the intake's department stands, and nothing is named.
  ASSERT_OK_AND_ASSIGN(RoutingFacts plain_facts, MakeRoutingFacts(incident, 0, *plain_));
  const v1::Decision p = plain_->Decide(plain_facts, incident.id());
  EXPECT_EQ(p.action().department(), v1::DEPARTMENT_TOBACCO);
  EXPECT_FALSE(p.has_catalogue());
}

TEST_F(CatalogueRouting, AMatterNoItemClaimsFallsBackAndTheDecisionSaysSo) {
  for (const char* code : {"", "99.99.999", "01.01"}) {
    const v1::Incident incident = NonPolice(code);
    ASSERT_OK_AND_ASSIGN(RoutingFacts facts, MakeRoutingFacts(incident, 0, *rules_));
    EXPECT_EQ(facts.matter, kMatterFallback) << code;
    const v1::Decision d = rules_->Decide(facts, incident.id());
    EXPECT_EQ(d.action().department(), v1::DEPARTMENT_COMMUNITY) << code;
    EXPECT_TRUE(d.catalogue().fallback()) << code;
    EXPECT_EQ(d.catalogue().item_code(), "") << code;
    EXPECT_EQ(d.catalogue().catalogue_version(), "2026.1");
  }
}

TEST_F(CatalogueRouting, PoliceMattersAreNotTheCataloguesBusiness) {
  v1::Incident incident = NonPolice("01.01.001");
  incident.set_kind(v1::INCIDENT_KIND_PUBLIC_ORDER);
  incident.clear_responsible_department();
  ASSERT_OK_AND_ASSIGN(RoutingFacts facts, MakeRoutingFacts(incident, 0, *rules_));
  EXPECT_EQ(facts.matter, kNoMatter);
  const v1::Decision d = rules_->Decide(facts, incident.id());
  EXPECT_FALSE(d.has_catalogue());
  EXPECT_NE(d.action().tier(), v1::TIER_DEPARTMENT_DIVERSION);
}

TEST_F(CatalogueRouting, ColumnsCarryTheItemIndexAndRouteAlike) {
  std::vector<v1::Incident> incidents = {NonPolice("05.01.001"), NonPolice("nope"),
                                         NonPolice("07.02.002")};
  // The frame's rows: the facts as recorded (intake's department, no catalogue applied) and the
  // item index of each row's matter code.
  std::vector<RoutingFacts> rows;
  std::vector<int32_t> expected;
  for (const v1::Incident& incident : incidents) {
    ASSERT_OK_AND_ASSIGN(RoutingFacts row, MakeRoutingFacts(incident, 0, *plain_));
    EXPECT_EQ(row.department, v1::DEPARTMENT_TOBACCO);
    row.matter = catalogue_->Find(incident.matter_code());
    rows.push_back(row);
    ASSERT_OK_AND_ASSIGN(RoutingFacts facts, MakeRoutingFacts(incident, 0, *rules_));
    expected.push_back(rules_->Route(facts).rule);
  }
  const testing::FactColumns frame(rows);
  RoutingColumns columns = frame.Columns();
  std::vector<int32_t> out(incidents.size());
  ASSERT_OK(rules_->RouteColumns(columns, absl::MakeSpan(out)));
  EXPECT_EQ(out, expected);
  EXPECT_EQ(rules_->proto().rules(out[0]).then().department(), v1::DEPARTMENT_ENVIRONMENT);
  EXPECT_EQ(rules_->proto().rules(out[1]).then().department(), v1::DEPARTMENT_COMMUNITY);
  EXPECT_EQ(rules_->proto().rules(out[2]).then().department(), v1::DEPARTMENT_JUDICIAL_OFFICE);
  // A matter column of another length is refused.
  columns.matter = columns.matter.subspan(1);
  EXPECT_THAT(rules_->RouteColumns(columns, absl::MakeSpan(out)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("matter")));
}

}  // namespace
}  // namespace fengqiao
