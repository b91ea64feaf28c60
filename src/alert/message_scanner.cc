#include "fengqiao/alert/message_scanner.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "alert/internal/scanner_impl.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/vocabulary.h"
#include "internal/proto_files.h"

namespace fengqiao::alert {

namespace {

RE2::Options PatternOptions(int64_t max_memory) {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingUTF8);
  o.set_log_errors(false);
  o.set_max_mem(max_memory);
  return o;
}

v1::AlertDesk DeskOf(v1::AlertAction action) {
  switch (action) {
    case v1::ALERT_ACTION_ALERT_110:
      return v1::ALERT_DESK_110;
    case v1::ALERT_ACTION_REFER_12345:
      return v1::ALERT_DESK_12345;
    case v1::ALERT_ACTION_NOTIFY_COMMUNITY_POLICE:
      return v1::ALERT_DESK_COMMUNITY_POLICE;
    default:
      return v1::ALERT_DESK_UNSPECIFIED;
  }
}

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

// One top-level alternative of a pattern: its text, and the segments between its gaps (a
// character class or '.' repeated: *, + or {m,n}) that stand at parenthesis depth 0.
struct Alternative {
  std::string text;
  std::vector<std::string> segments{1};
};

// Splits `pattern` at the '|' of depth 0 and each alternative at its depth-0 gaps. An escape, a
// class and a nested group are copied whole.
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
  for (size_t i = pattern.find("(?"); i != std::string::npos; i = pattern.find("(?", i + 1)) {
    if (i + 2 < pattern.size() && pattern[i + 2] != ':' && pattern[i + 2] != 'P') {
      return RelaxForSet(pattern);
    }
  }
  std::string out;
  const std::vector<Alternative> alternatives = TopLevelAlternatives(pattern);
  for (size_t a = 0; a < alternatives.size(); ++a) {
    if (a > 0) out.push_back('|');
    const Alternative& alt = alternatives[a];
    const std::string* best = nullptr;
    if (alt.segments.size() > 1) {
      for (const std::string& segment : alt.segments) {
        if (segment.empty() || (best != nullptr && segment.size() <= best->size())) continue;
        const RE2 re(segment, options);
        if (re.ok() && !RE2::FullMatch("", re)) best = &segment;
      }
    }
    out += RelaxForSet(best != nullptr ? *best : alt.text);
  }
  return out;
}

}  // namespace

MessageScanner::MessageScanner() : impl_(std::make_unique<Impl>()) {}
MessageScanner::~MessageScanner() = default;

std::string MessageScanner::Where(int rule, absl::string_view field) const {
  if (rule < 0 || rule >= static_cast<int>(impl_->origins.size())) return "<rules>";
  const Impl::Origin& o = impl_->origins[rule];
  return impl_->maps[o.file]->Where(field.empty() ? o.path : absl::StrCat(o.path, ".", field));
}

int MessageScanner::FindRule(absl::string_view id) const {
  auto it = impl_->by_id.find(id);
  return it == impl_->by_id.end() ? -1 : it->second;
}

absl::StatusOr<std::shared_ptr<const MessageScanner>> MessageScanner::Load(
    absl::string_view path, std::shared_ptr<const Normalizer> normalizer, ScannerOptions options) {
  const std::filesystem::path p{std::string(path)};
  std::error_code ec;
  std::vector<std::string> files;
  if (std::filesystem::is_directory(p, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(p, ec)) {
      const std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".textproto" || ext == ".json")) {
        files.push_back(entry.path().string());
      }
    }
    if (ec) return absl::NotFoundError(absl::StrCat(path, ": ", ec.message()));
    std::sort(files.begin(), files.end());
    if (files.empty()) {
      return absl::NotFoundError(absl::StrCat(path, ": no *.textproto or *.json rule files"));
    }
  } else {
    files.push_back(std::string(path));
  }
  std::vector<Impl::File> parsed;
  for (const std::string& f : files) {
    std::string content;
    FENGQIAO_RETURN_IF_ERROR(internal::ReadFile(f, &content));
    Impl::File file;
    file.map = std::make_shared<internal::SourceMap>(f);
    FENGQIAO_RETURN_IF_ERROR(internal::ParseProto(content, f, &file.rules, file.map.get()));
    parsed.push_back(std::move(file));
  }
  return Impl::Build(std::move(parsed), std::move(normalizer), options);
}

absl::StatusOr<std::shared_ptr<const MessageScanner>> MessageScanner::Parse(
    absl::string_view content, absl::string_view filename,
    std::shared_ptr<const Normalizer> normalizer, ScannerOptions options) {
  Impl::File file;
  file.map = std::make_shared<internal::SourceMap>(std::string(filename));
  FENGQIAO_RETURN_IF_ERROR(internal::ParseProto(content, filename, &file.rules, file.map.get()));
  std::vector<Impl::File> files;
  files.push_back(std::move(file));
  return Impl::Build(std::move(files), std::move(normalizer), options);
}

