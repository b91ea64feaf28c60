// The alert model (fengqiao/alert/alert_model.h) through the public API: the shipped model's
// decisions on fixed messages no rule decides, with their evidence and reason; rules keep
// deciding what they decide; the scores' invariants on random texts; and every class of bad model
// file refused with file:line:col and the field, never the n-gram's text.
#include "fengqiao/alert/alert_model.h"

#include <unistd.h>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "fengqiao/alert/alert_assistant.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fengqiao::alert {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kModel[] = FENGQIAO_SOURCE_DIR "/examples/data/alert/model.textproto";
constexpr char kRules[] = FENGQIAO_SOURCE_DIR "/examples/data/alert/rules";

std::string WriteTemp(const std::string& name, const std::string& content) {
  const std::string path =
      (std::filesystem::temp_directory_path() /
       ("fengqiao_alert_model_test_" + std::to_string(::getpid()) + "_" + name))
          .string();
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

// A small valid model: two classes, one department, n-grams of up to two characters.
constexpr char kSmall[] =
    "format_version: 1\n"
    "id: \"small\"\n"
    "max_order: 2\n"
    "threshold: 0.5\n"
    "classes { action: ALERT_ACTION_NONE category: ALERT_CATEGORY_CHITCHAT bias: 0.5 }\n"
    "classes { action: ALERT_ACTION_REFER_12345 category: ALERT_CATEGORY_PUBLIC_SERVICE }\n"
    "departments { department: DEPARTMENT_CITY_MANAGEMENT }\n"
    "ngrams { ngram: \"噪音\" weights: [-1, 4, 1] }\n"
    "ngrams { ngram: \"0\" weights: [0.25, 0, 0] }\n";

TEST(AlertModel, TheSmallModelScoresAsItsFormatSays) {
  absl::StatusOr<std::shared_ptr<const AlertModel>> model =
      AlertModel::Load(WriteTemp("small.textproto", kSmall));
  ASSERT_TRUE(model.ok()) << model.status();
  // "工地噪音": 4 characters, 4 + 3 = 7 positions; "噪音" once: logits 0.5 - 1/sqrt(7), 4/sqrt(7).
  const std::vector<double> logits = (*model)->Logits("工地噪音");
  ASSERT_EQ(logits.size(), 2u);
  EXPECT_NEAR(logits[0], 0.5 - 1 / std::sqrt(7.0), 1e-6);
  EXPECT_NEAR(logits[1], 4 / std::sqrt(7.0), 1e-6);
  // Digits fold to '0': "12" has three positions, two of them the unigram "0".
  const std::vector<double> digits = (*model)->Logits("12");
  EXPECT_NEAR(digits[0], 0.5 + 0.5 / std::sqrt(3.0), 1e-6);
  EXPECT_NEAR((*model)->Logits("")[0], 0.5, 1e-9);
  ModelScratch scratch;
  const ModelVerdict v = (*model)->Predict("工地噪音", &scratch);
  EXPECT_EQ(v.action, v1::ALERT_ACTION_REFER_12345);
  EXPECT_EQ(v.category, v1::ALERT_CATEGORY_PUBLIC_SERVICE);
  EXPECT_EQ(v.department, v1::DEPARTMENT_CITY_MANAGEMENT);
  const double p = 1 / (1 + std::exp(0.5 - 5 / std::sqrt(7.0)));
  EXPECT_NEAR(v.probability, p, 1e-9);
  const std::vector<NgramContribution> top =
      (*model)->TopContributions(scratch, v1::ALERT_ACTION_REFER_12345, 3);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].begin, 6u);  // "噪音" in bytes
  EXPECT_EQ(top[0].end, 12u);
  // Below the threshold the verdict is NONE, the best action still reported.
  const ModelVerdict weak = (*model)->Predict("噪", &scratch);
  EXPECT_EQ(weak.action, v1::ALERT_ACTION_NONE);
}

