#include "internal/proto_files.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "fengqiao/status_macros.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver.h"
#include "google/protobuf/util/type_resolver_util.h"

namespace fengqiao::internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::TextFormat;

// Collects the text-format parser's errors with their positions (the parser reports 0-based).
class CollectingErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (errors_.size() < 8) {
      errors_.push_back(absl::StrCat(line + 1, ":", column + 1, ": ", message));
    }
  }
  void AddWarning(int, google::protobuf::io::ColumnNumber, const std::string&) override {}
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::vector<std::string> errors_;
};

std::string Join(absl::string_view prefix, absl::string_view field) {
  if (prefix.empty()) return std::string(field);
  return absl::StrCat(prefix, ".", field);
}

// Walks a message parsed from text format and records the position of every set field.
void RecordTextPositions(const Message& message, const TextFormat::ParseInfoTree& tree,
                         const std::string& prefix, SourceMap* map) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string path = Join(prefix, field->name());
    if (field->is_repeated()) {
      const int n = reflection->FieldSize(message, field);
      for (int i = 0; i < n; ++i) {
        const std::string element = absl::StrCat(path, "[", i, "]");
        const TextFormat::ParseLocation loc = tree.GetLocation(field, i);
        if (loc.line >= 0) {
          map->Record(element, loc.line + 1, loc.column + 1);
          if (i == 0) map->Record(path, loc.line + 1, loc.column + 1);
        }
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          const TextFormat::ParseInfoTree* nested = tree.GetTreeForNested(field, i);
          if (nested != nullptr) {
            RecordTextPositions(reflection->GetRepeatedMessage(message, field, i), *nested, element,
                                map);
          }
        }
      }
    } else {
      const TextFormat::ParseLocation loc = tree.GetLocation(field, -1);
      if (loc.line >= 0) map->Record(path, loc.line + 1, loc.column + 1);
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const TextFormat::ParseInfoTree* nested = tree.GetTreeForNested(field, -1);
        if (nested != nullptr) {
          RecordTextPositions(reflection->GetMessage(message, field), *nested, path, map);
        }
      }
    }
  }
}

// JSON keys may be lowerCamelCase ("parentCode"); paths use the proto field names.
bool IsValidUtf8(absl::string_view s);

// A key or field path as an error may quote it: a short identifier (letters, digits, '_', '.',
// '[', ']', starting with a letter, no run of 5 digits); "" otherwise, since input that is not a
// field name could be anything, a phone number used as a key among them.
std::string SafeName(absl::string_view text) {
  if (text.empty() || text.size() > 64 ||
      !absl::ascii_isalpha(static_cast<unsigned char>(text[0]))) {
    return "";
  }
  int digits = 0;
  for (const char c : text) {
    digits = absl::ascii_isdigit(static_cast<unsigned char>(c)) ? digits + 1 : 0;
    if (digits >= 5) return "";
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '[' &&
        c != ']') {
      return "";
    }
  }
  return std::string(text);
}

