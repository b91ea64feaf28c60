#include "fengqiao/alert/reply_bank.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <system_error>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "fengqiao/status_macros.h"
#include "internal/proto_files.h"

namespace fengqiao::alert {
namespace {

// The UTF-8 characters of `text`, ASCII letters and digits grouped into words (so "jzz" or
// "110" is one term, not three letters).
std::vector<std::string> Characters(const std::string& text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isalnum(c)) {
      size_t j = i;
      while (j < text.size() && std::isalnum(static_cast<unsigned char>(text[j]))) ++j;
      out.push_back(absl::AsciiStrToLower(text.substr(i, j - i)));
      i = j;
      continue;
    }
    const size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (c >= 0x80) out.push_back(text.substr(i, n));  // ASCII punctuation and spaces dropped
    i += n;
  }
  return out;
}

}  // namespace

ReplyBank::~ReplyBank() = default;

std::vector<std::string> ReplyBank::Terms(const std::string& normalized) const {
  const std::vector<std::string> chars = Characters(normalized);
  std::vector<std::string> terms = chars;  // unigrams
  for (size_t i = 0; i + 1 < chars.size(); ++i) terms.push_back(chars[i] + chars[i + 1]);
  return terms;
}

int ReplyBank::category_count() const {
  std::set<std::string> categories;
  for (const v1::StandardReply& r : bank_.replies()) categories.insert(r.category());
  return static_cast<int>(categories.size());
}

absl::StatusOr<std::shared_ptr<const ReplyBank>> ReplyBank::Load(absl::string_view path,
                                                                 ReplyBankOptions options) {
  std::vector<std::string> files;
  std::error_code error;
  if (std::filesystem::is_directory(std::string(path), error)) {
    for (const auto& entry : std::filesystem::directory_iterator(std::string(path), error)) {
      if (entry.path().extension() == ".textproto") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
      return absl::NotFoundError(absl::StrCat(path, ": no *.textproto reply files"));
    }
  } else {
    files.push_back(std::string(path));
  }
  v1::StandardReplyBank all;
  absl::flat_hash_map<std::string, std::string> where_of_id;
  for (const std::string& file : files) {
    v1::StandardReplyBank one;
    internal::SourceMap map;
    FENGQIAO_RETURN_IF_ERROR(internal::LoadProtoFile(file, &one, &map));
    for (int i = 0; i < one.replies_size(); ++i) {
      const v1::StandardReply& r = one.replies(i);
      const std::string where = map.Where(absl::StrCat("replies[", i, "]"));
      if (r.id().empty() || r.category().empty() || r.text().empty() || r.questions().empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": a reply needs an id, a category, a text and questions"));
      }
      const auto [it, inserted] = where_of_id.emplace(r.id(), where);
      if (!inserted) {
        return absl::InvalidArgumentError(absl::StrCat(where, ": duplicate reply id \"", r.id(),
                                                       "\" (first at ", it->second, ")"));
      }
      *all.add_replies() = r;
    }
  }
  return Create(std::move(all), options, path);
}

absl::StatusOr<std::shared_ptr<const ReplyBank>> ReplyBank::Create(v1::StandardReplyBank bank,
                                                                   ReplyBankOptions options,
                                                                   absl::string_view source) {
  std::shared_ptr<ReplyBank> out(new ReplyBank());
  out->options_ = options;
  FENGQIAO_ASSIGN_OR_RETURN(out->normalizer_, Normalizer::Create());
  out->bank_ = std::move(bank);
  int64_t total = 0;
  for (int i = 0; i < out->bank_.replies_size(); ++i) {
    const v1::StandardReply& r = out->bank_.replies(i);
    std::string document = r.category();
    for (const std::string& q : r.questions()) absl::StrAppend(&document, "。", q);
    absl::StatusOr<NormalizedText> normalized = out->normalizer_->Normalize(document);
    if (!normalized.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": reply \"", r.id(), "\": ", normalized.status().message()));
    }
    absl::flat_hash_map<std::string, int> counts;
    const std::vector<std::string> terms = out->Terms(normalized->text);
    for (const std::string& t : terms) ++counts[t];
    for (const auto& [term, n] : counts) out->postings_[term].push_back({i, n});
    out->length_.push_back(static_cast<int>(terms.size()));
    total += static_cast<int64_t>(terms.size());
  }
  out->average_length_ =
      out->length_.empty() ? 1
                           : static_cast<double>(total) / static_cast<double>(out->length_.size());
  return std::shared_ptr<const ReplyBank>(std::move(out));
}

absl::StatusOr<std::vector<ReplyMatch>> ReplyBank::Top(absl::string_view text, int k) const {
  FENGQIAO_ASSIGN_OR_RETURN(NormalizedText normalized, normalizer_->Normalize(text));
  std::vector<std::string> terms = Terms(normalized.text);
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());  // each query term once
  std::vector<double> score(bank_.replies_size(), 0.0);
  const double n = static_cast<double>(bank_.replies_size());
  for (const std::string& term : terms) {
    const auto it = postings_.find(term);
    if (it == postings_.end()) continue;
    const double df = static_cast<double>(it->second.size());
    const double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
    for (const auto& [reply, tf] : it->second) {
      const double norm =
          options_.k1 * (1 - options_.b + options_.b * length_[reply] / average_length_);
      score[reply] += idf * tf * (options_.k1 + 1) / (tf + norm);
    }
  }
  std::vector<int> order(score.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  const size_t top = std::min<size_t>(order.size(), static_cast<size_t>(std::max(k, 0)));
  std::partial_sort(order.begin(), order.begin() + top, order.end(), [&](int a, int b) {
    return score[a] != score[b] ? score[a] > score[b] : a < b;
  });
  std::vector<ReplyMatch> out;
  for (size_t i = 0; i < top; ++i) out.push_back({&bank_.replies(order[i]), score[order[i]]});
  return out;
}

absl::StatusOr<std::optional<ReplyMatch>> ReplyBank::Answer(absl::string_view text) const {
  FENGQIAO_ASSIGN_OR_RETURN(std::vector<ReplyMatch> best, Top(text, 1));
  if (best.empty() || best[0].score < options_.min_score) return std::nullopt;
  return best[0];
}

}  // namespace fengqiao::alert