absl::StatusOr<std::shared_ptr<const MessageScanner>> MessageScanner::FromProto(
    v1::ScanRuleSet rules, std::shared_ptr<const Normalizer> normalizer, ScannerOptions options) {
  Impl::File file;
  file.map = std::make_shared<internal::SourceMap>();
  file.rules = std::move(rules);
  std::vector<Impl::File> files;
  files.push_back(std::move(file));
  return Impl::Build(std::move(files), std::move(normalizer), options);
}

absl::StatusOr<std::shared_ptr<const MessageScanner>> MessageScanner::Impl::Build(
    std::vector<Impl::File> files, std::shared_ptr<const Normalizer> normalizer,
    ScannerOptions options) {
  if (normalizer == nullptr) return absl::InvalidArgumentError("normalizer is null");
  std::shared_ptr<MessageScanner> s(new MessageScanner());
  s->normalizer_ = std::move(normalizer);
  Impl& impl = *s->impl_;
  for (size_t f = 0; f < files.size(); ++f) {
    impl.maps.push_back(files[f].map);
    for (int i = 0; i < files[f].rules.rules_size(); ++i) {
      impl.origins.push_back({static_cast<int>(f), absl::StrCat("rules[", i, "]")});
      *s->rules_.add_rules() = std::move(*files[f].rules.mutable_rules(i));
    }
  }
  const RE2::Options re_options = PatternOptions(options.max_memory);
  absl::flat_hash_map<std::string, int> extra_index;
  auto compile = [&](const std::string& pattern, const std::string& where,
                     std::unique_ptr<RE2>* out) -> absl::Status {
    if (pattern.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ": empty pattern"));
    auto re = std::make_unique<RE2>(pattern, re_options);
    if (!re->ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": pattern does not compile: ", re->error()));
    }
    *out = std::move(re);
    return absl::OkStatus();
  };
  auto extra = [&](const std::string& pattern, const std::string& where) -> absl::StatusOr<int> {
    if (auto it = extra_index.find(pattern); it != extra_index.end()) return it->second;
    std::unique_ptr<RE2> re;
    FENGQIAO_RETURN_IF_ERROR(compile(pattern, where, &re));
    const int k = static_cast<int>(impl.extras.size());
    impl.extras.push_back(std::move(re));
    extra_index.emplace(pattern, k);
    return k;
  };
  const int n = s->rules_.rules_size();
  impl.context.resize(n);
  impl.unless.resize(n);
  for (int i = 0; i < n; ++i) {
    const v1::ScanRule& r = s->rules_.rules(i);
    if (r.id().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(s->Where(i), ": rule without an id"));
    }
    if (!impl.by_id.emplace(r.id(), i).second) {
      return absl::InvalidArgumentError(absl::StrCat(s->Where(i, "id"), ": duplicate rule id \"",
                                                     r.id(), "\" (first at ",
                                                     s->Where(impl.by_id[r.id()], "id"), ")"));
    }
    const std::string in_rule = absl::StrCat(" in rule \"", r.id(), "\"");
    if (r.action() == v1::ALERT_ACTION_UNSPECIFIED || !LabelOf(r.action()).known) {
      return absl::InvalidArgumentError(
          absl::StrCat(s->Where(i, "action"), ": action unspecified", in_rule));
    }
    if (r.category() == v1::ALERT_CATEGORY_UNSPECIFIED || !LabelOf(r.category()).known) {
      return absl::InvalidArgumentError(
          absl::StrCat(s->Where(i, "category"), ": category unspecified", in_rule));
    }
    const bool refer = r.action() == v1::ALERT_ACTION_REFER_12345;
    if (refer && r.department() == v1::DEPARTMENT_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat(
          s->Where(i, "action"), ": a REFER_12345 rule needs its department", in_rule));
    }
    if (!refer && r.department() != v1::DEPARTMENT_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat(
          s->Where(i, "department"), ": a department belongs to REFER_12345 rules only", in_rule));
    }
    if (r.desk() != v1::ALERT_DESK_UNSPECIFIED && r.desk() != DeskOf(r.action())) {
      return absl::InvalidArgumentError(
          absl::StrCat(s->Where(i, "desk"), ": desk ", LabelOf(r.desk()).short_name,
                       " disagrees with action ", LabelOf(r.action()).short_name, in_rule));
    }
    if (!r.reply_category().empty() && r.action() != v1::ALERT_ACTION_STANDARD_REPLY) {
      return absl::InvalidArgumentError(
          absl::StrCat(s->Where(i, "reply_category"),
                       ": reply_category belongs to STANDARD_REPLY rules", in_rule));
    }
    for (int j = 0; j < r.overrides_size(); ++j) {
      if (r.overrides(j) == v1::ALERT_CATEGORY_UNSPECIFIED) {
        return absl::InvalidArgumentError(absl::StrCat(
            s->Where(i, absl::StrCat("overrides[", j, "]")), ": unspecified category", in_rule));
      }
    }
    std::unique_ptr<RE2> re;
    FENGQIAO_RETURN_IF_ERROR(compile(r.pattern(), s->Where(i, "pattern") + in_rule, &re));
    impl.patterns.push_back(std::move(re));
    for (int j = 0; j < r.context_size(); ++j) {
      FENGQIAO_ASSIGN_OR_RETURN(
          int k, extra(r.context(j), s->Where(i, absl::StrCat("context[", j, "]")) + in_rule));
      impl.context[i].push_back(k);
    }
    for (int j = 0; j < r.unless_size(); ++j) {
      FENGQIAO_ASSIGN_OR_RETURN(
          int k, extra(r.unless(j), s->Where(i, absl::StrCat("unless[", j, "]")) + in_rule));
      impl.unless[i].push_back(k);
    }
  }
  // One set: rule i is entry i, extra pattern k is entry n + k.
  impl.set = std::make_unique<RE2::Set>(re_options, RE2::UNANCHORED);
  std::string error;
  auto add = [&](const std::string& pattern, int expected) -> absl::Status {
    // The narrowed form when RE2 takes it, else the exact pattern (both are supersets).
    const std::string relaxed = NarrowForSet(pattern, re_options);
    if (RE2(relaxed, re_options).ok() && impl.set->Add(relaxed, &error) == expected) {
      impl.relaxed.push_back(relaxed != pattern);
      return absl::OkStatus();
    }
    if (impl.set->Add(pattern, &error) == expected) {
      impl.relaxed.push_back(0);
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError(absl::StrCat("does not compile in the set: ", error));
  };
  for (int i = 0; i < n; ++i) {
    absl::Status st = add(s->rules_.rules(i).pattern(), i);
    if (!st.ok())
      return absl::InvalidArgumentError(
          absl::StrCat(s->Where(i, "pattern"), ": pattern ", st.message()));
  }
  for (size_t k = 0; k < impl.extras.size(); ++k) {
    absl::Status st = add(impl.extras[k]->pattern(), n + static_cast<int>(k));
    if (!st.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("context or negation pattern ", st.message()));
    }
  }
  if (!impl.set->Compile()) {
    return absl::ResourceExhaustedError(
        "the rule set does not compile within ScannerOptions::max_memory");
  }
  impl.entries = n + static_cast<int>(impl.extras.size());
  return std::shared_ptr<const MessageScanner>(s);
}

