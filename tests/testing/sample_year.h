// The bundled sample district's incidents (examples/data/): thirteen monthly files, October 2025
// to October 2026 (the newest month and the same month a year before), oldest first.
#ifndef FENGQIAO_TESTS_TESTING_SAMPLE_YEAR_H_
#define FENGQIAO_TESTS_TESTING_SAMPLE_YEAR_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/incident/incident_log.h"
#include "fengqiao/v1/incident.pb.h"

namespace fengqiao::testing {

// The paths of the sample's monthly incident files, oldest first.
inline std::vector<std::string> SampleIncidentFiles() {
  std::vector<std::string> paths;
  for (absl::CivilMonth m(2025, 10); m <= absl::CivilMonth(2026, 10); ++m) {
    paths.push_back(absl::StrCat(FENGQIAO_SOURCE_DIR "/examples/data/incidents_",
                                 absl::FormatCivilTime(m), ".json"));
  }
  return paths;
}

// The months from `first` (0 = October 2025) to the newest as one log, in report order.
inline absl::StatusOr<v1::IncidentLog> LoadSampleMonths(const GridMap& map, int first = 0) {
  v1::IncidentLog all;
  const std::vector<std::string> paths = SampleIncidentFiles();
  for (size_t i = first; i < paths.size(); ++i) {
    absl::StatusOr<v1::IncidentLog> month = LoadIncidentLog(paths[i], map);
    if (!month.ok()) return month.status();
    for (v1::Incident& incident : *month->mutable_incidents()) {
      *all.add_incidents() = std::move(incident);
    }
  }
  return all;
}

}  // namespace fengqiao::testing

#endif  // FENGQIAO_TESTS_TESTING_SAMPLE_YEAR_H_
