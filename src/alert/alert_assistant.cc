#include "fengqiao/alert/alert_assistant.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "fengqiao/alert/masking.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/vocabulary.h"

namespace fengqiao::alert {

namespace {

enum Fate { kDecides = 0, kCancelled = 1, kOverridden = 2, kOutranked = 3 };

// How many n-grams a model decision shows as its evidence.
constexpr int kModelEvidenceNgrams = 3;

int Urgency(v1::AlertAction a) {
  switch (a) {
    case v1::ALERT_ACTION_ALERT_110:
      return 4;
    case v1::ALERT_ACTION_NOTIFY_COMMUNITY_POLICE:
      return 3;
    case v1::ALERT_ACTION_REFER_12345:
      return 2;
    case v1::ALERT_ACTION_STANDARD_REPLY:
      return 1;
    default:
      return 0;
  }
}

bool Overrides(const v1::ScanRule& by, v1::AlertCategory category) {
  for (int c : by.overrides()) {
    if (c == category) return true;
  }
  return false;
}

}  // namespace

AlertAssistant::AlertAssistant(std::shared_ptr<const MessageScanner> scanner,
                               std::shared_ptr<const AlertModel> model)
    : scanner_(std::move(scanner)), model_(std::move(model)) {}

absl::StatusOr<std::shared_ptr<const AlertAssistant>> AlertAssistant::Load(
    absl::string_view rules_path, NormalizerOptions normalizer_options,
    ScannerOptions scanner_options) {
  FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const Normalizer> normalizer,
                            Normalizer::Create(std::move(normalizer_options)));
  FENGQIAO_ASSIGN_OR_RETURN(
      std::shared_ptr<const MessageScanner> scanner,
      MessageScanner::Load(rules_path, std::move(normalizer), scanner_options));
  return Create(std::move(scanner));
}

absl::StatusOr<std::shared_ptr<const AlertAssistant>> AlertAssistant::Load(
    absl::string_view rules_path, absl::string_view model_path,
    NormalizerOptions normalizer_options, ScannerOptions scanner_options) {
  std::shared_ptr<const AlertModel> model;
  if (!model_path.empty()) {
    FENGQIAO_ASSIGN_OR_RETURN(model, AlertModel::Load(model_path));
  }
  FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const AlertAssistant> rules_only,
                            Load(rules_path, std::move(normalizer_options), scanner_options));
  return Create(rules_only->scanner_, std::move(model));
}

std::shared_ptr<const AlertAssistant> AlertAssistant::Create(
    std::shared_ptr<const MessageScanner> scanner, std::shared_ptr<const AlertModel> model) {
  return std::shared_ptr<const AlertAssistant>(
      new AlertAssistant(std::move(scanner), std::move(model)));
}

Verdict AlertAssistant::Apply(std::vector<ScanHit>& hits, std::vector<int>* fate) const {
  const v1::ScanRuleSet& rules = scanner_->rules();
  const size_t n = hits.size();
  fate->assign(n, kDecides);
  for (size_t i = 0; i < n; ++i) {
    if (hits[i].cancelled) (*fate)[i] = kCancelled;
  }
  // Overrides: a counted hit with a higher priority that names this hit's category.
  for (size_t i = 0; i < n; ++i) {
    if ((*fate)[i] != kDecides) continue;
    const v1::ScanRule& h = rules.rules(hits[i].rule);
    for (size_t j = 0; j < n; ++j) {
      if (j == i || hits[j].cancelled) continue;
      const v1::ScanRule& g = rules.rules(hits[j].rule);
      if (g.priority() > h.priority() && Overrides(g, h.category())) {
        (*fate)[i] = kOverridden;
        break;
      }
    }
  }
  // The winner: overriding NONE rules only when nothing else is left.
  auto context_only = [&](size_t i) {
    const v1::ScanRule& r = rules.rules(hits[i].rule);
    return r.action() == v1::ALERT_ACTION_NONE && r.overrides_size() > 0;
  };
  auto key = [&](size_t i) {
    const v1::ScanRule& r = rules.rules(hits[i].rule);
    return std::make_tuple(r.priority(), Urgency(r.action()), -hits[i].rule);
  };
  int best = -1;
  for (int pass = 0; pass < 2 && best < 0; ++pass) {
    for (size_t i = 0; i < n; ++i) {
      if ((*fate)[i] != kDecides || (pass == 0 && context_only(i))) continue;
      if (best < 0 || key(i) > key(best)) best = static_cast<int>(i);
    }
  }
  Verdict v;
  if (best < 0) return v;
  const v1::ScanRule& w = rules.rules(hits[best].rule);
  v.action = w.action();
  v.category = w.category();
  v.department = w.department();
  v.rule = hits[best].rule;
  for (size_t i = 0; i < n; ++i) {
    if ((*fate)[i] == kDecides && rules.rules(hits[i].rule).action() != w.action()) {
      (*fate)[i] = kOutranked;
    }
  }
  // The deciding hit first.
  if (best != 0) {
    std::swap(hits[0], hits[best]);
    std::swap((*fate)[0], (*fate)[best]);
  }
  return v;
}

absl::StatusOr<Verdict> AlertAssistant::Classify(absl::string_view text,
                                                 AlertScratch* scratch) const {
  return Run(text, scratch, MessageScanner::Detail::kHitsOnly);
}

