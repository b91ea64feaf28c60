// Internal: the SQLite store's encryption at rest. Every blob (a case header, an event, an audit
// record, the key check) is sealed with XChaCha20-Poly1305 (libsodium) under the store's key, a
// random nonce per blob, and the blob's place (table, case id, seq) as associated data, so a blob
// copied to another place, altered or opened with another key fails to open.
#ifndef FENGQIAO_SRC_STORE_INTERNAL_STORE_CIPHER_H_
#define FENGQIAO_SRC_STORE_INTERNAL_STORE_CIPHER_H_

#include <array>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace fengqiao::store_internal {

class StoreCipher {
 public:
  static constexpr size_t kKeyBytes = 32;

  // InvalidArgument unless `key` is kKeyBytes bytes; Internal when libsodium cannot start.
  static absl::StatusOr<StoreCipher> Create(absl::string_view key);
  StoreCipher(const StoreCipher& other) = default;
  StoreCipher& operator=(const StoreCipher& other) = default;
  ~StoreCipher();

  // nonce || ciphertext || tag.
  std::string Seal(absl::string_view plain, absl::string_view place) const;
  // The plain bytes; false when the blob does not open (another key, another place, altered).
  bool Open(absl::string_view sealed, absl::string_view place, std::string* plain) const;
  // A 16-byte digest keyed with the store's key (BLAKE2b): lets the store compare values without
  // keeping a digest anyone could test guesses against.
  std::string KeyedDigest(absl::string_view bytes) const;

 private:
  StoreCipher() = default;
  std::array<unsigned char, kKeyBytes> key_{};
};

}  // namespace fengqiao::store_internal

#endif  // FENGQIAO_SRC_STORE_INTERNAL_STORE_CIPHER_H_
