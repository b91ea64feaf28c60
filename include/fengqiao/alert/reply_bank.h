// File: fengqiao/alert/reply_bank.h
// The standard-reply bank of the AI管家 (seed 000: 464 standard replies in 35 categories) and the
// retrieval that answers an ordinary question from it: a BM25 index over character unigrams and
// bigrams of each reply's example questions and category, on text normalised like the scanner's
// (traditional to simplified, full-width to half-width, separators between CJK characters
// dropped, pinyin abbreviations expanded), so that "jzz要带啥" finds the residence-permit reply.
// Below a score threshold it declines (an unanswered question goes to a person, not to the
// nearest wrong answer).
//
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::alert::ReplyBank> bank,
//                             fengqiao::alert::ReplyBank::Load("examples/data/alert/replies"));
//   FENGQIAO_ASSIGN_OR_RETURN(std::optional<fengqiao::alert::ReplyMatch> best,
//                             bank->Answer("居住证要带什么材料"));
//   if (!best.has_value() || best->reply->category() != "居住证办理") {
//     return absl::InternalError("the residence-permit reply");
//   }
//
// Thread safety: immutable after Load; Answer is safe from any thread.
// Errors: Load: NotFound (no such file or folder), InvalidArgument (file:line:col of a reply file
// that does not parse, a reply without id, category, text or questions, a duplicate id).
// Answer: InvalidArgument for text that is not UTF-8 or is longer than the normaliser accepts.
#ifndef FENGQIAO_ALERT_REPLY_BANK_H_
#define FENGQIAO_ALERT_REPLY_BANK_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fengqiao/alert/normalizer.h"
#include "fengqiao/v1/alert.pb.h"

namespace fengqiao::alert {

struct ReplyBankOptions {
  // BM25 parameters.
  double k1 = 1.2;
  double b = 0.75;
  // Answers scoring below this decline. Tuned on the development split of the corpus: 90% of its
  // labelled reply questions score above 27.5, a quarter of its chit-chat below 16.
  double min_score = 20.0;
};

struct ReplyMatch {
  const v1::StandardReply* reply = nullptr;  // owned by the bank
  double score = 0;
};

class ReplyBank {
 public:
  // Reads a StandardReplyBank text file, or every *.textproto of a folder (in name order).
  static absl::StatusOr<std::shared_ptr<const ReplyBank>> Load(absl::string_view path,
                                                               ReplyBankOptions options = {});
  // From replies in memory (`source` names them in errors).
  static absl::StatusOr<std::shared_ptr<const ReplyBank>> Create(v1::StandardReplyBank bank,
                                                                 ReplyBankOptions options = {},
                                                                 absl::string_view source = "");
  ~ReplyBank();

  // The best reply for `text` when it scores at least options.min_score; nullopt otherwise.
  absl::StatusOr<std::optional<ReplyMatch>> Answer(absl::string_view text) const;
  // The `k` best replies, best first, whatever their score (for evaluation and explanation).
  absl::StatusOr<std::vector<ReplyMatch>> Top(absl::string_view text, int k) const;

  const v1::StandardReplyBank& proto() const { return bank_; }
  int size() const { return bank_.replies_size(); }
  int category_count() const;

 private:
  ReplyBank() = default;
  std::vector<std::string> Terms(const std::string& normalized) const;

  v1::StandardReplyBank bank_;
  ReplyBankOptions options_;
  std::shared_ptr<const Normalizer> normalizer_;
  // term -> (reply index, term frequency in the reply)
  absl::flat_hash_map<std::string, std::vector<std::pair<int, int>>> postings_;
  std::vector<int> length_;  // terms per reply
  double average_length_ = 0;
};

}  // namespace fengqiao::alert

#endif  // FENGQIAO_ALERT_REPLY_BANK_H_
