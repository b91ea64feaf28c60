#include "fengqiao/alert/normalizer.h"

#include <opencc/opencc.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "internal/utf8.h"

namespace fengqiao::alert {

namespace {

using fengqiao::internal::AppendUtf8;
using fengqiao::internal::DecodeUtf8;

// One codepoint of the text being normalised and the original bytes it came from.
struct Item {
  char32_t cp;
  Span from;
};

bool IsAsciiLetter(char32_t c) { return c >= 'a' && c <= 'z'; }

// Dropped everywhere: zero-width characters, joiners, BOM, variation selectors.
bool IsInvisible(char32_t c) {
  return (c >= 0x200B && c <= 0x200F) || c == 0x2060 || c == 0xFEFF ||
         (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

// Spaces, symbols and emoji people insert between characters to dodge keyword filters. Sentence
// punctuation (, . is kept: "." is not, ! ? ; : 、 。 and quotes are) stays: it delimits clauses.
bool IsSeparator(char32_t c) {
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0) return true;
  if (c < 0x80) {
    static constexpr absl::string_view kSymbols = "-*_.~|/\\+=#@^`'<>()[]{}&%$";
    return kSymbols.find(static_cast<char>(c)) != absl::string_view::npos;
  }
  return c == 0xB7 || c == 0x2022 || c == 0x30FB || c == 0x2026 || c == 0x2013 || c == 0x2014 ||
         c == 0x2027 || c == 0x00D7 || (c >= 0x2190 && c <= 0x21FF) ||
         (c >= 0x2500 && c <= 0x27BF) || (c >= 0x2B00 && c <= 0x2BFF) ||
         (c >= 0x1F000 && c <= 0x1FAFF);
}

char32_t FoldWidthAndCase(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;
  if (c == 0x3000) c = ' ';
  if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
  return c;
}

// Simplified variants that t2s keeps apart but scam texts use interchangeably: 帐户 / 账户
// (OpenCC turns 帳戶 into 帐户).
char32_t FoldVariant(char32_t c) { return c == U'帐' ? U'账' : c; }

std::string ConvertWithOpenCC(opencc_t cc, const std::string& in, bool* ok) {
  char* out = opencc_convert_utf8(cc, in.data(), in.size());
  if (out == nullptr) {
    *ok = false;
    return "";
  }
  std::string result(out);
  opencc_convert_utf8_free(out);
  *ok = true;
  return result;
}

// Writes `item` as UTF-8 at text[*n] and its origin at origin[*n] (both sized for it), advancing
// *n.
void Emit(const Item& item, char* text, Span* origin, size_t* n) {
  const char32_t cp = item.cp;
  char* t = text + *n;
  int len;
  if (cp < 0x80) {
    t[0] = static_cast<char>(cp);
    len = 1;
  } else if (cp < 0x800) {
    t[0] = static_cast<char>(0xC0 | (cp >> 6));
    t[1] = static_cast<char>(0x80 | (cp & 0x3F));
    len = 2;
  } else if (cp < 0x10000) {
    t[0] = static_cast<char>(0xE0 | (cp >> 12));
    t[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    t[2] = static_cast<char>(0x80 | (cp & 0x3F));
    len = 3;
  } else {
    t[0] = static_cast<char>(0xF0 | (cp >> 18));
    t[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    t[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    t[3] = static_cast<char>(0x80 | (cp & 0x3F));
    len = 4;
  }
  for (int b = 0; b < len; ++b) origin[*n + b] = item.from;
  *n += len;
}

bool DecodeAll(absl::string_view s, std::vector<char32_t>* out) {
  out->clear();
  for (size_t i = 0; i < s.size();) {
    int len = 0;
    const int32_t cp = DecodeUtf8(s, i, &len);
    if (cp < 0) return false;
    out->push_back(static_cast<char32_t>(cp));
    i += len;
  }
  return true;
}

}  // namespace

bool IsHan(char32_t c) { return fengqiao::internal::IsHan(c); }

const std::vector<std::pair<std::string, std::string>>& DefaultAbbreviations() {
  static const auto* table = new std::vector<std::pair<std::string, std::string>>{
      {"yhk", "银行卡"},    {"sfz", "身份证"},  {"zfb", "支付宝"},  {"wx", "微信"},
      {"vx", "微信"},       {"weixin", "微信"}, {"wechat", "微信"}, {"zhifubao", "支付宝"},
      {"alipay", "支付宝"}, {"yzm", "验证码"},  {"dk", "贷款"},     {"sd", "刷单"},
      {"zz", "转账"},       {"fl", "返利"},     {"kf", "客服"},     {"jz", "兼职"},
      {"jzz", "居住证"},    {"hkb", "户口本"},  {"jsz", "驾驶证"},  {"xyk", "信用卡"},
      {"zh", "账户"},       {"mm", "密码"},     {"bc", "博彩"},     {"rq", "燃气"},
      {"ranqi", "燃气"},    {"du", "赌"},       {"yl", "银联"},     {"ta", "他"},
      {"wfz", "无犯罪"},    {"dd", "电动"},     {"zf", "政府"},
  };
  return *table;
}

struct Normalizer::Impl {
  absl::flat_hash_map<char32_t, char32_t> t2s;  // one-character conversions
  // One bit per codepoint below kBitmapEnd: whether t2s holds it (the hash lookup is paid only
  // for traditional characters).
  static constexpr char32_t kBitmapEnd = 0x10000;
  std::vector<uint64_t> traditional_bits = std::vector<uint64_t>(kBitmapEnd / 64, 0);
  bool Traditional(char32_t c) const {
    return c < kBitmapEnd && ((traditional_bits[c >> 6] >> (c & 63)) & 1) != 0;
  }
  absl::flat_hash_map<std::string, std::u32string> abbreviations;
  size_t longest_abbreviation = 0;
  opencc_t cc = reinterpret_cast<opencc_t>(-1);
  std::mutex cc_mu;
};

Normalizer::Normalizer(NormalizerOptions options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>()) {}

Normalizer::~Normalizer() {
  if (impl_ && impl_->cc != reinterpret_cast<opencc_t>(-1)) opencc_close(impl_->cc);
}

absl::StatusOr<std::shared_ptr<const Normalizer>> Normalizer::Create(NormalizerOptions options) {
  std::shared_ptr<Normalizer> n(new Normalizer(std::move(options)));
  Impl& impl = *n->impl_;
  const auto& table =
      n->options_.abbreviations.empty() ? DefaultAbbreviations() : n->options_.abbreviations;
  for (size_t i = 0; i < table.size(); ++i) {
    const auto& [abbr, expansion] = table[i];
    if (abbr.empty() ||
        !std::all_of(abbr.begin(), abbr.end(), [](char c) { return IsAsciiLetter(c); })) {
      return absl::InvalidArgumentError(absl::StrCat(
          "abbreviations[", i, "]: the abbreviation must be lower-case ASCII letters"));
    }
    std::vector<char32_t> cps;
    if (expansion.empty() || !DecodeAll(expansion, &cps)) {
      return absl::InvalidArgumentError(
          absl::StrCat("abbreviations[", i, "]: the expansion must be non-empty UTF-8"));
    }
    if (!impl.abbreviations.emplace(abbr, std::u32string(cps.begin(), cps.end())).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("abbreviations[", i, "]: \"", abbr, "\" appears twice"));
    }
    impl.longest_abbreviation = std::max(impl.longest_abbreviation, abbr.size());
  }
  if (!n->options_.traditional_to_simplified) return std::shared_ptr<const Normalizer>(n);

  impl.cc = opencc_open(n->options_.opencc_config.c_str());
  if (impl.cc == reinterpret_cast<opencc_t>(-1)) {
    return absl::NotFoundError(absl::StrCat("cannot open the OpenCC configuration \"",
                                            n->options_.opencc_config, "\": ", opencc_error()));
  }
  // The one-character table: every ideograph of the basic, extension A and compatibility blocks
  // converted in one call, one per line.
  std::string all;
  std::vector<char32_t> probes;
  for (auto [lo, hi] :
       {std::pair<char32_t, char32_t>{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}}) {
    for (char32_t c = lo; c <= hi; ++c) {
      AppendUtf8(c, &all);
      all.push_back('\n');
      probes.push_back(c);
    }
  }
  bool ok = false;
  const std::string converted = ConvertWithOpenCC(impl.cc, all, &ok);
  if (!ok) return absl::InternalError(absl::StrCat("OpenCC failed: ", opencc_error()));
  std::vector<char32_t> lines;
  size_t line = 0;
  size_t start = 0;
  for (size_t i = 0; i <= converted.size() && line < probes.size(); ++i) {
    if (i < converted.size() && converted[i] != '\n') continue;
    if (DecodeAll(absl::string_view(converted).substr(start, i - start), &lines) &&
        lines.size() == 1 && lines[0] != probes[line]) {
      impl.t2s.emplace(probes[line], lines[0]);
      impl.traditional_bits[probes[line] >> 6] |= uint64_t{1} << (probes[line] & 63);
    }
    ++line;
    start = i + 1;
  }
  if (line != probes.size()) {
    return absl::InternalError("OpenCC changed the number of lines of the character table");
  }
  return std::shared_ptr<const Normalizer>(n);
}

bool Normalizer::IsTraditional(char32_t c) const { return impl_->Traditional(c); }

absl::StatusOr<NormalizedText> Normalizer::Normalize(absl::string_view text) const {
  NormalizedText out;
  absl::Status s = Normalize(text, &out);
  if (!s.ok()) return s;
  return out;
}

absl::Status Normalizer::Normalize(absl::string_view text, NormalizedText* out) const {
  out->text.clear();
  out->origin.clear();
  out->original_size = 0;
  if (text.size() > options_.max_input_bytes) {
    return absl::OutOfRangeError(absl::StrCat(
        "message is ", text.size(), " bytes, over the limit of ", options_.max_input_bytes));
  }
  struct Buffers {
    std::vector<Item> items;
    std::vector<Item> expanded;
  };
  thread_local Buffers buffers;
  std::vector<Item>& items = buffers.items;
  items.clear();
  bool has_letters = false;
  bool has_traditional = false;
  // 1. Decode; full-width -> half-width; lower case; drop invisible characters; t2s per char.
  for (size_t i = 0; i < text.size();) {
    int len = 0;
    const int32_t raw = DecodeUtf8(text, i, &len);
    if (raw < 0) {
      return absl::InvalidArgumentError(absl::StrCat("message is not valid UTF-8 at byte ", i));
    }
    const Span from{static_cast<uint32_t>(i), static_cast<uint32_t>(i + len)};
    i += len;
    char32_t cp = FoldWidthAndCase(static_cast<char32_t>(raw));
    if (IsInvisible(cp)) continue;
    if (impl_->Traditional(cp)) {
      has_traditional = true;
      cp = impl_->t2s.find(cp)->second;
    }
    has_letters |= IsAsciiLetter(cp);
    items.push_back({FoldVariant(cp), from});
  }
  // Phrase-level conversion for messages holding traditional characters (乾 -> 干 / 乾 by
  // context), taken only when it keeps the number of codepoints, so offsets stay one-to-one.
  if (has_traditional && options_.phrase_conversion) {
    std::string folded;
    for (size_t k = 0; k < items.size(); ++k) {
      // Rebuild from the folded original codepoints (before the one-character table).
      int len = 0;
      const int32_t raw = DecodeUtf8(text, items[k].from.begin, &len);
      AppendUtf8(FoldWidthAndCase(static_cast<char32_t>(raw)), &folded);
    }
    bool ok = false;
    std::string converted;
    {
      std::lock_guard<std::mutex> lock(impl_->cc_mu);
      converted = ConvertWithOpenCC(impl_->cc, folded, &ok);
    }
    thread_local std::vector<char32_t> cps;
    if (ok && DecodeAll(converted, &cps) && cps.size() == items.size()) {
      for (size_t k = 0; k < items.size(); ++k) items[k].cp = FoldVariant(cps[k]);
    }
  }
  // 2. Pinyin abbreviations standing alone (a maximal run of Latin letters).
  std::vector<Item>& expanded = has_letters ? buffers.expanded : items;
  if (has_letters) expanded.clear();
  for (size_t k = 0; has_letters && k < items.size();) {
    if (!IsAsciiLetter(items[k].cp)) {
      expanded.push_back(items[k++]);
      continue;
    }
    size_t j = k;
    while (j < items.size() && IsAsciiLetter(items[j].cp)) ++j;
    const std::u32string* expansion = nullptr;
    if (j - k <= impl_->longest_abbreviation) {
      std::string key;
      for (size_t m = k; m < j; ++m) key.push_back(static_cast<char>(items[m].cp));
      if (auto it = impl_->abbreviations.find(key); it != impl_->abbreviations.end()) {
        expansion = &it->second;
      }
    }
    if (expansion != nullptr) {
      const Span from{items[k].from.begin, items[j - 1].from.end};
      for (char32_t c : *expansion) expanded.push_back({c, from});
    } else {
      for (size_t m = k; m < j; ++m) expanded.push_back(items[m]);
    }
    k = j;
  }
  // 3. Separators between two CJK characters removed; then encode with the offset map (sized
  // for every codepoint, trimmed after).
  size_t bytes = 0;
  for (const Item& item : expanded) bytes += internal::Utf8Length(item.cp);
  out->text.resize(bytes);
  out->origin.resize(bytes);
  char* const t = out->text.data();
  Span* const o = out->origin.data();
  size_t n = 0;
  for (size_t k = 0; k < expanded.size();) {
    if (IsSeparator(expanded[k].cp)) {
      size_t j = k;
      while (j < expanded.size() && IsSeparator(expanded[j].cp)) ++j;
      const bool between_han =
          k > 0 && j < expanded.size() && IsHan(expanded[k - 1].cp) && IsHan(expanded[j].cp);
      if (!between_han) {
        for (size_t m = k; m < j; ++m) Emit(expanded[m], t, o, &n);
      }
      k = j;
      continue;
    }
    Emit(expanded[k], t, o, &n);
    ++k;
  }
  out->text.resize(n);
  out->origin.resize(n);
  out->original_size = static_cast<uint32_t>(text.size());
  return absl::OkStatus();
}

Span NormalizedText::ToOriginal(size_t begin, size_t end) const {
  const size_t n = origin.size();
  begin = std::min(begin, n);
  end = std::min(std::max(end, begin), n);
  if (begin == end) {
    const uint32_t p = begin < n ? origin[begin].begin : original_size;
    return {p, p};
  }
  return {origin[begin].begin, origin[end - 1].end};
}

}  // namespace fengqiao::alert
