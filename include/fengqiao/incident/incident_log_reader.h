// File: fengqiao/incident/incident_log_reader.h
// Reading an incident log one incident at a time, in memory proportional to one incident rather
// than to the file: a year of a district's 110 and 12345 reports (hundreds of MB) is routed or
// reduced to metrics without holding it. Each incident is validated against the grid map as it
// is read; errors name file:line:col and the incident id, never a personal value.
//
// Formats, chosen from the file name: ".json" is an IncidentLog (`{"name": ..., "incidents":
// [...]}`) read element by element; ".jsonl" / ".ndjson" is one Incident per line (JSON Lines);
// anything else is protobuf text format, which protobuf cannot read piecewise: it is read whole
// (at most 1 GiB) and then handed out one incident at a time.
//
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(
//       std::unique_ptr<fengqiao::IncidentLogReader> reader,
//       fengqiao::IncidentLogReader::Open("examples/data/incidents_2026-10.json", *map));
//   fengqiao::v1::Incident incident;
//   int disputes = 0;
//   while (true) {
//     FENGQIAO_ASSIGN_OR_RETURN(bool more, reader->Next(&incident));
//     if (!more) break;
//     disputes += incident.kind() == fengqiao::v1::INCIDENT_KIND_DISPUTE;
//   }
//   if (disputes == 0 || reader->count() < disputes) return absl::InternalError("no disputes");
//
// Memory: the largest incident (at most Options::max_incident_bytes of its text) plus, to refuse
// a duplicate id, every id read with its line:col (~115 bytes an incident with the table's growth:
// a 100 MB log of 219,000 incidents peaks at 39 MB in all, where holding it whole took 847 MB).
//
// Thread safety: a reader is not synchronised; use one per thread.
#ifndef FENGQIAO_INCIDENT_INCIDENT_LOG_READER_H_
#define FENGQIAO_INCIDENT_INCIDENT_LOG_READER_H_

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/v1/incident.pb.h"

namespace fengqiao {

class IncidentLogReader {
 public:
  struct Options {
    // The longest incident, in bytes of its text (ResourceExhausted past it, at its line:col).
    int64_t max_incident_bytes = int64_t{1} << 20;
  };

  // Opens the log at `path`: NotFound when missing; a directory or device is refused.
  static absl::StatusOr<std::unique_ptr<IncidentLogReader>> Open(absl::string_view path,
                                                                 const GridMap& grid_map,
                                                                 const Options& options);
  static absl::StatusOr<std::unique_ptr<IncidentLogReader>> Open(absl::string_view path,
                                                                 const GridMap& grid_map) {
    return Open(path, grid_map, Options());
  }
  // Reads from `input`, named `filename` in errors (its suffix picks the format). The stream must
  // outlive the reader.
  static absl::StatusOr<std::unique_ptr<IncidentLogReader>> FromStream(std::istream& input,
                                                                       absl::string_view filename,
                                                                       const GridMap& grid_map,
                                                                       const Options& options);

  IncidentLogReader(const IncidentLogReader&) = delete;
  IncidentLogReader& operator=(const IncidentLogReader&) = delete;
  ~IncidentLogReader();

  // The next incident, validated; false once the log is read to its end (and is well formed to
  // its last byte). After an error the reader is done: every later call returns the same error.
  absl::StatusOr<bool> Next(v1::Incident* incident);

  // Incidents handed out so far.
  int64_t count() const { return count_; }
  // The log's name ("name" of a JSON or text IncidentLog); known once Next has returned false
  // (a JSON log may name itself after its incidents).
  const std::string& name() const { return name_; }

 // How a format is cut into incidents (defined in the implementation).
  class Source;

 private:
  IncidentLogReader(std::unique_ptr<Source> source, std::string filename, const GridMap& grid_map);
  absl::Status Accept(const v1::Incident& incident, const std::string& where_id,
                      const std::function<std::string(absl::string_view)>& where);

  std::unique_ptr<std::istream> owned_input_;  // the file, when opened by path
  std::unique_ptr<Source> source_;
  std::string filename_;
  const GridMap& grid_map_;
  int64_t count_ = 0;
  std::string name_;
  absl::Status failed_;
  bool done_ = false;
  absl::flat_hash_map<std::string, std::string> first_seen_;  // id -> "line:col"
};

}  // namespace fengqiao

#endif  // FENGQIAO_INCIDENT_INCIDENT_LOG_READER_H_
