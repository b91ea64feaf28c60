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

std::shared_ptr<const AlertAssistant> Assistant() {
  static auto* a = new std::shared_ptr<const AlertAssistant>(*AlertAssistant::Load(Rules()));
  return *a;
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
void ScanLoop(benchmark::State& state) {
  const auto& messages = Messages();
  const MessageScanner& s = Assistant()->scanner();
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

// Normalise + one RE2::Set pass + the hit rules' own RE2 for their spans.
void BM_Scan(benchmark::State& state) { ScanLoop<false>(state); }
BENCHMARK(BM_Scan);

// Normalise + every rule's RE2 one by one (the reference).
void BM_ScanNaive(benchmark::State& state) { ScanLoop<true>(state); }
BENCHMARK(BM_ScanNaive);

// Normalise + scan + decide: the verdict (action, category, department, deciding rule).
void BM_ScanAndDecide(benchmark::State& state) {
  const auto& messages = Messages();
  const AlertAssistant& a = *Assistant();
  AlertScratch scratch;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(a.Classify(messages[i], &scratch));
    if (++i == messages.size()) i = 0;
  }
  SetCounters(state, TotalBytes());
}
BENCHMARK(BM_ScanAndDecide);

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

// Loading and compiling the shipped rules (files, validation, one RE2::Set, the t2s table).
void BM_LoadRules(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(AlertAssistant::Load(Rules()));
}
BENCHMARK(BM_LoadRules)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace fengqiao::alert
