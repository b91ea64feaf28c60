// Internal: a digest of a protobuf message that is stable across processes and builds (absl::Hash
// is seeded per process): FNV-1a 64 over the message's deterministic serialisation.
#ifndef FENGQIAO_SRC_INTERNAL_DIGEST_H_
#define FENGQIAO_SRC_INTERNAL_DIGEST_H_

#include <cstdint>
#include <string>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message_lite.h"

namespace fengqiao::internal {

// FNV-1a's 64-bit offset basis.
inline constexpr uint64_t kFnvOffsetBasis = 14695981039346656037ull;

inline uint64_t MessageDigest(const google::protobuf::MessageLite& message,
                              uint64_t offset_basis = kFnvOffsetBasis) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&out);
  }
  uint64_t h = offset_basis;
  for (const unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace fengqiao::internal

#endif  // FENGQIAO_SRC_INTERNAL_DIGEST_H_
