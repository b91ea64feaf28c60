// The alert assistant's speed: normalisation, scanning (Hyperscan and the RE2::Set, each compiled
// from the same rules in this binary, and the naive twin), the verdict (scan + decide, the >= 1 M
// messages/s target), the full decision (masking, evidence, reason), loading the rules, and
// compiling 5,000 rules (the <= 1 s target).
// Messages: the hard-case fixture and the texts of the labelled corpus's development split
// (group-chat lengths, 2-120 characters), cycled: a fixed set, so runs before and after a change
// of the rules compare on the same input.
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "alert/internal/pattern_forms.h"
#include "benchmark/benchmark.h"
#include "fengqiao/alert/alert_assistant.h"
#include "google/protobuf/util/json_util.h"
#include "internal/utf8.h"

namespace fengqiao::alert {
namespace {

// The shipped rules, or the folder named by $FENGQIAO_ALERT_RULES (to time another rule set on
// the same binary and messages, e.g. the rules of an earlier commit).
std::string Rules() {
  const char* dir = std::getenv("FENGQIAO_ALERT_RULES");
  return dir != nullptr && *dir != '\0' ? dir : FENGQIAO_SOURCE_DIR "/examples/data/alert/rules";
}

// The shipped rules compiled for `engine` (both engines run in the same binary on the same
// messages).
std::shared_ptr<const AlertAssistant> Assistant(ScanEngine engine = ScanEngine::kHyperscan) {
  static auto* hyperscan = new std::shared_ptr<const AlertAssistant>(
      *AlertAssistant::Load(Rules(), {}, {.engine = ScanEngine::kHyperscan}));
  static auto* re2_set = new std::shared_ptr<const AlertAssistant>(
      *AlertAssistant::Load(Rules(), {}, {.engine = ScanEngine::kRe2Set}));
  return engine == ScanEngine::kHyperscan ? *hyperscan : *re2_set;
}

// The shipped rules with the shipped model (Hyperscan).
std::shared_ptr<const AlertAssistant> AssistantWithModel() {
  static auto* assistant = new std::shared_ptr<const AlertAssistant>(
      *AlertAssistant::Load(Rules(), FENGQIAO_SOURCE_DIR "/examples/data/alert/model.textproto"));
  return *assistant;
}

const std::vector<std::string>& Messages() {
  static auto* messages = [] {
    auto* out = new std::vector<std::string>;
    std::ifstream in(FENGQIAO_SOURCE_DIR "/tests/alert/data/hard_cases.tsv");
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::vector<std::string> f = absl::StrSplit(line, '\t');
      if (f.size() == 5) out->push_back(f[4]);
    }
    std::ifstream dev(FENGQIAO_SOURCE_DIR "/examples/data/alert/corpus/dev.jsonl");
    while (std::getline(dev, line)) {
      v1::LabelledChatMessage m;
      if (google::protobuf::util::JsonStringToMessage(line, &m).ok()) out->push_back(m.text());
    }
    return out;
  }();
  return *messages;
}

void SetCounters(benchmark::State& state, size_t bytes) {
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes/msg"] = static_cast<double>(bytes) / Messages().size();
}

size_t TotalBytes() {
  size_t b = 0;
  for (const std::string& m : Messages()) b += m.size();
  return b;
}

void BM_Normalize(benchmark::State& state) {
  const auto& messages = Messages();
  const Normalizer& n = Assistant()->scanner().normalizer();
  NormalizedText out;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(n.Normalize(messages[i], &out));
    if (++i == messages.size()) i = 0;
  }
  SetCounters(state, TotalBytes());
}
BENCHMARK(BM_Normalize);

template <bool kNaive>
void ScanLoop(benchmark::State& state, ScanEngine engine) {
  const auto& messages = Messages();
  const MessageScanner& s = Assistant(engine)->scanner();
  NormalizedText out;
  std::vector<ScanHit> hits;
  size_t i = 0;
  for (auto _ : state) {
    (void)s.normalizer().Normalize(messages[i], &out);
    benchmark::DoNotOptimize(kNaive ? s.ScanNaive(out, &hits) : s.Scan(out, &hits));
    if (++i == messages.size()) i = 0;
  }
  SetCounters(state, TotalBytes());
  state.counters["rules"] = s.rules().rules_size();
}

// Normalise + one pass of the engine + the hit rules' own RE2 for their spans.
void BM_Scan(benchmark::State& state, ScanEngine engine) { ScanLoop<false>(state, engine); }
BENCHMARK_CAPTURE(BM_Scan, hyperscan, ScanEngine::kHyperscan);
BENCHMARK_CAPTURE(BM_Scan, re2_set, ScanEngine::kRe2Set);

// Normalise + every rule's RE2 one by one (the reference).
void BM_ScanNaive(benchmark::State& state) { ScanLoop<true>(state, ScanEngine::kHyperscan); }
BENCHMARK(BM_ScanNaive);

// Normalise + scan + decide: the verdict (action, category, department, deciding rule).
void BM_ScanAndDecide(benchmark::State& state, ScanEngine engine) {
  const auto& messages = Messages();
  const AlertAssistant& a = *Assistant(engine);
  AlertScratch scratch;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(a.Classify(messages[i], &scratch));
    if (++i == messages.size()) i = 0;
  }
  SetCounters(state, TotalBytes());
}
BENCHMARK_CAPTURE(BM_ScanAndDecide, hyperscan, ScanEngine::kHyperscan);
BENCHMARK_CAPTURE(BM_ScanAndDecide, re2_set, ScanEngine::kRe2Set);

