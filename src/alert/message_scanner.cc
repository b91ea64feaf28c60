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
#include "alert/internal/pattern_forms.h"
#include "alert/internal/scanner_impl.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/vocabulary.h"
#include "google/protobuf/stubs/common.h"
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
  impl.entries = n + static_cast<int>(impl.extras.size());
  if (options.engine == ScanEngine::kHyperscan) {
    // Rule i is entry i, extra pattern k is entry n + k.
    std::vector<std::string> patterns;
    patterns.reserve(impl.entries);
    for (int i = 0; i < n; ++i) patterns.push_back(s->rules_.rules(i).pattern());
    for (const std::unique_ptr<RE2>& re : impl.extras) patterns.push_back(re->pattern());
    FENGQIAO_ASSIGN_OR_RETURN(impl.hyperscan, HyperscanSet::Compile(patterns, re_options));
    return std::shared_ptr<const MessageScanner>(s);
  }
  // One RE2::Set: rule i is entry i, extra pattern k is entry n + k.
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
  return std::shared_ptr<const MessageScanner>(s);
}

absl::Status MessageScanner::Scan(const NormalizedText& text, std::vector<ScanHit>* hits,
                                  Detail detail) const {
  return ScanImpl(text, hits, detail, /*from_normalizer=*/false);
}

absl::Status MessageScanner::ScanImpl(const NormalizedText& text, std::vector<ScanHit>* hits,
                                      Detail detail, bool from_normalizer) const {
  hits->clear();
  if (impl_->entries == 0) return absl::OkStatus();
  // flags: 0 no, 1 the engine says maybe, 2 confirmed, 3 refuted by the exact pattern.
  thread_local HyperscanSet::Matches found;
  std::vector<char>& flags = found.entries;
  // The entries the engine reported.
  std::vector<int>& reported = found.reported;
  if (impl_->hyperscan != nullptr) {
    if (!from_normalizer && !google::protobuf::internal::IsStructurallyValidUTF8(
                                text.text.data(), static_cast<int>(text.text.size()))) {
      // Hyperscan reads UTF-8 only (Normalize never produces anything else).
      return ScanNaive(text, hits);
    }
    FENGQIAO_RETURN_IF_ERROR(impl_->hyperscan->Scan(text.text, &found));
  } else {
    reported.clear();
    RE2::Set::ErrorInfo info;
    if (!impl_->set->Match(text.text, &reported, &info)) {
      if (info.kind == RE2::Set::kOutOfMemory) {
        return absl::ResourceExhaustedError("RE2 ran out of memory scanning a message");
      }
      if (info.kind != RE2::Set::kNoError) {
        return absl::InternalError("RE2::Set could not scan a message");
      }
      return absl::OkStatus();
    }
    flags.assign(impl_->entries, 0);
    for (int m : reported) flags[m] = 1;
  }
  const int n = rules_.rules_size();
  // Whether entry e, which the engine says may match, does.
  auto confirm = [&](int e) {
    if (impl_->hyperscan != nullptr) return impl_->hyperscan->Confirm(e, text.text, found);
    return !impl_->relaxed[e] ||
           RE2::PartialMatch(text.text, e < n ? *impl_->patterns[e] : *impl_->extras[e - n]);
  };
  auto extra_matches = [&](int k) {
    char& f = flags[n + k];
    if (f == 1) f = confirm(n + k) ? 2 : 3;
    return f == 2;
  };
  // The rules among them, in rule order.
  std::sort(reported.begin(), reported.end());
  for (int i : reported) {
    if (i >= n) break;
    ScanHit hit;
    if (detail == Detail::kSpans) {
      if (!impl_->Locate(i, text, &hit)) continue;
    } else {
      if (flags[i] == 1 && !confirm(i)) continue;
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
