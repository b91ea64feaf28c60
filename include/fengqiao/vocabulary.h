// File: fengqiao/vocabulary.h
// The vocabulary of the domain lives once, in the protos: every value of every fengqiao enum
// carries its English and Chinese display name as the custom option `(fengqiao.v1.label)`
// (proto/fengqiao/v1/options.proto). These functions read it through the generated descriptor, so
// C++, the CLI and Python (which reads the same option from the *_pb2 descriptors) print the same
// names, and adding an enum value to a proto is the only edit a new word needs.
//
//   #include "fengqiao/v1/routing.pb.h"
//   const fengqiao::EnumLabel& l = fengqiao::LabelOf(fengqiao::v1::DISPUTE_TYPE_NOISE);
//   // l.en == "noise", l.zh == "噪音", l.display == "noise (噪音)", l.short_name == "noise"
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::v1::Tier tier,
//                             fengqiao::ParseEnum<fengqiao::v1::Tier>("社区民警"));
//   if (tier != fengqiao::v1::TIER_COMMUNITY_POLICE || l.zh != "噪音") {
//     return absl::InternalError("the labels in the protos changed");
//   }
//
// Size of a domain: `EnumDomain<E>()` is one more than the largest number (what a table indexed
// by the enum needs); generated `E_ARRAYSIZE` is the same constant at compile time.
//
// Thread safety: every function is safe to call from several threads; labels are built once per
// enum on first use and live as long as the process.
#ifndef FENGQIAO_VOCABULARY_H_
#define FENGQIAO_VOCABULARY_H_

#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace google::protobuf {
class EnumDescriptor;
}  // namespace google::protobuf

namespace fengqiao {

// Display names of one enum value.
struct EnumLabel {
  // The proto name, e.g. "DISPUTE_TYPE_NOISE" ("" for a number the enum does not define).
  absl::string_view proto_name;
  // The proto name without the enum's prefix, lower case: "noise", "call_110", "community_police".
  // What the CLI and Python accept and what machine-readable output writes.
  absl::string_view short_name;
  // English and Chinese, from the (fengqiao.v1.label) option.
  absl::string_view en;
  absl::string_view zh;
  // "en (zh)", or en when both are the same: what tables print, e.g. "noise (噪音)".
  absl::string_view display;
  // Whether the enum defines this number.
  bool known = false;
};

// The label of `number` in `descriptor`. A number the enum does not define gets a label whose
// display is "unknown (未知)" and whose known is false (never a crash, never another value's name).
const EnumLabel& LabelOf(const google::protobuf::EnumDescriptor* descriptor, int number);

template <typename E, typename = std::enable_if_t<google::protobuf::is_proto_enum<E>::value>>
const EnumLabel& LabelOf(E value) {
  return LabelOf(google::protobuf::GetEnumDescriptor<E>(), static_cast<int>(value));
}

// Shorthand for LabelOf(value).display.
template <typename E, typename = std::enable_if_t<google::protobuf::is_proto_enum<E>::value>>
absl::string_view DisplayName(E value) {
  return LabelOf(value).display;
}

// Every value of the enum, in declaration order (UNSPECIFIED first).
std::vector<int> EnumNumbers(const google::protobuf::EnumDescriptor* descriptor);

// One more than the largest value number: the size of a table indexed by the enum.
int EnumDomain(const google::protobuf::EnumDescriptor* descriptor);
template <typename E, typename = std::enable_if_t<google::protobuf::is_proto_enum<E>::value>>
int EnumDomain() {
  return EnumDomain(google::protobuf::GetEnumDescriptor<E>());
}

// Parses a value as people and programs write it: the proto name ("DISPUTE_TYPE_NOISE"), the
// short name ("noise", any case), the English or the Chinese label ("噪音"), or the number ("8").
// UNSPECIFIED is refused unless `allow_unspecified`. InvalidArgument names the enum and lists the
// short names it accepts; the text itself is quoted only up to 40 bytes and only when valid UTF-8.
absl::StatusOr<int> ParseEnum(const google::protobuf::EnumDescriptor* descriptor,
                              absl::string_view text, bool allow_unspecified = false);
template <typename E, typename = std::enable_if_t<google::protobuf::is_proto_enum<E>::value>>
absl::StatusOr<E> ParseEnum(absl::string_view text, bool allow_unspecified = false) {
  absl::StatusOr<int> n =
      ParseEnum(google::protobuf::GetEnumDescriptor<E>(), text, allow_unspecified);
  if (!n.ok()) return n.status();
  return static_cast<E>(*n);
}

}  // namespace fengqiao

#endif  // FENGQIAO_VOCABULARY_H_
