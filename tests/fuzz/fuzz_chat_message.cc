// Chat messages (any bytes) through the alert assistant with the shipped rules. Invariants: a
// decision is deterministic, and its masked text holds no mainland mobile number (a run of
// exactly 11 digits starting 13..19; a longer run of digits is not a phone number).
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
  const std::string& masked = first->masked_text();
  for (size_t i = 0; i < masked.size();) {
    if (!std::isdigit(static_cast<unsigned char>(masked[i]))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < masked.size() && std::isdigit(static_cast<unsigned char>(masked[j]))) ++j;
    FQ_FUZZ_CHECK(!(j - i == 11 && masked[i] == '1' && masked[i + 1] >= '3'),
                  "a mobile number in the masked text");
    i = j;
  }
  return 0;
}
