#include "fengqiao/alert/masking.h"

#include <algorithm>

#include "alert/internal/utf8.h"

namespace fengqiao::alert {

namespace {

struct Char {
  char32_t cp;
  Span at;
};

int DigitValue(char32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 0xFF10 && c <= 0xFF19) return static_cast<int>(c - 0xFF10);
  return -1;
}

bool IsCheckX(char32_t c) { return c == 'X' || c == 'x' || c == 0xFF38 || c == 0xFF58; }

std::vector<Char> Decode(absl::string_view text) {
  std::vector<Char> out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    int len = 1;
    int32_t cp = internal::DecodeUtf8(text, i, &len);
    if (cp < 0) {
      cp = '?';
      len = 1;
    }
    out.push_back(
        {static_cast<char32_t>(cp), {static_cast<uint32_t>(i), static_cast<uint32_t>(i + len)}});
    i += len;
  }
  return out;
}

// Masks a run of digits (positions into `chars`) by its length: which to keep at each end.
bool MaskDigits(const std::vector<Char>& chars, const std::vector<size_t>& digits,
                std::vector<Span>* out) {
  const size_t d = digits.size();
  size_t keep_head = 0;
  size_t keep_tail = 0;
  if (d == 11 && DigitValue(chars[digits[0]].cp) == 1 && DigitValue(chars[digits[1]].cp) >= 3) {
    keep_head = 3, keep_tail = 4;  // mobile phone
  } else if (d == 18 || d == 15) {
    keep_head = 6, keep_tail = d == 18 ? 4 : 3;  // ID number
  } else if (d >= 16 && d <= 19) {
    keep_head = 4, keep_tail = 4;  // bank card
  } else if (d >= 12 && d <= 14) {
    keep_head = 3, keep_tail = 4;  // some other long account number
  } else {
    return false;
  }
  for (size_t k = keep_head; k + keep_tail < d; ++k) out->push_back(chars[digits[k]].at);
  return true;
}

bool IsHanChar(char32_t c) { return IsHan(c); }

// Words after "我叫" that are not names (我叫了救护车, 我叫他过来).
bool StartsNonName(char32_t c) {
  static constexpr char32_t kStops[] = {U'了', U'过', U'着', U'你', U'他', U'她', U'它',
                                        U'人', U'车', U'外', U'警', U'救', U'不', U'来',
                                        U'去', U'醒', U'们', U'的', U'什', U'啥'};
  return std::find(std::begin(kStops), std::end(kStops), c) != std::end(kStops);
}

}  // namespace

std::vector<Span> FindPersonalData(absl::string_view text) {
  const std::vector<Char> chars = Decode(text);
  std::vector<Span> out;
  std::vector<size_t> digits;
  for (size_t i = 0; i < chars.size();) {
    if (DigitValue(chars[i].cp) < 0) {
      // A name after 我叫: up to three CJK characters, the first kept.
      if (chars[i].cp == U'我' && i + 1 < chars.size() && chars[i + 1].cp == U'叫') {
        size_t j = i + 2;
        while (j < chars.size() && (chars[j].cp == ' ' || chars[j].cp == 0x3000)) ++j;
        if (j < chars.size() && IsHanChar(chars[j].cp) && !StartsNonName(chars[j].cp)) {
          size_t k = j + 1;
          while (k < chars.size() && k < j + 3 && IsHanChar(chars[k].cp)) {
            out.push_back(chars[k].at);
            ++k;
          }
          i = k;
          continue;
        }
      }
      ++i;
      continue;
    }
    // A run of digits, single spaces or hyphens allowed between them, an X allowed last.
    digits.clear();
    std::vector<size_t> segment_starts = {0};  // indices into `digits` where a group begins
    size_t j = i;
    while (j < chars.size()) {
      if (DigitValue(chars[j].cp) >= 0) {
        digits.push_back(j++);
      } else if ((chars[j].cp == ' ' || chars[j].cp == '-') && j + 1 < chars.size() &&
                 DigitValue(chars[j + 1].cp) >= 0) {
        segment_starts.push_back(digits.size());
        ++j;
      } else {
        break;
      }
    }
    if (digits.size() == 17 && j < chars.size() && IsCheckX(chars[j].cp)) digits.push_back(j++);
    // The whole run as one number ("139 1234 5678"); when it is none of the kinds, each group on
    // its own (a phone number followed by other digits: "13912345678 0000 1234", found by the
    // fuzzer).
    if (!MaskDigits(chars, digits, &out) && segment_starts.size() > 1) {
      segment_starts.push_back(digits.size());
      for (size_t g = 0; g + 1 < segment_starts.size(); ++g) {
        const std::vector<size_t> group(digits.begin() + segment_starts[g],
                                        digits.begin() + segment_starts[g + 1]);
        MaskDigits(chars, group, &out);
      }
    }
    i = j;
  }
  std::sort(out.begin(), out.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  return out;
}

std::string MaskedExcerpt(absl::string_view text, Span span, const std::vector<Span>& masked) {
  std::string out;
  const uint32_t size = static_cast<uint32_t>(text.size());
  uint32_t begin = std::min(span.begin, size);
  const uint32_t end = std::min(std::max(span.end, begin), size);
  // Widen to character boundaries.
  while (begin > 0 && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) --begin;
  auto it = std::lower_bound(masked.begin(), masked.end(), begin,
                             [](const Span& s, uint32_t b) { return s.begin < b; });
  for (uint32_t i = begin; i < end;) {
    int len = 1;
    const int32_t cp = internal::DecodeUtf8(text, i, &len);
    if (cp < 0) len = 1;
    while (it != masked.end() && it->begin < i) ++it;
    if (it != masked.end() && it->begin == i) {
      out.push_back('*');
    } else if (cp < 0) {
      out.push_back('?');
    } else {
      out.append(text.data() + i, len);
    }
    i += len;
  }
  return out;
}

std::string MaskPersonalData(absl::string_view text) {
  return MaskedExcerpt(text, {0, static_cast<uint32_t>(text.size())}, FindPersonalData(text));
}

}  // namespace fengqiao::alert
