// The alert assistant's quality, measured on the labelled corpus's TEST split (never tuned on)
// and, beside it, on the DEVELOPMENT split the rules are written from: per action precision,
// recall and F1, the confusion matrix, macro F1, and the reply bank's top-1 accuracy (the category
// of the best reply against the labelled reply category). The figures are printed
// (bench/RESULTS.md keeps them) and held above the floors last measured, so a change that makes
// the assistant worse fails here. The targets are in the comment beside the test split's
// floors; where a target is not met the floor is the measured figure, not the target.
#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "fengqiao/alert/alert_assistant.h"
#include "fengqiao/alert/reply_bank.h"
#include "fengqiao/vocabulary.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace fengqiao::alert {
namespace {

struct Labelled {
  std::string text, action, reply_category;
};

std::vector<Labelled> ReadSplit(const std::string& name) {
  std::ifstream in(std::string(FENGQIAO_SOURCE_DIR "/examples/data/alert/corpus/") + name +
                   ".jsonl");
  std::vector<Labelled> out;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    v1::LabelledChatMessage m;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto parsed = google::protobuf::util::JsonStringToMessage(line, &m, options);
    EXPECT_TRUE(parsed.ok()) << name << ".jsonl:" << line_no;
    if (!parsed.ok()) continue;
    out.push_back(
        Labelled{m.text(), std::string(LabelOf(m.action()).proto_name), m.reply_category()});
  }
  return out;
}

struct Figures {
  std::map<std::string, std::array<double, 3>> prf;  // action -> precision, recall, F1
  double macro_f1 = 0;
  double reply_top1 = 0;
};

constexpr char kRules[] = FENGQIAO_SOURCE_DIR "/examples/data/alert/rules";
constexpr char kModel[] = FENGQIAO_SOURCE_DIR "/examples/data/alert/model.textproto";

