#include "fengqiao/alert/alert_model.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/vocabulary.h"
#include "internal/proto_files.h"
#include "internal/utf8.h"

namespace fengqiao::alert {
namespace {

constexpr int kMaxOrder = 3;
// The most classes a model may have (the scores accumulate in a local array of this size).
constexpr int kMaxClasses = 64;

// ASCII digits fold to '0' (a phone number or an amount is a shape, not a word); an invalid
// byte counts as U+FFFD.
inline uint32_t FeatureCodepoint(absl::string_view s, size_t i, int* len) {
  const int32_t cp = fengqiao::internal::DecodeUtf8(s, i, len);
  if (cp < 0) {
    *len = 1;
    return 0xFFFD;
  }
  return cp >= '0' && cp <= '9' ? '0' : static_cast<uint32_t>(cp);
}

// A table entry that is only the suffix of longer n-grams.
constexpr uint32_t kNoRow = ~uint32_t{0};

// Up to three codepoints, each + 1 in 21 bits: distinct n-grams have distinct keys.
inline uint64_t Push(uint64_t key, uint32_t cp) { return (key << 21) | (cp + 1); }

bool Finite(float x) { return std::isfinite(x); }

}  // namespace

absl::StatusOr<std::shared_ptr<const AlertModel>> AlertModel::Load(absl::string_view path) {
  std::string content;
  FENGQIAO_RETURN_IF_ERROR(fengqiao::internal::ReadFile(path, &content, kMaxAlertModelBytes));
  return Parse(content, path);
}

absl::StatusOr<std::shared_ptr<const AlertModel>> AlertModel::Parse(absl::string_view text,
                                                                    absl::string_view filename) {
  if (static_cast<int64_t>(text.size()) > kMaxAlertModelBytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat(filename, ": a model of more than ", kMaxAlertModelBytes, " bytes"));
  }
  v1::AlertModel model;
  fengqiao::internal::SourceMap map{std::string(filename)};
  FENGQIAO_RETURN_IF_ERROR(fengqiao::internal::ParseProto(text, filename, &model, &map));
  return Build(std::move(model), map);
}

absl::StatusOr<std::shared_ptr<const AlertModel>> AlertModel::FromProto(v1::AlertModel model) {
  const fengqiao::internal::SourceMap map;
  FENGQIAO_RETURN_IF_ERROR(fengqiao::internal::CheckFields(model, map));
  return Build(std::move(model), map);
}

