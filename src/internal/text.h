// Internal: text helpers: padding for terminal tables (CJK characters take two columns) and
// escaping for markup (HTML pages, XML documents).
//
// fmt (9 and later) already pads by display width: `fmt::format("{:<10}", "中文")` is "中文"
// and six spaces, because fmt counts East Asian wide characters (CJK ideographs, Hangul, kana,
// full-width forms) as two columns (tests/cli/table_width_test.cc proves it on the names our
// tables print). New code writes `{:<N}` directly; PadRight remains for callers that build text
// with absl::StrAppend (the CompStat formatter) and is fmt underneath.
#ifndef FENGQIAO_SRC_INTERNAL_TEXT_H_
#define FENGQIAO_SRC_INTERNAL_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "fmt/core.h"

namespace fengqiao::internal {

// `s` followed by spaces up to `width` display columns (unchanged when already wider).
inline std::string PadRight(absl::string_view s, size_t width) {
  return fmt::format("{:<{}}", std::string_view(s.data(), s.size()), width);
}

// `s` with the five characters that are markup in HTML and XML (& < > " ') escaped as entities,
// for text and attribute values.
inline std::string MarkupEscape(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace fengqiao::internal

#endif  // FENGQIAO_SRC_INTERNAL_TEXT_H_
