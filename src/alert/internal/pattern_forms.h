// Internal: the forms a scanning pattern takes in a multi-pattern engine. Each is a superset of
// the pattern (every text the pattern matches, the form matches too), so an engine hit on a form
// is confirmed by the pattern's own RE2.
#ifndef FENGQIAO_SRC_ALERT_INTERNAL_PATTERN_FORMS_H_
#define FENGQIAO_SRC_ALERT_INTERNAL_PATTERN_FORMS_H_

#include <re2/re2.h>

#include <string>
#include <vector>

namespace fengqiao::alert {

// Every counted repetition X{m,n} becomes X* (m == 0) or X+ (m > 0).
std::string RelaxForSet(const std::string& pattern);

// One top-level alternative of a pattern: its text, and the segments between its gaps (a
// character class or '.' repeated: *, + or {m,n}) that stand at parenthesis depth 0.
struct Alternative {
  std::string text;
  std::vector<std::string> segments{1};
};

// Splits `pattern` at the '|' of depth 0 and each alternative at its depth-0 gaps. An escape, a
// class and a nested group are copied whole.
std::vector<Alternative> TopLevelAlternatives(const std::string& pattern);

// Whether `pattern` holds a flag group such as (?i), which reaches across the '|' after it (so
// the pattern cannot be split into its alternatives).
bool HasFlagGroup(const std::string& pattern);

// The longest segment of `alt` that cannot match the empty string, or nullptr when `alt` has no
// depth-0 gap (or no such segment).
const std::string* LongestSegment(const Alternative& alt, const RE2::Options& options);

// The entry of `pattern` in an RE2::Set: each alternative with depth-0 gaps narrowed to its
// longest segment, the others relaxed.
std::string NarrowForSet(const std::string& pattern, const RE2::Options& options);

}  // namespace fengqiao::alert

#endif  // FENGQIAO_SRC_ALERT_INTERNAL_PATTERN_FORMS_H_
