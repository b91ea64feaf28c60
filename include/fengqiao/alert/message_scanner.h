// File: fengqiao/alert/message_scanner.h
// The MessageScanner holds the alert assistant's scanning rules (data: examples/data/alert/rules/
// *.textproto, each a fengqiao.v1.ScanRuleSet) compiled into one multi-pattern database over the
// normalised text (Hyperscan by default, or an RE2::Set: ScannerOptions::engine), and finds
// which rules a message hits, with the span of each hit in the message as sent. A rule's context
// patterns (at least one must match too) and negation patterns (none may match) are entries of
// the same database, so a message is scanned once; only the rules that hit run their own RE2 to
// find the span (or to confirm a hit the engine cannot decide exactly). ScanNaive runs every
// rule's RE2 one by one: the reference the tests compare both engines against.
//
//   #include "fengqiao/alert/message_scanner.h"
//   #include "fengqiao/alert/normalizer.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::alert::Normalizer> normalizer,
//                             fengqiao::alert::Normalizer::Create());
//   FENGQIAO_ASSIGN_OR_RETURN(
//       std::shared_ptr<const fengqiao::alert::MessageScanner> scanner,
//       fengqiao::alert::MessageScanner::Load("examples/data/alert/rules", normalizer));
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::alert::NormalizedText n,
//                             normalizer->Normalize("客服让我把钱转到安全账户"));
//   std::vector<fengqiao::alert::ScanHit> hits;
//   FENGQIAO_RETURN_IF_ERROR(scanner->Scan(n, &hits));
//   for (const fengqiao::alert::ScanHit& h : hits) {
//     // scanner->rules().rules(h.rule).id(), h.span.begin .. h.span.end in the original
//   }
//   if (hits.empty()) return absl::InternalError("expected a hit");
//   if (!scanner->Lint().empty()) return absl::InternalError("the shipped rules lint clean");
//
// Thread safety: immutable after Load/Parse/FromProto; Scan, ScanNaive and Lint are safe from
// any thread.
// Errors: Load returns NotFound for a missing path; Load/Parse/FromProto return InvalidArgument
// naming file:line:col (or the field path for rules built in code) for syntax errors, an empty or
// duplicate id, a pattern RE2 does not compile (with RE2's message), an unspecified action or
// category, a REFER_12345 rule without its department (or a department on another action), a
// desk that disagrees with the action; ResourceExhausted when the database cannot be built. Scan
// returns ResourceExhausted when RE2 runs out of the memory ScannerOptions::max_memory allows (or
// Hyperscan out of scratch memory).
#ifndef FENGQIAO_ALERT_MESSAGE_SCANNER_H_
#define FENGQIAO_ALERT_MESSAGE_SCANNER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fengqiao/alert/normalizer.h"
#include "fengqiao/v1/alert.pb.h"

