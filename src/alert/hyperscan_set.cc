#include "alert/internal/hyperscan_set.h"

#include <hs/hs.h>

#include <atomic>
#include <climits>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "alert/internal/pattern_forms.h"

namespace fengqiao::alert {

namespace {

constexpr unsigned kFlags = HS_FLAG_UTF8 | HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;

std::atomic<uint64_t> next_serial{1};

// One scratch per thread, grown to suit every database the thread has scanned with.
struct ThreadScratch {
  hs_scratch_t* scratch = nullptr;
  uint64_t serial = 0;
  ~ThreadScratch() {
    if (scratch != nullptr) hs_free_scratch(scratch);
  }
};

struct ScanContext {
  const std::vector<int>* unit_entry;
  const std::vector<char>* unit_exact;
  HyperscanSet::Matches* matches;
};

int OnMatch(unsigned int id, unsigned long long /*from*/, unsigned long long /*to*/,
            unsigned int /*flags*/, void* context) {
  auto* c = static_cast<ScanContext*>(context);
  c->matches->units[id] = 1;
  const int entry = (*c->unit_entry)[id];
  char& e = c->matches->entries[entry];
  if (e == 0) c->matches->reported.push_back(entry);
  if ((*c->unit_exact)[id]) {
    e = 2;
  } else if (e == 0) {
    e = 1;
  }
  return 0;
}

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The end of the class starting at p[i] == '[' (one past its ']'), or p.size().
size_t ClassEnd(absl::string_view p, size_t i) {
  ++i;
  if (i < p.size() && p[i] == '^') ++i;
  if (i < p.size() && p[i] == ']') ++i;
  while (i < p.size() && p[i] != ']') i += p[i] == '\\' && i + 1 < p.size() ? 2 : 1;
  return i < p.size() ? i + 1 : p.size();
}

// Whether a repetition (*, + or a counted {m,n}) starts at p[i].
bool RepetitionAt(absl::string_view p, size_t i) {
  if (i >= p.size()) return false;
  if (p[i] == '*' || p[i] == '+') return true;
  if (p[i] != '{' || i + 1 >= p.size()) return false;
  return p[i + 1] >= '0' && p[i + 1] <= '9';
}

// The end of the repetition (*, +, {m}, {m,}, {m,n}, each possibly lazy) starting at p[i].
size_t RepetitionEnd(absl::string_view p, size_t i) {
  size_t end = i + 1;
  if (p[i] == '{') {
    while (end < p.size() && p[end] != '}') ++end;
    ++end;
  }
  return end < p.size() && p[end] == '?' ? end + 1 : end;
}

// `p` with every wide gap (a negated or non-ASCII class, '.', a class escape such as \D, or a
// group, repeated by *, + or {m,n}) replaced by ".*" (with HS_FLAG_DOTALL: any text), a superset
// of `p` that Hyperscan compiles and scans as its literal parts in order. Returns false when `p`
// has no wide gap.
bool WidenGaps(absl::string_view p, std::string* out) {
  out->clear();
  bool widened = false;
  std::vector<size_t> open;  // positions in *out of the open groups
  for (size_t i = 0; i < p.size();) {
    const char c = p[i];
    size_t end = i + 1;
    bool wide = false;
    size_t start_out = out->size();
    if (c == '\\' && i + 1 < p.size()) {
      const char e = p[i + 1];
      end = i + 2;
      if ((e == 'p' || e == 'P') && end < p.size() && p[end] == '{') {
        while (end < p.size() && p[end] != '}') ++end;
        ++end;
      }
      wide = absl::string_view("DWSpPC").find(e) != absl::string_view::npos;
    } else if (c == '[') {
      end = ClassEnd(p, i);
      wide = i + 1 < p.size() && p[i + 1] == '^';
      for (size_t k = i; k < end && !wide; ++k) wide = static_cast<unsigned char>(p[k]) >= 0x80;
    } else if (c == '.') {
      wide = true;
    } else if (c == '(') {
      open.push_back(out->size());
    } else if (c == ')' && !open.empty()) {
      start_out = open.back();
      open.pop_back();
      wide = true;  // a repeated group
    }
    if (wide && RepetitionAt(p, end)) {
      if (c != ')') start_out = out->size();
      out->resize(start_out);
      out->append(".*");
      i = RepetitionEnd(p, end);
      widened = true;
      continue;
    }
    out->append(p.data() + i, end - i);
    i = end;
  }
  return widened;
}

// If `alt` is one group as a whole ("(...)" or "(?:...)", no repetition after it), its inside.
bool WholeGroup(const std::string& alt, std::string* inside) {
  if (alt.size() < 2 || alt[0] != '(' || alt.back() != ')') return false;
  size_t start = 1;
  if (alt.size() >= 4 && alt[1] == '?') {
    if (alt[2] != ':') return false;
    start = 3;
  }
  int depth = 0;
  for (size_t i = 0; i < alt.size(); ++i) {
    const char c = alt[i];
    if (c == '\\') {
      ++i;
    } else if (c == '[') {
      i = ClassEnd(alt, i) - 1;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth == 0 && i + 1 != alt.size()) return false;
    }
  }
  *inside = alt.substr(start, alt.size() - 1 - start);
  return true;
}

// The top-level alternatives of `pattern`, groups that are a whole alternative opened.
void Alternatives(const std::string& pattern, std::vector<Alternative>* out) {
  for (Alternative& alt : TopLevelAlternatives(pattern)) {
    std::string inside;
    if (alt.segments.size() == 1 && WholeGroup(alt.text, &inside)) {
      Alternatives(inside, out);
    } else {
      out->push_back(std::move(alt));
    }
  }
}

}  // namespace

