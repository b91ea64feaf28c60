// An alert model (fengqiao.v1.AlertModel) in protobuf text format. Invariants: a refusal is
// InvalidArgument naming the file; a model that loads scores any text to finite logits and
// class probabilities that sum to 1, decides an action of its classes (or NONE), and its top
// n-grams lie inside the text.
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "fengqiao/alert/alert_model.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto loaded = fengqiao::alert::AlertModel::Parse(text, "fuzz.textproto");
  if (!loaded.ok()) {
    FQ_FUZZ_CHECK(loaded.status().code() == absl::StatusCode::kInvalidArgument,
                  loaded.status().ToString());
    FQ_FUZZ_CHECK(absl::StrContains(loaded.status().message(), "fuzz.textproto"),
                  loaded.status().ToString());
    return 0;
  }
  const fengqiao::alert::AlertModel& model = **loaded;
  fengqiao::alert::ModelScratch scratch;
  // The input itself as a message too (any bytes: invalid UTF-8 counts as U+FFFD).
  for (const std::string& message :
       {std::string("有人在打架,快报警 13900001111"), std::string(""), text.substr(0, 256)}) {
    const fengqiao::alert::ModelVerdict v = model.Predict(message, &scratch);
    double sum = 0;
    for (double p : scratch.probabilities) {
      FQ_FUZZ_CHECK(std::isfinite(p) && p >= 0 && p <= 1, "probability");
      sum += p;
    }
    FQ_FUZZ_CHECK(std::fabs(sum - 1) < 1e-6, "probabilities sum to 1");
    FQ_FUZZ_CHECK(v.probability >= 0 && v.probability <= 1 + 1e-9, "action probability");
    FQ_FUZZ_CHECK(v.action == fengqiao::v1::ALERT_ACTION_NONE || v.action == v.best_action,
                  "action");
    for (const fengqiao::alert::NgramContribution& c :
         model.TopContributions(scratch, v.best_action, 3)) {
      FQ_FUZZ_CHECK(c.begin < c.end && c.end <= message.size(), "n-gram span");
    }
  }
  return 0;
}