absl::Status MessageScanner::Scan(const NormalizedText& text, std::vector<ScanHit>* hits,
                                  Detail detail) const {
  hits->clear();
  if (impl_->entries == 0) return absl::OkStatus();
  thread_local std::vector<int> matched;
  thread_local std::vector<char> flags;
  matched.clear();
  RE2::Set::ErrorInfo info;
  if (!impl_->set->Match(text.text, &matched, &info)) {
    if (info.kind == RE2::Set::kOutOfMemory) {
      return absl::ResourceExhaustedError("RE2 ran out of memory scanning a message");
    }
    if (info.kind != RE2::Set::kNoError) {
      return absl::InternalError("RE2::Set could not scan a message");
    }
    return absl::OkStatus();
  }
  // flags: 0 no, 1 the set says maybe, 2 confirmed, 3 refuted by the exact pattern.
  flags.assign(impl_->entries, 0);
  for (int m : matched) flags[m] = 1;
  const int n = rules_.rules_size();
  auto extra_matches = [&](int k) {
    char& f = flags[n + k];
    if (f == 1) {
      f = !impl_->relaxed[n + k] || RE2::PartialMatch(text.text, *impl_->extras[k]) ? 2 : 3;
    }
    return f == 2;
  };
  for (int i = 0; i < n; ++i) {
    if (!flags[i]) continue;
    ScanHit hit;
    if (detail == Detail::kSpans) {
      if (!impl_->Locate(i, text, &hit)) continue;
    } else {
      if (impl_->relaxed[i] && !RE2::PartialMatch(text.text, *impl_->patterns[i])) continue;
      hit.rule = i;
    }
    hit.cancelled = !impl_->Counts(i, extra_matches);
    hits->push_back(hit);
  }
  return absl::OkStatus();
}

absl::Status MessageScanner::ScanNaive(const NormalizedText& text,
                                       std::vector<ScanHit>* hits) const {
  hits->clear();
  for (int i = 0; i < rules_.rules_size(); ++i) {
    ScanHit hit;
    if (!impl_->Locate(i, text, &hit)) continue;
    hit.cancelled =
        !impl_->Counts(i, [&](int k) { return RE2::PartialMatch(text.text, *impl_->extras[k]); });
    hits->push_back(hit);
  }
  return absl::OkStatus();
}

bool MessageScanner::Impl::Locate(int rule, const NormalizedText& text, ScanHit* hit) const {
  re2::StringPiece m;
  if (!patterns[rule]->Match(text.text, 0, text.text.size(), RE2::UNANCHORED, &m, 1)) {
    return false;
  }
  hit->rule = rule;
  hit->norm_begin = static_cast<uint32_t>(m.data() - text.text.data());
  hit->norm_end = hit->norm_begin + static_cast<uint32_t>(m.size());
  hit->span = text.ToOriginal(hit->norm_begin, hit->norm_end);
  return true;
}

}  // namespace fengqiao::alert
