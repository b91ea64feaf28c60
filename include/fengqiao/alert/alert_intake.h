// File: fengqiao/alert/alert_intake.h
// Raising the AI管家's alerts as incidents, so that an alert becomes a case like any other report:
// an ALERT_110 or NOTIFY_COMMUNITY_POLICE decision on a chat message becomes a v1::Incident
// (channel 微信群, kind from the alert's category, the masked text as its description, the
// group's grid, tags "chat-alert" and the category) for the caller to route and open through the
// closure loop. Repeated messages about the same thing (one scam forwarded to many groups, with
// spaces, emoji, full-width or traditional characters changed) are one incident with many
// reports: a message whose normalised text (the assistant's Normalizer, everything but letters
// and digits dropped) or one of whose links matches an incident raised within `window` reports
// that incident instead of raising another.
//
//   #include "fengqiao/alert/alert_assistant.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   FENGQIAO_ASSIGN_OR_RETURN(auto assistant,
//                             fengqiao::alert::AlertAssistant::Load("examples/data/alert/rules"));
//   fengqiao::alert::AlertIntake intake(assistant, map);
//   fengqiao::v1::ChatMessage m;
//   m.set_id("m-1");
//   m.set_grid_code("xc-lc-c1-g1");
//   m.mutable_sent_at()->set_seconds(1791943200);
//   m.set_text("yhk被冻结了 有人说交2000手续费可以帮我解冻 他发了个链接 我还没交");
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::v1::AlertDecision d, assistant->Decide(m));
//   FENGQIAO_ASSIGN_OR_RETURN(std::optional<fengqiao::alert::RaisedAlert> raised,
//                             intake.Raise(m, d));
//   if (!raised.has_value() || !raised->is_new) return absl::InternalError("a new fraud alert");
//
// Thread safety: an intake is not synchronised (one per feed, or guard it).
#ifndef FENGQIAO_ALERT_ALERT_INTAKE_H_
#define FENGQIAO_ALERT_ALERT_INTAKE_H_

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fengqiao/alert/alert_assistant.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/v1/alert.pb.h"
#include "fengqiao/v1/incident.pb.h"

namespace fengqiao::alert {

struct AlertIntakeOptions {
  // Messages within this time of an incident's first report are reports of it when they match.
  absl::Duration window = absl::Hours(24);
  // Incident ids are this prefix and the first report's message id.
  std::string id_prefix = "chat-";
};

struct RaisedAlert {
  // A new incident (to route and open); false: a further report of `incident_id`.
  bool is_new = false;
  std::string incident_id;
  // Reports of that incident so far, this one included.
  int reports = 0;
  // The incident as raised by its first report (personal data masked).
  v1::Incident incident;
};

class AlertIntake {
 public:
  AlertIntake(std::shared_ptr<const AlertAssistant> assistant,
              std::shared_ptr<const GridMap> grid_map, AlertIntakeOptions options = {});

  // The incident `decision` (the assistant's, on `message`) raises or reports; nullopt for a
  // decision that raises nothing (NONE, a standard reply, a referral to 12345). InvalidArgument
  // when the message has no id or no send time, or when the incident does not validate (a group
  // without a known grid: the message names the message id, never its text).
  absl::StatusOr<std::optional<RaisedAlert>> Raise(const v1::ChatMessage& message,
                                                   const v1::AlertDecision& decision);

  // Incidents still held to match further reports against. Memory is bounded by the window: an
  // incident is forgotten once a message sent more than `window` after its first report has been
  // raised (messages are expected in send order, as a feed delivers them; one that arrives later
  // than that is a new incident), so a service running for months holds a window's worth.
  size_t remembered() const { return raised_.size(); }

 private:
  struct Raised {
    v1::Incident incident;
    absl::Time first;
    int reports = 0;
    std::vector<std::string> keys;  // the text and link keys that point at it
  };
  // Forgets the incidents whose first report is more than the window before `now`.
  void Forget(absl::Time now);
  std::shared_ptr<const AlertAssistant> assistant_;
  std::shared_ptr<const GridMap> map_;
  AlertIntakeOptions options_;
  absl::flat_hash_map<std::string, std::string> by_key_;  // text or link key -> incident id
  absl::flat_hash_map<std::string, Raised> raised_;       // incident id -> incident
  std::deque<std::pair<absl::Time, std::string>> order_;   // (first report, id), oldest first
  absl::Time latest_ = absl::InfinitePast();               // the latest send time raised
};

}  // namespace fengqiao::alert

#endif  // FENGQIAO_ALERT_ALERT_INTAKE_H_
