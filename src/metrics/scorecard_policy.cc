// A district's rules for scoring departments, read from a text file and checked.
#include "fengqiao/metrics/scorecard_policy.h"

#include <cmath>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/vocabulary.h"
#include "internal/proto_files.h"

namespace fengqiao {
namespace {

absl::Status Bad(const internal::SourceMap& map, const std::string& field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(map.Where(field), ": ", field, " ", why));
}

absl::Status InRange(const internal::SourceMap& map, const std::string& field, bool has,
                     double value, double lo, double hi) {
  if (!has) return absl::OkStatus();
  if (!std::isfinite(value)) return Bad(map, field, "is not a finite number");
  if (value < lo || value > hi) {
    return Bad(map, field, absl::StrCat("is ", value, ", outside ", lo, "..", hi));
  }
  return absl::OkStatus();
}

absl::Status InRange(const internal::SourceMap& map, const std::string& field, bool has,
                     int32_t value, int32_t lo, int32_t hi) {
  if (!has || (value >= lo && value <= hi)) return absl::OkStatus();
  return Bad(map, field, absl::StrCat("is ", value, ", outside ", lo, "..", hi));
}

absl::Status Check(const v1::ScorecardPolicy& p, const internal::SourceMap& map) {
  FENGQIAO_RETURN_IF_ERROR(internal::CheckFields(p, map));
  bool seen[v1::ScorecardIndicator_ARRAYSIZE] = {};
  double total = 0;
  for (int i = 0; i < p.indicators_size(); ++i) {
    const v1::ScorecardWeight& w = p.indicators(i);
    const std::string at = absl::StrCat("indicators[", i, "]");
    if (w.indicator() == v1::SCORECARD_INDICATOR_UNSPECIFIED) {
      return Bad(map, at + ".indicator", "is unspecified");
    }
    if (seen[w.indicator()]) {
      return Bad(map, at + ".indicator",
                 absl::StrCat("repeats ", LabelOf(w.indicator()).short_name));
    }
    seen[w.indicator()] = true;
    FENGQIAO_RETURN_IF_ERROR(InRange(map, at + ".weight", true, w.weight(), 0.0, 1000.0));
    FENGQIAO_RETURN_IF_ERROR(InRange(map, at + ".threshold", true, w.threshold(), 0.0, 1.0));
    total += w.weight();
  }
  if (p.indicators_size() > 0 && total <= 0) {
    return Bad(map, "indicators", "give no weight to any indicator");
  }
  if (p.has_period() && p.period() == v1::PERIOD_KIND_UNSPECIFIED) {
    return Bad(map, "period", "is unspecified");
  }
  FENGQIAO_RETURN_IF_ERROR(
      InRange(map, "min_orders", p.has_min_orders(), p.min_orders(), 0, 1'000'000));
  FENGQIAO_RETURN_IF_ERROR(
      InRange(map, "red_list_size", p.has_red_list_size(), p.red_list_size(), 0, 100));
  FENGQIAO_RETURN_IF_ERROR(
      InRange(map, "black_list_size", p.has_black_list_size(), p.black_list_size(), 0, 100));
  FENGQIAO_RETURN_IF_ERROR(InRange(map, "red_list_min_score", p.has_red_list_min_score(),
                                   p.red_list_min_score(), 0.0, 100.0));
  FENGQIAO_RETURN_IF_ERROR(InRange(map, "black_list_below_score", p.has_black_list_below_score(),
                                   p.black_list_below_score(), 0.0, 100.0));
  for (int i = 0; i < p.sources_size(); ++i) {
    if (p.sources(i).empty()) {
      return Bad(map, absl::StrCat("sources[", i, "]"), "is empty");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::ScorecardPolicy> LoadScorecardPolicy(absl::string_view path) {
  std::string text;
  FENGQIAO_RETURN_IF_ERROR(internal::ReadFile(path, &text));
  return ParseScorecardPolicy(text, path);
}

absl::StatusOr<v1::ScorecardPolicy> ParseScorecardPolicy(absl::string_view text,
                                                         absl::string_view filename) {
  v1::ScorecardPolicy p;
  internal::SourceMap map;
  FENGQIAO_RETURN_IF_ERROR(internal::ParseProto(text, filename, &p, &map));
  FENGQIAO_RETURN_IF_ERROR(Check(p, map));
  return p;
}

absl::StatusOr<v1::ScorecardPolicy> LoadDistrictScorecardPolicy(absl::string_view dir) {
  const std::filesystem::path path =
      std::filesystem::path(std::string(dir)) / "scorecard.textproto";
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return v1::ScorecardPolicy();
  return LoadScorecardPolicy(path.string());
}

absl::Status CheckScorecardPolicy(const v1::ScorecardPolicy& policy) {
  return Check(policy, internal::SourceMap());
}

v1::ScorecardPolicy EffectiveScorecardPolicy(const v1::ScorecardPolicy& policy) {
  v1::ScorecardPolicy p = policy;
  if (p.indicators_size() == 0) {
    // Our defaults (docs/scorecards.md): satisfaction and completion carry most, as in the
    // published scorecards; every threshold is ours.
    const struct {
      v1::ScorecardIndicator indicator;
      double weight, threshold;
    } kDefaults[] = {
        {v1::SCORECARD_INDICATOR_ON_TIME_SIGNOFF, 15, 0.9},
        {v1::SCORECARD_INDICATOR_ON_TIME_COMPLETION, 25, 0.8},
        {v1::SCORECARD_INDICATOR_RETURN_RATE, 10, 0.8},
        {v1::SCORECARD_INDICATOR_REDO_RATE, 10, 0.8},
        {v1::SCORECARD_INDICATOR_SATISFACTION, 30, 0.6},
        {v1::SCORECARD_INDICATOR_SUPERVISED, 5, 0.7},
        {v1::SCORECARD_INDICATOR_EXTENDED, 5, 0.7},
    };
    for (const auto& d : kDefaults) {
      v1::ScorecardWeight* w = p.add_indicators();
      w->set_indicator(d.indicator);
      w->set_weight(d.weight);
      w->set_threshold(d.threshold);
    }
  }
  if (!p.has_period()) p.set_period(v1::PERIOD_KIND_MONTH);
  if (!p.has_min_orders()) p.set_min_orders(5);
  if (!p.has_red_list_size()) p.set_red_list_size(3);
  if (!p.has_red_list_min_score()) p.set_red_list_min_score(90);
  if (!p.has_black_list_size()) p.set_black_list_size(3);
  if (!p.has_black_list_below_score()) p.set_black_list_below_score(80);
  return p;
}

}  // namespace fengqiao