std::string SnakeCase(absl::string_view key) {
  std::string out;
  for (char c : key) {
    if (absl::ascii_isupper(static_cast<unsigned char>(c))) {
      out.push_back('_');
      out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// A small JSON scanner: checks the syntax (with line:col on the first error) and records the
// position of every object member and array element by path. Protobuf's own JSON parser then
// does the typed conversion.
#define FENGQIAO_JSON_TRY(expr) \
  do {                          \
    absl::Status s_ = (expr);   \
    if (!s_.ok()) return s_;    \
  } while (false)
class JsonScanner {
 public:
  // `line`:`column` is where `text` starts in its file (a record of a larger file).
  JsonScanner(absl::string_view text, SourceMap* map, int line = 1, int column = 1)
      : text_(text), map_(map), line_(line), column_(column) {}

  // `path` names the value in the source map (a record's path in its file, or "").
  absl::Status Scan(const std::string& path = "") {
    SkipSpace();
    if (Peek() != '{') return Error("expected a JSON object (one message), not another value");
    if (!path.empty()) map_->Record(path, line_, column_);
    FENGQIAO_JSON_TRY(Value(path));
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected text after the JSON value");
    return absl::OkStatus();
  }

 private:
  absl::Status Error(absl::string_view what) const { return ErrorAt(line_, column_, what); }
  absl::Status ErrorAt(int line, int column, absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat(map_->filename(), ":", line, ":", column, ": JSON syntax error: ", what));
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  void Advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(text_[pos_]) & 0xC0) != 0x80) {
      ++column_;  // count code points, not UTF-8 continuation bytes
    }
    ++pos_;
  }
  void SkipSpace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
      Advance();
    }
  }
  absl::Status Expect(char c) {
    if (Peek() != c) return Error(absl::StrCat("expected '", std::string(1, c), "'"));
    Advance();
    return absl::OkStatus();
  }
  absl::Status String(std::string* out) {
    FENGQIAO_JSON_TRY(Expect('"'));
    const size_t start = pos_;
    bool pending_high_surrogate = false;
    while (!AtEnd() && Peek() != '"') {
      if (Peek() == '\\') {
        Advance();
        if (AtEnd()) break;
        if (Peek() == 'u') {
          // \uXXXX: a high surrogate must be followed by a low one, a low one never stands alone.
          unsigned code = 0;
          if (pos_ + 4 >= text_.size() || !absl::SimpleHexAtoi(text_.substr(pos_ + 1, 4), &code)) {
            return Error("\\u must be followed by four hex digits");
          }
          const bool high = code >= 0xD800 && code <= 0xDBFF;
          const bool low = code >= 0xDC00 && code <= 0xDFFF;
          if (low != pending_high_surrogate) return Error("lone UTF-16 surrogate in string");
          pending_high_surrogate = high;
          if (out != nullptr) absl::StrAppend(out, text_.substr(pos_ - 1, 6));
          for (int i = 0; i < 5; ++i) Advance();
          continue;
        }
      } else if (static_cast<unsigned char>(Peek()) < 0x20) {
        return Error("control character in string");
      }
      if (pending_high_surrogate) return Error("lone UTF-16 surrogate in string");
      if (out != nullptr) out->push_back(Peek());
      Advance();
    }
    if (AtEnd()) return Error("unterminated string");
    if (pending_high_surrogate) return Error("lone UTF-16 surrogate in string");
    if (!IsValidUtf8(text_.substr(start, pos_ - start))) return Error("invalid UTF-8 in string");
    Advance();
    return absl::OkStatus();
  }
  absl::Status Value(const std::string& path) {
    if (depth_ > 100) return Error("nesting deeper than 100 levels");
    const char c = Peek();
    if (c == '{') return Object(path);
    if (c == '[') return Array(path);
    if (c == '"') return String(nullptr);
    if (c == '-' || (c >= '0' && c <= '9')) {
      const size_t start = pos_;
      const int line = line_, column = column_;
      while (!AtEnd() && absl::StrContains("+-0123456789.eE", Peek())) Advance();
      double value = 0;
      if (!absl::SimpleAtod(text_.substr(start, pos_ - start), &value) || !std::isfinite(value)) {
        return ErrorAt(line, column, "number out of range or malformed");
      }
      return absl::OkStatus();
    }
    for (absl::string_view word : {"true", "false", "null"}) {
      if (absl::StartsWith(text_.substr(pos_), word)) {
        for (size_t i = 0; i < word.size(); ++i) Advance();
        return absl::OkStatus();
      }
    }
    return AtEnd() ? Error("unexpected end of input") : Error("unexpected character");
  }
  absl::Status Object(const std::string& path) {
    ++depth_;
    Advance();  // '{'
    SkipSpace();
    if (Peek() == '}') {
      Advance();
      --depth_;
      return absl::OkStatus();
    }
    absl::flat_hash_map<std::string, std::pair<int, int>> seen;  // key -> where first
    while (true) {
      SkipSpace();
      const int line = line_, column = column_;
      std::string key;
      FENGQIAO_JSON_TRY(String(&key));
      const std::string child = Join(path, SnakeCase(key));
      // A key given twice: protobuf would keep the last silently.
      if (const auto [it, inserted] = seen.try_emplace(SnakeCase(key), line, column); !inserted) {
        return ErrorAt(line, column,
                       absl::StrCat("duplicate key \"", SafeName(SnakeCase(key)), "\" (first at ",
                                    it->second.first, ":", it->second.second, ")"));
      }
      map_->Record(child, line, column);
      SkipSpace();
      FENGQIAO_JSON_TRY(Expect(':'));
      SkipSpace();
      FENGQIAO_JSON_TRY(Value(child));
      SkipSpace();
      if (Peek() == ',') {
        Advance();
        continue;
      }
      FENGQIAO_JSON_TRY(Expect('}'));
      --depth_;
      return absl::OkStatus();
    }
  }
  absl::Status Array(const std::string& path) {
    ++depth_;
    Advance();  // '['
    SkipSpace();
    if (Peek() == ']') {
      Advance();
      --depth_;
      return absl::OkStatus();
    }
    for (int i = 0;; ++i) {
      SkipSpace();
      const std::string element = absl::StrCat(path, "[", i, "]");
      map_->Record(element, line_, column_);
      FENGQIAO_JSON_TRY(Value(element));
      SkipSpace();
      if (Peek() == ',') {
        Advance();
        continue;
      }
      FENGQIAO_JSON_TRY(Expect(']'));
      --depth_;
      return absl::OkStatus();
    }
  }
