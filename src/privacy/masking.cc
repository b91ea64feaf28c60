#include "fengqiao/privacy/masking.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/reflection.h"
#include "google/protobuf/stubs/common.h"
#include "re2/re2.h"

namespace fengqiao {
namespace {

namespace pb = google::protobuf;

// UTF-8 characters of `s` (each a view into s); empty when s is not valid UTF-8.
std::vector<absl::string_view> Chars(absl::string_view s, bool* valid) {
  std::vector<absl::string_view> out;
  *valid = pb::internal::IsStructurallyValidUTF8(s.data(), static_cast<int>(s.size()));
  if (!*valid) return out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

// Keeps `head` characters and `tail` characters, replacing the rest with one '*' each.
std::string KeepEnds(absl::string_view value, size_t head, size_t tail) {
  bool valid = false;
  const std::vector<absl::string_view> chars = Chars(value, &valid);
  if (!valid) return "***";
  if (chars.empty()) return "";
  if (head + tail >= chars.size()) {
    // Too short to keep both ends: keep the first character only (a 2-character name: 张*).
    head = std::min<size_t>(head, chars.size() > 1 ? 1 : 0);
    tail = 0;
  }
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i) {
    if (i < head || i >= chars.size() - tail) {
      absl::StrAppend(&out, chars[i]);
    } else {
      out.push_back('*');
    }
  }
  return out;
}

// The ASCII digits of a number written with spaces, dashes or brackets.
std::string Digits(absl::string_view value) {
  std::string digits;
  for (char c : value) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  return digits;
}

std::string MaskName(absl::string_view name) {
  bool valid = false;
  const size_t n = Chars(name, &valid).size();
  if (!valid) return "***";
  // 张* for two characters, 张*明 for three, 欧阳**明 for four.
  return n <= 2 ? KeepEnds(name, 1, 0) : KeepEnds(name, n >= 4 ? 2 : 1, 1);
}

std::string MaskAddress(absl::string_view address) {
  // Kept down to the building: everything after the first 幢 / 栋 / 号楼 is masked.
  for (absl::string_view marker : {"号楼", "幢", "栋"}) {
    const size_t at = address.find(marker);
    if (at != absl::string_view::npos) {
      const size_t keep = at + marker.size();
      return keep >= address.size() ? std::string(address)
                                    : absl::StrCat(address.substr(0, keep), "****");
    }
  }
  bool valid = false;
  const size_t n = Chars(address, &valid).size();
  if (!valid) return "***";
  return KeepEnds(address, n / 2, 0);
}

// The free-text patterns, most specific first (an ID number contains a phone-like run).
struct Pattern {
  v1::PersonalKind kind;
  const RE2* re;
};

const std::vector<Pattern>& FreeTextPatterns() {
  static const auto* patterns = [] {
    RE2::Options o;
    o.set_encoding(RE2::Options::EncodingUTF8);
    o.set_log_errors(false);
    auto* p = new std::vector<Pattern>{
        // Resident ID card: 17 digits and a digit or X, not inside a longer digit run.
        {v1::PERSONAL_KIND_ID_NUMBER,
         new RE2(R"((?:^|[^0-9])([1-9][0-9]{16}[0-9Xx])(?:$|[^0-9]))", o)},
        // Bank card: 16 to 19 digits, possibly in groups of four.
        {v1::PERSONAL_KIND_BANK_CARD,
         new RE2(R"((?:^|[^0-9])([3-6][0-9]{3}(?:[ -]?[0-9]{4}){2}[ -]?[0-9]{4,7})(?:$|[^0-9]))",
                 o)},
        // Mainland mobile: 1[3-9] and 9 more digits, possibly split 3-4-4.
        {v1::PERSONAL_KIND_PHONE,
         new RE2(R"((?:^|[^0-9])(1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4})(?:$|[^0-9]))", o)},
        // Vehicle plate: province, letter, 5 or 6 letters/digits.
        {v1::PERSONAL_KIND_PLATE,
         new RE2(
             R"(([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·• ]?[A-Z0-9]{5,6}))",
             o)},
        // A name after 我叫 / 我是 / 本人 / 名叫: two or three Chinese characters.
        {v1::PERSONAL_KIND_NAME, new RE2(R"((?:我叫|名叫|本人叫|本人)(\p{Han}{2,3}))", o)},
    };
    return p;
  }();
  return *patterns;
}

}  // namespace

std::string MaskValue(v1::PersonalKind kind, absl::string_view value) {
  switch (kind) {
    case v1::PERSONAL_KIND_NAME:
      return MaskName(value);
    case v1::PERSONAL_KIND_PHONE: {
      const std::string digits = Digits(value);
      // A mobile number keeps its network prefix and last four digits; any other number only
      // its last four.
      if (digits.size() == 11 && digits[0] == '1') return KeepEnds(digits, 3, 4);
      if (digits.size() > 4) return KeepEnds(digits, 0, 4);
      return KeepEnds(value, 0, 0);
    }
    case v1::PERSONAL_KIND_ID_NUMBER:
      return KeepEnds(value, 6, 4);
    case v1::PERSONAL_KIND_BANK_CARD: {
      const std::string digits = Digits(value);
      return digits.size() >= 12 ? KeepEnds(digits, 4, 4) : KeepEnds(value, 0, 0);
    }
    case v1::PERSONAL_KIND_ADDRESS:
      return MaskAddress(value);
    case v1::PERSONAL_KIND_PLATE: {
      // 浙L12345 -> 浙L1**45: province and letter, then the ends of the number.
      bool valid = false;
      const size_t n = Chars(value, &valid).size();
      if (!valid) return "***";
      return KeepEnds(value, n > 4 ? 3 : 1, n > 4 ? 2 : 0);
    }
    case v1::PERSONAL_KIND_FREE_TEXT:
      return MaskFreeText(value);
    case v1::PERSONAL_KIND_EMAIL: {
      const size_t at = value.find('@');
      if (at == absl::string_view::npos || at == 0) return KeepEnds(value, 0, 0);
      // The mailbox's first character when it is ASCII (the usual case), then the domain.
      const bool ascii = static_cast<unsigned char>(value[0]) < 0x80;
      return absl::StrCat(ascii ? value.substr(0, 1) : "*", "***", MaskFreeText(value.substr(at)));
    }
    default:
      return std::string(value);
  }
}

std::string MaskFreeText(absl::string_view text) {
  if (!pb::internal::IsStructurallyValidUTF8(text.data(), static_cast<int>(text.size()))) {
    return "***";
  }
  std::string out(text);
  for (const Pattern& p : FreeTextPatterns()) {
    std::string next;
    re2::StringPiece rest(out);
    re2::StringPiece match;
    size_t done = 0;
    // Replace each captured group, leaving the surrounding context (the anchors) untouched.
    while (RE2::PartialMatch(rest, *p.re, &match)) {
      const size_t at = static_cast<size_t>(match.data() - out.data());
      absl::StrAppend(&next, absl::string_view(out).substr(done, at - done),
                      MaskValue(p.kind, absl::string_view(match.data(), match.size())));
      done = at + match.size();
      rest = re2::StringPiece(out.data() + done, out.size() - done);
    }
    absl::StrAppend(&next, absl::string_view(out).substr(done));
    out = std::move(next);
  }
  return out;
}

v1::PersonalKind PersonalKindOf(const pb::FieldDescriptor* field) {
  return field->options().GetExtension(v1::personal);
}

void EditPersonalFields(pb::Message* message,
                        absl::FunctionRef<void(v1::PersonalKind, std::string&)> edit) {
  const pb::Descriptor* d = message->GetDescriptor();
  const pb::Reflection* r = message->GetReflection();
  std::string value;
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_map()) continue;  // maps of counters and labels hold no personal data
      if (f->is_repeated()) {
        for (int k = 0; k < r->FieldSize(*message, f); ++k) {
          EditPersonalFields(r->MutableRepeatedMessage(message, f, k), edit);
        }
      } else if (r->HasField(*message, f)) {
        EditPersonalFields(r->MutableMessage(message, f), edit);
      }
      continue;
    }
    if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING) continue;
    const v1::PersonalKind kind = PersonalKindOf(f);
    if (kind == v1::PERSONAL_KIND_UNSPECIFIED) continue;
    if (f->is_repeated()) {
      for (int k = 0; k < r->FieldSize(*message, f); ++k) {
        value = r->GetRepeatedString(*message, f, k);
        edit(kind, value);
        r->SetRepeatedString(message, f, k, value);
      }
    } else {
      value = r->GetString(*message, f);
      if (value.empty()) continue;
      edit(kind, value);
      r->SetString(message, f, value);
    }
  }
}

void MaskMessage(pb::Message* message, absl::Span<const v1::PersonalKind> only) {
  EditPersonalFields(message, [&](v1::PersonalKind kind, std::string& value) {
    if (!only.empty() && std::find(only.begin(), only.end(), kind) == only.end()) return;
    value = MaskValue(kind, value);
  });
}

void MaskMessage(pb::Message* message) { MaskMessage(message, {}); }

}  // namespace fengqiao
