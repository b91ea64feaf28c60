#include "fengqiao/incident/incident_log.h"

#include <sstream>
#include <string>

#include "fengqiao/incident/incident_log_reader.h"
#include "fengqiao/status_macros.h"

namespace fengqiao {
namespace {

// Every incident of `reader` into one IncidentLog: the one path, whole or streamed.
absl::StatusOr<v1::IncidentLog> ReadAll(IncidentLogReader& reader) {
  v1::IncidentLog log;
  while (true) {
    v1::Incident* incident = log.add_incidents();
    FENGQIAO_ASSIGN_OR_RETURN(bool more, reader.Next(incident));
    if (!more) {
      log.mutable_incidents()->RemoveLast();
      break;
    }
  }
  log.set_name(reader.name());
  return log;
}

}  // namespace

absl::StatusOr<v1::IncidentLog> LoadIncidentLog(absl::string_view path, const GridMap& grid_map) {
  FENGQIAO_ASSIGN_OR_RETURN(std::unique_ptr<IncidentLogReader> reader,
                            IncidentLogReader::Open(path, grid_map));
  return ReadAll(*reader);
}

absl::StatusOr<v1::IncidentLog> ParseIncidentLog(absl::string_view content,
                                                 absl::string_view filename,
                                                 const GridMap& grid_map) {
  std::istringstream input{std::string(content)};
  FENGQIAO_ASSIGN_OR_RETURN(
      std::unique_ptr<IncidentLogReader> reader,
      IncidentLogReader::FromStream(input, filename, grid_map, IncidentLogReader::Options()));
  return ReadAll(*reader);
}

}  // namespace fengqiao
