// File: fengqiao/alert/normalizer.h
// The Normalizer turns a chat message into the text the scanning rules match, so that evasions
// do not work: traditional -> simplified characters (OpenCC's t2s; the variant 帐 folded to 账,
// as in 帐户 / 账户), full-width -> half-width,
// ASCII lower case, zero-width characters and variation selectors dropped, spaces and symbols
// inserted between two CJK characters removed (刷 单, 贷-款, 刷*单, 刷😀单 -> 刷单), and common
// pinyin abbreviations standing alone expanded (yhk -> 银行卡, sfz -> 身份证, zfb -> 支付宝,
// wx -> 微信 ...). Every byte of the normalised text remembers the bytes of the original it came
// from, so a match in the normalised text maps back to a span of the message as sent.
//
//   #include "fengqiao/alert/normalizer.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::alert::Normalizer> normalizer,
//                             fengqiao::alert::Normalizer::Create());
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::alert::NormalizedText n,
//                             normalizer->Normalize("帳戶凍結,請加 WX 刷*单"));
//   // n.text == "账户冻结,请加微信刷单"
//   fengqiao::alert::Span s = n.ToOriginal(n.text.find("微信"), n.text.find("微信") + 6);
//   // the original bytes [s.begin, s.end) are "WX"
//   if (n.text != "账户冻结,请加微信刷单" || s.end - s.begin != 2) {
//     return absl::InternalError("unexpected normalisation");
//   }
//
// Thread safety: a Normalizer is immutable after Create; Normalize is safe from any thread
// (the OpenCC handle, used per message only with phrase_conversion, is behind a mutex).
// Errors: Create returns NotFound when the OpenCC configuration cannot be opened, InvalidArgument
// for a bad abbreviation table. Normalize returns InvalidArgument for text that is not UTF-8 (it
// names the byte offset, never the text) and OutOfRange for text over
// NormalizerOptions::max_input_bytes; it never crashes on any input.
#ifndef FENGQIAO_ALERT_NORMALIZER_H_
#define FENGQIAO_ALERT_NORMALIZER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace fengqiao::alert {

// A byte range [begin, end) of the original message.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  friend bool operator==(const Span& a, const Span& b) {
    return a.begin == b.begin && a.end == b.end;
  }
};

// The normalised text and, for every byte of it, the original bytes it came from.
struct NormalizedText {
  std::string text;
  // origin[i] is the span of the original that produced byte i of `text` (one codepoint of the
  // original, or a whole abbreviation such as "yhk").
  std::vector<Span> origin;
  // Length of the original message in bytes.
  uint32_t original_size = 0;

  // The original span covering normalised bytes [begin, end); an empty range maps to an empty
  // span at the corresponding place. Out-of-range arguments are clamped.
  Span ToOriginal(size_t begin, size_t end) const;
};

struct NormalizerOptions {
  // Longer messages are refused with OutOfRange (a WeChat message holds at most a few thousand
  // characters; 64 KiB bounds the work per message).
  size_t max_input_bytes = 64 * 1024;
  // Traditional -> simplified with OpenCC. Characters go through a one-character table built at
  // Create by converting every CJK ideograph with OpenCC (about 2,700 differ).
  bool traditional_to_simplified = true;
  // Also run OpenCC's phrase conversion on each message holding a traditional character (乾 -> 干
  // or 乾 by context), kept when it preserves the number of characters. Off by default: a call
  // costs tens of microseconds, and the rules match the same text either way in every case we
  // know of.
  bool phrase_conversion = false;
  // The OpenCC configuration: a file name looked up in OpenCC's data directory
  // (/usr/share/opencc), or a path.
  std::string opencc_config = "t2s.json";
  // Pinyin abbreviations (lower-case ASCII letters) and what they expand to, when they stand
  // alone (not inside a longer run of Latin letters). Empty: the built-in table
  // (DefaultAbbreviations()).
  std::vector<std::pair<std::string, std::string>> abbreviations;
};

// The built-in abbreviation table: yhk 银行卡, sfz 身份证, zfb 支付宝, wx / vx 微信, yzm 验证码 ...
const std::vector<std::pair<std::string, std::string>>& DefaultAbbreviations();

class Normalizer {
 public:
  static absl::StatusOr<std::shared_ptr<const Normalizer>> Create(NormalizerOptions options = {});

  Normalizer(const Normalizer&) = delete;
  Normalizer& operator=(const Normalizer&) = delete;
  ~Normalizer();

  absl::StatusOr<NormalizedText> Normalize(absl::string_view text) const;
  // The same, reusing `out`'s buffers (the fast path for batches). On error `out` is empty.
  absl::Status Normalize(absl::string_view text, NormalizedText* out) const;

  // Whether `codepoint` is a traditional character that t2s changes (a one-character lookup).
  bool IsTraditional(char32_t codepoint) const;

  const NormalizerOptions& options() const { return options_; }

  struct Impl;

 private:
  explicit Normalizer(NormalizerOptions options);
  NormalizerOptions options_;
  std::unique_ptr<Impl> impl_;
};

// Whether `codepoint` is a CJK ideograph (the ranges separators are removed between).
bool IsHan(char32_t codepoint);

}  // namespace fengqiao::alert

#endif  // FENGQIAO_ALERT_NORMALIZER_H_
