// The alert assistant's speed: normalisation, scanning (RE2::Set vs the naive twin), the verdict
// (scan + decide, the >= 1 M messages/s target), the full decision (masking, evidence, reason).
// Messages: the hard-case fixture and the texts of the labelled corpus's development split
// (group-chat lengths, 2-120 characters), cycled: a fixed set, so runs before and after a change
// of the rules compare on the same input.
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "benchmark/benchmark.h"
#include "fengqiao/alert/alert_assistant.h"
#include "google/protobuf/util/json_util.h"

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

}  // namespace
}  // namespace fengqiao::alert
