// The main job's simulation: arrival times follow where the forces are (issue 12 point 2), so
// the 8-minute rate responds to distance: the same month with every responder 15 km farther
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
  ASSERT_OK_AND_ASSIGN(
      v1::IncidentLog log,
      LoadIncidentLog(FENGQIAO_SOURCE_DIR "/examples/data/incidents_2026-10.json", *map));
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
}

}  // namespace
}  // namespace fengqiao::tools
