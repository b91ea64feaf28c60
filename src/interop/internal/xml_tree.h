// Internal: an XML document read into a small tree with the line:col of every element (expat
// underneath), for the DMN reader. No DOCTYPE (so no entities), bounded depth.
#ifndef FENGQIAO_SRC_INTEROP_INTERNAL_XML_TREE_H_
#define FENGQIAO_SRC_INTEROP_INTERNAL_XML_TREE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace fengqiao::interop_internal {

struct XmlElement {
  // Namespace URI and local name ("" namespace when none).
  std::string ns;
  std::string name;
  // Attributes as (namespace + " " + local name, or the local name alone, value).
  std::vector<std::pair<std::string, std::string>> attributes;
  // Character data directly inside the element, concatenated.
  std::string text;
  int line = 0;
  int column = 0;
  std::vector<std::unique_ptr<XmlElement>> children;

  // The attribute `name` ("" when absent).
  const std::string* Attribute(absl::string_view name) const;
  // Children with local name `name`, in order.
  std::vector<const XmlElement*> Children(absl::string_view name) const;
  // The first child named `name`, or null.
  const XmlElement* Child(absl::string_view name) const;
};

// Parses `text`; InvalidArgument "filename:line:col: XML error: ..." when it is not well-formed
// (expat's message), has a DOCTYPE, or nests deeper than 64 elements.
absl::StatusOr<std::unique_ptr<XmlElement>> ParseXml(absl::string_view text,
                                                     absl::string_view filename);

}  // namespace fengqiao::interop_internal

#endif  // FENGQIAO_SRC_INTEROP_INTERNAL_XML_TREE_H_
