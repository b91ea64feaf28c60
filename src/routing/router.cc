#include "fengqiao/routing/router.h"

#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "fengqiao/status_macros.h"

namespace fengqiao {

Router::Router(std::shared_ptr<const RuleSet> rules) : current_(std::move(rules)) {}

std::shared_ptr<const RuleSet> Router::Current() const {
  std::shared_lock lock(mu_);
  return current_;
}

absl::Status Router::Swap(std::shared_ptr<const RuleSet> next) {
  if (next == nullptr) return absl::InvalidArgumentError("Router::Swap: rule set is null");
  std::unique_lock lock(mu_);
  if (current_ != nullptr && &current_->grid_map() != &next->grid_map()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Router::Swap: rule set \"", next->proto().name(), "\" was compiled against grid map \"",
        next->grid_map().proto().name(), "\", not the one in force"));
  }
  current_ = std::move(next);
  return absl::OkStatus();
}

absl::StatusOr<v1::Decision> Router::Route(const v1::Incident& incident, int repeat_count,
                                           const CapacitySnapshot& capacity) const {
  const std::shared_ptr<const RuleSet> rules = Current();
  FENGQIAO_ASSIGN_OR_RETURN(RoutingFacts facts, MakeRoutingFacts(incident, repeat_count, *rules));
  return rules->Decide(facts, incident.id(), rules->ResolveCapacity(capacity));
}

absl::StatusOr<std::vector<v1::Decision>> Router::RouteBatch(
    absl::Span<const v1::Incident> incidents, absl::Span<const int> repeat_counts,
    const CapacitySnapshot& capacity) const {
  if (!repeat_counts.empty() && repeat_counts.size() != incidents.size()) {
    return absl::InvalidArgumentError(absl::StrCat("RouteBatch: ", repeat_counts.size(),
                                                   " repeat counts for ", incidents.size(),
                                                   " incidents"));
  }
  const std::shared_ptr<const RuleSet> rules = Current();
  const std::vector<CapacityState> resolved = rules->ResolveCapacity(capacity);
  std::vector<v1::Decision> out;
  out.reserve(incidents.size());
  for (size_t i = 0; i < incidents.size(); ++i) {
    absl::StatusOr<RoutingFacts> facts =
        MakeRoutingFacts(incidents[i], repeat_counts.empty() ? 0 : repeat_counts[i], *rules);
    if (!facts.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("RouteBatch: incident ", i, ": ", facts.status().message()));
    }
    out.push_back(rules->Decide(*facts, incidents[i].id(), resolved));
  }
  return out;
}

}  // namespace fengqiao