bool HyperscanSet::SameSemantics(absl::string_view p) {
  // Literals (UTF-8 included), classes, '.', groups (?:...), alternation, the repetitions and
  // '^' mean the same in both engines (Hyperscan without UCP, RE2 in UTF-8 mode: '.' stops at
  // \n in both, \d and \w are ASCII in both). Everything else is left to RE2 to confirm: '$'
  // (Hyperscan also matches before a final \n), flag and named groups, \s (Hyperscan counts
  // \v), \b, \p{..} (Unicode versions), \x, \A, \z, POSIX classes, and '{,n}' (a literal in
  // RE2).
  auto escape_ok = [](char e) {
    if (static_cast<unsigned char>(e) >= 0x80) return false;
    return !IsAsciiAlnum(e) || absl::string_view("dDwWntrf").find(e) != absl::string_view::npos;
  };
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 >= p.size() || !escape_ok(p[i + 1])) return false;
      ++i;
    } else if (c == '[') {
      const size_t end = ClassEnd(p, i);
      for (size_t k = i + 1; k + 1 < end; ++k) {
        if (p[k] == '\\') {
          if (!escape_ok(p[k + 1])) return false;
          ++k;
        } else if (p[k] == '[' && p[k + 1] == ':') {
          return false;
        }
      }
      i = end - 1;
    } else if (c == '$') {
      return false;
    } else if (c == '(' && i + 1 < p.size() && p[i + 1] == '?' &&
               (i + 2 >= p.size() || p[i + 2] != ':')) {
      return false;
    } else if (c == '{' && i + 1 < p.size() && p[i + 1] == ',') {
      return false;
    }
  }
  return true;
}

