#include "fengqiao/privacy/masking.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/reflection.h"
#include "google/protobuf/stubs/common.h"
#include "internal/utf8.h"

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

// One decoded character of free text; cp is kInvalid for a byte that is not UTF-8.
struct TextChar {
  char32_t cp;
  uint32_t begin, end;
};
constexpr char32_t kInvalid = 0xFFFFFFFF;

// Strict UTF-8 (internal::DecodeUtf8); an invalid byte is one kInvalid character.
std::vector<TextChar> Decode(absl::string_view text) {
  std::vector<TextChar> out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    int len = 1;
    const int32_t cp = internal::DecodeUtf8(text, i, &len);
    if (cp < 0) len = 1;
    out.push_back({cp < 0 ? kInvalid : static_cast<char32_t>(cp), static_cast<uint32_t>(i),
                   static_cast<uint32_t>(i + len)});
    i += len;
  }
  return out;
}

int DigitValue(char32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 0xFF10 && c <= 0xFF19) return static_cast<int>(c - 0xFF10);  // full-width
  return -1;
}

bool IsCheckX(char32_t c) { return c == 'X' || c == 'x' || c == 0xFF38 || c == 0xFF58; }

bool IsSpace(char32_t c) { return c == ' ' || c == 0x3000; }

// Words after 我叫 / 本人 that are not names (我叫了救护车, 我叫他过来, 本人不同意).
bool StartsNonName(char32_t c) {
  static constexpr char32_t kStops[] = {U'了', U'过', U'着', U'你', U'他', U'她', U'它',
                                        U'人', U'车', U'外', U'警', U'救', U'不', U'来',
                                        U'去', U'醒', U'们', U'的', U'什', U'啥', U'已',
                                        U'在', U'是', U'也', U'就', U'要', U'想', U'没'};
  return std::find(std::begin(kStops), std::end(kStops), c) != std::end(kStops);
}

bool IsPlateProvince(char32_t c) {
  static constexpr char32_t kProvinces[] = {U'京', U'津', U'沪', U'渝', U'冀', U'豫', U'云', U'辽',
                                            U'黑', U'湘', U'皖', U'鲁', U'新', U'苏', U'浙', U'赣',
                                            U'鄂', U'桂', U'甘', U'晋', U'蒙', U'陕', U'吉', U'闽',
                                            U'贵', U'粤', U'青', U'藏', U'川', U'宁', U'琼'};
  return std::find(std::begin(kProvinces), std::end(kProvinces), c) != std::end(kProvinces);
}

bool IsPlateChar(char32_t c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

void Add(const TextChar& c, v1::PersonalKind kind, std::vector<PersonalChar>* out) {
  out->push_back({c.begin, c.end, kind});
}

// Masks a run of digits (positions into `chars`) by its length; false when it is no kind.
bool MaskDigits(const std::vector<TextChar>& chars, const std::vector<size_t>& digits,
                std::vector<PersonalChar>* out) {
  const size_t d = digits.size();
  size_t keep_head = 0, keep_tail = 0;
  v1::PersonalKind kind = v1::PERSONAL_KIND_BANK_CARD;
  if (d == 11 && DigitValue(chars[digits[0]].cp) == 1 && DigitValue(chars[digits[1]].cp) >= 3) {
    keep_head = 3, keep_tail = 4, kind = v1::PERSONAL_KIND_PHONE;
  } else if (d == 18 || d == 15) {
    keep_head = 6, keep_tail = d == 18 ? 4 : 3, kind = v1::PERSONAL_KIND_ID_NUMBER;
  } else if (d >= 16 && d <= 19 && DigitValue(chars[digits[0]].cp) >= 3 &&
             DigitValue(chars[digits[0]].cp) <= 6) {
    keep_head = 4, keep_tail = 4;  // bank card: UnionPay 62, Visa 4, Mastercard 5, JCB / Amex 3
  } else if (d >= 12 && d <= 14) {
    keep_head = 3, keep_tail = 4;  // another long account number
  } else {
    return false;
  }
  for (size_t k = keep_head; k + keep_tail < d; ++k) Add(chars[digits[k]], kind, out);
  return true;
}

// The length of the name trigger (我叫, 名叫, 本人叫, 本人) at chars[i], 0 when there is none.
size_t NameTrigger(const std::vector<TextChar>& chars, size_t i) {
  auto at = [&](size_t k, char32_t c) { return i + k < chars.size() && chars[i + k].cp == c; };
  if ((at(0, U'我') || at(0, U'名')) && at(1, U'叫')) return 2;
  if (at(0, U'本') && at(1, U'人')) return at(2, U'叫') ? 3 : 2;
  return 0;
}

// A plate at chars[i]: its length in characters, 0 when there is none.
size_t PlateAt(const std::vector<TextChar>& chars, size_t i) {
  if (!IsPlateProvince(chars[i].cp) || i + 1 >= chars.size()) return 0;
  const char32_t letter = chars[i + 1].cp;
  if (letter < 'A' || letter > 'Z') return 0;
  size_t j = i + 2;
  if (j < chars.size() && (chars[j].cp == U'·' || chars[j].cp == U'•' || chars[j].cp == ' ')) {
    ++j;
  }
  size_t n = 0;
  while (j + n < chars.size() && n < 6 && IsPlateChar(chars[j + n].cp)) ++n;
  return n >= 5 ? j + n - i : 0;
}

}  // namespace