absl::StatusOr<std::shared_ptr<const AlertModel>> AlertModel::Build(
    v1::AlertModel model, const fengqiao::internal::SourceMap& map) {
  std::shared_ptr<AlertModel> out(new AlertModel());
  auto fail = [&](const std::string& field, absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(map.Where(field), ": ", field, ": ", what));
  };
  if (model.format_version() != 1) {
    return fail("format_version",
                absl::StrCat(model.format_version(), " is not a format this library reads (1)"));
  }
  if (model.max_order() < 1 || model.max_order() > kMaxOrder) {
    return fail("max_order", absl::StrCat(model.max_order(), " is outside 1..", kMaxOrder));
  }
  if (!(model.threshold() >= 0 && model.threshold() <= 1)) {
    return fail("threshold", "not a probability in [0, 1]");
  }
  if (!(model.override_threshold() >= 0 && model.override_threshold() <= 1)) {
    return fail("override_threshold", "not a probability in [0, 1]");
  }
  if (model.override_threshold() > 0 && model.override_threshold() < model.threshold()) {
    return fail("override_threshold", "below the threshold (an override must be a decision)");
  }
  if (model.classes_size() == 0) return fail("classes", "a model needs at least one class");
  if (model.classes_size() > kMaxClasses) {
    return fail("classes", absl::StrCat(model.classes_size(), " classes, more than ", kMaxClasses));
  }
  absl::flat_hash_set<std::pair<int, int>> seen_classes;
  for (int i = 0; i < model.classes_size(); ++i) {
    const v1::AlertModelClass& c = model.classes(i);
    const std::string at = absl::StrCat("classes[", i, "]");
    if (c.action() == v1::ALERT_ACTION_UNSPECIFIED) return fail(at + ".action", "unspecified");
    if (c.category() == v1::ALERT_CATEGORY_UNSPECIFIED) {
      return fail(at + ".category", "unspecified");
    }
    if (!Finite(c.bias())) return fail(at + ".bias", "not a finite number");
    if (!seen_classes.insert({c.action(), c.category()}).second) {
      return fail(at, absl::StrCat("the class (", LabelOf(c.action()).proto_name, ", ",
                                   LabelOf(c.category()).proto_name, ") appears twice"));
    }
    out->classes_.push_back({c.action(), c.category()});
    out->class_bias_.push_back(c.bias());
  }
  absl::flat_hash_set<int> seen_departments;
  for (int i = 0; i < model.departments_size(); ++i) {
    const v1::AlertModelDepartment& d = model.departments(i);
    const std::string at = absl::StrCat("departments[", i, "]");
    if (d.department() == v1::DEPARTMENT_UNSPECIFIED) {
      return fail(at + ".department", "unspecified");
    }
    if (!Finite(d.bias())) return fail(at + ".bias", "not a finite number");
    if (!seen_departments.insert(d.department()).second) {
      return fail(at + ".department", "appears twice");
    }
    out->departments_.push_back(d.department());
    out->department_bias_.push_back(d.bias());
  }
  out->max_order_ = model.max_order();
  out->stride_ = model.classes_size() + model.departments_size();
  out->weights_.reserve(static_cast<size_t>(model.ngrams_size()) * out->stride_);
  out->rows_.reserve(model.ngrams_size());
  std::vector<uint64_t> keys;
  std::vector<int> orders;
  for (int i = 0; i < model.ngrams_size(); ++i) {
    const v1::AlertModelNgram& g = model.ngrams(i);
    const std::string at = absl::StrCat("ngrams[", i, "]");
    uint64_t key = 0;
    int order = 0;
    for (size_t j = 0; j < g.ngram().size();) {
      int len = 1;
      if (fengqiao::internal::DecodeUtf8(g.ngram(), j, &len) < 0) {
        return fail(at + ".ngram", "invalid UTF-8");
      }
      if (++order > model.max_order()) break;
      key = Push(key, FeatureCodepoint(g.ngram(), j, &len));
      j += len;
    }
    if (order == 0 || order > model.max_order()) {
      return fail(at + ".ngram",
                  absl::StrCat("an n-gram of 1 to ", model.max_order(), " characters is expected"));
    }
    if (g.weights_size() != out->stride_) {
      return fail(at + ".weights",
                  absl::StrCat(g.weights_size(), " weights where the classes and departments are ",
                               out->stride_));
    }
    for (int k = 0; k < g.weights_size(); ++k) {
      if (!Finite(g.weights(k))) {
        return fail(at + ".weights", absl::StrCat("weight ", k, " is not a finite number"));
      }
    }
    keys.push_back(key);
    if (!out->rows_.emplace(key, static_cast<uint32_t>(i)).second) {
      return fail(at + ".ngram", "the n-gram appears twice (after digits fold to 0)");
    }
    out->weights_.insert(out->weights_.end(), g.weights().begin(), g.weights().end());
    orders.push_back(order);
  }
  // Every proper suffix of an n-gram is in the table too (a row of its own or kNoRow), so that
  // scoring can stop at the first n-gram ending at a position that the table does not hold.
  for (int i = 0; i < model.ngrams_size(); ++i) {
    const uint64_t key = keys[i];
    for (int m = 1; m < orders[i]; ++m) {
      out->rows_.try_emplace(key & ((uint64_t{1} << (21 * m)) - 1), kNoRow);
    }
  }
  model.clear_ngrams();
  out->model_ = std::move(model);
  return std::shared_ptr<const AlertModel>(std::move(out));
}

void AlertModel::Score(absl::string_view normalized, ModelScratch* scratch) const {
  const size_t classes = classes_.size();
  scratch->hits.clear();
  // Sums in a local array (no aliasing with the weights: the loop vectorises).
  float sums[kMaxClasses] = {};
  uint32_t starts[kMaxOrder] = {0, 0, 0};  // byte starts of the last characters, newest first
  uint32_t cps[kMaxOrder] = {0, 0, 0};
  int have = 0;
  size_t positions = 0;
  for (size_t i = 0; i < normalized.size();) {
    int len = 1;
    const uint32_t cp = FeatureCodepoint(normalized, i, &len);
    for (int k = kMaxOrder - 1; k > 0; --k) {
      starts[k] = starts[k - 1];
      cps[k] = cps[k - 1];
    }
    starts[0] = static_cast<uint32_t>(i);
    cps[0] = cp;
    have = std::min(have + 1, kMaxOrder);
    i += len;
    const int orders = std::min(have, max_order_);
    uint64_t key = 0;
    for (int n = 1; n <= orders; ++n) {
      // The n-gram ending here: one older character in front of the (n-1)-gram (Push's layout).
      key |= static_cast<uint64_t>(cps[n - 1] + 1) << (21 * (n - 1));
      ++positions;
      auto it = rows_.find(key);
      if (it == rows_.end()) {
        // No n-gram of the model ends with this one: none longer ending here can be in it. The
        // positions still count.
        positions += orders - n;
        break;
      }
      if (it->second == kNoRow) continue;
      scratch->hits.push_back({it->second, starts[n - 1], static_cast<uint32_t>(i)});
      const float* w = &weights_[static_cast<size_t>(it->second) * stride_];
      for (size_t c = 0; c < classes; ++c) sums[c] += w[c];
    }
  }
  const double scale = positions == 0 ? 0.0 : 1.0 / std::sqrt(static_cast<double>(positions));
  scratch->scale = scale;
  double top = -HUGE_VAL;
  scratch->logits.resize(classes);
  for (size_t c = 0; c < classes; ++c) {
    scratch->logits[c] = sums[c] * scale + class_bias_[c];
    top = std::max(top, scratch->logits[c]);
  }
  scratch->probabilities.resize(classes);
  double sum = 0;
  for (size_t c = 0; c < classes; ++c) {
    scratch->probabilities[c] = std::exp(scratch->logits[c] - top);
    sum += scratch->probabilities[c];
  }
  for (double& p : scratch->probabilities) p /= sum;
}

