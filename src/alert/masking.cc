#include "fengqiao/alert/masking.h"

#include <algorithm>

#include "fengqiao/privacy/masking.h"

#include "internal/utf8.h"

namespace fengqiao::alert {

std::vector<Span> FindPersonalData(absl::string_view text) {
  std::vector<Span> out;
  for (const PersonalChar& c : FindPersonalText(text)) out.push_back({c.begin, c.end});
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
    const int32_t cp = fengqiao::internal::DecodeUtf8(text, i, &len);
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
