// The main job's simulation: arrival times follow where the forces are (issue 12 point 2), so
// the 8-minute rate responds to distance: the same months with every responder 15 km farther
// away arrives within 8 minutes far less often.
#include "tools/month_simulation.h"

#include "absl/time/civil_time.h"
#include "fengqiao/force/roster.h"
#include "fengqiao/incident/incident_log.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/routing/rule_source.h"
#include "fengqiao/store/memory_case_store.h"
#include "fengqiao/time_zone.h"
#include "gtest/gtest.h"
#include "testing/sample_year.h"
#include "testing/status_matchers.h"

namespace fengqiao::tools {
namespace {

TEST(MonthSimulation, TheEightMinuteRateFollowsWhereTheRespondersAre) {
  ASSERT_OK_AND_ASSIGN(auto map,
                       GridMap::Load(FENGQIAO_SOURCE_DIR "/examples/data/grid_map.textproto"));
  ASSERT_OK_AND_ASSIGN(auto roster,
                       Roster::Load(FENGQIAO_SOURCE_DIR "/examples/data/roster.textproto", map));
  ASSERT_OK_AND_ASSIGN(auto source, RuleSetSource::Load(FENGQIAO_SOURCE_DIR
                                                        "/examples/data/rules/district.textproto"));
  RuleSetOptions options;
  for (const auto& team : roster->proto().teams()) options.known_teams.push_back(team.id());
  ASSERT_OK_AND_ASSIGN(auto rules, RuleSet::Compile(source, map, options));
  // The sample's thirteen months: enough arrivals and 警律联调 cases to measure.
  ASSERT_OK_AND_ASSIGN(v1::IncidentLog log, testing::LoadSampleMonths(*map));
  const absl::Time end = absl::FromCivil(absl::CivilDay(2026, 11, 1), ChinaTimeZone());

  MemoryCaseStore near_store;
  ASSERT_OK_AND_ASSIGN(SimulationSummary near, SimulateMonth(log, *rules, roster, end, near_store));
  v1::Roster far_proto = roster->proto();
  for (v1::Member& m : *far_proto.mutable_members()) {
    absl::StatusOr<v1::LatLng> at = map->Center(m.home_area_code());
    ASSERT_TRUE(at.ok()) << m.id();
    m.mutable_location()->set_lat_deg(at->lat_deg() + 0.135);  // ~15 km north
    m.mutable_location()->set_lng_deg(at->lng_deg());
  }
  ASSERT_OK_AND_ASSIGN(auto far_roster, Roster::Create(far_proto, map));
  MemoryCaseStore far_store;
  ASSERT_OK_AND_ASSIGN(SimulationSummary far,
                       SimulateMonth(log, *rules, far_roster, end, far_store));

  ASSERT_GT(near.arrivals, 300);
  ASSERT_GT(far.arrivals, 300);
  const double near_rate = static_cast<double>(near.arrivals_within_8min) / near.arrivals;
  const double far_rate = static_cast<double>(far.arrivals_within_8min) / far.arrivals;
  EXPECT_GT(near_rate, 0.9);  // the sample's responders are near (seed 000 reports 98%)
  EXPECT_LT(far_rate, 0.05);  // 15 km by car is ~42 minutes on the road

  // 警律联调: every lawyer-led case has a police officer of the roster on duty as co-handler (the
  // grid's own 警格 officer when on shift), never the lead; nobody invented.
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> ids, near_store.Find({}));
  int co_handled = 0, by_grid_officer = 0;
  for (const std::string& id : ids) {
    ASSERT_OK_AND_ASSIGN(v1::Case c, near_store.Get(id));
    std::string lead;  // the holder when the co-handler was added (a later escalation may
                       // hand the case to the officer who co-handled it)
    for (const v1::CaseEvent& e : c.events()) {
      if (e.type() == v1::CASE_EVENT_TYPE_ASSIGN) lead = e.assignee();
      if (e.type() == v1::CASE_EVENT_TYPE_ADD_CO_HANDLER) {
        EXPECT_NE(e.co_handler(), lead) << id;
      }
    }
    for (const v1::CoHandler& co : c.co_handlers()) {
      ++co_handled;
      if (co.id() == "值班民警") continue;  // the station's duty officer
      const v1::Member* m = roster->FindMember(co.id());
      ASSERT_NE(m, nullptr) << id << ": co-handler " << co.id() << " is not on the roster";
      EXPECT_EQ(m->force_type(), v1::FORCE_TYPE_POLICE) << id;
      absl::StatusOr<v1::FourGridTeam> team = map->TeamOf(c.incident().grid_code());
      if (team.ok() && team->police_grid_officer() == co.id()) ++by_grid_officer;
    }
  }
  EXPECT_GT(co_handled, 10);
  EXPECT_GT(by_grid_officer, 0);

  // Nothing is left where the simulation stopped: every case reported more than a month before
  // the end went through the loop to its close (a step the loop refuses is an error of
  // SimulateMonth, not a case stuck in ACCEPTED).
  int old_cases = 0, duplicates = 0;
  for (const std::string& id : ids) {
    ASSERT_OK_AND_ASSIGN(v1::Case c, near_store.Get(id));
    if (c.incident().reported_at().seconds() >= absl::ToUnixSeconds(end - absl::Hours(24 * 31))) {
      continue;
    }
    ++old_cases;
    if (c.state() == v1::CASE_STATE_DUPLICATE) {
      // 并单: a duplicate ends naming the order it was merged into, whose log keeps it.
      ++duplicates;
      const std::string& lead = c.events(c.events_size() - 1).duplicate_of();
      ASSERT_OK_AND_ASSIGN(v1::Case order, near_store.Get(lead));
      bool kept = false;
      for (const v1::CaseEvent& e : order.events()) {
        kept |= e.type() == v1::CASE_EVENT_TYPE_MERGE && e.merged_case_id() == id;
      }
      EXPECT_TRUE(kept) << id << " is not among " << lead << "'s requests";
      continue;
    }
    EXPECT_EQ(c.state(), v1::CASE_STATE_CLOSED) << id << " " << v1::CaseState_Name(c.state());
  }
  EXPECT_GT(old_cases, 5000);
  EXPECT_GT(duplicates, 0);
}

}  // namespace
}  // namespace fengqiao::tools
