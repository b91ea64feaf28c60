// Chat messages (any bytes) through the alert assistant with the shipped rules. Invariants: a
// decision is deterministic, and its masked text holds no run of 11 digits (a phone number).
#include <cctype>
#include <cstdint>
#include <string>

#include "fengqiao/alert/alert_assistant.h"
#include "fuzz_common.h"
#include "google/protobuf/util/message_differencer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::shared_ptr<const fengqiao::alert::AlertAssistant> assistant = [] {
    auto loaded =
        fengqiao::alert::AlertAssistant::Load(FENGQIAO_SOURCE_DIR "/examples/data/alert/rules");
    if (!loaded.ok()) fengqiao::fuzz::Violated("the shipped alert rules load");
    return *loaded;
  }();
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<fengqiao::v1::AlertDecision> first = assistant->Decide(text);
  absl::StatusOr<fengqiao::v1::AlertDecision> second = assistant->Decide(text);
  FQ_FUZZ_CHECK(first.ok() == second.ok());
  if (!first.ok()) return 0;
  FQ_FUZZ_CHECK(google::protobuf::util::MessageDifferencer::Equals(*first, *second));
  int digits = 0;
  for (const char c : first->masked_text()) {
    digits = std::isdigit(static_cast<unsigned char>(c)) ? digits + 1 : 0;
    FQ_FUZZ_CHECK(digits < 11, "an 11-digit run in the masked text");
  }
  return 0;
}
