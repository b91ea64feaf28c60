// File: fengqiao/alert/masking.h
// Masking of personal data in what the alert assistant emits, through the personal-data module's
// one free-text scan (fengqiao::FindPersonalText, privacy/masking.h): mobile phone numbers keep
// their first 3 and last 4 digits (138****5678), ID numbers their first 6 and last 4
// (330902********123X), bank cards their first 4 and last 4, plates their first 3 and last 2, and
// the name after "我叫" its first character (我叫王**). Digits may be half- or full-width and
// grouped with single spaces or hyphens (138-0000-5678); each masked character becomes one '*'.
// What this header adds is the alert's view of it: spans, and excerpts of evidence masked inside.
//
//   #include "fengqiao/alert/masking.h"
//   std::string masked = fengqiao::alert::MaskPersonalData("我叫王小明,电话13800005678");
//   if (masked != "我叫王**,电话138****5678") return absl::InternalError(masked);
//
// Thread safety: pure functions, safe from any thread.
// Errors: none; bytes that are not UTF-8 are copied as '?' (the functions never fail).
#ifndef FENGQIAO_ALERT_MASKING_H_
#define FENGQIAO_ALERT_MASKING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "fengqiao/alert/normalizer.h"

namespace fengqiao::alert {

// The characters of `text` to mask (fengqiao::FindPersonalText), each a byte range of one
// character, in order.
std::vector<Span> FindPersonalData(absl::string_view text);

// `text` with every character FindPersonalData returns replaced by '*'.
std::string MaskPersonalData(absl::string_view text);

// Bytes [span.begin, span.end) of `text` (widened to whole characters), with the characters in
// `masked` (from FindPersonalData(text)) replaced by '*'.
std::string MaskedExcerpt(absl::string_view text, Span span, const std::vector<Span>& masked);

}  // namespace fengqiao::alert

#endif  // FENGQIAO_ALERT_MASKING_H_
