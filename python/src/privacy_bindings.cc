// Bindings for fengqiao/privacy/masking.h: messages cross as bytes with their full type name.
#include "bindings.h"
#include "fengqiao/privacy/masking.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace fengqiao::python {

void BindPrivacy(py::module_& m) {
  m.def(
      "mask_message",
      [](const std::string& full_name, py::bytes data) {
        namespace pb = google::protobuf;
        const pb::Descriptor* d =
            pb::DescriptorPool::generated_pool()->FindMessageTypeByName(full_name);
        if (d == nullptr || d->file()->package() != "fengqiao.v1") {
          ThrowIfError(absl::InvalidArgumentError(
              absl::StrCat("mask_message: \"", full_name, "\" is not a fengqiao.v1 message")));
        }
        std::unique_ptr<pb::Message> message(
            pb::MessageFactory::generated_factory()->GetPrototype(d)->New());
        if (!message->ParseFromString(std::string(data))) {
          ThrowIfError(absl::InvalidArgumentError(
              absl::StrCat("mask_message: the bytes are not a valid ", full_name)));
        }
        MaskMessage(message.get());
        return py::bytes(message->SerializeAsString());
      },
      py::arg("full_name"), py::arg("data"),
      "A copy of the serialised message with every declared personal field masked.");
  m.def(
      "mask_text", [](const std::string& text) { return MaskFreeText(text); }, py::arg("text"),
      "Free text with phones, ID numbers, bank cards, plates and names after 我叫 masked.");
  m.def(
      "mask_value",
      [](int kind, const std::string& value) {
        if (!v1::PersonalKind_IsValid(kind)) {
          ThrowIfError(absl::InvalidArgumentError(
              absl::StrCat("mask_value: kind ", kind, " is not a PersonalKind")));
        }
        return MaskValue(static_cast<v1::PersonalKind>(kind), value);
      },
      py::arg("kind"), py::arg("value"), "One value masked as its PersonalKind says.");
}

}  // namespace fengqiao::python
