// Chat messages (any bytes) through the alert assistant with the shipped rules. Invariants: a
// decision is deterministic, and its masked text holds no mainland mobile number (a run of
// exactly 11 digits, ASCII or full-width, starting 13..19; a longer run is not a phone number).
#include <cctype>
#include <cstdint>
#include <string>

#include "fengqiao/alert/alert_assistant.h"
#include "fuzz_common.h"
#include "google/protobuf/util/message_differencer.h"

namespace {

const fengqiao::alert::AlertAssistant& Assistant() {
  static const std::shared_ptr<const fengqiao::alert::AlertAssistant> assistant = [] {
    auto loaded =
        fengqiao::alert::AlertAssistant::Load(FENGQIAO_SOURCE_DIR "/examples/data/alert/rules");
    if (!loaded.ok()) fengqiao::fuzz::Violated("the shipped alert rules load");
    return *loaded;
  }();
  return *assistant;
}

// The byte length of the digit at `i`: 1 for 0-9, 3 for a full-width ０-９ (U+FF10..U+FF19,
// EF BC 90..99), 0 for anything else.
size_t DigitWidth(const std::string& s, size_t i) {
  if (std::isdigit(static_cast<unsigned char>(s[i]))) return 1;
  if (i + 2 < s.size() && s[i] == '\xEF' && s[i + 1] == '\xBC' && s[i + 2] >= '\x90' &&
      s[i + 2] <= '\x99') {
    return 3;
  }
  return 0;
}

}  // namespace

// Loading the rules is not part of any input's time.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)Assistant();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fengqiao::alert::AlertAssistant* assistant = &Assistant();
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<fengqiao::v1::AlertDecision> first = assistant->Decide(text);
  absl::StatusOr<fengqiao::v1::AlertDecision> second = assistant->Decide(text);
  FQ_FUZZ_CHECK(first.ok() == second.ok());
  if (!first.ok()) return 0;
  FQ_FUZZ_CHECK(google::protobuf::util::MessageDifferencer::Equals(*first, *second));
  // Runs of digits, ASCII or full-width (０..９, as the assistant reads them: "1380013800０" is
  // twelve digits, not a phone number and a stray character).
  const std::string& masked = first->masked_text();
  std::string run;  // the current run's digits, as ASCII
  auto check_run = [&run] {
    FQ_FUZZ_CHECK(!(run.size() == 11 && run[0] == '1' && run[1] >= '3'),
                  "a mobile number in the masked text");
    run.clear();
  };
  for (size_t i = 0; i < masked.size();) {
    const size_t width = DigitWidth(masked, i);
    if (width == 0) {
      check_run();
      ++i;
      continue;
    }
    run.push_back(width == 1 ? masked[i] : static_cast<char>('0' + (masked[i + 2] - '\x90')));
    i += width;
  }
  check_run();
  return 0;
}
