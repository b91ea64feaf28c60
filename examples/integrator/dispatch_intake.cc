// What a 110 dispatch or 12345 intake system does with fengqiao at intake: locate the caller's
// point in the grid map, validate and classify the incident, count repeats of the same parties,
// and ask who nearby can take it. The incident arrives as protobuf bytes, as on the wire.
//
//   dispatch_intake DATA_DIR
#include <cstdio>
#include <string>

#include "absl/time/time.h"
#include "fengqiao/force/candidate_selector.h"
#include "fengqiao/force/roster.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/incident/repeat_detector.h"
#include "fengqiao/privacy/masking.h"
#include "fengqiao/v1/incident.pb.h"
#include "fengqiao/version.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: dispatch_intake DATA_DIR\n");
    return 64;
  }
  const std::string dir = argv[1];
  auto map = fengqiao::GridMap::Load(dir + "/grid_map.textproto");
  if (!map.ok()) {
    std::fprintf(stderr, "%s\n", std::string(map.status().message()).c_str());
    return 1;
  }
  auto roster = fengqiao::Roster::Load(dir + "/roster.textproto", *map);
  if (!roster.ok()) {
    std::fprintf(stderr, "%s\n", std::string(roster.status().message()).c_str());
    return 1;
  }

  // A noise complaint from the 12345 hotline, serialised as the hotline's gateway would send it.
  fengqiao::v1::Incident sent;
  sent.set_id("12345-2026-11-25-0001");
  sent.mutable_reported_at()->set_seconds(absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilMinute(2026, 11, 25, 10, 0), absl::FixedTimeZone(8 * 3600))));
  sent.set_channel(fengqiao::v1::CHANNEL_HOTLINE_12345);
  sent.set_kind(fengqiao::v1::INCIDENT_KIND_DISPUTE);
  sent.set_dispute_type(fengqiao::v1::DISPUTE_TYPE_NOISE);
  sent.mutable_location()->set_lat_deg(29.9321);
  sent.mutable_location()->set_lng_deg(122.1853);
  sent.add_parties()->set_person_id("caller-1");
  sent.add_parties()->set_person_id("upstairs-1");
  const std::string wire = sent.SerializeAsString();

  fengqiao::v1::Incident incident;
  if (!incident.ParseFromString(wire)) {
    std::fprintf(stderr, "cannot parse incident bytes\n");
    return 1;
  }
  auto grid = (*map)->Locate(incident.location());
  if (!grid.ok() || *grid == nullptr) {
    std::fprintf(stderr, "caller's point is outside the district\n");
    return 1;
  }
  incident.set_grid_code((*grid)->code());
  if (absl::Status s = fengqiao::ValidateIncident(incident, **map); !s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
    return 1;
  }
  fengqiao::RepeatDetector repeats(absl::Hours(24 * 30));
  const int repeat_count = repeats.Observe(incident).value_or(0);
  const fengqiao::Classification c = fengqiao::Classify(incident, repeat_count);

  fengqiao::CandidateSelector selector(*roster, {});
  fengqiao::CandidateRequest request;
  request.dispute_type = c.dispute_type;
  request.grid_code = incident.grid_code();
  request.location = incident.location();
  request.at = absl::FromUnixSeconds(incident.reported_at().seconds());
  request.force_types = {fengqiao::v1::FORCE_TYPE_PROPERTY_MANAGER};
  request.limit = 3;
  auto candidates = selector.Candidates(request);
  if (!candidates.ok()) {
    std::fprintf(stderr, "%s\n", std::string(candidates.status().message()).c_str());
    return 1;
  }
  std::printf("fengqiao %s: incident %s in grid %s (%s), severity %s, police matter: %s\n",
              fengqiao::VersionString(), incident.id().c_str(), (*grid)->code().c_str(),
              (*grid)->name().c_str(), std::string(fengqiao::SeverityName(c.severity)).c_str(),
              c.police_matter ? "yes" : "no");
  for (const auto& candidate : candidates->candidates) {
    const fengqiao::v1::Member* m = (*roster)->FindMember(candidate.member_id());
    // Names are personal data: masked on every way out (fengqiao/privacy/masking.h).
    const std::string name = fengqiao::MaskValue(fengqiao::v1::PERSONAL_KIND_NAME, m->name());
    std::printf("  #%d %s %s, %.0f m away, %d/%d open cases\n", candidate.rank(), m->id().c_str(),
                name.c_str(), candidate.distance_m(), m->open_cases(), m->capacity());
  }
  return candidates->candidates.empty() ? 2 : 0;
}
