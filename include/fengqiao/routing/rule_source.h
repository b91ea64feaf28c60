// File: fengqiao/routing/rule_source.h
// A RuleSetSource is a routing rule set as written (protobuf text format, or JSON for ".json"),
// with its inheritance resolved and the position of every rule remembered, so that compiling and
// linting can name file:line:col. A street's rule set may inherit its district's
// (`inherits: "district.textproto"`, relative to the file): a rule with the id of a parent rule
// replaces it in place; new rules come before the parent's, as local overrides do.
//
//   absl::StatusOr<fengqiao::RuleSetSource> src =
//       fengqiao::RuleSetSource::Load("examples/rules/street_cz.textproto");
//   // src->proto() holds the merged rules; src->Where(3, "when.amount_fen") names the place.
//
// Thread safety: immutable after Load/Parse; const methods are safe from any thread.
#ifndef FENGQIAO_ROUTING_RULE_SOURCE_H_
#define FENGQIAO_ROUTING_RULE_SOURCE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fengqiao/v1/routing.pb.h"

namespace fengqiao {

namespace internal {
class SourceMap;
}  // namespace internal

class RuleSetSource {
 public:
  // Reads the rule set at `path` and, recursively, the files it inherits (cycles are an error).
  static absl::StatusOr<RuleSetSource> Load(absl::string_view path);
  // From text in memory. `filename` names it and picks the format; an `inherits` is read relative
  // to the directory of `filename`.
  static absl::StatusOr<RuleSetSource> Parse(absl::string_view content, absl::string_view filename);
  // From a rule set built in code (no inheritance, no file positions).
  static RuleSetSource FromProto(v1::RuleSet rule_set);

  RuleSetSource(const RuleSetSource&) = default;
  RuleSetSource& operator=(const RuleSetSource&) = default;
  RuleSetSource(RuleSetSource&&) = default;
  RuleSetSource& operator=(RuleSetSource&&) = default;
  ~RuleSetSource();

  // The merged rule set: the child's name, version and hit policy (the parent's when unset), its
  // rules with overrides applied.
  const v1::RuleSet& proto() const { return proto_; }

  // "file:line:col" of `field` ("when.amount_fen", or "" for the rule itself) of merged rule
  // `rule`, in whichever file the rule came from.
  std::string Where(int rule, absl::string_view field = "") const;
  // "file:line:col" of a top-level field of the child file ("hit_policy", "rules").
  std::string WhereTop(absl::string_view field) const;

  // The files read, child first.
  const std::vector<std::string>& files() const { return files_; }

 private:
  RuleSetSource() = default;
  struct Origin {
    int file;          // index into maps_
    std::string path;  // "rules[7]" within that file
  };
  v1::RuleSet proto_;
  std::vector<Origin> origins_;
  std::vector<std::shared_ptr<const internal::SourceMap>> maps_;
  std::vector<std::string> files_;

  static absl::StatusOr<RuleSetSource> ParseChain(absl::string_view content,
                                                  absl::string_view filename,
                                                  const std::string& root,
                                                  std::vector<std::string>* chain);
};

}  // namespace fengqiao

#endif  // FENGQIAO_ROUTING_RULE_SOURCE_H_
