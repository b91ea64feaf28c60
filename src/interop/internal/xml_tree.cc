#include "interop/internal/xml_tree.h"

#include <expat.h>

#include <climits>

#include "absl/strings/str_cat.h"

namespace fengqiao::interop_internal {
namespace {

constexpr int kMaxDepth = 64;

struct Builder {
  XML_Parser parser = nullptr;
  std::unique_ptr<XmlElement> root;
  std::vector<XmlElement*> stack;
  std::string error;  // set when a handler stopped the parse
  int error_line = 0, error_column = 0;

  void Stop(absl::string_view what) {
    if (!error.empty()) return;
    error = std::string(what);
    error_line = static_cast<int>(XML_GetCurrentLineNumber(parser));
    error_column = static_cast<int>(XML_GetCurrentColumnNumber(parser)) + 1;
    XML_StopParser(parser, XML_FALSE);
  }
};

// "uri local" (expat's namespace separator is ' ') -> (uri, local).
std::pair<std::string, std::string> SplitName(const char* name) {
  const absl::string_view n(name);
  const size_t space = n.find(' ');
  if (space == absl::string_view::npos) return {"", std::string(n)};
  return {std::string(n.substr(0, space)), std::string(n.substr(space + 1))};
}

void XMLCALL Start(void* data, const XML_Char* name, const XML_Char** attrs) {
  auto* b = static_cast<Builder*>(data);
  if (static_cast<int>(b->stack.size()) >= kMaxDepth) {
    b->Stop(absl::StrCat("elements nested deeper than ", kMaxDepth, " levels"));
    return;
  }
  auto element = std::make_unique<XmlElement>();
  std::tie(element->ns, element->name) = SplitName(name);
  element->line = static_cast<int>(XML_GetCurrentLineNumber(b->parser));
  element->column = static_cast<int>(XML_GetCurrentColumnNumber(b->parser)) + 1;
  for (int i = 0; attrs[i] != nullptr; i += 2) {
    element->attributes.emplace_back(attrs[i], attrs[i + 1]);
  }
  XmlElement* raw = element.get();
  if (b->stack.empty()) {
    b->root = std::move(element);
  } else {
    b->stack.back()->children.push_back(std::move(element));
  }
  b->stack.push_back(raw);
}

void XMLCALL End(void* data, const XML_Char*) {
  auto* b = static_cast<Builder*>(data);
  if (!b->stack.empty()) b->stack.pop_back();
}

void XMLCALL Text(void* data, const XML_Char* s, int len) {
  auto* b = static_cast<Builder*>(data);
  if (!b->stack.empty()) b->stack.back()->text.append(s, static_cast<size_t>(len));
}

void XMLCALL Doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<Builder*>(data)->Stop("a DOCTYPE is not accepted (DMN needs none)");
}

}  // namespace

const std::string* XmlElement::Attribute(absl::string_view attribute) const {
  for (const auto& [key, value] : attributes) {
    if (key == attribute) return &value;
  }
  return nullptr;
}

std::vector<const XmlElement*> XmlElement::Children(absl::string_view child) const {
  std::vector<const XmlElement*> out;
  for (const auto& c : children) {
    if (c->name == child) out.push_back(c.get());
  }
  return out;
}

const XmlElement* XmlElement::Child(absl::string_view child) const {
  for (const auto& c : children) {
    if (c->name == child) return c.get();
  }
  return nullptr;
}

absl::StatusOr<std::unique_ptr<XmlElement>> ParseXml(absl::string_view text,
                                                     absl::string_view filename) {
  if (text.size() > static_cast<size_t>(INT_MAX)) {
    return absl::ResourceExhaustedError(absl::StrCat(filename, ": XML text too large"));
  }
  Builder b;
  b.parser = XML_ParserCreateNS("UTF-8", ' ');
  if (b.parser == nullptr) return absl::ResourceExhaustedError("XML parser: out of memory");
  XML_SetUserData(b.parser, &b);
  XML_SetElementHandler(b.parser, Start, End);
  XML_SetCharacterDataHandler(b.parser, Text);
  XML_SetStartDoctypeDeclHandler(b.parser, Doctype);
  const XML_Status status =
      XML_Parse(b.parser, text.data(), static_cast<int>(text.size()), XML_TRUE);
  std::string error;
  int line = 0, column = 0;
  if (!b.error.empty()) {
    error = b.error;
    line = b.error_line;
    column = b.error_column;
  } else if (status != XML_STATUS_OK) {
    error = XML_ErrorString(XML_GetErrorCode(b.parser));
    line = static_cast<int>(XML_GetCurrentLineNumber(b.parser));
    column = static_cast<int>(XML_GetCurrentColumnNumber(b.parser)) + 1;
  }
  XML_ParserFree(b.parser);
  if (!error.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(filename, ":", line, ":", column, ": XML error: ", error));
  }
  if (b.root == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(filename, ":1:1: XML error: no element"));
  }
  return std::move(b.root);
}

}  // namespace fengqiao::interop_internal
