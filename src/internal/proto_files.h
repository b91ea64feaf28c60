// Internal: reading protobuf messages from text format or JSON files, remembering where every
// field was, so that validation errors can name "file:line:col" and the offending item.
#ifndef FENGQIAO_SRC_INTERNAL_PROTO_FILES_H_
#define FENGQIAO_SRC_INTERNAL_PROTO_FILES_H_

#include <cstdint>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace fengqiao::internal {

// Where the fields of one parsed message were in its source text. Paths read like
// "areas[3].parent_code"; positions are 1-based line and column.
class SourceMap {
 public:
  SourceMap() = default;
  explicit SourceMap(std::string filename) : filename_(std::move(filename)) {}

  // "file:line:col" of the path, or of its nearest located prefix; "file" when nothing is known;
  // "<path>" when the message did not come from a file.
  std::string Where(absl::string_view path) const;

  const std::string& filename() const { return filename_; }
  void Record(std::string path, int line, int column);

 private:
  std::string filename_;
  absl::flat_hash_map<std::string, std::pair<int, int>> positions_;
};

// File format, chosen from the file name: ".json" is JSON, anything else protobuf text format.
enum class ProtoFormat { kText, kJson };
ProtoFormat FormatForFilename(absl::string_view filename);

// Parses `content` (named `filename` in messages) into `message`, filling `source_map`.
// Errors name file:line:col and the item at fault. Every field is checked (CheckFields).
absl::Status ParseProto(absl::string_view content, absl::string_view filename,
                        google::protobuf::Message* message, SourceMap* source_map);

// Parses one JSON message that starts at `line`:`column` of `filename`: a record of a larger file
// read piece by piece (IncidentLogReader), at `path` in it (e.g. "incidents[3]"). Errors and
// `source_map` carry the file's positions and paths.
absl::Status ParseJsonRecord(absl::string_view content, absl::string_view filename, int line,
                             int column, const std::string& path,
                             google::protobuf::Message* message, SourceMap* source_map);

// The largest input file read (rule sets, grid maps, rosters, incident logs): 1 GiB.
inline constexpr int64_t kMaxInputFileBytes = int64_t{1} << 30;

// Protobuf's JSON parse error `message` for a `type` (full name) as an error may print it: the
// field path (set in `path` when protobuf names one) and what is wrong, never the offending value
// or a snippet of the input (protobuf's own messages echo both).
std::string DescribeJsonError(absl::string_view message, absl::string_view type, std::string* path);

// Reads the whole file at `path`, which must be a regular file (a directory, a device such as
// /dev/zero, a FIFO or a socket is refused before anything is read) of at most `max_bytes`
// (ResourceExhausted past it, checked while reading, so a file that grows is bounded too).
// NotFound when missing. Messages name the path, never the content.
absl::Status ReadFile(absl::string_view path, std::string* content,
                      int64_t max_bytes = kMaxInputFileBytes);

// Reads and parses the file at `path`.
absl::Status LoadProtoFile(absl::string_view path, google::protobuf::Message* message,
                           SourceMap* source_map);

// Checks every field (recursively) the way a parse should have: strings hold valid UTF-8, enums
// hold numbers their enum defines (proto3 keeps undefined ones: `kind: 99`). InvalidArgument
// names file:line:col (when `source_map` has it), the field path and, for an enum, the number.
absl::Status CheckFields(const google::protobuf::Message& message, const SourceMap& source_map);

}  // namespace fengqiao::internal

#endif  // FENGQIAO_SRC_INTERNAL_PROTO_FILES_H_