namespace fengqiao::alert {

// One rule that matched a message.
struct ScanHit {
  // Index of the rule in MessageScanner::rules().
  int rule = 0;
  // The leftmost match in the normalised text, bytes [norm_begin, norm_end).
  uint32_t norm_begin = 0;
  uint32_t norm_end = 0;
  // The same match in the original message.
  Span span;
  // The pattern matched but the hit does not count: a negation pattern matched, or none of the
  // context patterns did. Kept so a decision can say what it set aside.
  bool cancelled = false;
  friend bool operator==(const ScanHit& a, const ScanHit& b) {
    return a.rule == b.rule && a.norm_begin == b.norm_begin && a.norm_end == b.norm_end &&
           a.span == b.span && a.cancelled == b.cancelled;
  }
};

// A lint finding: the rules load, but something is likely wrong.
struct LintFinding {
  // "file:line:col" of the field at fault ("" for findings about the whole set).
  std::string where;
  // The rule's id ("" for findings about the whole set).
  std::string rule_id;
  std::string message;
};

// The multi-pattern engine that finds a message's candidate rules in one pass. Either way every
// candidate the engine cannot decide exactly is confirmed by its rule's own RE2, so both give the
// hits ScanNaive gives.
enum class ScanEngine {
  // Hyperscan (Intel's, 5.4): each pattern exactly where the two engines' syntax
  // means the same, else in prefilter mode. The faster (bench/RESULTS.md).
  kHyperscan,
  // One RE2::Set of narrowed patterns (a gap at depth 0 gives way to the longest segment).
  kRe2Set,
};

struct ScannerOptions {
  ScanEngine engine = ScanEngine::kHyperscan;
  // Memory RE2 may use for each compiled pattern (and, with kRe2Set, the set and its DFA).
  int64_t max_memory = 256 << 20;
};

class MessageScanner {
 public:
  // `path` is a rule file, or a directory whose *.textproto / *.json files are read in name
  // order. `normalizer` is the one messages are normalised with (the lint uses it).
  static absl::StatusOr<std::shared_ptr<const MessageScanner>> Load(
      absl::string_view path, std::shared_ptr<const Normalizer> normalizer,
      ScannerOptions options = {});
  // One file's text in memory; `filename` names it in errors and picks the format.
  static absl::StatusOr<std::shared_ptr<const MessageScanner>> Parse(
      absl::string_view content, absl::string_view filename,
      std::shared_ptr<const Normalizer> normalizer, ScannerOptions options = {});
  // Rules built in code; errors name the field path ("<rules[2].pattern>").
  static absl::StatusOr<std::shared_ptr<const MessageScanner>> FromProto(
      v1::ScanRuleSet rules, std::shared_ptr<const Normalizer> normalizer,
      ScannerOptions options = {});

  MessageScanner(const MessageScanner&) = delete;
  MessageScanner& operator=(const MessageScanner&) = delete;
  ~MessageScanner();

  // Every rule, in file order (files in name order).
  const v1::ScanRuleSet& rules() const { return rules_; }
  const Normalizer& normalizer() const { return *normalizer_; }
  // "file:line:col" of `field` of rule `rule` ("" for the rule itself).
  std::string Where(int rule, absl::string_view field = "") const;
  // The index of the rule with this id, or -1.
  int FindRule(absl::string_view id) const;

  // What Scan finds out about each hit.
  enum class Detail {
    // The span of every hit (each hit rule runs its own RE2 to locate its leftmost match).
    kSpans,
    // Which rules hit and whether they are cancelled; spans left zero. Cheaper: a rule whose
    // pattern has no counted repetition is decided by the set alone.
    kHitsOnly,
  };
  // The rules `text` hits, ordered by rule index, one hit per rule (its leftmost match),
  // cancelled hits included and marked. `hits` is cleared first.
  absl::Status Scan(const NormalizedText& text, std::vector<ScanHit>* hits,
                    Detail detail = Detail::kSpans) const;
  // The same, each rule's RE2 run one by one (the reference; slower).
  absl::Status ScanNaive(const NormalizedText& text, std::vector<ScanHit>* hits) const;

  // Patterns that can never match normalised text (upper-case letters, full-width or
  // traditional characters, separators between CJK characters, invisible characters, any other
  // character normalisation rewrites, such as the variant 帐),
  // duplicate patterns, examples their rule does not hit, rules without examples, categories
  // without rules.
  std::vector<LintFinding> Lint() const;

  struct Impl;

 private:
  friend class AlertAssistant;
  MessageScanner();
  // Scan; `from_normalizer`: the text is Normalize's output, so known to be UTF-8.
  absl::Status ScanImpl(const NormalizedText& text, std::vector<ScanHit>* hits, Detail detail,
                        bool from_normalizer) const;
  v1::ScanRuleSet rules_;
  std::shared_ptr<const Normalizer> normalizer_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fengqiao::alert

#endif  // FENGQIAO_ALERT_MESSAGE_SCANNER_H_
