// Open311 GeoReport v2 requests (POST requests bodies from 12345 systems): form-encoded or JSON
// (the first byte chooses: odd JSON), against the sample map.
// Invariants: a request that parses either becomes an incident that validates on its own, or
// fails with InvalidArgument / NotFound whose specification error is 400 / 404; no error message
// quotes the request's description or phone.
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/interop/open311.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fengqiao::fuzz::SampleMap();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool json = data[0] & 1;
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  absl::StatusOr<fengqiao::v1::Open311Request> request = fengqiao::ParseOpen311Request(
      body, json ? "application/json" : "application/x-www-form-urlencoded");
  absl::Status status = request.status();
  if (request.ok()) {
    absl::StatusOr<fengqiao::v1::Incident> incident = fengqiao::IncidentFromOpen311(
        *request, fengqiao::fuzz::SampleMap(), "fuzz-1", absl::FromUnixSeconds(1791943200));
    if (incident.ok()) {
      const absl::Status valid = fengqiao::ValidateIncident(*incident, fengqiao::fuzz::SampleMap());
      FQ_FUZZ_CHECK(valid.ok(), std::string(valid.message()));
      return 0;
    }
    status = incident.status();
    // Personal values never reach an error message. A value that happens to be words of the
    // message itself (a phone of "service_co" and "service_code is missing") is not a quote: the
    // same request with the value replaced by a marker gives a message holding the value still
    // and never the marker.
    for (int field = 0; field < 2; ++field) {
      const std::string& value = field == 0 ? request->description() : request->phone();
      if (value.size() < 6 || !absl::StrContains(status.message(), value)) continue;
      fengqiao::v1::Open311Request marked = *request;
      const std::string marker = field == 0 ? "ZQXJVKWBYM" : "13900007315";
      if (field == 0) marked.set_description(marker);
      if (field == 1) marked.set_phone(marker);
      const absl::Status again =
          fengqiao::IncidentFromOpen311(marked, fengqiao::fuzz::SampleMap(), "fuzz-1",
                                        absl::FromUnixSeconds(1791943200))
              .status();
      FQ_FUZZ_CHECK(!absl::StrContains(again.message(), marker),
                    "an error quotes a personal value");
      FQ_FUZZ_CHECK(absl::StrContains(again.message(), value), "an error quotes a personal value");
    }
  }
  const fengqiao::v1::Open311Error error = fengqiao::Open311ErrorFrom(status);
  FQ_FUZZ_CHECK(error.code() == 400 || error.code() == 404 || error.code() == 500,
                std::string(status.message()));
  return 0;
}