// Decides every message of the split with the rules and, when `with_model`, the shipped model
// (trained on the dev split only), prints the table (the form bench/RESULTS.md keeps) and
// returns the figures.
Figures Evaluate(const std::string& split, bool with_model) {
  Figures out;
  const std::vector<Labelled> messages = ReadSplit(split);
  EXPECT_GE(messages.size(), 600u) << split;
  const char* model = with_model ? kModel : "";
  absl::StatusOr<std::shared_ptr<const AlertAssistant>> assistant =
      AlertAssistant::Load(kRules, model);
  // The other scanning engine must decide every message the same way.
  absl::StatusOr<std::shared_ptr<const AlertAssistant>> re2_set =
      AlertAssistant::Load(kRules, model, {}, {.engine = ScanEngine::kRe2Set});
  EXPECT_TRUE(re2_set.ok()) << re2_set.status();
  absl::StatusOr<std::shared_ptr<const ReplyBank>> bank =
      ReplyBank::Load(FENGQIAO_SOURCE_DIR "/examples/data/alert/replies");
  EXPECT_TRUE(assistant.ok()) << assistant.status();
  EXPECT_TRUE(bank.ok()) << bank.status();
  if (!assistant.ok() || !bank.ok()) return out;
  std::vector<std::string> actions;
  for (int a = 1; a < v1::AlertAction_ARRAYSIZE; ++a) {
    actions.push_back(std::string(LabelOf(static_cast<v1::AlertAction>(a)).proto_name));
  }
  std::map<std::string, std::map<std::string, int>> confusion;  // truth -> predicted -> n
  int replies = 0, replies_right = 0, replies_answered = 0;
  int engines_differ = 0, by_model = 0, undecided_by_rules = 0, overridden = 0;
  for (const Labelled& l : messages) {
    absl::StatusOr<v1::AlertDecision> d = (*assistant)->Decide(l.text);
    EXPECT_TRUE(d.ok()) << d.status();
    if (!d.ok()) continue;
    if (re2_set.ok()) {
      // The decision (spans: each hit rule's exact RE2) and the verdict (hits only: the
      // engines' own confirmation), each engine's against the other's.
      absl::StatusOr<v1::AlertDecision> other = (*re2_set)->Decide(l.text);
      engines_differ += !other.ok() || other->SerializeAsString() != d->SerializeAsString();
      AlertScratch scratch;
      absl::StatusOr<Verdict> v = (*assistant)->Classify(l.text, &scratch);
      absl::StatusOr<Verdict> w = (*re2_set)->Classify(l.text, &scratch);
      undecided_by_rules += v.ok() && v->rule < 0 && v->overridden_rule < 0;
      overridden += v.ok() && v->overridden_rule >= 0;
      engines_differ += !v.ok() || !w.ok() || v->action != w->action ||
                        v->category != w->category || v->department != w->department ||
                        v->rule != w->rule || v->action != d->action();
    }
    by_model += d->rule_ids_size() > 0 && d->rule_ids(0).rfind("model:", 0) == 0;
    ++confusion[l.action][std::string(LabelOf(d->action()).proto_name)];
    if (l.action == "ALERT_ACTION_STANDARD_REPLY" && !l.reply_category.empty()) {
      ++replies;
      absl::StatusOr<std::vector<ReplyMatch>> top = (*bank)->Top(l.text, 1);
      absl::StatusOr<std::optional<ReplyMatch>> answer = (*bank)->Answer(l.text);
      EXPECT_TRUE(top.ok() && answer.ok());
      if (!top.ok() || !answer.ok()) continue;
      replies_right += !top->empty() && (*top)[0].reply->category() == l.reply_category ? 1 : 0;
      replies_answered += answer->has_value() ? 1 : 0;
    }
  }
  EXPECT_EQ(engines_differ, 0) << split << ": decisions that differ between the engines";
  std::printf("\n%-38s %9s %9s %9s %6s\n",
              ("action (" + split + (with_model ? ", rules + model)" : ", rules only)")).c_str(),
              "precision", "recall", "F1", "N");
  for (const std::string& a : actions) {
    int tp = confusion[a][a], predicted = 0, truth = 0;
    for (const auto& [t, row] : confusion) predicted += row.count(a) ? row.at(a) : 0;
    for (const auto& [p, n] : confusion[a]) truth += n;
    const double precision = predicted == 0 ? 0 : double(tp) / predicted;
    const double recall = truth == 0 ? 0 : double(tp) / truth;
    const double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    out.prf[a] = {precision, recall, f1};
    out.macro_f1 += f1 / actions.size();
    std::printf("%-38s %9.3f %9.3f %9.3f %6d\n", a.c_str(), precision, recall, f1, truth);
  }
  out.reply_top1 = replies == 0 ? 0 : double(replies_right) / replies;
  std::printf("macro F1 %.3f; reply top-1 %.3f (%d of %d), answered above the threshold %d\n",
              out.macro_f1, out.reply_top1, replies_right, replies, replies_answered);
  std::printf("no rule decided: %d of %zu; decided by the model: %d (overriding a rule: %d)\n",
              undecided_by_rules, messages.size(), by_model, overridden);
  std::printf("confusion (rows: labelled, columns: decided, in the order above):\n");
  for (const std::string& t : actions) {
    std::printf("  %-36s", t.c_str());
    for (const std::string& p : actions) std::printf(" %5d", confusion[t][p]);
    std::printf("\n");
  }
  return out;
}

// The figures a split is held at: ALERT_110 recall and precision, NOTIFY recall, macro F1, reply
// top-1.
struct Floors {
  double alert_110_recall, alert_110_precision, notify_recall, macro_f1, reply_top1;
};

void ExpectAtLeast(const Figures& f, const Floors& floors) {
  EXPECT_GE(f.prf.at("ALERT_ACTION_ALERT_110")[1], floors.alert_110_recall);
  EXPECT_GE(f.prf.at("ALERT_ACTION_ALERT_110")[0], floors.alert_110_precision);
  EXPECT_GE(f.prf.at("ALERT_ACTION_NOTIFY_COMMUNITY_POLICE")[1], floors.notify_recall);
  EXPECT_GE(f.macro_f1, floors.macro_f1);
  EXPECT_GE(f.reply_top1, floors.reply_top1);
}

// The split the rules are written on: its figures are printed beside the test split's, and held
// at their floors too, so a rule change that loses what it was written for fails here.
TEST(AlertQuality, TheDevSplitMeetsItsFloorsWithTheRulesAlone) {
  // Measured 2026-12-07 with the rules written from this split's misses, rounded down (110
  // recall 0.983, precision 1.000, notify recall 0.993, macro F1 0.973, reply top-1 0.831;
  // before them: 0.270, 0.705, 0.166, 0.396, 0.831).
  ExpectAtLeast(Evaluate("dev", /*with_model=*/false), {0.98, 0.99, 0.99, 0.97, 0.83});
}