TEST(AlertModel, ProbabilitiesOfRandomTextsAreADistribution) {
  absl::StatusOr<std::shared_ptr<const AlertModel>> model = AlertModel::Load(kModel);
  ASSERT_TRUE(model.ok()) << model.status();
  std::mt19937 rng(13);
  const std::vector<std::string> pieces = {"转账",   "客服", "着火", "救命", "噪音",
                                           "居住证", "好的", "1",    "a",    "😀",
                                           " ",      "!",    "\xff", "打人"};
  ModelScratch scratch;
  for (int i = 0; i < 500; ++i) {
    std::string text;
    const int n = static_cast<int>(rng() % 12);
    for (int k = 0; k < n; ++k) text += pieces[rng() % pieces.size()];
    const ModelVerdict v = (*model)->Predict(text, &scratch);
    double sum = 0;
    for (double p : scratch.probabilities) {
      EXPECT_TRUE(p >= 0 && p <= 1);
      sum += p;
    }
    EXPECT_NEAR(sum, 1.0, 1e-9);
    EXPECT_TRUE(v.probability >= 0 && v.probability <= 1 + 1e-12);
    if (v.action != v1::ALERT_ACTION_NONE) {
      EXPECT_GE(v.probability, (*model)->threshold());
      EXPECT_EQ(v.action, v.best_action);
    }
    EXPECT_EQ(v.department != v1::DEPARTMENT_UNSPECIFIED, v.action == v1::ALERT_ACTION_REFER_12345);
    for (const NgramContribution& c : (*model)->TopContributions(scratch, v.best_action, 3)) {
      EXPECT_LE(c.begin, c.end);
      EXPECT_LE(c.end, text.size());
      EXPECT_GT(c.contribution, 0);
    }
  }
}

// Messages written for this test (not from the corpus) that no shipped rule decides; the shipped
// model does, and says so. (Retraining the model may change these; they pin the shipped file.)
struct ModelCase {
  const char* text;
  v1::AlertAction action;
  v1::AlertCategory category;
};
constexpr ModelCase kModelCases[] = {
    {"菜市场有家卖的猪肉颜色发绿了还在卖", v1::ALERT_ACTION_REFER_12345,
     v1::ALERT_CATEGORY_PUBLIC_SERVICE},
    {"楼下饭店油烟直接排到我们窗户里", v1::ALERT_ACTION_REFER_12345,
     v1::ALERT_CATEGORY_PUBLIC_SERVICE},
    {"半夜有辆没牌照的面包车在小区里慢慢开,车上的人一直往楼上看",
     v1::ALERT_ACTION_NOTIFY_COMMUNITY_POLICE, v1::ALERT_CATEGORY_SUSPICIOUS_PERSON},
    {"路口一辆电动车和小轿车撞了,骑车的大爷躺地上不动", v1::ALERT_ACTION_ALERT_110,
     v1::ALERT_CATEGORY_INJURY_ACCIDENT},
};

TEST(AlertModel, TheAssistantAsksTheModelWhatNoRuleDecides) {
  absl::StatusOr<std::shared_ptr<const AlertAssistant>> rules_only = AlertAssistant::Load(kRules);
  absl::StatusOr<std::shared_ptr<const AlertAssistant>> with_model =
      AlertAssistant::Load(kRules, kModel);
  ASSERT_TRUE(rules_only.ok()) << rules_only.status();
  ASSERT_TRUE(with_model.ok()) << with_model.status();
  ASSERT_NE((*with_model)->model(), nullptr);
  EXPECT_EQ((*rules_only)->model(), nullptr);
  for (const ModelCase& c : kModelCases) {
    SCOPED_TRACE(c.text);
    absl::StatusOr<v1::AlertDecision> before = (*rules_only)->Decide(c.text);
    absl::StatusOr<v1::AlertDecision> after = (*with_model)->Decide(c.text);
    ASSERT_TRUE(before.ok() && after.ok());
    EXPECT_EQ(before->action(), v1::ALERT_ACTION_NONE);
    EXPECT_EQ(before->rule_ids_size(), 0);
    EXPECT_EQ(after->action(), c.action);
    EXPECT_EQ(after->category(), c.category);
    EXPECT_EQ(after->department() != v1::DEPARTMENT_UNSPECIFIED,
              c.action == v1::ALERT_ACTION_REFER_12345);
    ASSERT_EQ(after->rule_ids_size(), 1);
    EXPECT_EQ(after->rule_ids(0), "model:" + (*with_model)->model()->id());
    EXPECT_THAT(after->reason(), HasSubstr("p=0."));
    EXPECT_GE(after->spans_size(), 1);
    for (const v1::EvidenceSpan& s : after->spans()) {
      EXPECT_LT(s.begin(), s.end());
      EXPECT_EQ(std::string(c.text).substr(s.begin(), s.end() - s.begin()), s.snippet());
    }
    AlertScratch scratch;
    absl::StatusOr<Verdict> v = (*with_model)->Classify(c.text, &scratch);
    ASSERT_TRUE(v.ok());
    EXPECT_TRUE(v->by_model);
    EXPECT_EQ(v->action, after->action());
    EXPECT_EQ(v->category, after->category());
    EXPECT_EQ(v->department, after->department());
  }
}

