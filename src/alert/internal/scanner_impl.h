// Internal: the compiled state of a MessageScanner (shared by scanning and the lint).
#ifndef FENGQIAO_SRC_ALERT_INTERNAL_SCANNER_IMPL_H_
#define FENGQIAO_SRC_ALERT_INTERNAL_SCANNER_IMPL_H_

#include <re2/re2.h>
#include <re2/set.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "alert/internal/hyperscan_set.h"
#include "fengqiao/alert/message_scanner.h"
#include "internal/proto_files.h"

namespace fengqiao::alert {

struct MessageScanner::Impl {
  struct File {
    v1::ScanRuleSet rules;
    std::shared_ptr<internal::SourceMap> map;
  };
  struct Origin {
    int file;
    std::string path;  // "rules[3]" in that file
  };

  static absl::StatusOr<std::shared_ptr<const MessageScanner>> Build(
      std::vector<File> files, std::shared_ptr<const Normalizer> normalizer,
      ScannerOptions options);

  // The leftmost match of rule `rule` in `text`, if any.
  bool Locate(int rule, const NormalizedText& text, ScanHit* hit) const;

  // Whether a hit of `rule` counts, given which extra patterns match (`matches(k)`): one of its
  // context patterns (if any) and none of its negation patterns.
  template <typename Matches>
  bool Counts(int rule, Matches matches) const {
    for (int k : unless[rule]) {
      if (matches(k)) return false;
    }
    if (context[rule].empty()) return true;
    for (int k : context[rule]) {
      if (matches(k)) return true;
    }
    return false;
  }

  std::vector<std::unique_ptr<RE2>> patterns;  // per rule
  std::vector<std::unique_ptr<RE2>> extras;    // distinct context / negation patterns
  std::vector<std::vector<int>> context;       // per rule: indices into extras
  std::vector<std::vector<int>> unless;
  // The engine's database (one of the two): rule i -> entry i, extra k -> entry rules + k.
  std::unique_ptr<RE2::Set> set;
  std::unique_ptr<HyperscanSet> hyperscan;
  // Per entry of the RE2::Set: whether it holds a superset (a set hit must be confirmed by RE2).
  std::vector<char> relaxed;
  int entries = 0;
  std::vector<std::shared_ptr<internal::SourceMap>> maps;
  std::vector<Origin> origins;
  absl::flat_hash_map<std::string, int> by_id;
};

}  // namespace fengqiao::alert

#endif  // FENGQIAO_SRC_ALERT_INTERNAL_SCANNER_IMPL_H_
