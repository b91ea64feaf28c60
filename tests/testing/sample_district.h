// A tiny district for unit tests, small enough to reason about by hand:
//
//   city "c" -> district "d" -> streets "s1", "s2"
//   s1 -> community "s1-c1" -> grids "g11" (0..1, 0..1) and "g12" (0..1, 1..2)
//   s2 -> community "s2-c1" -> grids "g21" (1..2, 0..1) and "g22" (1..2, 1..2)
//
// Coordinates are in hundredths of a degree offset from (30.0, 120.0): g11 spans latitudes
// 30.00-30.01 and longitudes 120.00-120.01, and so on. Members live in the roster below.
#ifndef FENGQIAO_TESTS_TESTING_SAMPLE_DISTRICT_H_
#define FENGQIAO_TESTS_TESTING_SAMPLE_DISTRICT_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace fengqiao::testing {

// A grid area block for a text-format map: a square cell at row/col of 0.01 degrees.
inline std::string GridArea(const std::string& code, const std::string& parent, int row, int col,
                            int residents) {
  const double lat0 = 30.0 + 0.01 * row, lng0 = 120.0 + 0.01 * col;
  const double lat1 = lat0 + 0.01, lng1 = lng0 + 0.01;
  return absl::StrFormat(
      "areas { code: \"%s\" name: \"%s网格\" level: AREA_LEVEL_GRID parent_code: \"%s\"\n"
      "  boundary { vertices { lat_deg: %.2f lng_deg: %.2f } vertices { lat_deg: %.2f lng_deg: "
      "%.2f }\n"
      "             vertices { lat_deg: %.2f lng_deg: %.2f } vertices { lat_deg: %.2f lng_deg: "
      "%.2f } }\n"
      "  base_register { standard_addresses: %d actual_residents: %d actual_housing: %d "
      "actual_units: %d } }\n",
      code, code, parent, lat0, lng0, lat0, lng1, lat1, lng1, lat1, lng0, residents / 2, residents,
      residents / 3, residents / 100);
}

inline std::string TinyGridMapText() {
  return absl::StrCat(
      "name: \"tiny\"\nversion: \"t1\"\ngrids_disjoint: true\n",
      "areas { code: \"c\" name: \"城\" level: AREA_LEVEL_CITY }\n",
      "areas { code: \"d\" name: \"区\" level: AREA_LEVEL_DISTRICT parent_code: \"c\" }\n",
      "areas { code: \"s1\" name: \"一街道\" level: AREA_LEVEL_STREET parent_code: \"d\" }\n",
      "areas { code: \"s2\" name: \"二街道\" level: AREA_LEVEL_STREET parent_code: \"d\" }\n",
      "areas { code: \"s1-c1\" name: \"一社区\" level: AREA_LEVEL_COMMUNITY parent_code: \"s1\"\n"
      "  team { party_grid_lead: \"lead1\" police_grid_officer: \"cop1\" } }\n",
      "areas { code: \"s2-c1\" name: \"二社区\" level: AREA_LEVEL_COMMUNITY parent_code: \"s2\"\n"
      "  team { party_grid_lead: \"lead2\" police_grid_officer: \"cop2\" } }\n",
      GridArea("g11", "s1-c1", 0, 0, 1000), GridArea("g12", "s1-c1", 0, 1, 1200),
      GridArea("g21", "s2-c1", 1, 0, 900), GridArea("g22", "s2-c1", 1, 1, 600));
}

// Members (all shifts in UTC+8):
//   cop1  police, home s1-c1, day shift every day 08:00-20:00, skills NEIGHBOUR, load 1/10
//   cop2  police, home s2-c1, night shift every day 20:00-08:00, skills NEIGHBOUR, load 0/10
//   lead1 building head, home s1-c1, daily 09:00-21:00, skills NEIGHBOUR, PET, load 0/3
//   lead2 building head, home s2-c1, daily 09:00-21:00, skills NEIGHBOUR, load 0/3
//   pm11  property manager, home g11, daily 08:00-20:00, skills NOISE, load 2/4
//   pm12  property manager, home g12, daily 08:00-20:00, skills NOISE, load 0/4
//   pm22  property manager, home g22, daily 08:00-20:00, skills NOISE, load 0/4
//   pmfull property manager, home g11, daily 08:00-20:00, skills NOISE, load 4/4 (full)
//   gw11  grid worker, home g11, Mon-Sat 08:00-18:00, skills NOISE, load 0/3
inline std::string TinyRosterText() {
  auto shifts = [&](int start, int end, int days = 7) {
    std::string out;
    const char* names[] = {"MONDAY", "TUESDAY",  "WEDNESDAY", "THURSDAY",
                           "FRIDAY", "SATURDAY", "SUNDAY"};
    for (int d = 0; d < days; ++d) {
      absl::StrAppend(&out, "shifts { day: WEEKDAY_", names[d], " start_minute: ", start,
                      " end_minute: ", end, " } ");
    }
    return out;
  };
  auto member = [&](const char* id, const char* type, const char* home, const char* skills,
                    const std::string& s, int open, int capacity) {
    return absl::StrCat("members { id: \"", id, "\" name: \"", id, "\" force_type: FORCE_TYPE_",
                        type, " home_area_code: \"", home, "\" ", skills, " ", s,
                        " open_cases: ", open, " capacity: ", capacity, " }\n");
  };
  return absl::StrCat(
      "name: \"tiny roster\"\n",
      "teams { id: \"t-police\" name: \"警务队\" force_type: FORCE_TYPE_POLICE area_code: \"d\" "
      "}\n",
      member("cop1", "POLICE", "s1-c1", "skills: DISPUTE_TYPE_NEIGHBOUR", shifts(480, 1200), 1, 10),
      member("cop2", "POLICE", "s2-c1", "skills: DISPUTE_TYPE_NEIGHBOUR", shifts(1200, 1920), 0,
             10),
      member("lead1", "BUILDING_HEAD", "s1-c1",
             "skills: DISPUTE_TYPE_NEIGHBOUR skills: DISPUTE_TYPE_PET", shifts(540, 1260), 0, 3),
      member("lead2", "BUILDING_HEAD", "s2-c1", "skills: DISPUTE_TYPE_NEIGHBOUR", shifts(540, 1260),
             0, 3),
      member("pm11", "PROPERTY_MANAGER", "g11", "skills: DISPUTE_TYPE_NOISE", shifts(480, 1200), 2,
             4),
      member("pm12", "PROPERTY_MANAGER", "g12", "skills: DISPUTE_TYPE_NOISE", shifts(480, 1200), 0,
             4),
      member("pm22", "PROPERTY_MANAGER", "g22", "skills: DISPUTE_TYPE_NOISE", shifts(480, 1200), 0,
             4),
      member("pmfull", "PROPERTY_MANAGER", "g11", "skills: DISPUTE_TYPE_NOISE", shifts(480, 1200),
             4, 4),
      member("gw11", "GRID_WORKER", "g11", "skills: DISPUTE_TYPE_NOISE", shifts(480, 1080, 6), 0,
             3));
}

}  // namespace fengqiao::testing

#endif  // FENGQIAO_TESTS_TESTING_SAMPLE_DISTRICT_H_