// What a rule decides stays decided where the shipped model does not give another action at
// least its override_threshold: an emergency, a warning quoting a scam, a joke.
TEST(AlertModel, RulesThatDecideAreNotOverruled) {
  absl::StatusOr<std::shared_ptr<const AlertAssistant>> rules_only = AlertAssistant::Load(kRules);
  absl::StatusOr<std::shared_ptr<const AlertAssistant>> with_model =
      AlertAssistant::Load(kRules, kModel);
  ASSERT_TRUE(rules_only.ok() && with_model.ok());
  for (const char* text : {"我妈正在给客服转账,说是安全账户,怎么办",
                           "提醒大家:接到自称客服说要转到安全账户的电话都是诈骗,直接挂断",
                           "昨晚打游戏杀疯了哈哈哈", "临城菜场旁边那家早餐店煤气泄漏了,味道很冲"}) {
    SCOPED_TRACE(text);
    absl::StatusOr<v1::AlertDecision> a = (*rules_only)->Decide(text);
    absl::StatusOr<v1::AlertDecision> b = (*with_model)->Decide(text);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_GT(a->rule_ids_size(), 0);
    EXPECT_EQ(a->SerializeAsString(), b->SerializeAsString());
  }
}

// A rule's decision is replaced by the model's only when the model's override_threshold is set,
// its action differs from the rule's and reaches that probability; the rule is then listed as
// overridden and named in the reason.
TEST(AlertModel, TheModelOverridesARuleOnlyAboveItsOverrideThreshold) {
  const std::string small =
      "format_version: 1\nid: \"small\"\nmax_order: 2\nthreshold: 0.5\n"
      "classes { action: ALERT_ACTION_NONE category: ALERT_CATEGORY_CHITCHAT }\n"
      "classes { action: ALERT_ACTION_ALERT_110 category: ALERT_CATEGORY_VIOLENCE }\n"
      "ngrams { ngram: \"杀疯\" weights: [0, 40] }\n"
      "ngrams { ngram: \"煤气\" weights: [0, 40] }\n";
  const std::string never = WriteTemp("never.textproto", small);
  const std::string sure = WriteTemp("sure.textproto", small + "override_threshold: 0.9\n");
  const std::string unsure = WriteTemp("unsure.textproto", small + "override_threshold: 1\n");
  absl::StatusOr<std::shared_ptr<const AlertAssistant>> rules_only = AlertAssistant::Load(kRules);
  absl::StatusOr<std::shared_ptr<const AlertAssistant>> with_never =
      AlertAssistant::Load(kRules, never);
  absl::StatusOr<std::shared_ptr<const AlertAssistant>> with_sure =
      AlertAssistant::Load(kRules, sure);
  absl::StatusOr<std::shared_ptr<const AlertAssistant>> with_unsure =
      AlertAssistant::Load(kRules, unsure);
  ASSERT_TRUE(rules_only.ok() && with_never.ok() && with_sure.ok() && with_unsure.ok());
  EXPECT_EQ((*with_sure)->model()->override_threshold(), 0.9f);

  // A joke a context rule decides NONE; the model is sure of ALERT_110 (p > 0.99).
  const char* joke = "昨晚打游戏杀疯了哈哈哈";
  absl::StatusOr<v1::AlertDecision> by_rule = (*rules_only)->Decide(joke);
  ASSERT_TRUE(by_rule.ok());
  ASSERT_EQ(by_rule->action(), v1::ALERT_ACTION_NONE);
  ASSERT_GT(by_rule->rule_ids_size(), 0);
  const std::string rule = by_rule->rule_ids(0);
  for (const auto& kept : {*with_never, *with_unsure}) {
    absl::StatusOr<v1::AlertDecision> d = kept->Decide(joke);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->SerializeAsString(), by_rule->SerializeAsString());
  }
  absl::StatusOr<v1::AlertDecision> overridden = (*with_sure)->Decide(joke);
  ASSERT_TRUE(overridden.ok());
  EXPECT_EQ(overridden->action(), v1::ALERT_ACTION_ALERT_110);
  EXPECT_EQ(overridden->category(), v1::ALERT_CATEGORY_VIOLENCE);
  ASSERT_EQ(overridden->rule_ids_size(), 1);
  EXPECT_EQ(overridden->rule_ids(0), "model:small");
  EXPECT_THAT(overridden->overridden_rule_ids(), ::testing::Contains(rule));
  EXPECT_THAT(overridden->reason(), HasSubstr("model overrides rule " + rule));
  AlertScratch scratch;
  absl::StatusOr<Verdict> v = (*with_sure)->Classify(joke, &scratch);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->by_model);
  EXPECT_EQ(v->rule, -1);
  EXPECT_GE(v->overridden_rule, 0);
  EXPECT_GT(v->probability, 0.99);

  // The model agrees on the action (ALERT_110) though not on the category: the rule stands.
  const char* gas = "临城菜场旁边那家早餐店煤气泄漏了,味道很冲";
  absl::StatusOr<v1::AlertDecision> a = (*rules_only)->Decide(gas);
  absl::StatusOr<v1::AlertDecision> b = (*with_sure)->Decide(gas);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->action(), v1::ALERT_ACTION_ALERT_110);
  EXPECT_EQ(a->SerializeAsString(), b->SerializeAsString());
  for (const std::string& path : {never, sure, unsure}) std::remove(path.c_str());
}

