// Incident logs in JSON, JSON Lines or text format (the first byte chooses: odd JSON, 'L' JSON
// Lines, else text format), read as IncidentLogReader reads them, against the sample map.
// Invariant: every incident of a log that loads validates on its own.
#include <cstdint>
#include <string>

#include "fengqiao/incident/incident.h"
#include "fengqiao/incident/incident_log.h"
#include "fuzz_common.h"

// Loading the sample map is not part of any input's time.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fengqiao::fuzz::SampleMap();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const char* filename = (data[0] & 1)    ? "fuzz.json"
                         : data[0] == 'L' ? "fuzz.jsonl"
                                          : "fuzz.textproto";
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  absl::StatusOr<fengqiao::v1::IncidentLog> log =
      fengqiao::ParseIncidentLog(text, filename, fengqiao::fuzz::SampleMap());
  if (!log.ok()) return 0;
  for (const fengqiao::v1::Incident& incident : log->incidents()) {
    const absl::Status valid = fengqiao::ValidateIncident(incident, fengqiao::fuzz::SampleMap());
    FQ_FUZZ_CHECK(valid.ok(), std::string(valid.message()));
    (void)fengqiao::Classify(incident);
  }
  return 0;
}
