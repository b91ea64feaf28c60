#include "alert/internal/pattern_forms.h"

namespace fengqiao::alert {

// A superset of `pattern` that RE2::Set's DFA handles well: every counted repetition X{m,n}
// becomes X* (m == 0) or X+ (m > 0). Bounded gaps such as [^,。!?;]{0,10} in many patterns at
// once multiply the DFA's states until its cache thrashes; the set only has to say which rules
// may match, and each candidate's exact RE2 confirms it.
std::string RelaxForSet(const std::string& pattern) {
  std::string out;
  out.reserve(pattern.size());
  const size_t n = pattern.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < n) {
      out.push_back(c);
      out.push_back(pattern[++i]);
      const char e = pattern[i];
      if ((e == 'p' || e == 'P' || e == 'x') && i + 1 < n && pattern[i + 1] == '{') {
        while (i + 1 < n && pattern[i] != '}') out.push_back(pattern[++i]);
      }
      continue;
    }
    if (c == '[') {
      // Copy the class verbatim: a leading ^ and a leading ] are part of it.
      out.push_back(pattern[i++]);
      if (i < n && pattern[i] == '^') out.push_back(pattern[i++]);
      if (i < n && pattern[i] == ']') out.push_back(pattern[i++]);
      while (i < n && pattern[i] != ']') {
        if (pattern[i] == '\\' && i + 1 < n) out.push_back(pattern[i++]);
        out.push_back(pattern[i++]);
      }
      if (i < n) out.push_back(pattern[i]);
      continue;
    }
    if (c == '{') {
      size_t j = i + 1;
      int min = 0;
      bool digits = false;
      while (j < n && pattern[j] >= '0' && pattern[j] <= '9') {
        min = min * 10 + (pattern[j++] - '0');
        digits = true;
      }
      if (digits && j < n && pattern[j] == ',') {
        ++j;
        while (j < n && pattern[j] >= '0' && pattern[j] <= '9') ++j;
      }
      if (digits && j < n && pattern[j] == '}') {
        out.push_back(min == 0 ? '*' : '+');
        i = j;
        continue;
      }
    }
    out.push_back(c);
  }
  return out;
}

std::vector<Alternative> TopLevelAlternatives(const std::string& pattern) {
  std::vector<Alternative> out(1);
  const size_t n = pattern.size();
  // The end of a repetition *, + or {m} / {m,} / {m,n} (lazy or not) starting at j, or 0.
  auto counted_end = [&](size_t j) -> size_t {
    if (j < n && (pattern[j] == '*' || pattern[j] == '+')) {
      return j + 1 < n && pattern[j + 1] == '?' ? j + 2 : j + 1;
    }
    if (j >= n || pattern[j] != '{') return 0;
    size_t k = j + 1;
    bool digits = false;
    while (k < n && pattern[k] >= '0' && pattern[k] <= '9') ++k, digits = true;
    if (k < n && pattern[k] == ',') {
      ++k;
      while (k < n && pattern[k] >= '0' && pattern[k] <= '9') ++k;
    }
    if (!digits || k >= n || pattern[k] != '}') return 0;
    ++k;
    return k < n && pattern[k] == '?' ? k + 1 : k;
  };
  int depth = 0;
  size_t i = 0;
  while (i < n) {
    const size_t start = i;
    const char c = pattern[i];
    if (c == '\\' && i + 1 < n) {
      i += 2;
    } else if (c == '[') {
      ++i;
      if (i < n && pattern[i] == '^') ++i;
      if (i < n && pattern[i] == ']') ++i;
      while (i < n && pattern[i] != ']') i += pattern[i] == '\\' && i + 1 < n ? 2 : 1;
      if (i < n) ++i;
    } else {
      ++i;
      if (c == '(') ++depth;
      if (c == ')') --depth;
      if (depth == 0 && c == '|') {
        out.emplace_back();
        continue;
      }
    }
    Alternative& alt = out.back();
    if (depth == 0 && (c == '[' || c == '.')) {
      if (const size_t end = counted_end(i); end != 0) {
        alt.text.append(pattern, start, end - start);
        alt.segments.emplace_back();
        i = end;
        continue;
      }
    }
    alt.text.append(pattern, start, i - start);
    alt.segments.back().append(pattern, start, i - start);
  }
  return out;
}

bool HasFlagGroup(const std::string& pattern) {
  for (size_t i = pattern.find("(?"); i != std::string::npos; i = pattern.find("(?", i + 1)) {
    if (i + 2 < pattern.size() && pattern[i + 2] != ':' && pattern[i + 2] != 'P') return true;
  }
  return false;
}

const std::string* LongestSegment(const Alternative& alt, const RE2::Options& options) {
  const std::string* best = nullptr;
  if (alt.segments.size() > 1) {
    for (const std::string& segment : alt.segments) {
      if (segment.empty() || (best != nullptr && segment.size() <= best->size())) continue;
      const RE2 re(segment, options);
      if (re.ok() && !RE2::FullMatch("", re)) best = &segment;
    }
  }
  return best;
}

// The entry of `pattern` in the set: a superset the set's DFA handles well. A gap such as
// [^。!?]* (or [^。!?]{0,12}, relaxed to [^。!?]*) keeps a thread alive for the rest of the message
// once its left side matched; many such rules at once make the DFA's states combinations of live
// threads, built anew for almost every message (on the labelled corpus's messages, whose
// spaces between clauses are gone, the 69 rules' verdict took 2.6 µs narrowed against 3-5 µs
// relaxed). So an alternative with gaps at depth 0 enters the set as its
// longest segment that cannot match the empty string (every match of the alternative contains
// a match of each segment); other alternatives are relaxed ({m,n} -> * or +). A candidate's
// exact RE2 confirms it.
std::string NarrowForSet(const std::string& pattern, const RE2::Options& options) {
  // A flag group such as (?i) reaches across the '|' that follow it: keep the pattern whole.
  if (HasFlagGroup(pattern)) return RelaxForSet(pattern);
  std::string out;
  const std::vector<Alternative> alternatives = TopLevelAlternatives(pattern);
  for (size_t a = 0; a < alternatives.size(); ++a) {
    if (a > 0) out.push_back('|');
    const std::string* best = LongestSegment(alternatives[a], options);
    out += RelaxForSet(best != nullptr ? *best : alternatives[a].text);
  }
  return out;
}

}  // namespace fengqiao::alert