absl::StatusOr<std::unique_ptr<HyperscanSet>> HyperscanSet::Compile(
    const std::vector<std::string>& patterns, const RE2::Options& options) {
  std::unique_ptr<HyperscanSet> out(new HyperscanSet());
  out->serial_ = next_serial.fetch_add(1);
  out->entry_units_.resize(patterns.size());
  std::vector<std::string> expressions;  // per unit: what Hyperscan compiles
  auto add = [&](int entry, std::string expression, bool exact,
                 const std::string& confirm) -> absl::Status {
    Unit u;
    u.entry = entry;
    u.exact = exact && SameSemantics(expression);
    if (!u.exact) {
      u.confirm = std::make_unique<RE2>(confirm, options);
      if (!u.confirm->ok()) {
        return absl::InternalError(
            absl::StrCat("a part of pattern ", entry, " does not compile: ", u.confirm->error()));
      }
      out->entry_units_[entry].push_back(static_cast<int>(out->units_.size()));
    }
    out->units_.push_back(std::move(u));
    expressions.push_back(std::move(expression));
    return absl::OkStatus();
  };
  for (size_t e = 0; e < patterns.size(); ++e) {
    const std::string& pattern = patterns[e];
    const int entry = static_cast<int>(e);
    absl::Status st;
    if (HasFlagGroup(pattern)) {
      // A flag group reaches across the '|' after it: the pattern whole, by RE2 alone.
      st = add(entry, pattern, false, pattern);
      if (!st.ok()) return st;
      continue;
    }
    std::vector<Alternative> alternatives;
    Alternatives(pattern, &alternatives);
    std::vector<std::string> plain;
    for (const Alternative& alt : alternatives) {
      std::string widened;
      if (!WidenGaps(alt.text, &widened)) {
        plain.push_back(alt.text);
        continue;
      }
      st = add(entry, std::move(widened), false, alt.text);
      if (!st.ok()) return st;
    }
    if (!plain.empty()) {
      std::string joined = absl::StrJoin(plain, "|");
      const std::string confirm = joined;
      st = add(entry, std::move(joined), true, confirm);
      if (!st.ok()) return st;
    }
  }
  const size_t n = out->units_.size();
  std::vector<unsigned> flags(n, kFlags);
  std::vector<char> left_out(n, 0);
  // An expression whose syntax Hyperscan may read differently is left out of the database (its
  // unit is a candidate on every message). One Hyperscan refuses as written goes in prefilter
  // mode (a superset, so the unit is confirmed), then out. hs_expression_info parses without
  // building.
  for (size_t u = 0; u < n; ++u) {
    if (!SameSemantics(expressions[u])) {
      // Hyperscan might miss what RE2 matches (\S, a case-folding flag ...): RE2 alone.
      left_out[u] = 1;
      continue;
    }
    if (!out->units_[u].exact) flags[u] |= HS_FLAG_DOTALL;
    for (unsigned extra : {0u, static_cast<unsigned>(HS_FLAG_PREFILTER)}) {
      hs_expr_info_t* info = nullptr;
      hs_compile_error_t* error = nullptr;
      const hs_error_t rc =
          hs_expression_info(expressions[u].c_str(), flags[u] | extra, &info, &error);
      if (info != nullptr) std::free(info);  // Hyperscan's misc allocator: malloc by default
      if (error != nullptr) hs_free_compile_error(error);
      if (rc == HS_SUCCESS) {
        flags[u] |= extra;
        break;
      }
      if (extra != 0) left_out[u] = 1;
    }
  }
  // Build; an expression the database build refuses moves to prefilter mode, then out.
  while (true) {
    std::vector<const char*> exprs;
    std::vector<unsigned> expr_flags;
    std::vector<unsigned> ids;
    for (size_t u = 0; u < n; ++u) {
      if (left_out[u]) continue;
      exprs.push_back(expressions[u].c_str());
      expr_flags.push_back(flags[u]);
      ids.push_back(static_cast<unsigned>(u));
    }
    if (exprs.empty()) break;
    hs_database_t* db = nullptr;
    hs_compile_error_t* error = nullptr;
    const hs_error_t rc =
        hs_compile_multi(exprs.data(), expr_flags.data(), ids.data(),
                         static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db, &error);
    if (rc == HS_SUCCESS) {
      out->db_ = db;
      break;
    }
    const int at = error != nullptr ? error->expression : -1;
    const std::string message = error != nullptr ? error->message : "unknown error";
    if (error != nullptr) hs_free_compile_error(error);
    if (at < 0 || at >= static_cast<int>(ids.size())) {
      return absl::ResourceExhaustedError(
          absl::StrCat("Hyperscan could not build the rule database: ", message));
    }
    const unsigned u = ids[at];
    if ((flags[u] & HS_FLAG_PREFILTER) == 0) {
      flags[u] |= HS_FLAG_PREFILTER;
    } else {
      left_out[u] = 1;
    }
  }
  for (size_t u = 0; u < n; ++u) {
    Unit& unit = out->units_[u];
    if ((flags[u] & HS_FLAG_PREFILTER) != 0 || left_out[u]) {
      // A superset now: confirmed by the unit's own RE2 (an exact unit's expression is its
      // confirmation).
      if (unit.exact) {
        unit.exact = false;
        unit.confirm = std::make_unique<RE2>(expressions[u], options);
        out->entry_units_[unit.entry].push_back(static_cast<int>(u));
      }
    }
    out->unit_entry_.push_back(unit.entry);
    out->unit_exact_.push_back(unit.exact);
    if (left_out[u]) {
      out->always_.push_back(static_cast<int>(u));
    } else if (unit.exact) {
      ++out->exact_units_;
    } else {
      ++out->candidate_units_;
    }
  }
  return out;
}

HyperscanSet::~HyperscanSet() {
  if (db_ != nullptr) hs_free_database(db_);
}

absl::Status HyperscanSet::Scan(absl::string_view text, Matches* matches) const {
  matches->entries.assign(entry_units_.size(), 0);
  matches->units.assign(units_.size(), 0);
  matches->reported.clear();
  for (int u : always_) {
    matches->units[u] = 1;
    char& e = matches->entries[units_[u].entry];
    if (e == 0) {
      e = 1;
      matches->reported.push_back(units_[u].entry);
    }
  }
  if (db_ == nullptr) return absl::OkStatus();
  if (text.size() > UINT_MAX) return absl::OutOfRangeError("message too long for Hyperscan");
  thread_local ThreadScratch tls;
  if (tls.serial != serial_) {
    if (hs_alloc_scratch(db_, &tls.scratch) != HS_SUCCESS) {
      return absl::ResourceExhaustedError("Hyperscan could not allocate its scratch space");
    }
    tls.serial = serial_;
  }
  ScanContext context{&unit_entry_, &unit_exact_, matches};
  const hs_error_t rc = hs_scan(db_, text.data(), static_cast<unsigned>(text.size()), 0,
                                tls.scratch, OnMatch, &context);
  if (rc != HS_SUCCESS) {
    return absl::InternalError(absl::StrCat("Hyperscan could not scan a message (error ", rc, ")"));
  }
  return absl::OkStatus();
}

bool HyperscanSet::Confirm(int entry, absl::string_view text, const Matches& matches) const {
  for (int u : entry_units_[entry]) {
    if (matches.units[u] &&
        RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *units_[u].confirm)) {
      return true;
    }
  }
  return false;
}

}  // namespace fengqiao::alert
