// MessageScanner::Lint: what loads but is likely wrong in a rule set.
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "alert/internal/scanner_impl.h"
#include "fengqiao/vocabulary.h"
#include "internal/utf8.h"

namespace fengqiao::alert {

namespace {

// Why `pattern` can never match normalised text, or "" when nothing is wrong with its literals.
std::string WhyNeverMatches(const std::string& pattern, const Normalizer& normalizer) {
  std::vector<char32_t> cps;
  for (size_t i = 0; i < pattern.size();) {
    int len = 0;
    const int32_t cp = fengqiao::internal::DecodeUtf8(pattern, i, &len);
    if (cp < 0) return "the pattern is not UTF-8";
    cps.push_back(static_cast<char32_t>(cp));
    i += len;
  }
  for (size_t i = 0; i < cps.size(); ++i) {
    const char32_t c = cps[i];
    if (c == '\\') {
      // An escape: \p{Han} / \PN / \x{...} / \d and friends are not literals.
      if (i + 1 < cps.size() && (cps[i + 1] == 'p' || cps[i + 1] == 'P' || cps[i + 1] == 'x') &&
          i + 2 < cps.size() && cps[i + 2] == '{') {
        while (i < cps.size() && cps[i] != '}') ++i;
      } else {
        ++i;
      }
      continue;
    }
    if (c == '(' && i + 2 < cps.size() && cps[i + 1] == '?' && cps[i + 2] == 'P') {
      while (i < cps.size() && cps[i] != '>') ++i;  // (?P<name>
      continue;
    }
    std::string ch;
    fengqiao::internal::AppendUtf8(c, &ch);
    if (c >= 'A' && c <= 'Z') {
      return absl::StrCat("upper-case '", ch, "': messages are lower-cased before matching");
    }
    if ((c >= 0xFF01 && c <= 0xFF5E) || c == 0x3000) {
      return absl::StrCat("full-width '", ch, "': messages are folded to half-width");
    }
    if (normalizer.IsTraditional(c)) {
      return absl::StrCat("traditional '", ch, "': messages are converted to simplified");
    }
    if ((c >= 0x200B && c <= 0x200F) || c == 0xFEFF || (c >= 0xFE00 && c <= 0xFE0F)) {
      return "an invisible character: messages drop them";
    }
    if (c == ' ' && i > 0 && i + 1 < cps.size() && IsHan(cps[i - 1]) && IsHan(cps[i + 1])) {
      return "a space between CJK characters: messages drop them";
    }
    // Any other character normalisation rewrites (the variant 帐 -> 账 ...).
    absl::StatusOr<NormalizedText> n = normalizer.Normalize(ch);
    if (n.ok() && n->text != ch && c > 0x7F) {
      return absl::StrCat("'", ch, "' becomes '", n->text, "' in normalised messages");
    }
  }
  return "";
}

}  // namespace

std::vector<LintFinding> MessageScanner::Lint() const {
  std::vector<LintFinding> out;
  absl::flat_hash_map<std::string, int> first_with_pattern;
  std::vector<int> per_category(v1::AlertCategory_ARRAYSIZE, 0);
  NormalizedText n;
  std::vector<ScanHit> hits;
  for (int i = 0; i < rules_.rules_size(); ++i) {
    const v1::ScanRule& r = rules_.rules(i);
    if (r.category() >= 0 && r.category() < v1::AlertCategory_ARRAYSIZE) {
      ++per_category[r.category()];
    }
    auto check = [&](const std::string& pattern, const std::string& field) {
      const std::string why = WhyNeverMatches(pattern, *normalizer_);
      if (!why.empty()) {
        out.push_back({Where(i, field), r.id(), absl::StrCat("can never match: ", why)});
      }
    };
    check(r.pattern(), "pattern");
    for (int j = 0; j < r.context_size(); ++j)
      check(r.context(j), absl::StrCat("context[", j, "]"));
    for (int j = 0; j < r.unless_size(); ++j) check(r.unless(j), absl::StrCat("unless[", j, "]"));
    if (auto [it, inserted] = first_with_pattern.emplace(r.pattern(), i); !inserted) {
      out.push_back({Where(i, "pattern"), r.id(),
                     absl::StrCat("duplicate pattern: rule \"", rules_.rules(it->second).id(),
                                  "\" (", Where(it->second, "pattern"), ") has the same")});
    }
    if (r.examples_size() == 0) {
      out.push_back({Where(i), r.id(), "no examples: nothing shows what the rule is for"});
    }
    for (int j = 0; j < r.examples_size(); ++j) {
      const std::string field = absl::StrCat("examples[", j, "]");
      if (!normalizer_->Normalize(r.examples(j), &n).ok() || !Scan(n, &hits).ok()) {
        out.push_back({Where(i, field), r.id(), "the example cannot be normalised or scanned"});
        continue;
      }
      const ScanHit* mine = nullptr;
      for (const ScanHit& h : hits) {
        if (h.rule == i) mine = &h;
      }
      if (mine == nullptr) {
        out.push_back({Where(i, field), r.id(), "the rule does not match its example"});
      } else if (mine->cancelled) {
        out.push_back({Where(i, field), r.id(),
                       "the example is cancelled by the rule's own context or negation"});
      }
    }
  }
  for (int c = 1; c < v1::AlertCategory_ARRAYSIZE; ++c) {
    if (!v1::AlertCategory_IsValid(c) || per_category[c] > 0) continue;
    out.push_back({"", "",
                   absl::StrCat("category ", LabelOf(static_cast<v1::AlertCategory>(c)).proto_name,
                                " has no rule")});
  }
  return out;
}

}  // namespace fengqiao::alert