#undef FENGQIAO_JSON_TRY

  absl::string_view text_;
  SourceMap* map_;
  size_t pos_ = 0;
  int line_;
  int column_;
  int depth_ = 0;
};

// UTF-8 as protobuf itself checks it (overlong forms, surrogates and code points past U+10FFFF
// are invalid).
bool IsValidUtf8(absl::string_view s) {
  return google::protobuf::internal::IsStructurallyValidUTF8(s.data(), static_cast<int>(s.size()));
}

absl::Status CheckFieldsAt(const Message& message, const std::string& prefix,
                           const SourceMap& map) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string path = Join(prefix, field->name());
    const bool is_string = field->type() == FieldDescriptor::TYPE_STRING;
    const bool is_enum = field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM;
    const bool is_message = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (!is_string && !is_enum && !is_message) continue;
    const int n = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < n; ++i) {
      const std::string item = field->is_repeated() ? absl::StrCat(path, "[", i, "]") : path;
      if (is_string) {
        std::string scratch;
        const std::string& value =
            field->is_repeated()
                ? reflection->GetRepeatedStringReference(message, field, i, &scratch)
                : reflection->GetStringReference(message, field, &scratch);
        if (!IsValidUtf8(value)) {
          return absl::InvalidArgumentError(
              absl::StrCat(map.Where(item), ": ", item, ": invalid UTF-8 in string"));
        }
      } else if (is_enum) {
        // Open (proto3) enums keep numbers they do not define; such a number would be routed,
        // counted or labelled as nothing the vocabulary knows.
        const int value = field->is_repeated() ? reflection->GetRepeatedEnumValue(message, field, i)
                                               : reflection->GetEnumValue(message, field);
        if (field->enum_type()->FindValueByNumber(value) == nullptr) {
          return absl::InvalidArgumentError(
              absl::StrCat(map.Where(item), ": ", item, ": ", value, " is not a ",
                           field->enum_type()->full_name(), " value"));
        }
      } else {
        const Message& nested = field->is_repeated()
                                    ? reflection->GetRepeatedMessage(message, field, i)
                                    : reflection->GetMessage(message, field);
        absl::Status status = CheckFieldsAt(nested, item, map);
        if (!status.ok()) return status;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

void SourceMap::Record(std::string path, int line, int column) {
  positions_.emplace(std::move(path), std::make_pair(line, column));
}

std::string SourceMap::Where(absl::string_view path) const {
  std::string p(path);
  while (!p.empty()) {
    auto it = positions_.find(p);
    if (it != positions_.end()) {
      return absl::StrCat(filename_, ":", it->second.first, ":", it->second.second);
    }
    // Drop the last ".field" or "[i]".
    const size_t cut = p.find_last_of(".[");
    if (cut == std::string::npos) break;
    p.resize(cut);
  }
  if (filename_.empty()) return absl::StrCat("<", path, ">");
  return filename_;
}

ProtoFormat FormatForFilename(absl::string_view filename) {
  return absl::EndsWithIgnoreCase(filename, ".json") ? ProtoFormat::kJson : ProtoFormat::kText;
}

std::string DescribeJsonError(absl::string_view message, absl::string_view type,
                              std::string* path) {
  path->clear();
  if (absl::StartsWith(message, "INVALID_ARGUMENT:")) message.remove_prefix(17);
  // Protobuf 3.21: "(areas[0].level): invalid value 99 for type ..."; later releases name the
  // path without parentheses. The value is never repeated.
  if (absl::StartsWith(message, "(")) {
    const size_t close = message.find(')');
    if (close != absl::string_view::npos) *path = SafeName(message.substr(1, close - 1));
    if (!path->empty()) {
      // An enum name that is not in the enum is echoed (it is vocabulary, upper-case
      // letters, digits and '_'); any other value is not.
      constexpr absl::string_view kInvalid = "invalid value ";
      const size_t at = message.find(kInvalid);
      const size_t type_at = message.rfind(" for type ");
      if (at != absl::string_view::npos && type_at != absl::string_view::npos && type_at > at) {
        absl::string_view value =
            message.substr(at + kInvalid.size(), type_at - at - kInvalid.size());
        absl::ConsumePrefix(&value, "\"");
        absl::ConsumeSuffix(&value, "\"");
        const absl::string_view enum_type = message.substr(type_at + 10);
        const bool enum_name =
            !value.empty() && absl::ascii_isupper(static_cast<unsigned char>(value[0])) &&
            std::all_of(value.begin(), value.end(), [](char c) {
              return absl::ascii_isupper(static_cast<unsigned char>(c)) ||
                     absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_';
            });
        if (enum_name && !absl::StartsWith(enum_type, "TYPE_")) {
          const size_t slash = enum_type.rfind('/');
          return absl::StrCat(
              *path, ": \"", value, "\" is not a value of ",
              slash == absl::string_view::npos ? enum_type : enum_type.substr(slash + 1));
        }
      }
      return absl::StrCat(*path, ": invalid value for the field's type (the value is not echoed)");
    }
  }
  if (absl::EndsWith(message, ": Cannot find field.")) {
    const std::string key = SafeName(message.substr(0, message.find(':')));
    return key.empty() ? absl::StrCat("a key that is not a field of ", type)
                       : absl::StrCat("\"", key, "\" is not a field of ", type);
  }
  if (absl::StrContains(message, "non UTF-8")) return "invalid UTF-8";
  if (absl::StrContains(message, "Root element must be a message")) {
    return absl::StrCat("expected a JSON object (one ", type, ")");
  }
  return absl::StrCat("not valid JSON for ", type, " (the input is not echoed)");
}

namespace {

// Protobuf's JSON parser asks a TypeResolver for the message's type and each nested message and
// enum type on every call, and the stock resolver builds each google.protobuf.Type anew from its
// descriptor (options and all): for a JSON Lines file that was most of the time of a line. This
// one resolves each type once per process and hands out copies; the parse is protobuf's own, so
// what is accepted and refused does not change.
class CachingTypeResolver final : public google::protobuf::util::TypeResolver {
 public:
  explicit CachingTypeResolver(const google::protobuf::DescriptorPool* pool)
      : base_(google::protobuf::util::NewTypeResolverForDescriptorPool(kTypeUrlPrefix, pool)) {}

  google::protobuf::util::Status ResolveMessageType(const std::string& url,
                                                    google::protobuf::Type* type) override {
    return Resolve(url, type, messages_, [this](const std::string& u, google::protobuf::Type* t) {
      return base_->ResolveMessageType(u, t);
    });
  }
  google::protobuf::util::Status ResolveEnumType(const std::string& url,
                                                 google::protobuf::Enum* type) override {
    return Resolve(url, type, enums_, [this](const std::string& u, google::protobuf::Enum* t) {
      return base_->ResolveEnumType(u, t);
    });
  }

  static constexpr char kTypeUrlPrefix[] = "type.googleapis.com";

 private:
  template <typename T, typename Base>
  google::protobuf::util::Status Resolve(
      const std::string& url, T* out, absl::flat_hash_map<std::string, std::unique_ptr<T>>& cache,
      Base base) {
    {
      absl::MutexLock lock(&mu_);
      auto it = cache.find(url);
      if (it != cache.end()) {
        *out = *it->second;
        return google::protobuf::util::Status();
      }
    }
    auto resolved = std::make_unique<T>();
    google::protobuf::util::Status status = base(url, resolved.get());
    if (!status.ok()) return status;  // not cached: an unknown type is an error each time
    StripOptions(resolved.get());
    *out = *resolved;
    absl::MutexLock lock(&mu_);
    cache.try_emplace(url, std::move(resolved));
    return status;
  }

  // The parser reads names, numbers, kinds and the message-level options (map_entry,
  // message_set_wire_format); the options of fields and enum values (our labels, personal-data
  // kinds) are copied on every resolve but never read, so the cached types leave them out.
  static void StripOptions(google::protobuf::Type* type) {
    for (google::protobuf::Field& f : *type->mutable_fields()) f.clear_options();
  }
  static void StripOptions(google::protobuf::Enum* type) {
    type->clear_options();
    for (google::protobuf::EnumValue& v : *type->mutable_enumvalue()) v.clear_options();
  }

  std::unique_ptr<google::protobuf::util::TypeResolver> base_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<google::protobuf::Type>> messages_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::unique_ptr<google::protobuf::Enum>> enums_
      ABSL_GUARDED_BY(mu_);
};

// protobuf's JsonStringToMessage through the caching resolver of the message's pool.
google::protobuf::util::Status JsonToMessage(absl::string_view json, Message* message,
                                             const google::protobuf::util::JsonParseOptions& o) {
  const google::protobuf::DescriptorPool* pool = message->GetDescriptor()->file()->pool();
  static absl::Mutex resolvers_mu(absl::kConstInit);
  static auto* resolvers = new absl::flat_hash_map<const google::protobuf::DescriptorPool*,
                                                   std::unique_ptr<CachingTypeResolver>>();
  CachingTypeResolver* resolver;
  {
    absl::MutexLock lock(&resolvers_mu);
    std::unique_ptr<CachingTypeResolver>& slot = (*resolvers)[pool];
    if (slot == nullptr) slot = std::make_unique<CachingTypeResolver>(pool);
    resolver = slot.get();
  }
  std::string binary;
  google::protobuf::util::Status status = google::protobuf::util::JsonToBinaryString(
      resolver,
      absl::StrCat(CachingTypeResolver::kTypeUrlPrefix, "/", message->GetDescriptor()->full_name()),
      google::protobuf::StringPiece(json.data(), json.size()), &binary, o);
  if (status.ok() && !message->ParseFromString(binary)) {
    return google::protobuf::util::InvalidArgumentError(
        "JSON transcoder produced invalid protobuf output.");
  }
  return status;
}

absl::Status ParseJsonAt(absl::string_view content, int line, int column,
                         const std::string& path_prefix, Message* message, SourceMap* source_map) {
  JsonScanner scanner(content, source_map, line, column);
  absl::Status syntax = scanner.Scan(path_prefix);
  if (!syntax.ok()) return syntax;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = JsonToMessage(content, message, options);
  if (!status.ok()) {
    message->Clear();
    std::string path;
    std::string what =
        DescribeJsonError(absl::string_view(status.message().data(), status.message().size()),
                          message->GetDescriptor()->full_name(), &path);
    if (!path_prefix.empty()) {
      // Protobuf named the field within the record; name it within the file.
      what = path.empty() ? absl::StrCat(path_prefix, ": ", what)
                          : absl::StrCat(path_prefix, ".", what);
      path = path.empty() ? path_prefix : Join(path_prefix, path);
    }
    const std::string where = path.empty() ? source_map->filename() : source_map->Where(path);
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseJsonRecord(absl::string_view content, absl::string_view filename, int line,
                             int column, const std::string& path, Message* message,
                             SourceMap* source_map) {
  *source_map = SourceMap(std::string(filename));
  message->Clear();
  FENGQIAO_RETURN_IF_ERROR(ParseJsonAt(content, line, column, path, message, source_map));
  return CheckFieldsAt(*message, path, *source_map);
}

absl::Status ParseProto(absl::string_view content, absl::string_view filename, Message* message,
                        SourceMap* source_map) {
  *source_map = SourceMap(std::string(filename));
  message->Clear();
  if (FormatForFilename(filename) == ProtoFormat::kJson) {
    FENGQIAO_RETURN_IF_ERROR(ParseJsonAt(content, 1, 1, "", message, source_map));
  } else {
    CollectingErrors errors;
    TextFormat::ParseInfoTree tree;
    TextFormat::Parser parser;
    parser.RecordErrorsTo(&errors);
    parser.WriteLocationsTo(&tree);
    google::protobuf::io::ArrayInputStream input(content.data(), static_cast<int>(content.size()));
    if (!parser.Parse(&input, message)) {
      message->Clear();
      std::vector<std::string> lines;
      for (const std::string& e : errors.errors()) lines.push_back(absl::StrCat(filename, ":", e));
      if (lines.empty()) lines.push_back(absl::StrCat(filename, ": could not parse text format"));
      return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
    }
    RecordTextPositions(*message, tree, "", source_map);
  }
  return CheckFields(*message, *source_map);
}

absl::Status ReadFile(absl::string_view path, std::string* content, int64_t max_bytes) {
  const std::string name(path);
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(name, error);
  if (status.type() == std::filesystem::file_type::not_found) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open file"));
  }
  // A directory opens as a stream that reads nothing (it would parse as an empty message); a
  // device such as /dev/zero never ends.
  if (status.type() == std::filesystem::file_type::directory) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": is a directory, not a file"));
  }
  if (!error && status.type() != std::filesystem::file_type::regular) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a regular file (a device, FIFO or socket is not read)"));
  }
  std::ifstream in{name, std::ios::binary};
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open file"));
  std::string out;
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof(buffer));
    const std::streamsize got = in.gcount();
    if (got <= 0) break;
    if (static_cast<int64_t>(out.size()) + got > max_bytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat(path, ": larger than ", max_bytes, " bytes, not read"));
    }
    out.append(buffer, static_cast<size_t>(got));
  }
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
  *content = std::move(out);
  return absl::OkStatus();
}

absl::Status LoadProtoFile(absl::string_view path, Message* message, SourceMap* source_map) {
  std::string content;
  absl::Status status = ReadFile(path, &content);
  if (!status.ok()) return status;
  return ParseProto(content, path, message, source_map);
}

absl::Status CheckFields(const Message& message, const SourceMap& source_map) {
  return CheckFieldsAt(message, "", source_map);
}

}  // namespace fengqiao::internal
