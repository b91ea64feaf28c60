// Internal: a Hyperscan block-mode database over the scanner's patterns, the alternative to
// RE2::Set. Hyperscan finds what it can decide exactly and narrows the rest to a few candidates
// for RE2:
// - a pattern is split into its top-level alternatives (a group that is a whole alternative is
//   opened);
// - the alternatives without a wide gap (a negated or non-ASCII class, '.', or a group, repeated
//   by *, + or {m,n}) go to Hyperscan together, as written: one "exact" unit whose hit is the
//   pattern's hit (when the syntax means the same in both engines, else RE2 confirms it);
// - each alternative with a wide gap goes to Hyperscan as its longest gap-free segment (every
//   match of the alternative contains a match of it): a "candidate" unit, whose hit runs the
//   alternative's own RE2 (small, so quick) to confirm it.
// A bounded gap such as [^。!?]{0,40} in UTF-8 makes Hyperscan's compile take seconds and its
// scan run a large automaton per message; narrowed, the database is mostly literals.
#ifndef FENGQIAO_SRC_ALERT_INTERNAL_HYPERSCAN_SET_H_
#define FENGQIAO_SRC_ALERT_INTERNAL_HYPERSCAN_SET_H_

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct hs_database;

namespace fengqiao::alert {

class HyperscanSet {
 public:
  // What one scan found.
  struct Matches {
    // Per pattern: 0 no match, 1 a candidate unit hit (Confirm decides), 2 matched.
    std::vector<char> entries;
    // Per unit: hit.
    std::vector<char> units;
    // The patterns marked 1 or 2, in the order Hyperscan first reported them.
    std::vector<int> reported;
  };

  // `patterns` are RE2 patterns that RE2 compiles with `options`; pattern i is entry i.
  static absl::StatusOr<std::unique_ptr<HyperscanSet>> Compile(
      const std::vector<std::string>& patterns, const RE2::Options& options);
  ~HyperscanSet();
  HyperscanSet(const HyperscanSet&) = delete;
  HyperscanSet& operator=(const HyperscanSet&) = delete;

  // Scans `text` (valid UTF-8); `matches` is resized and filled.
  absl::Status Scan(absl::string_view text, Matches* matches) const;
  // Whether pattern `entry`, marked 1 by Scan of `text`, matches: the RE2 of each of its units
  // that hit, until one matches.
  bool Confirm(int entry, absl::string_view text, const Matches& matches) const;

  // Units in the database: exact ones, candidate ones; and units left out of it (Hyperscan
  // refuses them even in prefilter mode: a candidate on every message).
  int exact_units() const { return exact_units_; }
  int candidate_units() const { return candidate_units_; }
  int always_units() const { return static_cast<int>(always_.size()); }

  // Whether Hyperscan (UTF-8, no UCP) and RE2 (UTF-8) agree on every text for this pattern: a
  // conservative syntactic check.
  static bool SameSemantics(absl::string_view pattern);

 private:
  struct Unit {
    int entry = 0;
    // A hit is the pattern's hit; else `confirm` decides.
    bool exact = false;
    std::unique_ptr<RE2> confirm;
  };
  HyperscanSet() = default;
  hs_database* db_ = nullptr;
  std::vector<Unit> units_;
  std::vector<std::vector<int>> entry_units_;  // per pattern: its non-exact units
  std::vector<int> always_;
  // Per unit, for the match callback: its pattern, and whether it is exact.
  std::vector<int> unit_entry_;
  std::vector<char> unit_exact_;
  int exact_units_ = 0;
  int candidate_units_ = 0;
  // Distinguishes databases for the per-thread scratch (an address may be reused).
  uint64_t serial_ = 0;
};

}  // namespace fengqiao::alert

#endif  // FENGQIAO_SRC_ALERT_INTERNAL_HYPERSCAN_SET_H_
