// Open311 GeoReport v2 in and out: the district's services, requests becoming incidents, cases
// reported back, and every bad request answered in the specification's error form.
#include "fengqiao/interop/open311.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/routing/rule_source.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace fengqiao {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kForm[] = "application/x-www-form-urlencoded";
// Inside grid xc-lc-c1-g1 of the sample district.
constexpr char kInside[] = "lat=29.9320&long=122.1820";

class Open311 : public ::testing::Test {
 protected:
  void SetUp() override {
    auto map = GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto");
    ASSERT_OK(map);
    map_ = *map;
  }
  absl::StatusOr<v1::Incident> Post(const std::string& body, const char* type = kForm) {
    absl::StatusOr<v1::Open311Request> r = ParseOpen311Request(body, type);
    if (!r.ok()) return r.status();
    return IncidentFromOpen311(*r, *map_, "12345-2026-11-0001", absl::FromUnixSeconds(1791943200));
  }
  std::shared_ptr<const GridMap> map_;
};

TEST_F(Open311, DistrictServicesAreTheDepartmentsItDivertsToAndTheDisputesItMediates) {
  ASSERT_OK_AND_ASSIGN(
      RuleSetSource source,
      RuleSetSource::Load(FENGQIAO_SOURCE_DIR "/examples/data/rules/district.textproto"));
  const std::vector<v1::Open311Service> services = Open311Services(source.proto());
  ASSERT_FALSE(services.empty());
  bool city_management = false, noise = false;
  for (const v1::Open311Service& s : services) {
    EXPECT_EQ(s.type(), "realtime");
    if (s.service_code() == "dept-city_management") {
      city_management = true;
      EXPECT_EQ(s.service_name(), "城管");
      EXPECT_EQ(s.group(), "非警务事项");
    }
    if (s.service_code() == "dispute-noise") {
      noise = true;
      EXPECT_EQ(s.group(), "矛盾纠纷");
    }
  }
  EXPECT_TRUE(city_management);
  EXPECT_TRUE(noise);
  // JSON and XML carry the specification's field names.
  EXPECT_THAT(Open311Json(services), HasSubstr("\"service_code\":\"dept-city_management\""));
  EXPECT_THAT(Open311Xml(services), HasSubstr("<services><service><service_code>"));
}

TEST_F(Open311, NightConstructionRequestBecomesACityManagementMatterInItsGrid) {
  ASSERT_OK_AND_ASSIGN(
      v1::Incident incident,
      Post(absl::StrCat("service_code=dept-city_management&", kInside,
                        "&first_name=%E5%B0%8F%E6%98%8E&last_name=%E7%8E%8B&phone=13900001234"
                        "&description=%E5%A4%9C%E9%97%B4%E6%96%BD%E5%B7%A5%E6%89%B0%E6%B0%91"
                        "&attribute%5Bnoise%5D=loud&api_key=k")));
  EXPECT_EQ(incident.kind(), v1::INCIDENT_KIND_NON_POLICE);
  EXPECT_EQ(incident.responsible_department(), v1::DEPARTMENT_CITY_MANAGEMENT);
  EXPECT_EQ(incident.channel(), v1::CHANNEL_HOTLINE_12345);
  EXPECT_EQ(incident.grid_code(), "xc-lc-c1-g1");
  EXPECT_EQ(incident.description(), "夜间施工扰民");
  ASSERT_EQ(incident.parties_size(), 1);
  EXPECT_EQ(incident.parties(0).name(), "王小明");
  EXPECT_EQ(incident.parties(0).phone(), "13900001234");
  EXPECT_EQ(incident.parties(0).role(), v1::PARTY_ROLE_COMPLAINANT);
  EXPECT_EQ(incident.reported_at().seconds(), 1791943200);
}

TEST_F(Open311, FormAndJsonOfTheSameRequestGiveTheSameIncident) {
  ASSERT_OK_AND_ASSIGN(v1::Incident form,
                       Post(absl::StrCat("service_code=dispute-noise&", kInside,
                                         "&requested_datetime=2026-10-14T09%3A30%3A00%2B08%3A00")));
  ASSERT_OK_AND_ASSIGN(
      v1::Incident json,
      Post("{\"service_code\": \"dispute-noise\", \"lat\": 29.9320, \"long\": 122.1820,"
           " \"requested_datetime\": \"2026-10-14T09:30:00+08:00\"}",
           "application/json; charset=utf-8"));
  EXPECT_EQ(form.SerializeAsString(), json.SerializeAsString());
  EXPECT_EQ(form.kind(), v1::INCIDENT_KIND_DISPUTE);
  EXPECT_EQ(form.dispute_type(), v1::DISPUTE_TYPE_NOISE);
  EXPECT_EQ(form.reported_at().seconds(), 1791941400);
}

