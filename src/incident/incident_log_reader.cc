// Incident logs read one incident at a time. A JSON IncidentLog is split element by element with
// a small scanner that only finds where each value ends (strings, escapes, nesting) and counts
// lines and columns; each element is then parsed and checked by the same JSON path as any other
// file (internal::ParseJsonRecord), told where it starts, so errors carry the file's positions.
#include "fengqiao/incident/incident_log_reader.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/status_macros.h"
#include "internal/proto_files.h"

namespace fengqiao {

// One way of cutting a file into incidents.
class IncidentLogReader::Source {
 public:
  virtual ~Source() = default;
  // The next incident and where its fields are (paths under `*prefix`); false at the end.
  virtual absl::StatusOr<bool> Next(v1::Incident* incident, internal::SourceMap* map,
                                    std::string* prefix) = 0;
  virtual std::string name() const { return ""; }
};

namespace {

bool IsSpace(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Characters of a stream with their line and column (columns count code points).
class Chars {
 public:
  explicit Chars(std::istream& in) : buf_(in.rdbuf()) {}
  int Peek() const { return buf_ == nullptr ? -1 : buf_->sgetc(); }
  int Get() {
    const int c = buf_ == nullptr ? -1 : buf_->sbumpc();
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if (c >= 0 && (c & 0xC0) != 0x80) {
      ++column_;
    }
    return c;
  }
  void SkipSpace() {
    while (IsSpace(Peek())) Get();
  }
  int line() const { return line_; }
  int column() const { return column_; }

 private:
  std::streambuf* buf_;
  int line_ = 1;
  int column_ = 1;
};

// Splits {"name": ..., "incidents": [...]} into its incidents without reading ahead.
class JsonLogSource : public IncidentLogReader::Source {
 public:
  JsonLogSource(std::istream& in, std::string filename, int64_t max_bytes)
      : chars_(in), filename_(std::move(filename)), max_bytes_(max_bytes) {}

  absl::StatusOr<bool> Next(v1::Incident* incident, internal::SourceMap* map,
                            std::string* prefix) override {
    prefix->clear();
    if (state_ == State::kStart) {
      chars_.SkipSpace();
      if (chars_.Peek() != '{') return Error("expected a JSON object (an IncidentLog)");
      chars_.Get();
      state_ = State::kMembers;
    }
    while (true) {
      if (state_ == State::kElements) {
        chars_.SkipSpace();
        if (chars_.Peek() == ']') {
          chars_.Get();
          state_ = State::kMembers;
          continue;
        }
        if (!first_) {
          if (chars_.Peek() != ',') return Error("expected ',' or ']' after an incident");
          chars_.Get();
          chars_.SkipSpace();
        }
        first_ = false;
        const int line = chars_.line(), column = chars_.column();
        std::string text;
        FENGQIAO_RETURN_IF_ERROR(Capture(&text));
        *prefix = absl::StrCat("incidents[", index_++, "]");
        FENGQIAO_RETURN_IF_ERROR(
            internal::ParseJsonRecord(text, filename_, line, column, *prefix, incident, map));
        return true;
      }
      if (state_ == State::kEnd) return false;
      // Members of the top-level object.
      chars_.SkipSpace();
      if (chars_.Peek() == '}') {
        chars_.Get();
        chars_.SkipSpace();
        if (chars_.Peek() != -1) return Error("unexpected text after the JSON value");
        state_ = State::kEnd;
        return false;
      }
      if (members_ > 0) {
        if (chars_.Peek() != ',') return Error("expected ',' or '}' after a member");
        chars_.Get();
        chars_.SkipSpace();
      }
      ++members_;
      const int key_line = chars_.line(), key_column = chars_.column();
      std::string key;
      if (chars_.Peek() != '"') return Error("expected a member name in quotes");
      FENGQIAO_RETURN_IF_ERROR(Capture(&key));
      chars_.SkipSpace();
      if (chars_.Peek() != ':') return Error("expected ':' after a member name");
      chars_.Get();
      chars_.SkipSpace();
      if (key == "\"incidents\"") {
        if (seen_incidents_) return ErrorAt(key_line, key_column, "duplicate key \"incidents\"");
        seen_incidents_ = true;
        if (chars_.Peek() != '[') return Error("\"incidents\" must be an array");
        chars_.Get();
        first_ = true;
        state_ = State::kElements;
      } else if (key == "\"name\"") {
        if (seen_name_) return ErrorAt(key_line, key_column, "duplicate key \"name\"");
        seen_name_ = true;
        const int line = chars_.line(), column = chars_.column();
        std::string value;
        FENGQIAO_RETURN_IF_ERROR(Capture(&value));
        v1::IncidentLog header;
        internal::SourceMap header_map;
        // `{"name":` is 8 columns: the value keeps its own line:col.
        FENGQIAO_RETURN_IF_ERROR(internal::ParseJsonRecord(absl::StrCat("{\"name\":", value, "}"),
                                                           filename_, line, column - 8, "", &header,
                                                           &header_map));
        name_ = header.name();
      } else {
        return ErrorAt(key_line, key_column,
                       "a member that fengqiao.v1.IncidentLog does not have (it has \"name\" "
                       "and \"incidents\")");
      }
    }
  }

  std::string name() const override { return name_; }

 private:
  enum class State { kStart, kMembers, kElements, kEnd };

  absl::Status Error(absl::string_view what) const {
    return ErrorAt(chars_.line(), chars_.column(),
                   chars_.Peek() == -1 ? "unexpected end of input" : what);
  }
  absl::Status ErrorAt(int line, int column, absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat(filename_, ":", line, ":", column, ": JSON syntax error: ", what));
  }

  // The text of the value that starts here: an object, an array, a string or a scalar.
  absl::Status Capture(std::string* out) {
    out->clear();
    const int line = chars_.line(), column = chars_.column();
    int depth = 0;
    bool in_string = false;
    while (true) {
      const int c = chars_.Peek();
      if (c == -1) {
        if (depth == 0 && !in_string && !out->empty()) return absl::OkStatus();
        return Error("unexpected end of input");
      }
      if (!in_string && depth == 0 && !out->empty() && (*out)[0] != '"' &&
          (IsSpace(c) || c == ',' || c == '}' || c == ']')) {
        return absl::OkStatus();  // the end of a scalar
      }
      chars_.Get();
      out->push_back(static_cast<char>(c));
      if (static_cast<int64_t>(out->size()) > max_bytes_) {
        return absl::ResourceExhaustedError(
            absl::StrCat(filename_, ":", line, ":", column, ": a value longer than ", max_bytes_,
                         " bytes (IncidentLogReader::Options::max_incident_bytes)"));
      }
      if (in_string) {
        if (c == '\\') {
          const int escaped = chars_.Get();
          if (escaped == -1) return Error("unexpected end of input");
          out->push_back(static_cast<char>(escaped));
        } else if (c == '"') {
          in_string = false;
          if (depth == 0) return absl::OkStatus();
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth < 0) return ErrorAt(line, column, "unbalanced brackets");
        if (depth == 0) return absl::OkStatus();
      }
    }
  }

  Chars chars_;
  std::string filename_;
  int64_t max_bytes_;
  State state_ = State::kStart;
  bool first_ = true, seen_incidents_ = false, seen_name_ = false;
  int members_ = 0;
  int64_t index_ = 0;
  std::string name_;
};

// One incident per line; blank lines are skipped.
class JsonLinesSource : public IncidentLogReader::Source {
 public:
  JsonLinesSource(std::istream& in, std::string filename, int64_t max_bytes)
      : chars_(in), filename_(std::move(filename)), max_bytes_(max_bytes) {}