std::vector<double> AlertModel::Logits(absl::string_view normalized) const {
  ModelScratch scratch;
  Score(normalized, &scratch);
  return scratch.logits;
}

ModelVerdict AlertModel::Predict(absl::string_view normalized, ModelScratch* scratch) const {
  Score(normalized, scratch);
  // Probability per action (the sum over its classes); actions are few (v1::AlertAction).
  double by_action[v1::AlertAction_ARRAYSIZE] = {};
  for (size_t c = 0; c < classes_.size(); ++c) {
    by_action[classes_[c].action] += scratch->probabilities[c];
  }
  int best = -1;
  for (size_t c = 0; c < classes_.size(); ++c) {
    const int a = classes_[c].action;
    if (best < 0 || by_action[a] > by_action[best]) best = a;
  }
  ModelVerdict v;
  v.best_action = static_cast<v1::AlertAction>(best);
  v.probability = by_action[best];
  if (best != v1::ALERT_ACTION_NONE && v.probability < threshold()) return v;
  v.action = v.best_action;
  double best_class = -1;
  for (size_t c = 0; c < classes_.size(); ++c) {
    if (classes_[c].action == v.action && scratch->probabilities[c] > best_class) {
      best_class = scratch->probabilities[c];
      v.category = classes_[c].category;
    }
  }
  if (v.action == v1::ALERT_ACTION_REFER_12345 && !departments_.empty()) {
    // The department head over the same hits; its argmax needs no softmax.
    const size_t classes = classes_.size();
    double best_logit = -HUGE_VAL;
    for (size_t d = 0; d < departments_.size(); ++d) {
      double sum = 0;
      for (const ModelScratch::Hit& h : scratch->hits) {
        sum += weights_[static_cast<size_t>(h.row) * stride_ + classes + d];
      }
      const double logit = sum * scratch->scale + department_bias_[d];
      if (logit > best_logit) {
        best_logit = logit;
        v.department = departments_[d];
      }
    }
  }
  return v;
}

std::vector<NgramContribution> AlertModel::TopContributions(const ModelScratch& scratch,
                                                            v1::AlertAction action, int k) const {
  int best = -1;
  for (size_t c = 0; c < classes_.size() && c < scratch.probabilities.size(); ++c) {
    if (classes_[c].action == action &&
        (best < 0 || scratch.probabilities[c] > scratch.probabilities[best])) {
      best = static_cast<int>(c);
    }
  }
  std::vector<NgramContribution> out;
  if (best < 0) return out;
  std::vector<std::pair<uint32_t, size_t>> firsts;  // row, first hit with it
  for (size_t i = 0; i < scratch.hits.size(); ++i) {
    const uint32_t row = scratch.hits[i].row;
    if (weights_[static_cast<size_t>(row) * stride_ + best] <= 0) continue;
    if (std::none_of(firsts.begin(), firsts.end(), [&](const auto& f) { return f.first == row; })) {
      firsts.push_back({row, i});
    }
  }
  for (const auto& [row, i] : firsts) {
    out.push_back({scratch.hits[i].begin, scratch.hits[i].end,
                   weights_[static_cast<size_t>(row) * stride_ + best] * scratch.scale});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const NgramContribution& a, const NgramContribution& b) {
                     return a.contribution > b.contribution;
                   });
  if (out.size() > static_cast<size_t>(std::max(k, 0))) out.resize(std::max(k, 0));
  return out;
}

}  // namespace fengqiao::alert