TEST_F(Open311, BadRequestsGetTheSpecificationsErrorNamingTheFieldNeverThePersonalValue) {
  struct Case {
    std::string body;
    const char* type;
    int code;
    const char* names;
  };
  const std::string phone = "phone=13900009999";
  const Case cases[] = {
      {absl::StrCat(kInside, "&", phone), kForm, 400, "service_code"},
      {absl::StrCat("service_code=dept-nowhere&", kInside, "&", phone), kForm, 404, "service_code"},
      {absl::StrCat("service_code=DEPARTMENT_LABOUR&", kInside), kForm, 404, "service_code"},
      {"service_code=dispute-noise&address_string=%E9%95%BF%E5%B3%99&" + phone, kForm, 400,
       "address_string alone"},
      {"service_code=dispute-noise&lat=31.2&long=121.5&" + phone, kForm, 400, "outside every grid"},
      {"service_code=dispute-noise&lat=99&long=500&" + phone, kForm, 400, "lat/long"},
      {"service_code=dispute-noise&lat=NaN&long=122.18&" + phone, kForm, 400, "lat/long"},
      {"service_code=dispute-noise&lat=abc&long=122.18&" + phone, kForm, 400,
       "lat: is not a number"},
      {absl::StrCat("service_code=dispute-noise&", kInside, "&nickname=x&", phone), kForm, 400,
       "nickname"},
      {absl::StrCat("service_code=dispute-noise&", kInside, "&description=%ZZ&", phone), kForm, 400,
       "description"},
      {absl::StrCat("service_code=dispute-noise&", kInside, "&first_name=%FF%FE&", phone), kForm,
       400, "first_name"},
      {absl::StrCat("service_code=dispute-noise&", kInside, "&requested_datetime=yesterday&",
                    phone),
       kForm, 400, "requested_datetime"},
      {"{\"service_code\": \"dispute-noise\", \"lat\": \"north\", \"phone\": \"13900009999\"}",
       "application/json", 400, "lat"},
      {"<request/>", "text/xml", 400, "Content-Type"},
      {std::string(100 * 1024, 'a'), kForm, 400, "bytes"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body.substr(0, 120));
    absl::StatusOr<v1::Incident> incident = Post(c.body, c.type);
    ASSERT_FALSE(incident.ok());
    const v1::Open311Error e = Open311ErrorFrom(incident.status());
    EXPECT_EQ(e.code(), c.code) << e.description();
    EXPECT_THAT(e.description(), HasSubstr(c.names));
    EXPECT_THAT(e.description(), Not(HasSubstr("13900009999")));
    EXPECT_THAT(Open311Json(std::vector<v1::Open311Error>{e}), HasSubstr("\"code\":"));
    EXPECT_THAT(Open311Xml(std::vector<v1::Open311Error>{e}), HasSubstr("<errors><error><code>"));
  }
}

v1::Decision MediatorDecision() {
  v1::Decision d;
  d.set_rule_id("noise");
  d.mutable_action()->set_tier(v1::TIER_MEDIATOR);
  d.mutable_action()->mutable_sla()->mutable_resolve()->set_seconds(3 * 24 * 3600);
  return d;
}

