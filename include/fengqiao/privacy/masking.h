// File: fengqiao/privacy/masking.h
// Personal data (个人信息) is declared once, in the protos, with the field option
// `(fengqiao.v1.personal) = PERSONAL_KIND_...`, and masked by one function driven by those
// declarations: MaskMessage walks any fengqiao message through its descriptor and masks every
// declared field by its kind, following common Chinese practice (138****5678, 330902********123X,
// 张*明, 6222********1234, addresses kept to the building, 浙L1**34). Free text is scanned for
// phone, ID-number, bank-card and plate patterns and names after "我叫" and masked where they
// match. Every way out of the library and its tools masks by default; unmasked access is an
// explicit choice of the caller.
//
//   #include "fengqiao/v1/incident.pb.h"
//   fengqiao::v1::Incident incident;
//   incident.add_parties()->set_phone("13900001234");
//   incident.set_description("我叫王小明，电话13900001234，身份证330902199001011234");
//   fengqiao::v1::Incident shown = fengqiao::Masked(incident);
//   if (shown.parties(0).phone() != "139****1234" ||
//       shown.description() != "我叫王*明，电话139****1234，身份证330902********1234") {
//     return absl::InternalError(shown.description());
//   }
//
// Thread safety: every function is safe to call from several threads.
#ifndef FENGQIAO_PRIVACY_MASKING_H_
#define FENGQIAO_PRIVACY_MASKING_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "fengqiao/v1/options.pb.h"
#include "google/protobuf/message.h"

namespace fengqiao {

// The value masked as its kind says. Works on UTF-8 characters, not bytes; invalid UTF-8 is
// masked whole ("***"). PERSONAL_KIND_UNSPECIFIED returns the value unchanged.
std::string MaskValue(v1::PersonalKind kind, absl::string_view value);

// Free text with every phone number, ID number, bank card number, plate and name after
// "我叫/我是/本人" masked; the rest unchanged.
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