  absl::StatusOr<bool> Next(v1::Incident* incident, internal::SourceMap* map,
                            std::string* prefix) override {
    prefix->clear();
    while (chars_.Peek() != -1) {
      const int line = chars_.line();
      std::string text;
      bool blank = true;
      for (int c = chars_.Get(); c != -1 && c != '\n'; c = chars_.Get()) {
        text.push_back(static_cast<char>(c));
        blank = blank && IsSpace(c);
        if (static_cast<int64_t>(text.size()) > max_bytes_) {
          return absl::ResourceExhaustedError(
              absl::StrCat(filename_, ":", line, ":1: a line longer than ", max_bytes_,
                           " bytes (IncidentLogReader::Options::max_incident_bytes)"));
        }
      }
      if (blank) continue;
      FENGQIAO_RETURN_IF_ERROR(
          internal::ParseJsonRecord(text, filename_, line, 1, "", incident, map));
      return true;
    }
    return false;
  }

 private:
  Chars chars_;
  std::string filename_;
  int64_t max_bytes_;
};

// Protobuf text format: parsed whole, then handed out one at a time.
class TextSource : public IncidentLogReader::Source {
 public:
  static absl::StatusOr<std::unique_ptr<TextSource>> Read(std::istream& in,
                                                          const std::string& filename) {
    std::string content;
    char chunk[1 << 16];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
      content.append(chunk, static_cast<size_t>(in.gcount()));
      if (static_cast<int64_t>(content.size()) > internal::kMaxInputFileBytes) {
        return absl::ResourceExhaustedError(
            absl::StrCat(filename, ": larger than ", internal::kMaxInputFileBytes, " bytes"));
      }
    }
    auto source = std::unique_ptr<TextSource>(new TextSource());
    FENGQIAO_RETURN_IF_ERROR(internal::ParseProto(content, filename, &source->log_, &source->map_));
    return source;
  }

