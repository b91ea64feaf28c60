#include "store/internal/store_cipher.h"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/store/sqlite_case_store.h"
#include "internal/proto_files.h"

namespace fengqiao::store_internal {

absl::StatusOr<StoreCipher> StoreCipher::Create(absl::string_view key) {
  static_assert(kKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  if (key.size() != kKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("a store key is ", kKeyBytes, " bytes, not ", key.size()));
  }
  if (sodium_init() < 0) return absl::InternalError("libsodium could not be initialised");
  StoreCipher cipher;
  std::memcpy(cipher.key_.data(), key.data(), kKeyBytes);
  return cipher;
}

StoreCipher::~StoreCipher() { sodium_memzero(key_.data(), key_.size()); }

std::string StoreCipher::Seal(absl::string_view plain, absl::string_view place) const {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string out(kNonce + plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(bytes, kNonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      bytes + kNonce, &written, reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
      reinterpret_cast<const unsigned char*>(place.data()), place.size(), nullptr, bytes,
      key_.data());
  out.resize(kNonce + written);
  return out;
}

bool StoreCipher::Open(absl::string_view sealed, absl::string_view place,
                       std::string* plain) const {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < kNonce + kTag) return false;
  plain->assign(sealed.size() - kNonce - kTag, '\0');
  const auto* bytes = reinterpret_cast<const unsigned char*>(sealed.data());
  unsigned long long read = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain->data()), &read, nullptr, bytes + kNonce,
          sealed.size() - kNonce, reinterpret_cast<const unsigned char*>(place.data()),
          place.size(), bytes, key_.data()) != 0) {
    plain->clear();
    return false;
  }
  plain->resize(read);
  return true;
}

std::string StoreCipher::KeyedDigest(absl::string_view bytes) const {
  std::string out(16, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                     key_.data(), key_.size());
  return out;
}

}  // namespace fengqiao::store_internal

namespace fengqiao {
namespace {

// 64 hex digits -> 32 bytes; `source` names where they came from in errors (never the value).
absl::StatusOr<std::string> KeyFromHex(absl::string_view text, absl::string_view source) {
  text = absl::StripAsciiWhitespace(text);
  constexpr size_t kDigits = 2 * store_internal::StoreCipher::kKeyBytes;
  if (text.size() != kDigits ||
      !std::all_of(text.begin(), text.end(), [](char c) { return absl::ascii_isxdigit(c); })) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": a store key is ", kDigits,
                                                   " hex digits (e.g. from `head -c 32 "
                                                   "/dev/urandom | od -An -tx1 | tr -d ' \\n'`)"));
  }
  return absl::HexStringToBytes(text);
}

}  // namespace

absl::StatusOr<std::string> ReadStoreKeyFile(absl::string_view path) {
  struct stat st;
  const std::string p(path);
  if (::stat(p.c_str(), &st) != 0) {
    return absl::NotFoundError(absl::StrCat(path, ": no such key file"));
  }
  if (S_ISREG(st.st_mode) && (st.st_mode & 077) != 0) {
    return absl::PermissionDeniedError(absl::StrCat(
        path, ": a key file must be readable by its owner only (chmod 600 ", path, ")"));
  }
  std::string content;
  FENGQIAO_RETURN_IF_ERROR(internal::ReadFile(path, &content, 4096));
  return KeyFromHex(content, path);
}

absl::StatusOr<std::string> StoreKeyFromEnvironment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return absl::NotFoundError(absl::StrCat(name, " is not set"));
  return KeyFromHex(value, name);
}

}  // namespace fengqiao