// The training corpus (train.jsonl, written 2026-12-08 for the model only): the rules were not
// written from it, so the rules-alone figures are a second honest measure of the rules; the model
// has seen every message, so its figures are not a measure of quality.
TEST(AlertQuality, TheTrainCorpusMeetsItsFloorsWithTheRulesAlone) {
  // Measured 2026-12-08, rounded down: 110 recall 0.496, precision 0.821, notify recall 0.443,
  // macro F1 0.605, reply top-1 0.825 (on the test split: 0.448, 0.736, 0.412, 0.575, 0.876).
  ExpectAtLeast(Evaluate("train", /*with_model=*/false), {0.49, 0.82, 0.44, 0.60, 0.82});
}

TEST(AlertQuality, TheTrainCorpusMeetsItsFloorsWithTheModel) {
  // Measured 2026-12-08 (model char-ngram-logreg-2), rounded down: 110 recall 1.000, precision
  // 1.000, notify recall 1.000, macro F1 1.000, reply top-1 0.825.
  ExpectAtLeast(Evaluate("train", /*with_model=*/true), {1.00, 1.00, 1.00, 1.00, 0.82});
}

TEST(AlertQuality, TheTestSplitMeetsItsFloorsWithTheRulesAlone) {
  // Floors: the figures measured on 2026-12-07, rounded down (110 recall 0.448, precision 0.736,
  // notify recall 0.412, macro F1 0.575, reply top-1 0.876; on 2026-11-24 they were 0.299,
  // 0.634, 0.176, 0.395, 0.876). Targets of issue 13: ALERT_110 recall >= 0.95 with precision
  // >= 0.85, NOTIFY recall >= 0.90, macro F1 >= 0.85, reply top-1 >= 0.85; only the last is met.
  // Raise a floor whenever a change raises the figure.
  ExpectAtLeast(Evaluate("test", /*with_model=*/false), {0.44, 0.73, 0.41, 0.57, 0.87});
}

// The shipped configuration: the rules and the model (examples/data/alert/model.textproto, trained
// on the dev split and the training corpus by tools/train_alert_model.py), which decides what no
// rule decides and overrides a rule when it gives another action p >= its override_threshold. On
// the dev split the model has seen every message, so these figures are not a measure of quality.
TEST(AlertQuality, TheDevSplitMeetsItsFloorsWithTheModel) {
  // Measured 2026-12-08 (model char-ngram-logreg-2, trained on dev + train, overriding a rule at
  // p >= 0.65), rounded down: 110 recall 1.000, precision 1.000, notify recall 1.000, macro F1
  // 1.000, reply top-1 0.831 (2026-12-07, char-ngram-logreg-1: 0.991, 1.000, 0.993, 0.987,
  // 0.831).
  ExpectAtLeast(Evaluate("dev", /*with_model=*/true), {1.00, 1.00, 1.00, 1.00, 0.83});
}

TEST(AlertQuality, TheTestSplitMeetsItsFloorsWithTheModel) {
  // Measured 2026-12-08 (model char-ngram-logreg-2, trained on dev + train, overriding a rule at
  // p >= 0.55; the test split evaluated once, after the training corpus, the model and the policy
  // were fixed on dev + train), rounded down: 110 recall 0.897 (78 of 87), precision 0.929,
  // notify recall 0.892, macro F1 0.897, reply top-1 0.876 (2026-12-07, char-ngram-logreg-1
  // trained on dev only, rules first: 0.621, 0.7397, 0.706, 0.738, 0.876). Targets of issue 13:
  // 110 precision >= 0.85, macro F1 >= 0.85 and reply top-1 >= 0.85 are met; 110 recall >= 0.95
  // and NOTIFY recall >= 0.90 are not.
  ExpectAtLeast(Evaluate("test", /*with_model=*/true), {0.89, 0.92, 0.89, 0.89, 0.87});
}

}  // namespace
}  // namespace fengqiao::alert
