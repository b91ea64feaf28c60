#include "fengqiao/routing/rule_source.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fengqiao/status_macros.h"
#include "internal/proto_files.h"

namespace fengqiao {

RuleSetSource::~RuleSetSource() = default;

absl::StatusOr<RuleSetSource> RuleSetSource::Load(absl::string_view path) {
  std::string content;
  FENGQIAO_RETURN_IF_ERROR(internal::ReadFile(path, &content));
  return Parse(content, path);
}

absl::StatusOr<RuleSetSource> RuleSetSource::Parse(absl::string_view content,
                                                   absl::string_view filename) {
  // Inheritance reads only regular files under the folder of the file named here.
  std::vector<std::string> chain;
  const std::string root =
      std::filesystem::weakly_canonical(std::filesystem::path(std::string(filename)).parent_path())
          .string();
  return ParseChain(content, filename, root, &chain);
}

RuleSetSource RuleSetSource::FromProto(v1::RuleSet rule_set) {
  RuleSetSource out;
  out.maps_.push_back(std::make_shared<internal::SourceMap>());
  out.files_.push_back("");
  for (int i = 0; i < rule_set.rules_size(); ++i) {
    out.origins_.push_back({0, absl::StrCat("rules[", i, "]")});
  }
  out.proto_ = std::move(rule_set);
  return out;
}

absl::StatusOr<RuleSetSource> RuleSetSource::ParseChain(absl::string_view content,
                                                        absl::string_view filename,
                                                        const std::string& root,
                                                        std::vector<std::string>* chain) {
  const std::string name(filename);
  chain->push_back(std::filesystem::weakly_canonical(name).string());

  v1::RuleSet own;
  auto map = std::make_shared<internal::SourceMap>();
  FENGQIAO_RETURN_IF_ERROR(internal::ParseProto(content, filename, &own, map.get()));

  RuleSetSource out;
  out.maps_.push_back(map);
  out.files_.push_back(name);
  if (own.inherits().empty()) {
    for (int i = 0; i < own.rules_size(); ++i) {
      out.origins_.push_back({0, absl::StrCat("rules[", i, "]")});
    }
    out.proto_ = std::move(own);
    return out;
  }

  // The parent: a regular file under the root (the folder of the first file), read with the
  // size limit of every input; where it fails, the error is at this file's `inherits`.
  const std::string where =
      absl::StrCat(map->Where("inherits"), ": inherits \"", own.inherits(), "\": ");
  const std::filesystem::path parent_path =
      std::filesystem::path(name).parent_path() / own.inherits();
  const std::string parent_canonical = std::filesystem::weakly_canonical(parent_path).string();
  const std::filesystem::path relative =
      std::filesystem::path(parent_canonical).lexically_relative(root);
  if (relative.empty() || *relative.begin() == "..") {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "outside the rule files' folder ", root, "; not read"));
  }
  if (std::find(chain->begin(), chain->end(), parent_canonical) != chain->end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, "inheritance cycle: ", absl::StrJoin(*chain, " -> "), " -> ", parent_canonical));
  }
  std::string parent_content;
  absl::Status read = internal::ReadFile(parent_path.string(), &parent_content);
  if (!read.ok()) return absl::Status(read.code(), absl::StrCat(where, read.message()));
  FENGQIAO_ASSIGN_OR_RETURN(RuleSetSource parent,
                            ParseChain(parent_content, parent_path.string(), root, chain));

  // Parent files come after ours; their origins shift by one.
  for (auto& m : parent.maps_) out.maps_.push_back(m);
  for (auto& f : parent.files_) out.files_.push_back(f);

  absl::flat_hash_map<std::string, int> parent_index;
  for (int i = 0; i < parent.proto_.rules_size(); ++i) {
    parent_index.emplace(parent.proto_.rules(i).id(), i);
  }
  v1::RuleSet merged;
  merged.set_name(own.name().empty() ? parent.proto_.name() : own.name());
  merged.set_version(own.version().empty() ? parent.proto_.version() : own.version());
  merged.set_hit_policy(own.hit_policy() != v1::HIT_POLICY_UNSPECIFIED
                            ? own.hit_policy()
                            : parent.proto_.hit_policy());
  std::vector<Origin> parent_origins = parent.origins_;
  for (Origin& o : parent_origins) o.file += 1;
  v1::RuleSet parent_rules = parent.proto_;
  // New local rules first, in their order; overrides replace the parent's rule in place.
  for (int i = 0; i < own.rules_size(); ++i) {
    const v1::Rule& rule = own.rules(i);
    auto it = rule.id().empty() ? parent_index.end() : parent_index.find(rule.id());
    if (it != parent_index.end()) {
      *parent_rules.mutable_rules(it->second) = rule;
      parent_origins[it->second] = {0, absl::StrCat("rules[", i, "]")};
      continue;
    }
    *merged.add_rules() = rule;
    out.origins_.push_back({0, absl::StrCat("rules[", i, "]")});
  }
  for (int i = 0; i < parent_rules.rules_size(); ++i) {
    *merged.add_rules() = parent_rules.rules(i);
    out.origins_.push_back(parent_origins[i]);
  }
  out.proto_ = std::move(merged);
  return out;
}

std::string RuleSetSource::Where(int rule, absl::string_view field) const {
  if (rule < 0 || rule >= static_cast<int>(origins_.size())) return files_.empty() ? "" : files_[0];
  const Origin& o = origins_[rule];
  return maps_[o.file]->Where(field.empty() ? o.path : absl::StrCat(o.path, ".", field));
}

std::string RuleSetSource::WhereTop(absl::string_view field) const {
  return maps_.empty() ? std::string() : maps_[0]->Where(field);
}

}  // namespace fengqiao
