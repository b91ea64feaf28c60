#include "metrics/internal/partial_envelope.h"

#include "absl/strings/str_cat.h"
#include "fengqiao/v1/metrics.pb.h"

namespace fengqiao::metrics_internal {
namespace {

// FNV-1a 64: every single-byte change of an input of fixed length changes it (each step is a
// bijection of the state), so every single-bit flip of the payload is caught.
uint64_t Fnv1a64(uint64_t h, absl::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

uint64_t Checksum(uint32_t version, absl::string_view fingerprint, absl::string_view payload) {
  uint64_t h = 0xcbf29ce484222325ull;
  h = Fnv1a64(h, absl::StrCat(version, ":", fingerprint.size(), ":"));
  h = Fnv1a64(h, fingerprint);
  return Fnv1a64(h, payload);
}

}  // namespace

std::string SealPartial(uint32_t version, absl::string_view fingerprint,
                        absl::string_view payload) {
  v1::MetricsPartial partial;
  partial.set_format_version(version);
  partial.set_options_fingerprint(std::string(fingerprint));
  partial.set_payload(std::string(payload));
  partial.set_checksum(Checksum(version, fingerprint, payload));
  return partial.SerializeAsString();
}

absl::Status OpenPartial(absl::string_view data, uint32_t version, absl::string_view fingerprint,
                         absl::string_view what, std::string* payload) {
  auto malformed = [&](absl::string_view why) {
    return absl::DataLossError(absl::StrCat(what, ": partial result bytes are malformed: ", why));
  };
  v1::MetricsPartial partial;
  if (!partial.ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    return malformed("not a fengqiao.v1.MetricsPartial");
  }
  if (partial.checksum() !=
      Checksum(partial.format_version(), partial.options_fingerprint(), partial.payload())) {
    return malformed("checksum mismatch");
  }
  if (partial.format_version() != version) {
    return absl::DataLossError(absl::StrCat(what, ": partial result of format version ",
                                            partial.format_version(), "; this build reads ",
                                            version));
  }
  if (partial.options_fingerprint() != fingerprint) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": cannot merge partial results computed with different options or maps"));
  }
  *payload = std::move(*partial.mutable_payload());
  return absl::OkStatus();
}

}  // namespace fengqiao::metrics_internal
