// File: fengqiao/alert/alert_assistant.h
// The AlertAssistant (AI管家) decides what to do with one chat message: exactly one AlertAction
// (NONE, STANDARD_REPLY, NOTIFY_COMMUNITY_POLICE, ALERT_110, REFER_12345) with its category,
// the department for 12345, the rules and spans that decided it, a one-line reason, and the
// message with personal data masked. It normalises the text, scans it with the MessageScanner,
// and then applies the policy the rules carry as data:
// 1. hits cancelled by a rule's own negation / missing context do not count;
// 2. a hit whose category another hit `overrides` with a higher priority is set aside (a
//  warning quoting a scam sets aside FRAUD, game talk sets aside VIOLENCE, a bank's genuine
//  announcement sets aside FRAUD);
// 3. among the rest the highest priority decides (ties: the more urgent action, then the
//  earlier rule); an overriding NONE rule decides only when nothing else is left;
// 4. no hit: NONE, category CHITCHAT;
// 5. when no rule decided (no hit, or every hit negated) and the assistant has an AlertModel
//  (alert_model.h), the model decides: its most probable action when that reaches the model's
//  threshold (NONE otherwise), with its category and, for 12345, its department. Its evidence is
//  the n-grams that contributed most, as spans of the original text, and the reason names the
//  model and the probability;
// 6. when a rule decided and the model's override_threshold is set (above 0): the model's most
//  probable action replaces the rule's when the two differ and the model gives its action at
//  least that probability (the rule is then listed as overridden, the reason names it). With
//  override_threshold 0 a rule that decides is never overruled by the model, and the model is
//  not run on what a rule decided.
//
//   #include "fengqiao/alert/alert_assistant.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::alert::AlertAssistant> assistant,
//                             fengqiao::alert::AlertAssistant::Load("examples/data/alert/rules"));
//   fengqiao::v1::ChatMessage message;
//   message.set_id("m-1");
//   message.set_text("我妈正在给客服转账,说是安全账户,怎么办");
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::v1::AlertDecision d, assistant->Decide(message));
//   // d.action() == ALERT_ACTION_ALERT_110, d.category() == ALERT_CATEGORY_FRAUD, d.reason()
//   if (d.action() != fengqiao::v1::ALERT_ACTION_ALERT_110) {
//     return absl::InternalError(d.reason());
//   }
//
// Thread safety: immutable after Load/Create; Decide and Classify are safe from any thread (each
// caller passes its own AlertScratch to Classify).
// Errors: Load passes on the errors of Normalizer::Create, MessageScanner::Load and
// AlertModel::Load. Decide and Classify return InvalidArgument for text that is not UTF-8 and
// OutOfRange for text over NormalizerOptions::max_input_bytes (the message names neither the text
// nor the sender).
#ifndef FENGQIAO_ALERT_ALERT_ASSISTANT_H_
#define FENGQIAO_ALERT_ALERT_ASSISTANT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fengqiao/alert/alert_model.h"
#include "fengqiao/alert/message_scanner.h"
#include "fengqiao/alert/normalizer.h"
#include "fengqiao/v1/alert.pb.h"
#include "fengqiao/v1/taxonomy.pb.h"

namespace fengqiao::alert {

// The decision without strings: what Classify returns.
struct Verdict {
  v1::AlertAction action = v1::ALERT_ACTION_NONE;
  v1::AlertCategory category = v1::ALERT_CATEGORY_CHITCHAT;
  v1::Department department = v1::DEPARTMENT_UNSPECIFIED;
  // The deciding rule (index into scanner().rules()), -1 when no rule decided.
  int rule = -1;
  // Whether the model decided (rule is then -1), and the probability it gave the action.
  bool by_model = false;
  double probability = 0;
  // When the model overrode a rule's decision (AlertModel::override_threshold): that rule's
  // index; -1 otherwise.
  int overridden_rule = -1;
};

// Per-caller buffers reused across messages (Classify allocates nothing once they are warm).
struct AlertScratch {
  NormalizedText normalized;
  std::vector<ScanHit> hits;
  // Per hit: 0 counted and supports the decision, 1 cancelled, 2 overridden, 3 outranked.
  std::vector<int> fate;
  ModelScratch model;
};

class AlertAssistant {
 public:
  // Rules from `rules_path` (a file or a directory of *.textproto), a Normalizer from `options`.
  static absl::StatusOr<std::shared_ptr<const AlertAssistant>> Load(
      absl::string_view rules_path, NormalizerOptions normalizer_options = {},
      ScannerOptions scanner_options = {});
  // The same with the model at `model_path` (alert_model.h) deciding what no rule decides; an
  // empty `model_path` means no model. Errors of AlertModel::Load are passed on.
  static absl::StatusOr<std::shared_ptr<const AlertAssistant>> Load(
      absl::string_view rules_path, absl::string_view model_path,
      NormalizerOptions normalizer_options = {}, ScannerOptions scanner_options = {});
  static std::shared_ptr<const AlertAssistant> Create(
      std::shared_ptr<const MessageScanner> scanner,
      std::shared_ptr<const AlertModel> model = nullptr);

  AlertAssistant(const AlertAssistant&) = delete;
  AlertAssistant& operator=(const AlertAssistant&) = delete;

  // The full decision on `message`: action, category, department, evidence (rule ids and spans
  // in the original text, with masked snippets), the reason, the masked text.
  absl::StatusOr<v1::AlertDecision> Decide(const v1::ChatMessage& message) const;
  // The same for a bare text (message_id left empty).
  absl::StatusOr<v1::AlertDecision> Decide(absl::string_view text) const;

  // The fast path: the verdict only; `scratch` holds the hits (without spans) and their fates
  // afterwards.
  absl::StatusOr<Verdict> Classify(absl::string_view text, AlertScratch* scratch) const;

  const MessageScanner& scanner() const { return *scanner_; }
  // The model, or null.
  const AlertModel* model() const { return model_.get(); }

 private:
  AlertAssistant(std::shared_ptr<const MessageScanner> scanner,
                 std::shared_ptr<const AlertModel> model);
  absl::StatusOr<Verdict> Run(absl::string_view text, AlertScratch* scratch,
                              MessageScanner::Detail detail) const;
  Verdict Apply(std::vector<ScanHit>& hits, std::vector<int>* fate) const;
  std::shared_ptr<const MessageScanner> scanner_;
  std::shared_ptr<const AlertModel> model_;
};

}  // namespace fengqiao::alert

#endif  // FENGQIAO_ALERT_ALERT_ASSISTANT_H_