// The same with the shipped model: asked about what no rule decides and, when the model sets an
// override_threshold (the shipped one does), about every message, since it may overrule a rule.
// The counter "model_share" is the share of verdicts no rule gave (no rule decided, or the model
// overrode it); on these messages, the dev split the rules were written from, few.
void BM_ScanAndDecideWithModel(benchmark::State& state) {
  const auto& messages = Messages();
  const AlertAssistant& a = *AssistantWithModel();
  AlertScratch scratch;
  size_t i = 0;
  int64_t by_model = 0, n = 0;
  for (auto _ : state) {
    absl::StatusOr<Verdict> v = a.Classify(messages[i], &scratch);
    by_model += v.ok() && v->rule < 0;
    ++n;
    benchmark::DoNotOptimize(v);
    if (++i == messages.size()) i = 0;
  }
  SetCounters(state, TotalBytes());
  state.counters["model_share"] = n == 0 ? 0 : static_cast<double>(by_model) / n;
}
BENCHMARK(BM_ScanAndDecideWithModel);

// The model alone on every message (normalised beforehand): its cost per message asked, the
// upper bound of what it adds to a verdict.
void BM_ModelPredict(benchmark::State& state) {
  const auto& messages = Messages();
  const AlertAssistant& a = *AssistantWithModel();
  std::vector<std::string> normalized;
  for (const std::string& m : messages) {
    normalized.push_back(a.scanner().normalizer().Normalize(m)->text);
  }
  ModelScratch scratch;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(a.model()->Predict(normalized[i], &scratch));
    if (++i == normalized.size()) i = 0;
  }
  SetCounters(state, TotalBytes());
}
BENCHMARK(BM_ModelPredict);

// The full decision as the assistant emits it: the proto with masked text, spans, snippets and
// the reason.
void BM_Decide(benchmark::State& state) {
  const auto& messages = Messages();
  const AlertAssistant& a = *Assistant();
  v1::ChatMessage m;
  size_t i = 0;
  for (auto _ : state) {
    m.set_text(messages[i]);
    benchmark::DoNotOptimize(a.Decide(m));
    if (++i == messages.size()) i = 0;
  }
  SetCounters(state, TotalBytes());
}
BENCHMARK(BM_Decide);

// Loading and compiling the shipped rules (files, validation, the engine's database, the t2s
// table).
void BM_LoadRules(benchmark::State& state, ScanEngine engine) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(AlertAssistant::Load(Rules(), {}, {.engine = engine}));
  }
}
BENCHMARK_CAPTURE(BM_LoadRules, hyperscan, ScanEngine::kHyperscan)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LoadRules, re2_set, ScanEngine::kRe2Set)->Unit(benchmark::kMillisecond);

// 5,000 rules in the shape of the shipped ones: each distinct top-level alternative of the
// shipped patterns (context and negation patterns included; 1,304 of them, 229 with a gap) is a
// rule's pattern, cycled; the c-th cycle puts the character U+4E00 + c in front of each, so
// every pattern is distinct.
v1::ScanRuleSet FiveThousandRules() {
  std::vector<std::string> alternatives;
  absl::flat_hash_set<std::string> seen;
  auto add = [&](const std::string& pattern) {
    for (const Alternative& alt : TopLevelAlternatives(pattern)) {
      if (!alt.text.empty() && seen.insert(alt.text).second) alternatives.push_back(alt.text);
    }
  };
  for (const v1::ScanRule& r : Assistant()->scanner().rules().rules()) {
    add(r.pattern());
    for (const std::string& c : r.context()) add(c);
    for (const std::string& u : r.unless()) add(u);
  }
  v1::ScanRuleSet rules;
  for (int i = 0; i < 5000; ++i) {
    const int cycle = i / static_cast<int>(alternatives.size());
    std::string prefix;
    if (cycle > 0) fengqiao::internal::AppendUtf8(0x4E00 + cycle, &prefix);
    v1::ScanRule* r = rules.add_rules();
    r->set_id(absl::StrCat("r", i));
    r->set_pattern(absl::StrCat(prefix, "(?:", alternatives[i % alternatives.size()], ")"));
    r->set_category(v1::ALERT_CATEGORY_FRAUD);
    r->set_action(v1::ALERT_ACTION_NOTIFY_COMMUNITY_POLICE);
  }
  return rules;
}

// Compiling 5,000 rules (validation, each rule's RE2, the engine's database): the issue's
// <= 1 s target.
void BM_Compile5000(benchmark::State& state, ScanEngine engine) {
  const v1::ScanRuleSet rules = FiveThousandRules();
  const std::shared_ptr<const Normalizer> normalizer = *Normalizer::Create();
  for (auto _ : state) {
    absl::StatusOr<std::shared_ptr<const MessageScanner>> s =
        MessageScanner::FromProto(rules, normalizer, {.engine = engine});
    if (!s.ok()) state.SkipWithError(std::string(s.status().message()).c_str());
    benchmark::DoNotOptimize(s);
  }
  state.counters["rules"] = rules.rules_size();
}
BENCHMARK_CAPTURE(BM_Compile5000, hyperscan, ScanEngine::kHyperscan)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK_CAPTURE(BM_Compile5000, re2_set, ScanEngine::kRe2Set)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace
}  // namespace fengqiao::alert
