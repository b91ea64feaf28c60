// File: fengqiao/alert/alert_model.h
// The AlertModel is the learned half of the alert assistant: a linear classifier over the
// character 1- to 3-grams of the Normalizer's text (ASCII digits folded to '0'), trained by
// tools/train_alert_model.py on the development split of the labelled corpus and stored as data
// (`fengqiao.v1.AlertModel` in protobuf text format, examples/data/alert/model.textproto; the
// format is in docs/alert_model.md). Two softmax heads: one over (action, category) classes,
// one over the departments of a 12345 referral. A message's features are the counts of its
// n-grams divided by the square root of the number of n-gram positions in it. The assistant asks
// the model only about messages its rules left undecided (alert_assistant.h).
//
//   #include "fengqiao/alert/alert_model.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::alert::AlertModel> model,
//                             fengqiao::alert::AlertModel::Load(
//                                 "examples/data/alert/model.textproto"));
//   fengqiao::alert::ModelScratch scratch;
//   fengqiao::alert::ModelVerdict v = model->Predict("有人在小区里打人,已经流血了", &scratch);
//   // v.action: the most probable action (NONE below the model's threshold), v.probability
//   if (v.probability < 0 || v.probability > 1) {
//     return absl::InternalError("a probability out of range");
//   }
//
// Thread safety: immutable after Load / FromProto; Predict is safe from any thread (each caller
// passes its own ModelScratch; nothing is allocated once the scratch is warm).
// Errors: Load returns NotFound for a missing file, ResourceExhausted for a file over
// kMaxAlertModelBytes, InvalidArgument naming file:line:col for a file that does not parse or
// holds a bad value (a format version other than 1, max_order outside 1..3, a threshold outside
// [0, 1], no classes or more than 64, an unspecified or repeated class or department, a weight
// row of the wrong length, a weight or bias that is not finite, an empty, too long or repeated
// n-gram, text that is not UTF-8). Messages name fields and positions, never an n-gram's text.
#ifndef FENGQIAO_ALERT_ALERT_MODEL_H_
#define FENGQIAO_ALERT_ALERT_MODEL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fengqiao/v1/alert.pb.h"
#include "fengqiao/v1/taxonomy.pb.h"

namespace fengqiao::internal {
class SourceMap;
}  // namespace fengqiao::internal

namespace fengqiao::alert {

// The largest model file read: 64 MiB (the shipped model is about 1 MiB).
inline constexpr int64_t kMaxAlertModelBytes = int64_t{64} << 20;

// What the model says of one message.
struct ModelVerdict {
  // The most probable action when it is NONE or reaches the threshold; NONE otherwise.
  v1::AlertAction action = v1::ALERT_ACTION_NONE;
  // The most probable category of that action.
  v1::AlertCategory category = v1::ALERT_CATEGORY_CHITCHAT;
  // For REFER_12345: the most probable department; UNSPECIFIED otherwise.
  v1::Department department = v1::DEPARTMENT_UNSPECIFIED;
  // The probability of the most probable action (the sum over its classes).
  double probability = 0;
  // The most probable action, whether or not it reached the threshold.
  v1::AlertAction best_action = v1::ALERT_ACTION_NONE;
};

// One n-gram of a message and what it contributed to a class's score.
struct NgramContribution {
  // Byte range [begin, end) of the normalised text.
  uint32_t begin = 0;
  uint32_t end = 0;
  // Its weight for the class, times the message's feature scale.
  double contribution = 0;
};

// Per-caller buffers reused across messages.
struct ModelScratch {
  // Per n-gram position found in the model: its row and its byte range in the normalised text.
  struct Hit {
    uint32_t row;
    uint32_t begin;
    uint32_t end;
  };
  std::vector<Hit> hits;
  std::vector<double> logits;
  // 1 / sqrt(number of n-gram positions) of the last message.
  double scale = 0;
  // The class probabilities after Predict / Score, in the model's class order.
  std::vector<double> probabilities;
};

class AlertModel {
 public:
  // Reads and checks the model file at `path`.
  static absl::StatusOr<std::shared_ptr<const AlertModel>> Load(absl::string_view path);
  // The same from the file's `text`, named `filename` in errors.
  static absl::StatusOr<std::shared_ptr<const AlertModel>> Parse(absl::string_view text,
                                                                 absl::string_view filename);
  // Checks a model built in memory (errors name the field paths).
  static absl::StatusOr<std::shared_ptr<const AlertModel>> FromProto(v1::AlertModel model);

  AlertModel(const AlertModel&) = delete;
  AlertModel& operator=(const AlertModel&) = delete;

  // Scores `normalized` (the Normalizer's text: call Normalizer::Normalize first; other text is
  // scored as it is, an invalid UTF-8 byte counting as one character) and returns the verdict.
  // `scratch->probabilities` holds the class probabilities afterwards.
  ModelVerdict Predict(absl::string_view normalized, ModelScratch* scratch) const;

  // The class logits (bias plus the scaled n-gram weights) of `normalized`, in class order: what
  // the trainer computes, for comparing the two.
  std::vector<double> Logits(absl::string_view normalized) const;

  // The n-grams of the last Predict on `scratch` that contributed most to `action`'s most
  // probable class, largest first, at most `k`, only positive contributions; one per distinct
  // n-gram (its first place in the text).
  std::vector<NgramContribution> TopContributions(const ModelScratch& scratch,
                                                  v1::AlertAction action, int k) const;

  const v1::AlertModel& proto() const { return model_; }
  const std::string& id() const { return model_.id(); }
  double threshold() const { return model_.threshold(); }
  // The probability at which the model's action overrides a rule's (0: never; else >= threshold).
  double override_threshold() const { return model_.override_threshold(); }
  int class_count() const { return static_cast<int>(classes_.size()); }

 private:
  struct Class {
    v1::AlertAction action;
    v1::AlertCategory category;
  };
  AlertModel() = default;
  static absl::StatusOr<std::shared_ptr<const AlertModel>> Build(
      v1::AlertModel model, const fengqiao::internal::SourceMap& map);
  // Fills scratch->hits, logits and probabilities.
  void Score(absl::string_view normalized, ModelScratch* scratch) const;

  v1::AlertModel model_;  // kept for provenance; n-gram weights moved into `weights_`
  std::vector<Class> classes_;
  std::vector<v1::Department> departments_;
  std::vector<float> class_bias_;
  std::vector<float> department_bias_;
  int max_order_ = 3;
  int stride_ = 0;              // classes + departments
  std::vector<float> weights_;  // row-major, one row of `stride_` per n-gram
  // Packed n-gram (up to three codepoints + 1, 21 bits each) -> row.
  absl::flat_hash_map<uint64_t, uint32_t> rows_;
};

}  // namespace fengqiao::alert

#endif  // FENGQIAO_ALERT_ALERT_MODEL_H_
