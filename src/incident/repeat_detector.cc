#include "fengqiao/incident/repeat_detector.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "internal/time_util.h"

namespace fengqiao {

RepeatDetector::RepeatDetector(absl::Duration window) : window_(window) {}

int RepeatDetector::Count(const v1::Incident& incident) const {
  const absl::Time at = internal::ToTime(incident.reported_at());
  absl::flat_hash_set<std::string> earlier;
  for (const v1::Party& party : incident.parties()) {
    auto it = by_person_.find(party.person_id());
    if (it == by_person_.end()) continue;
    for (const Seen& s : it->second) {
      if (s.at < at && at - s.at <= window_ && s.incident_id != incident.id()) {
        earlier.insert(s.incident_id);
      }
    }
  }
  return static_cast<int>(earlier.size());
}

absl::StatusOr<int> RepeatDetector::Observe(const v1::Incident& incident) {
  if (!incident.has_reported_at()) {
    return absl::InvalidArgumentError(
        absl::StrCat("incident \"", incident.id(), "\": reported_at: is not set"));
  }
  const int count = Count(incident);
  const absl::Time at = internal::ToTime(incident.reported_at());
  absl::flat_hash_set<std::string> persons;
  for (const v1::Party& party : incident.parties()) {
    if (party.person_id().empty() || !persons.insert(party.person_id()).second) continue;
    by_person_[party.person_id()].push_back({at, incident.id()});
  }
  return count;
}

void RepeatDetector::ForgetBefore(absl::Time cutoff) {
  for (auto it = by_person_.begin(); it != by_person_.end();) {
    auto& seen = it->second;
    seen.erase(
        std::remove_if(seen.begin(), seen.end(), [&](const Seen& s) { return s.at < cutoff; }),
        seen.end());
    if (seen.empty()) {
      by_person_.erase(it++);
    } else {
      ++it;
    }
  }
}

}  // namespace fengqiao