std::string ShippedModelText() {
  std::ifstream in(kModel, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct BadModel {
  const char* name;
  std::string content;
  absl::StatusCode code;
  const char* message;  // a substring of the error
};

TEST(AlertModel, BadModelFilesAreRefusedWithTheirPlace) {
  const std::string shipped = ShippedModelText();
  ASSERT_GT(shipped.size(), 1000u);
  const std::string head =
      "format_version: 1\nmax_order: 2\nthreshold: 0.5\n"
      "classes { action: ALERT_ACTION_NONE category: ALERT_CATEGORY_CHITCHAT }\n";
  const std::vector<BadModel> cases = {
      {"wrong_type", head + "threshold: \"high\"\n", absl::StatusCode::kInvalidArgument,
       "wrong_type.textproto:5:"},
      {"nan_weight", head + "ngrams { ngram: \"秘密\" weights: [nan] }\n",
       absl::StatusCode::kInvalidArgument, "ngrams[0].weights: weight 0 is not a finite number"},
      {"inf_bias",
       "format_version: 1\nmax_order: 2\nthreshold: 0.5\n"
       "classes { action: ALERT_ACTION_NONE category: ALERT_CATEGORY_CHITCHAT bias: inf }\n",
       absl::StatusCode::kInvalidArgument, "classes[0].bias: not a finite number"},
      {"no_version", "max_order: 2\nthreshold: 0.5\n", absl::StatusCode::kInvalidArgument,
       "format_version: 0 is not a format"},
      {"no_classes", "format_version: 1\nmax_order: 2\nthreshold: 0.5\n",
       absl::StatusCode::kInvalidArgument, "classes: a model needs at least one class"},
      {"order_out_of_range", "format_version: 1\nmax_order: 7\n",
       absl::StatusCode::kInvalidArgument, "order_out_of_range.textproto:2:"},
      {"threshold_out_of_range", "format_version: 1\nmax_order: 3\nthreshold: 1.5\n",
       absl::StatusCode::kInvalidArgument, "threshold_out_of_range.textproto:3:"},
      {"override_out_of_range", head + "override_threshold: -0.5\n",
       absl::StatusCode::kInvalidArgument, "override_threshold: not a probability in [0, 1]"},
      {"override_below_threshold", head + "override_threshold: 0.25\n",
       absl::StatusCode::kInvalidArgument, "override_threshold: below the threshold"},
      {"short_row", head + "ngrams { ngram: \"秘密\" weights: [1, 2] }\n",
       absl::StatusCode::kInvalidArgument, "ngrams[0].weights: 2 weights where"},
      {"long_ngram", head + "ngrams { ngram: \"秘密文件\" weights: [1] }\n",
       absl::StatusCode::kInvalidArgument, "ngrams[0].ngram: an n-gram of 1 to 2 characters"},
      {"twice",
       head + "ngrams { ngram: \"1\" weights: [1] }\nngrams { ngram: \"2\" weights: [1] }\n",
       absl::StatusCode::kInvalidArgument, "twice.textproto:6:"},
      {"invalid_utf8", head + "ngrams { ngram: \"\xe7\xa7\" weights: [1] }\n",
       absl::StatusCode::kInvalidArgument, "invalid_utf8.textproto:5:"},
      {"unknown_enum",
       head + "classes { action: ALERT_ACTION_SHOUT category: ALERT_CATEGORY_CHITCHAT }\n",
       absl::StatusCode::kInvalidArgument, "unknown_enum.textproto:5:"},
      {"unspecified", head + "classes { action: ALERT_ACTION_NONE }\n",
       absl::StatusCode::kInvalidArgument, "classes[1].category: unspecified"},
      {"truncated", shipped.substr(0, shipped.size() / 2), absl::StatusCode::kInvalidArgument,
       "truncated.textproto:"},
  };
  for (const BadModel& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = WriteTemp(std::string(c.name) + ".textproto", c.content);
    absl::StatusOr<std::shared_ptr<const AlertModel>> model = AlertModel::Load(path);
    ASSERT_FALSE(model.ok());
    EXPECT_EQ(model.status().code(), c.code) << model.status();
    EXPECT_THAT(model.status().message(), HasSubstr(c.message));
    // The n-gram's text is never echoed.
    EXPECT_THAT(model.status().message(), Not(HasSubstr("秘密")));
    // The assistant passes the error on.
    absl::StatusOr<std::shared_ptr<const AlertAssistant>> assistant =
        AlertAssistant::Load(kRules, path);
    EXPECT_FALSE(assistant.ok());
    std::remove(path.c_str());
  }
  // Missing, a directory, over the size bound (a sparse file: nothing is read).
  EXPECT_EQ(AlertModel::Load("/nonexistent/model.textproto").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(AlertModel::Load(FENGQIAO_SOURCE_DIR "/examples/data/alert").ok());
  const std::string huge = WriteTemp("huge.textproto", "");
  std::filesystem::resize_file(huge, kMaxAlertModelBytes + 1);
  EXPECT_EQ(AlertModel::Load(huge).status().code(), absl::StatusCode::kResourceExhausted);
  std::remove(huge.c_str());
}

TEST(AlertModel, FromProtoChecksTheSameWay) {
  v1::AlertModel m;
  m.set_format_version(1);
  m.set_max_order(3);
  m.set_threshold(0.5f);
  v1::AlertModelClass* c = m.add_classes();
  c->set_action(v1::ALERT_ACTION_ALERT_110);
  c->set_category(v1::ALERT_CATEGORY_HAZARD);
  EXPECT_TRUE(AlertModel::FromProto(m).ok());
  m.add_ngrams()->set_ngram("\xff");
  EXPECT_EQ(AlertModel::FromProto(m).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace fengqiao::alert
