// File: fengqiao/privacy/masking.h
// Personal data (个人信息) is declared once, in the protos, with the field option
// `(fengqiao.v1.personal) = PERSONAL_KIND_...`, and masked by one function driven by those
// declarations: MaskMessage walks any fengqiao message through its descriptor and masks every
// declared field by its kind, following common Chinese practice (138****5678, 330902********123X,
// 张*明, 6222********1234, addresses kept to the building, 浙L1**34). Free text is scanned once,
// character by character (FindPersonalText), for numbers (digits half- or full-width, grouped by
// single spaces or hyphens: phones, ID numbers, bank cards, other long account numbers), plates
// and names after 我叫 / 名叫 / 本人(叫); each personal character becomes one '*', the layout is
// kept. The alert assistant masks what it emits with the same scan. Every way out of the library
// and its tools masks by default; unmasked access is an explicit choice of the caller.
//
//   #include "fengqiao/v1/incident.pb.h"
//   fengqiao::v1::Incident incident;
//   incident.add_parties()->set_phone("13900001234");
//   incident.set_description("我叫王小明，电话139-0000-1234，身份证330902199001011234");
//   fengqiao::v1::Incident shown = fengqiao::Masked(incident);
//   if (shown.parties(0).phone() != "139****1234" ||
//       shown.description() != "我叫王**，电话139-****-1234，身份证330902********1234") {
//     return absl::InternalError(shown.description());
//   }
//
// Thread safety: every function is safe to call from several threads.
#ifndef FENGQIAO_PRIVACY_MASKING_H_
#define FENGQIAO_PRIVACY_MASKING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "fengqiao/v1/options.pb.h"
#include "google/protobuf/message.h"

namespace fengqiao {

// The value masked as its kind says. Works on UTF-8 characters, not bytes; invalid UTF-8 is
// masked whole ("***"). PERSONAL_KIND_UNSPECIFIED returns the value unchanged.
std::string MaskValue(v1::PersonalKind kind, absl::string_view value);

// One character of free text to mask: its bytes [begin, end) and the kind of value it belongs to.
struct PersonalChar {
  uint32_t begin = 0;
  uint32_t end = 0;
  v1::PersonalKind kind = v1::PERSONAL_KIND_UNSPECIFIED;
};

// The characters of `text` that free-text masking hides, in order. A run of digits (ASCII or
// full-width; single spaces or hyphens between groups; a final X after 17 digits) is taken by its
// length: 11 starting 13..19 a mobile phone (keeps 3 and 4: 139****1234), 18 or 15 an ID number
// (keeps 6 and 4, or 6 and 3), 16..19 starting 3..6 a bank card (keeps 4 and 4; a system's
// 16-digit hash or serial starting otherwise stays), 12..14 another account number
// (keeps 3 and 4); a grouped run that is none of these is taken group by group; shorter numbers
// (amounts, building numbers, 110) stay. A plate (province, letter, 5 or 6 letters or digits)
// keeps its first 3 and last 2 characters. After 我叫 / 名叫 / 本人叫 / 本人 (spaces allowed), a
// name of up to three Chinese characters keeps its first (the end of a name in running text is
// unknown, so nothing after the first is shown); words that are not names (我叫了救护车, 我叫他)
// are left. Bytes that are not UTF-8 are skipped one by one.
std::vector<PersonalChar> FindPersonalText(absl::string_view text);

// Free text with every character FindPersonalText finds replaced by '*'; the rest unchanged.
// Text that is not valid UTF-8 is masked whole ("***").
std::string MaskFreeText(absl::string_view text);

// Masks, in place, every field of `message` and of its sub-messages (repeated too) whose
// declaration carries the (fengqiao.v1.personal) option.
void MaskMessage(google::protobuf::Message* message);

// Masks, in place, only the declared fields of the given kinds (all declared fields when `only`
// is empty), e.g. a grid worker's view keeps names but masks {PHONE, ID_NUMBER, BANK_CARD, EMAIL}.
void MaskMessage(google::protobuf::Message* message, absl::Span<const v1::PersonalKind> only);

// Calls `edit` on every non-empty declared field of `message` and its sub-messages (each element
// of a repeated one) with the field's kind and its value, which `edit` may change in place: the
// one walk MaskMessage and erasure (CaseAccess::ErasePerson) share.
void EditPersonalFields(google::protobuf::Message* message,
                        absl::FunctionRef<void(v1::PersonalKind, std::string&)> edit);

// A masked copy.
template <typename M>
M Masked(const M& message) {
  M copy = message;
  MaskMessage(&copy);
  return copy;
}

// The kind declared on a field (PERSONAL_KIND_UNSPECIFIED when none).
v1::PersonalKind PersonalKindOf(const google::protobuf::FieldDescriptor* field);

}  // namespace fengqiao

#endif  // FENGQIAO_PRIVACY_MASKING_H_