TEST_F(Open311, ACaseIsReportedBackOpenWithItsDeadlineAndMaskedText) {
  ASSERT_OK_AND_ASSIGN(
      v1::Incident incident,
      Post(absl::StrCat("service_code=dispute-noise&", kInside,
                        "&description=%E6%88%91%E5%8F%AB%E7%8E%8B%E5%B0%8F%E6%98%8E%EF%BC%8C"
                        "%E7%94%B5%E8%AF%9D13900001234")));
  ASSERT_OK_AND_ASSIGN(CaseLoop loop, CaseLoop::Open(incident, MediatorDecision(),
                                                     absl::FromUnixSeconds(1791943200), "12345"));
  // Clocks run from the instruction (派单), not the report: nothing is expected before it.
  EXPECT_EQ(Open311FromCase(loop.proto()).expected_datetime(), "");
  v1::CaseEvent assign;
  assign.set_type(v1::CASE_EVENT_TYPE_ASSIGN);
  *assign.mutable_at() = google::protobuf::util::TimeUtil::SecondsToTimestamp(1791943200 + 3600);
  assign.set_actor("duty-officer");
  assign.set_assignee("m-0042");
  ASSERT_OK(loop.Record(assign));
  const v1::Open311ServiceRequest r = Open311FromCase(loop.proto());
  EXPECT_EQ(r.service_request_id(), loop.proto().id());
  EXPECT_EQ(r.status(), "open");
  EXPECT_EQ(r.service_code(), "dispute-noise");
  EXPECT_EQ(r.agency_responsible(), "调解员");
  EXPECT_EQ(r.requested_datetime(), "2026-10-14T10:00:00+08:00");
  EXPECT_EQ(r.updated_datetime(), "2026-10-14T11:00:00+08:00");
  EXPECT_EQ(r.expected_datetime(), "2026-10-17T11:00:00+08:00");  // assigned + 3 days to resolve
  EXPECT_THAT(r.description(), Not(HasSubstr("13900001234")));
  EXPECT_THAT(r.description(), Not(HasSubstr("王小明")));
  EXPECT_DOUBLE_EQ(r.lat(), 29.9320);
  const std::string xml = Open311Xml(std::vector<v1::Open311ServiceRequest>{r});
  EXPECT_THAT(xml, HasSubstr("<service_requests><request><service_request_id>"));
  EXPECT_THAT(xml, Not(HasSubstr("13900001234")));
}

TEST_F(Open311, AWorkOrdersPauseAndAMergedRequestShowInTheStatusNotes) {
  ASSERT_OK_AND_ASSIGN(v1::Incident first,
                       Post(absl::StrCat("service_code=dispute-noise&", kInside)));
  const absl::Time t0 = absl::FromUnixSeconds(1791943200);
  ASSERT_OK_AND_ASSIGN(CaseLoop order, CaseLoop::Open(first, MediatorDecision(), t0, "12345"));
  v1::CaseEvent assign = MakeEvent(v1::CASE_EVENT_TYPE_ASSIGN, t0 + absl::Hours(1), "12345");
  assign.set_assignee("m-0042");
  ASSERT_OK(order.Record(assign));
  v1::CaseEvent pause = MakeEvent(v1::CASE_EVENT_TYPE_PAUSE, t0 + absl::Hours(2), "m-0042");
  pause.set_reason("等待当事人");
  ASSERT_OK(order.Record(pause));
  v1::Open311ServiceRequest r = Open311FromCase(order.proto());
  EXPECT_EQ(r.status(), "open");
  EXPECT_THAT(r.status_notes(), HasSubstr("挂起"));
  EXPECT_EQ(r.expected_datetime(), "");  // no expected time while the clocks stand still
  ASSERT_OK(order.Record(MakeEvent(v1::CASE_EVENT_TYPE_RESUME, t0 + absl::Hours(5), "m-0042")));
  r = Open311FromCase(order.proto());
  EXPECT_EQ(r.expected_datetime(), "2026-10-17T14:00:00+08:00");  // moved by the 3-hour pause
  // A second resident's request about the same noise is merged into the order (并单).
  v1::Incident second = first;
  second.set_id("12345-2026-11-0002");
  ASSERT_OK_AND_ASSIGN(CaseLoop dup,
                       CaseLoop::Open(second, MediatorDecision(), t0 + absl::Hours(6), "12345"));
  ASSERT_OK(MergeDuplicate(order, dup, t0 + absl::Hours(6) + absl::Minutes(10), "12345"));
  r = Open311FromCase(dup.proto());
  EXPECT_EQ(r.status(), "closed");
  EXPECT_THAT(r.status_notes(), HasSubstr(absl::StrCat("并单: ", order.id())));
  EXPECT_THAT(Open311FromCase(order.proto()).status_notes(), HasSubstr("并单"));
}

TEST(Open311Status, OnlyClosedCancelledAndDuplicateCasesAreClosed) {
  for (int s = 0; s < v1::CaseState_ARRAYSIZE; ++s) {
    const auto state = static_cast<v1::CaseState>(s);
    const bool closed = state == v1::CASE_STATE_CLOSED || state == v1::CASE_STATE_CANCELLED ||
                        state == v1::CASE_STATE_DUPLICATE;
    EXPECT_EQ(Open311Status(state), closed ? "closed" : "open") << s;
  }
}

TEST(Open311Xml, TextIsEscaped) {
  v1::Open311Error e;
  e.set_code(400);
  e.set_description("a <b> & \"c\"");
  EXPECT_THAT(Open311Xml(std::vector<v1::Open311Error>{e}),
              HasSubstr("<description>a &lt;b&gt; &amp; &quot;c&quot;</description>"));
}

}  // namespace
}  // namespace fengqiao