std::vector<PersonalChar> FindPersonalText(absl::string_view text) {
  const std::vector<TextChar> chars = Decode(text);
  std::vector<PersonalChar> out;
  std::vector<size_t> digits;
  for (size_t i = 0; i < chars.size();) {
    if (DigitValue(chars[i].cp) < 0) {
      if (const size_t trigger = NameTrigger(chars, i); trigger > 0) {
        size_t j = i + trigger;
        while (j < chars.size() && IsSpace(chars[j].cp)) ++j;
        if (j < chars.size() && internal::IsHan(chars[j].cp) && !StartsNonName(chars[j].cp)) {
          size_t k = j + 1;
          for (; k < chars.size() && k < j + 3 && internal::IsHan(chars[k].cp); ++k) {
            Add(chars[k], v1::PERSONAL_KIND_NAME, &out);
          }
          i = k;
          continue;
        }
        i += trigger;
        continue;
      }
      if (const size_t plate = PlateAt(chars, i); plate > 0) {
        // 浙L12345 -> 浙L1**45, as MaskValue masks a plate.
        for (size_t k = 3; k + 2 < plate; ++k) Add(chars[i + k], v1::PERSONAL_KIND_PLATE, &out);
        i += plate;
        continue;
      }
      ++i;
      continue;
    }
    // A run of digits, single spaces or hyphens allowed between them, an X allowed last.
    digits.clear();
    std::vector<size_t> group_starts = {0};  // indices into `digits` where a group begins
    size_t j = i;
    while (j < chars.size()) {
      if (DigitValue(chars[j].cp) >= 0) {
        digits.push_back(j++);
      } else if ((chars[j].cp == ' ' || chars[j].cp == '-') && j + 1 < chars.size() &&
                 DigitValue(chars[j + 1].cp) >= 0) {
        group_starts.push_back(digits.size());
        ++j;
      } else {
        break;
      }
    }
    if (digits.size() == 17 && j < chars.size() && IsCheckX(chars[j].cp)) digits.push_back(j++);
    // The whole run as one number ("139 1234 5678"); when it is none of the kinds, each group on
    // its own (a phone number followed by other digits: "13912345678 0000 1234").
    if (!MaskDigits(chars, digits, &out) && group_starts.size() > 1) {
      group_starts.push_back(digits.size());
      for (size_t g = 0; g + 1 < group_starts.size(); ++g) {
        const std::vector<size_t> group(digits.begin() + group_starts[g],
                                        digits.begin() + group_starts[g + 1]);
        MaskDigits(chars, group, &out);
      }
    }
    i = j;
  }
  return out;
}

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
  std::string out;
  out.reserve(text.size());
  size_t done = 0;
  for (const PersonalChar& c : FindPersonalText(text)) {
    out.append(text.data() + done, c.begin - done);
    out.push_back('*');
    done = c.end;
  }
  out.append(text.data() + done, text.size() - done);
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
