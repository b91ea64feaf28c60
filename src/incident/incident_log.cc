#include "fengqiao/incident/incident_log.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/status_macros.h"
#include "internal/proto_files.h"

namespace fengqiao {

absl::StatusOr<v1::IncidentLog> LoadIncidentLog(absl::string_view path, const GridMap& grid_map) {
  std::string content;
  FENGQIAO_RETURN_IF_ERROR(internal::ReadFile(path, &content));
  return ParseIncidentLog(content, path, grid_map);
}

absl::StatusOr<v1::IncidentLog> ParseIncidentLog(absl::string_view content,
                                                 absl::string_view filename,
                                                 const GridMap& grid_map) {
  v1::IncidentLog log;
  internal::SourceMap source_map;
  FENGQIAO_RETURN_IF_ERROR(internal::ParseProto(content, filename, &log, &source_map));
  absl::flat_hash_map<std::string, int> seen;
  for (int i = 0; i < log.incidents_size(); ++i) {
    const v1::Incident& incident = log.incidents(i);
    const std::string path = absl::StrCat("incidents[", i, "]");
    absl::Status status = ValidateIncident(incident, grid_map);
    if (!status.ok()) {
      // Point at the field the validator names, e.g. "...: grid_code: ...".
      std::string field;
      const std::string message(status.message());
      const size_t start = message.find("\": ");
      if (start != std::string::npos) {
        const size_t end = message.find(':', start + 3);
        if (end != std::string::npos) field = message.substr(start + 3, end - start - 3);
      }
      const std::string where =
          source_map.Where(field.empty() ? path : absl::StrCat(path, ".", field));
      return absl::InvalidArgumentError(absl::StrCat(where, ": ", status.message()));
    }
    auto [it, inserted] = seen.emplace(incident.id(), i);
    if (!inserted) {
      return absl::InvalidArgumentError(absl::StrCat(
          source_map.Where(absl::StrCat(path, ".id")), ": duplicate incident id \"", incident.id(),
          "\" (first at ", source_map.Where(absl::StrCat("incidents[", it->second, "].id")), ")"));
    }
  }
  return log;
}

}  // namespace fengqiao