  absl::StatusOr<bool> Next(v1::Incident* incident, internal::SourceMap* map,
                            std::string* prefix) override {
    if (next_ >= log_.incidents_size()) return false;
    *prefix = absl::StrCat("incidents[", next_, "]");
    incident->Swap(log_.mutable_incidents(next_++));
    *map = map_;
    return true;
  }
  std::string name() const override { return log_.name(); }

 private:
  TextSource() = default;
  v1::IncidentLog log_;
  internal::SourceMap map_;
  int next_ = 0;
};

bool IsJsonLines(absl::string_view filename) {
  return absl::EndsWith(filename, ".jsonl") || absl::EndsWith(filename, ".ndjson");
}

}  // namespace

IncidentLogReader::IncidentLogReader(std::unique_ptr<Source> source, std::string filename,
                                     const GridMap& grid_map)
    : source_(std::move(source)), filename_(std::move(filename)), grid_map_(grid_map) {}

IncidentLogReader::~IncidentLogReader() = default;

absl::StatusOr<std::unique_ptr<IncidentLogReader>> IncidentLogReader::FromStream(
    std::istream& input, absl::string_view filename, const GridMap& grid_map,
    const Options& options) {
  const std::string name(filename);
  std::unique_ptr<Source> source;
  if (IsJsonLines(name)) {
    source = std::make_unique<JsonLinesSource>(input, name, options.max_incident_bytes);
  } else if (internal::FormatForFilename(name) == internal::ProtoFormat::kJson) {
    source = std::make_unique<JsonLogSource>(input, name, options.max_incident_bytes);
  } else {
    FENGQIAO_ASSIGN_OR_RETURN(source, TextSource::Read(input, name));
  }
  return std::unique_ptr<IncidentLogReader>(
      new IncidentLogReader(std::move(source), name, grid_map));
}

absl::StatusOr<std::unique_ptr<IncidentLogReader>> IncidentLogReader::Open(absl::string_view path,
                                                                           const GridMap& grid_map,
                                                                           const Options& options) {
  const std::string name(path);
  std::error_code error;
  const auto status = std::filesystem::status(name, error);
  if (error || !std::filesystem::exists(status)) {
    return absl::NotFoundError(absl::StrCat(name, ": cannot open file"));
  }
  if (std::filesystem::is_directory(status)) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": is a directory, not a file"));
  }
  if (!std::filesystem::is_regular_file(status)) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": is not a regular file (a device, FIFO or socket is not read)"));
  }
  auto file = std::make_unique<std::ifstream>(name, std::ios::binary);
  if (!*file) return absl::NotFoundError(absl::StrCat(name, ": cannot open file"));
  FENGQIAO_ASSIGN_OR_RETURN(std::unique_ptr<IncidentLogReader> reader,
                            FromStream(*file, name, grid_map, options));
  reader->owned_input_ = std::move(file);  // destroyed after the source reading it
  return reader;
}

absl::Status IncidentLogReader::Accept(const v1::Incident& incident, const std::string& where_id,
                                       const std::function<std::string(absl::string_view)>& where) {
  absl::Status status = ValidateIncident(incident, grid_map_);
  if (!status.ok()) {
    // Point at the field the validator names, e.g. `incident "x": grid_code: ...`.
    std::string field;
    const std::string message(status.message());
    const size_t start = message.find("\": ");
    if (start != std::string::npos) {
      const size_t end = message.find(':', start + 3);
      if (end != std::string::npos) field = message.substr(start + 3, end - start - 3);
    }
    return absl::InvalidArgumentError(absl::StrCat(where(field), ": ", status.message()));
  }
  // Only "line:col" is kept per id: the file name is the same for all.
  absl::string_view position = where_id;
  absl::ConsumePrefix(&position, filename_);
  absl::ConsumePrefix(&position, ":");
  auto [it, inserted] = first_seen_.emplace(incident.id(), std::string(position));
  if (!inserted) {
    return absl::InvalidArgumentError(absl::StrCat(where_id, ": duplicate incident id \"",
                                                   incident.id(), "\" (first at ", filename_, ":",
                                                   it->second, ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> IncidentLogReader::Next(v1::Incident* incident) {
  if (!failed_.ok()) return failed_;
  if (done_) return false;
  internal::SourceMap map;
  std::string prefix;
  absl::StatusOr<bool> more = source_->Next(incident, &map, &prefix);
  if (more.ok() && !*more) {
    done_ = true;
    name_ = source_->name();
    return false;
  }
  absl::Status status = more.status();
  if (status.ok()) {
    auto where = [&](absl::string_view field) {
      if (prefix.empty()) return map.Where(field);
      return map.Where(field.empty() ? prefix : absl::StrCat(prefix, ".", field));
    };
    status = Accept(*incident, where("id"), where);
  }
  if (!status.ok()) {
    failed_ = status;
    incident->Clear();
    return status;
  }
  ++count_;
  return true;
}

}  // namespace fengqiao
