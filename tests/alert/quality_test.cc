// The alert assistant's quality, measured on the labelled corpus's TEST split (never tuned on):
// per action precision, recall and F1, the confusion matrix, macro F1, and the reply bank's top-1
// accuracy (the category of the best reply against the labelled reply category). The figures are
// printed (bench/RESULTS.md keeps them) and held above the floors measured when this test was
// written, so a change that makes the assistant worse fails here. The targets are printed
// beside them; where a target is not met the floor is the measured figure, not the target.
#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "fengqiao/alert/alert_assistant.h"
#include "fengqiao/alert/reply_bank.h"
#include "fengqiao/vocabulary.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

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

TEST(AlertQuality, TheTestSplitMeetsItsFloors) {
  const std::vector<Labelled> test = ReadSplit("test");
  ASSERT_GE(test.size(), 600u);
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const AlertAssistant> assistant,
                       AlertAssistant::Load(FENGQIAO_SOURCE_DIR "/examples/data/alert/rules"));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const ReplyBank> bank,
                       ReplyBank::Load(FENGQIAO_SOURCE_DIR "/examples/data/alert/replies"));
  std::vector<std::string> actions;
  for (int a = 1; a < v1::AlertAction_ARRAYSIZE; ++a) {
    actions.push_back(std::string(LabelOf(static_cast<v1::AlertAction>(a)).proto_name));
  }
  std::map<std::string, std::map<std::string, int>> confusion;  // truth -> predicted -> n
  int replies = 0, replies_right = 0, replies_answered = 0;
  for (const Labelled& l : test) {
    ASSERT_OK_AND_ASSIGN(v1::AlertDecision d, assistant->Decide(l.text));
    ++confusion[l.action][std::string(LabelOf(d.action()).proto_name)];
    if (l.action == "ALERT_ACTION_STANDARD_REPLY" && !l.reply_category.empty()) {
      ++replies;
      ASSERT_OK_AND_ASSIGN(std::vector<ReplyMatch> top, bank->Top(l.text, 1));
      replies_right += !top.empty() && top[0].reply->category() == l.reply_category ? 1 : 0;
      ASSERT_OK_AND_ASSIGN(std::optional<ReplyMatch> answer, bank->Answer(l.text));
      replies_answered += answer.has_value() ? 1 : 0;
    }
  }
  std::map<std::string, std::array<double, 3>> prf;
  double macro_f1 = 0;
  std::printf("\n%-38s %9s %9s %9s %6s\n", "action (test split)", "precision", "recall", "F1", "N");
  for (const std::string& a : actions) {
    int tp = confusion[a][a], predicted = 0, truth = 0;
    for (const auto& [t, row] : confusion) predicted += row.count(a) ? row.at(a) : 0;
    for (const auto& [p, n] : confusion[a]) truth += n;
    const double precision = predicted == 0 ? 0 : double(tp) / predicted;
    const double recall = truth == 0 ? 0 : double(tp) / truth;
    const double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    prf[a] = {precision, recall, f1};
    macro_f1 += f1 / actions.size();
    std::printf("%-38s %9.3f %9.3f %9.3f %6d\n", a.c_str(), precision, recall, f1, truth);
  }
  std::printf("macro F1 %.3f; reply top-1 %.3f (%d of %d), answered above the threshold %d\n",
              macro_f1, double(replies_right) / replies, replies_right, replies, replies_answered);
  std::printf("confusion (rows: labelled, columns: decided, in the order above):\n");
  for (const std::string& t : actions) {
    std::printf("  %-36s", t.c_str());
    for (const std::string& p : actions) std::printf(" %5d", confusion[t][p]);
    std::printf("\n");
  }
  // Floors: the figures measured on 2026-11-24, rounded down (110 recall 0.299, precision 0.634,
  // notify recall 0.176, macro F1 0.395, reply top-1 0.876). Targets of issue 13: ALERT_110 recall
  // >= 0.95 with precision >= 0.85, NOTIFY recall >= 0.90, macro F1 >= 0.85, reply top-1 >= 0.85;
  // only the last is met. Raise a floor whenever a change raises the figure.
  EXPECT_GE(prf["ALERT_ACTION_ALERT_110"][1], 0.29);
  EXPECT_GE(prf["ALERT_ACTION_ALERT_110"][0], 0.63);
  EXPECT_GE(prf["ALERT_ACTION_NOTIFY_COMMUNITY_POLICE"][1], 0.17);
  EXPECT_GE(macro_f1, 0.39);
  EXPECT_GE(double(replies_right) / replies, 0.87);
}

}  // namespace
}  // namespace fengqiao::alert