absl::StatusOr<Verdict> AlertAssistant::Run(absl::string_view text, AlertScratch* scratch,
                                            MessageScanner::Detail detail) const {
  FENGQIAO_RETURN_IF_ERROR(scanner_->normalizer().Normalize(text, &scratch->normalized));
  // Normalize succeeded, so the text is UTF-8: the scanner need not check it again.
  FENGQIAO_RETURN_IF_ERROR(
      scanner_->ScanImpl(scratch->normalized, &scratch->hits, detail, /*from_normalizer=*/true));
  Verdict v = Apply(scratch->hits, &scratch->fate);
  if (model_ == nullptr || (v.rule >= 0 && model_->override_threshold() <= 0)) return v;
  const ModelVerdict m = model_->Predict(scratch->normalized.text, &scratch->model);
  if (v.rule >= 0) {
    // A rule decided: the model's action replaces it only when it differs and is probable
    // enough (override_threshold >= threshold, so m.action is the most probable action then).
    if (m.probability < model_->override_threshold() || m.best_action == v.action) return v;
    v.overridden_rule = v.rule;
    v.rule = -1;
    for (int& fate : scratch->fate) {
      if (fate == kDecides) fate = kOverridden;
    }
  } else if (m.action == v1::ALERT_ACTION_NONE) {
    return v;
  }
  v.action = m.action;
  v.category = m.category;
  v.department = m.department;
  v.by_model = true;
  v.probability = m.probability;
  return v;
}

absl::StatusOr<v1::AlertDecision> AlertAssistant::Decide(absl::string_view text) const {
  v1::ChatMessage message;
  message.set_text(std::string(text));
  return Decide(message);
}

absl::StatusOr<v1::AlertDecision> AlertAssistant::Decide(const v1::ChatMessage& message) const {
  AlertScratch scratch;
  FENGQIAO_ASSIGN_OR_RETURN(Verdict v,
                            Run(message.text(), &scratch, MessageScanner::Detail::kSpans));
  const v1::ScanRuleSet& rules = scanner_->rules();
  const std::vector<Span> personal = FindPersonalData(message.text());
  v1::AlertDecision d;
  d.set_message_id(message.id());
  d.set_action(v.action);
  d.set_category(v.category);
  d.set_department(v.department);
  d.set_masked_text(
      MaskedExcerpt(message.text(), {0, static_cast<uint32_t>(message.text().size())}, personal));
  std::vector<std::string> evidence;
  std::vector<std::string> set_aside;
  for (size_t i = 0; i < scratch.hits.size(); ++i) {
    const ScanHit& h = scratch.hits[i];
    const std::string& id = rules.rules(h.rule).id();
    if (scratch.fate[i] != kDecides) {
      d.add_overridden_rule_ids(id);
      static constexpr const char* kWhy[] = {"", "negated", "overridden", "outranked"};
      set_aside.push_back(absl::StrCat(id, " (", kWhy[scratch.fate[i]], ")"));
      continue;
    }
    d.add_rule_ids(id);
    v1::EvidenceSpan* span = d.add_spans();
    span->set_rule_id(id);
    span->set_begin(h.span.begin);
    span->set_end(h.span.end);
    span->set_snippet(MaskedExcerpt(message.text(), h.span, personal));
    evidence.push_back(absl::StrCat(id, " \"", span->snippet(), "\""));
  }
  std::string reason = absl::StrCat(LabelOf(v.action).display, " · ", LabelOf(v.category).display);
  if (v.action == v1::ALERT_ACTION_REFER_12345) {
    absl::StrAppend(&reason, " → ", LabelOf(v.department).display);
  }
  if (v.by_model) {
    // The n-grams that weighed most for the model's class, as spans of the message as sent.
    const std::string model_id = absl::StrCat("model:", model_->id());
    d.add_rule_ids(model_id);
    for (const NgramContribution& c :
         model_->TopContributions(scratch.model, v.action, kModelEvidenceNgrams)) {
      v1::EvidenceSpan* span = d.add_spans();
      span->set_rule_id(model_id);
      const Span original = scratch.normalized.ToOriginal(c.begin, c.end);
      span->set_begin(original.begin);
      span->set_end(original.end);
      span->set_snippet(MaskedExcerpt(message.text(), original, personal));
      evidence.push_back(absl::StrCat("\"", span->snippet(), "\""));
    }
    absl::StrAppend(&reason,
                    v.overridden_rule >= 0
                        ? absl::StrCat(": model overrides rule ",
                                       rules.rules(v.overridden_rule).id(), "; model ")
                        : std::string(": no rule decided; model "),
                    model_->id(), " p=", absl::StrFormat("%.3f", v.probability), " [",
                    absl::StrJoin(evidence, "; "), "]");
  } else if (v.rule < 0) {
    absl::StrAppend(&reason, ": no rule matched");
  } else {
    const v1::ScanRule& w = rules.rules(v.rule);
    if (!w.reply_category().empty()) d.set_reply_category(w.reply_category());
    absl::StrAppend(&reason, ": ", w.reason().empty() ? w.id() : w.reason(), " [",
                    absl::StrJoin(evidence, "; "), "]");
  }
  if (!set_aside.empty()) absl::StrAppend(&reason, "; set aside: ", absl::StrJoin(set_aside, ", "));
  d.set_reason(std::move(reason));
  return d;
}

}  // namespace fengqiao::alert
