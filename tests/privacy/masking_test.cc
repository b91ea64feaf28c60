// Personal data is declared once in the protos and masked by one function on every way out.
#include "fengqiao/privacy/masking.h"

#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fengqiao/v1/alert.pb.h"
#include "fengqiao/v1/case.pb.h"
#include "fengqiao/v1/force.pb.h"
#include "fengqiao/v1/grid.pb.h"
#include "fengqiao/v1/incident.pb.h"
#include "fengqiao/v1/metrics.pb.h"
#include "fengqiao/v1/open311.pb.h"
#include "fengqiao/v1/routing.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "testing/proto_files.h"

namespace fengqiao {
namespace {

namespace pb = google::protobuf;
using ::testing::HasSubstr;
using ::testing::Not;

// String fields that cannot hold personal data, reviewed one by one: ids and codes assigned by
// systems, rule and version names, enum-like words, and text the station writes (not residents).
// A new string field must be declared personal or added here with its reason.
const std::set<std::string>& NotPersonal() {
  static const auto* fields = new std::set<std::string>{
      // calendar: the published holiday schedule (names of holidays, dates, the notice).
      "fengqiao.v1.Holiday.name",
      "fengqiao.v1.Holiday.first_day",
      "fengqiao.v1.Holiday.last_day",
      "fengqiao.v1.HolidayYear.notice",
      "fengqiao.v1.HolidayYear.make_up_workdays",
      // grid: codes, area and map names, member ids of the four-grid team.
      "fengqiao.v1.Area.code",
      "fengqiao.v1.Area.name",
      "fengqiao.v1.Area.parent_code",
      "fengqiao.v1.GridMap.name",
      "fengqiao.v1.GridMap.version",
      "fengqiao.v1.FourGridTeam.party_grid_lead",
      "fengqiao.v1.FourGridTeam.police_grid_officer",
      "fengqiao.v1.FourGridTeam.management_grid_worker",
      "fengqiao.v1.FourGridTeam.mass_grid_members",
      // force: ids, team names (units, not people), codes, dialect names.
      "fengqiao.v1.Team.id",
      "fengqiao.v1.Team.name",
      "fengqiao.v1.Team.area_code",
      "fengqiao.v1.Member.id",
      "fengqiao.v1.Member.team_id",
      "fengqiao.v1.Member.home_area_code",
      "fengqiao.v1.Member.dialects",
      "fengqiao.v1.Roster.name",
      "fengqiao.v1.Candidate.member_id",
      "fengqiao.v1.Exclusion.member_id",
      // incident: a pseudonymous person id (a salted hash by contract), ids, codes, tags.
      "fengqiao.v1.Party.person_id",
      "fengqiao.v1.Incident.id",
      "fengqiao.v1.Incident.grid_code",
      "fengqiao.v1.Incident.found_by_member_id",
      "fengqiao.v1.Incident.tags",
      "fengqiao.v1.Incident.matter_code",  // a catalogue item code (事项编码)
      "fengqiao.v1.IncidentLog.name",
      // routing: rules are the station's text; decisions hold ids and condition names.
      "fengqiao.v1.CapacityTest.team_id",
      "fengqiao.v1.Condition.area_codes",
      "fengqiao.v1.Condition.tags_all",
      "fengqiao.v1.Action.target_team_id",
      "fengqiao.v1.Rule.id",
      "fengqiao.v1.Rule.description",
      "fengqiao.v1.RuleSet.name",
      "fengqiao.v1.RuleSet.version",
      "fengqiao.v1.RuleSet.inherits",
      "fengqiao.v1.ConditionTrace.field",
      "fengqiao.v1.ConditionTrace.capacity_team_id",
      "fengqiao.v1.Decision.incident_id",
      "fengqiao.v1.Decision.rule_id",
      "fengqiao.v1.Decision.rule_set_version",
      "fengqiao.v1.Decision.rule_set_hash",
      "fengqiao.v1.Decision.matched_conditions",
      "fengqiao.v1.Decision.all_rule_ids",
      "fengqiao.v1.Decision.capacity_diversions",
      "fengqiao.v1.RuleTrace.rule_id",
      // routing's responsibility catalogue: codes, names of matters and classes, versions and
      // dates, the admission document a district cites; the station writes them, not residents.
      "fengqiao.v1.CatalogueItem.code",
      "fengqiao.v1.CatalogueItem.name",
      "fengqiao.v1.CatalogueItem.admission_basis",
      "fengqiao.v1.CatalogueClass.code",
      "fengqiao.v1.CatalogueClass.name",
      "fengqiao.v1.CatalogueDomain.code",
      "fengqiao.v1.CatalogueDomain.name",
      "fengqiao.v1.ResponsibilityCatalogue.name",
      "fengqiao.v1.ResponsibilityCatalogue.version",
      "fengqiao.v1.ResponsibilityCatalogue.effective_date",
      "fengqiao.v1.CatalogueAssignment.item_code",
      "fengqiao.v1.CatalogueAssignment.item_name",
      "fengqiao.v1.CatalogueAssignment.class_code",
      "fengqiao.v1.CatalogueAssignment.domain_code",
      "fengqiao.v1.CatalogueAssignment.catalogue_version",
      // case: ids, member ids of actors and assignees, deadline names.
      "fengqiao.v1.CaseEvent.case_id",
      "fengqiao.v1.CaseEvent.actor",
      "fengqiao.v1.CaseEvent.assignee",
      "fengqiao.v1.CaseEvent.deadline",
      "fengqiao.v1.Deadline.name",
      "fengqiao.v1.Case.id",
      "fengqiao.v1.Case.assignee",
      // metrics: names of measures, periods, zones, dimensions.
      "fengqiao.v1.Rate.name",
      "fengqiao.v1.Distribution.name",
      "fengqiao.v1.PeriodComparison.measure",
      "fengqiao.v1.PeriodComparison.kind",
      "fengqiao.v1.PeriodComparison.period",
      "fengqiao.v1.MetricsReport.title",
      "fengqiao.v1.MetricsReport.time_zone",
      "fengqiao.v1.MetricsReport.group_by",
      // a serialised partial: options fingerprint and counters, no case content.
      "fengqiao.v1.MetricsPartial.options_fingerprint",
      "fengqiao.v1.MetricsPartial.payload",
      // alert: rule ids and patterns, group and sender ids (pseudonymous), the bank's own text.
      "fengqiao.v1.ScanRule.id",
      "fengqiao.v1.ScanRule.pattern",
      "fengqiao.v1.ChatMessage.group_id",
      "fengqiao.v1.ChatMessage.sender_id",
      "fengqiao.v1.ChatMessage.grid_code",
      "fengqiao.v1.ChatMessage.id",
      "fengqiao.v1.LabelledChatMessage.id",
      "fengqiao.v1.Viewer.member_id",
      "fengqiao.v1.Viewer.area_codes",
      "fengqiao.v1.AuditRecord.case_ids",
      "fengqiao.v1.LabelledChatMessage.reply_category",
      "fengqiao.v1.LabelledChatMessage.why",
      "fengqiao.v1.LabelledChatMessage.group_id",
      "fengqiao.v1.LabelledChatMessage.sender_id",
      "fengqiao.v1.LabelledChatMessage.grid_code",
      "fengqiao.v1.Alert.rule_id",
      "fengqiao.v1.Alert.group_id",
      "fengqiao.v1.StandardReply.id",
      "fengqiao.v1.StandardReply.category",
      "fengqiao.v1.StandardReply.pattern",
      "fengqiao.v1.StandardReply.text",
      "fengqiao.v1.StandardReply.questions",
      // open311: service catalogue (the district's own text), codes and ids, times, media links.
      "fengqiao.v1.Open311Service.service_code",
      "fengqiao.v1.Open311Service.service_name",
      "fengqiao.v1.Open311Service.description",
      "fengqiao.v1.Open311Service.type",
      "fengqiao.v1.Open311Service.keywords",
      "fengqiao.v1.Open311Service.group",
      "fengqiao.v1.Open311Request.jurisdiction_id",
      "fengqiao.v1.Open311Request.service_code",
      "fengqiao.v1.Open311Request.address_id",
      "fengqiao.v1.Open311Request.device_id",
      "fengqiao.v1.Open311Request.account_id",
      "fengqiao.v1.Open311Request.media_url",
      "fengqiao.v1.Open311Request.requested_datetime",
      "fengqiao.v1.Open311ServiceRequest.service_request_id",
      "fengqiao.v1.Open311ServiceRequest.status",
      "fengqiao.v1.Open311ServiceRequest.status_notes",
      "fengqiao.v1.Open311ServiceRequest.service_name",
      "fengqiao.v1.Open311ServiceRequest.service_code",
      "fengqiao.v1.Open311ServiceRequest.agency_responsible",
      "fengqiao.v1.Open311ServiceRequest.service_notice",
      "fengqiao.v1.Open311ServiceRequest.requested_datetime",
      "fengqiao.v1.Open311ServiceRequest.updated_datetime",
      "fengqiao.v1.Open311ServiceRequest.expected_datetime",
      "fengqiao.v1.Open311ServiceRequest.address_id",
      "fengqiao.v1.Open311ServiceRequest.zipcode",
      "fengqiao.v1.Open311ServiceRequest.media_url",
      "fengqiao.v1.Open311Error.description",
      // alert rules are the station's data; decisions name rules, messages and the bank.
      "fengqiao.v1.ScanRule.context",
      "fengqiao.v1.ScanRule.unless",
      "fengqiao.v1.ScanRule.reason",
      "fengqiao.v1.ScanRule.examples",
      "fengqiao.v1.ScanRule.reply_category",
      "fengqiao.v1.EvidenceSpan.rule_id",
      "fengqiao.v1.AlertDecision.message_id",
      "fengqiao.v1.AlertDecision.rule_ids",
      "fengqiao.v1.AlertDecision.reply_category",
      "fengqiao.v1.AlertDecision.overridden_rule_ids",
      // the alert model: its name, how it was trained, and n-grams kept only when at least two
      // training messages share them, with digits folded (tools/train_alert_model.py).
      "fengqiao.v1.AlertModel.id",
      "fengqiao.v1.AlertModel.provenance",
      "fengqiao.v1.AlertModelNgram.ngram",
      // case: member ids of co-handlers and deadline holders.
      "fengqiao.v1.CaseEvent.co_handler",
      "fengqiao.v1.CoHandler.id",
      // The holiday a consultation was moved off (from the published schedule).
      "fengqiao.v1.ConsultationItem.moved_off",
      "fengqiao.v1.Deadline.holder",
      // Supervision (督办): the names of supervising bodies (区政府办公室 ...), from the options.
      "fengqiao.v1.CaseEvent.supervisor",
      // 并单: case ids.
      "fengqiao.v1.CaseEvent.merged_case_id",
      "fengqiao.v1.CaseEvent.duplicate_of",
      "fengqiao.v1.Supervision.body",
      "fengqiao.v1.WorkOrderPolicy.supervision_bodies",
      "fengqiao.v1.WorkOrderPolicy.sources",
      // Department scorecards: the published rules cited, the report's zone and period names.
      "fengqiao.v1.ScorecardPolicy.sources",
      "fengqiao.v1.ScorecardReport.sources",
      "fengqiao.v1.ScorecardReport.time_zone",
      "fengqiao.v1.ScorecardReport.period",
      // options: the labels themselves.
      "fengqiao.v1.Label.en",
      "fengqiao.v1.Label.zh",
  };
  return *fields;
}

void CollectMessages(const pb::Descriptor* m, std::vector<const pb::Descriptor*>* out) {
  out->push_back(m);
  for (int i = 0; i < m->nested_type_count(); ++i) CollectMessages(m->nested_type(i), out);
}

std::vector<const pb::Descriptor*> AllMessages() {
  std::vector<const pb::Descriptor*> out;
  for (const pb::FileDescriptor* f : testing::AllFengqiaoProtoFiles()) {
    EXPECT_NE(f, nullptr) << "a .proto file is not compiled into the library";
    if (f == nullptr) continue;
    for (int i = 0; i < f->message_type_count(); ++i) CollectMessages(f->message_type(i), &out);
  }
  return out;
}

TEST(PersonalData, EveryStringFieldIsDeclaredPersonalOrReviewedAsNot) {
  std::vector<std::string> undeclared;
  for (const pb::Descriptor* m : AllMessages()) {
    for (int i = 0; i < m->field_count(); ++i) {
      const pb::FieldDescriptor* f = m->field(i);
      if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING || m->options().map_entry()) {
        continue;
      }
      const bool personal = PersonalKindOf(f) != v1::PERSONAL_KIND_UNSPECIFIED;
      const bool reviewed = NotPersonal().count(f->full_name()) > 0;
      if (!personal && !reviewed) undeclared.push_back(f->full_name());
      EXPECT_FALSE(personal && reviewed) << f->full_name() << " is both";
    }
  }
  EXPECT_THAT(undeclared, ::testing::IsEmpty())
      << "declare [(personal) = PERSONAL_KIND_...] or review the field into NotPersonal()";
}

TEST(PersonalData, PartiesMembersDescriptionsAndChatTextAreDeclared) {
  EXPECT_EQ(PersonalKindOf(v1::Party::descriptor()->FindFieldByName("name")),
            v1::PERSONAL_KIND_NAME);
  EXPECT_EQ(PersonalKindOf(v1::Party::descriptor()->FindFieldByName("phone")),
            v1::PERSONAL_KIND_PHONE);
  EXPECT_EQ(PersonalKindOf(v1::Member::descriptor()->FindFieldByName("name")),
            v1::PERSONAL_KIND_NAME);
  EXPECT_EQ(PersonalKindOf(v1::Incident::descriptor()->FindFieldByName("description")),
            v1::PERSONAL_KIND_FREE_TEXT);
  EXPECT_EQ(PersonalKindOf(v1::ChatMessage::descriptor()->FindFieldByName("text")),
            v1::PERSONAL_KIND_FREE_TEXT);
  EXPECT_EQ(PersonalKindOf(v1::Incident::descriptor()->FindFieldByName("id")),
            v1::PERSONAL_KIND_UNSPECIFIED);
}

TEST(Masking, ValuesAreMaskedAsStationsDo) {
  EXPECT_EQ(MaskValue(v1::PERSONAL_KIND_PHONE, "13812345678"), "138****5678");
  EXPECT_EQ(MaskValue(v1::PERSONAL_KIND_PHONE, "138-1234-5678"), "138****5678");
  EXPECT_EQ(MaskValue(v1::PERSONAL_KIND_PHONE, "0580-2023456"), "*******3456");  // landline
  EXPECT_EQ(MaskValue(v1::PERSONAL_KIND_ID_NUMBER, "33090219900101123X"), "330902********123X");
  EXPECT_EQ(MaskValue(v1::PERSONAL_KIND_NAME, "张晓明"), "张*明");
  EXPECT_EQ(MaskValue(v1::PERSONAL_KIND_NAME, "王芳"), "王*");
  EXPECT_EQ(MaskValue(v1::PERSONAL_KIND_NAME, "欧阳晓明"), "欧阳*明");
  EXPECT_EQ(MaskValue(v1::PERSONAL_KIND_BANK_CARD, "6222 0212 3456 7890"), "6222********7890");
  EXPECT_EQ(MaskValue(v1::PERSONAL_KIND_ADDRESS, "长峙街道海天社区3幢2单元501室"),
            "长峙街道海天社区3幢****");
  EXPECT_EQ(MaskValue(v1::PERSONAL_KIND_PLATE, "浙L12345"), "浙L1**45");
  EXPECT_EQ(MaskValue(v1::PERSONAL_KIND_EMAIL, "wang.xiaoming@example.cn"), "w***@example.cn");
  EXPECT_EQ(MaskValue(v1::PERSONAL_KIND_EMAIL, "not-an-address"), "**************");
  EXPECT_EQ(MaskValue(v1::PERSONAL_KIND_UNSPECIFIED, "xc-lc-c1-g2"), "xc-lc-c1-g2");
}

TEST(Masking, BadInputNeverLeaksOrCrashes) {
  // Invalid UTF-8, empty, one character, a huge value.
  EXPECT_EQ(MaskValue(v1::PERSONAL_KIND_NAME, "\xff\xfe张"), "***");
  EXPECT_EQ(MaskFreeText("电话13812345678\xff"), "***");
  EXPECT_EQ(MaskValue(v1::PERSONAL_KIND_NAME, ""), "");
  EXPECT_EQ(MaskValue(v1::PERSONAL_KIND_NAME, "张"), "*");  // one character: all of it
  const std::string huge = absl::StrCat(std::string(1 << 20, 'a'), "13812345678");
  EXPECT_THAT(MaskFreeText(huge), Not(HasSubstr("13812345678")));
  EXPECT_EQ(MaskValue(static_cast<v1::PersonalKind>(99), "13812345678"), "13812345678");
}

TEST(Masking, FreeTextHidesPhonesIdsCardsPlatesAndNamesButKeepsTheRest) {
  const std::string text =
      "我叫王小明，住3幢，电话139 0000 1234，身份证330902199001011234，"
      "卡号6222021234567890123，车牌浙L12345，订单号20261123";
  const std::string masked = MaskFreeText(text);
  for (absl::string_view raw :
       {"王小明", "139 0000 1234", "330902199001011234", "6222021234567890123", "浙L12345"}) {
    EXPECT_THAT(masked, Not(HasSubstr(std::string(raw)))) << masked;
  }
  EXPECT_THAT(masked, HasSubstr("我叫王**"));       // the end of a name in text is unknown
  EXPECT_THAT(masked, HasSubstr("139 **** 1234"));  // the layout is kept
  EXPECT_THAT(masked, HasSubstr("330902********1234"));
  EXPECT_THAT(masked, HasSubstr("6222***********0123"));
  EXPECT_THAT(masked, HasSubstr("浙L1**45"));
  EXPECT_THAT(masked, HasSubstr("订单号20261123"));  // 8 digits: not personal
  EXPECT_THAT(masked, HasSubstr("住3幢"));
}

// Each class of number the scan knows, written the ways residents write them.
TEST(Masking, FreeTextFindsEachKindWhereverAndHoweverItIsWritten) {
  struct Case {
    const char* text;
    const char* masked;
  };
  for (const Case& c : std::vector<Case>{
           {"电话13800005678", "电话138****5678"},
           {"打138-0000-5678找我", "打138-****-5678找我"},
           {"１３９０００００１２３", "１３９****０１２３"},  // full-width digits
           {"sfz 330902200001011234。", "sfz 330902********1234。"},
           {"身份证33090219900101123x", "身份证330902********123x"},
           {"老身份证330902900101123", "老身份证330902******123"},  // 15 digits
           {"6222 0200 0000 1234", "6222 **** **** 1234"},
           {"账户0571888812345", "账户057******2345"},  // 13 digits: an account
           {"找13912345678 2 3", "找139******78 2 3"},  // a phone then other digits
           {"车牌浙L·12345", "车牌浙L·***45"},
           {"苏E12345D挪车", "苏E1***5D挪车"},  // six after the letter
           {"我叫 陈阿姨", "我叫 陈**"},
           {"名叫李四", "名叫李*"},
           {"本人叫𠮷祥", "本人叫𠮷*"},  // a name with a supplementary-plane character
           {"我叫了救护车", "我叫了救护车"},
           {"本人不同意调解", "本人不同意调解"},
           {"转了50000元,3号楼", "转了50000元,3号楼"},
           {"打110,订单号20261123", "打110,订单号20261123"},
           {"规则集哈希0000000000000000", "规则集哈希0000000000000000"},  // not a card
       }) {
    EXPECT_EQ(MaskFreeText(c.text), c.masked) << c.text;
  }
}

// Property: on random text with personal values planted in it, the raw values never come out, the
// layout is kept (one '*' per masked character, everything else byte for byte), and each masked
// character is one FindPersonalText reports with a kind.
TEST(Masking, RandomTextKeepsItsLayoutAndNeverShowsAPlantedValue) {
  std::mt19937 rng(20261208);
  const std::vector<std::string> filler = {"楼上", "漏水",         "，",   "。",  " ",
                                           "3栋",  "110",          "元",   "a",   "-",
                                           "😀",    "\xef\xbc\x91", "阿姨", "订单"};
  auto digits = [&](int n, char first) {
    std::string s(1, first);
    for (int k = 1; k < n; ++k) s.push_back(static_cast<char>('0' + rng() % 10));
    return s;
  };
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    std::vector<std::string> planted;
    for (int part = 0; part < 6; ++part) {
      switch (rng() % 5) {
        case 0:
          planted.push_back(digits(11, '1'));
          planted.back()[1] = static_cast<char>('3' + rng() % 7);
          break;
        case 1:
          planted.push_back(digits(18, static_cast<char>('1' + rng() % 9)));
          break;
        case 2:
          planted.push_back(digits(16 + static_cast<int>(rng() % 4), '6'));
          break;
        default:
          absl::StrAppend(&text, filler[rng() % filler.size()]);
          continue;
      }
      // A separator on both sides keeps the planted number from joining a neighbour's digits.
      absl::StrAppend(&text, "，", planted.back(), "，");
    }
    const std::string masked = MaskFreeText(text);
    for (const std::string& raw : planted) {
      EXPECT_THAT(masked, Not(HasSubstr(raw))) << text;
    }
    const std::vector<PersonalChar> found = FindPersonalText(text);
    std::string rebuilt;
    size_t done = 0;
    for (const PersonalChar& c : found) {
      ASSERT_LE(done, c.begin);
      ASSERT_LT(c.begin, c.end);
      EXPECT_NE(c.kind, v1::PERSONAL_KIND_UNSPECIFIED);
      absl::StrAppend(&rebuilt, text.substr(done, c.begin - done), "*");
      done = c.end;
    }
    absl::StrAppend(&rebuilt, text.substr(done));
    EXPECT_EQ(masked, rebuilt);
  }
}

TEST(Masking, MessagesAreMaskedThroughTheirDeclarationsAtEveryDepth) {
  v1::Case c;
  v1::Party* p = c.mutable_incident()->add_parties();
  p->set_person_id("p-7f3a");
  p->set_name("陈阿姨");
  p->set_phone("13800001111");
  c.mutable_incident()->set_description("邻居陈阿姨说楼上漏水，回电13800001111");
  c.add_events()->set_reason("当事人我叫李四海，不同意调解");
  const v1::Case shown = Masked(c);
  EXPECT_EQ(shown.incident().parties(0).name(), "陈*姨");
  EXPECT_EQ(shown.incident().parties(0).phone(), "138****1111");
  EXPECT_EQ(shown.incident().parties(0).person_id(), "p-7f3a");  // pseudonymous id stays
  EXPECT_THAT(shown.incident().description(), Not(HasSubstr("13800001111")));
  EXPECT_THAT(shown.events(0).reason(), Not(HasSubstr("李四海")));
  // The original is untouched.
  EXPECT_EQ(c.incident().parties(0).phone(), "13800001111");
}

}  // namespace
}  // namespace fengqiao
