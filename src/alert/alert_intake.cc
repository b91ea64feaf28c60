#include "fengqiao/alert/alert_intake.h"

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/privacy/masking.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/vocabulary.h"
#include "re2/re2.h"

namespace fengqiao::alert {
namespace {

// The incident kind an alert category is reported as, and its flags.
void Describe(v1::AlertCategory category, v1::Incident* incident) {
  switch (category) {
    case v1::ALERT_CATEGORY_FRAUD:
      incident->set_kind(v1::INCIDENT_KIND_FRAUD);
      break;
    case v1::ALERT_CATEGORY_VIOLENCE:
      incident->set_kind(v1::INCIDENT_KIND_PUBLIC_ORDER);
      incident->set_violence_risk(true);
      break;
    case v1::ALERT_CATEGORY_DISPUTE:
      incident->set_kind(v1::INCIDENT_KIND_DISPUTE);
      incident->set_dispute_type(v1::DISPUTE_TYPE_OTHER);  // the type is not known from a chat
      break;
    case v1::ALERT_CATEGORY_HAZARD:
      incident->set_kind(v1::INCIDENT_KIND_FIRE_HAZARD);
      break;
    case v1::ALERT_CATEGORY_SELF_HARM:
      incident->set_kind(v1::INCIDENT_KIND_ASSISTANCE);
      incident->set_violence_risk(true);
      break;
    case v1::ALERT_CATEGORY_INJURY_ACCIDENT:
      incident->set_kind(v1::INCIDENT_KIND_ASSISTANCE);
      incident->set_injury(true);
      break;
    case v1::ALERT_CATEGORY_GAMBLING_DRUGS:
      incident->set_kind(v1::INCIDENT_KIND_CRIMINAL);
      break;
    case v1::ALERT_CATEGORY_SUSPICIOUS_PERSON:
      incident->set_kind(v1::INCIDENT_KIND_PUBLIC_ORDER);
      break;
    default:  // missing persons and whatever else needs someone: assistance (求助)
      incident->set_kind(v1::INCIDENT_KIND_ASSISTANCE);
      break;
  }
}

// Letters and digits of the normalised text: spacing, punctuation and emoji do not make a
// forwarded message a new one.
std::string TextKey(absl::string_view normalised) {
  std::string out;
  size_t i = 0;
  while (i < normalised.size()) {
    const unsigned char c = static_cast<unsigned char>(normalised[i]);
    const size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n == 1) {
      if (absl::ascii_isalnum(c)) out.push_back(static_cast<char>(absl::ascii_tolower(c)));
    } else if (n == 3 && i + 3 <= normalised.size()) {
      // CJK ideographs and other three-byte letters; symbols of the U+2000..U+2BFF and
      // U+3000..U+303F blocks (punctuation, arrows, dingbats) are dropped.
      const uint32_t cp =
          ((c & 0x0F) << 12) | ((normalised[i + 1] & 0x3F) << 6) | (normalised[i + 2] & 0x3F);
      const bool symbol = (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
                          (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF0F);
      if (!symbol) out.append(normalised.data() + i, 3);
    }  // two- and four-byte sequences (accents, emoji) are dropped
    i += n;
  }
  return out;
}

// The links of a message, lower case, without the scheme: "t.cn/abc", "www.example.com/pay".
std::vector<std::string> Links(absl::string_view text) {
  static const RE2* const kLink = new RE2(
      R"((?i)(?:https?://)?((?:[a-z0-9-]+\.)+(?:com|cn|net|org|top|xyz|cc|vip|app)(?:/[\w./?=&%-]*)?))");
  std::vector<std::string> out;
  re2::StringPiece input(text.data(), text.size());
  std::string link;
  while (RE2::FindAndConsume(&input, *kLink, &link)) out.push_back(absl::AsciiStrToLower(link));
  return out;
}

}  // namespace

void AlertIntake::Forget(absl::Time now) {
  if (now > latest_) latest_ = now;
  while (!order_.empty() && latest_ - order_.front().first > options_.window) {
    auto it = raised_.find(order_.front().second);
    if (it != raised_.end()) {
      for (const std::string& key : it->second.keys) {
        auto k = by_key_.find(key);
        if (k != by_key_.end() && k->second == it->first) by_key_.erase(k);
      }
      raised_.erase(it);
    }
    order_.pop_front();
  }
}

AlertIntake::AlertIntake(std::shared_ptr<const AlertAssistant> assistant,
                         std::shared_ptr<const GridMap> grid_map, AlertIntakeOptions options)
    : assistant_(std::move(assistant)), map_(std::move(grid_map)), options_(std::move(options)) {}

absl::StatusOr<std::optional<RaisedAlert>> AlertIntake::Raise(const v1::ChatMessage& message,
                                                              const v1::AlertDecision& decision) {
  if (decision.action() != v1::ALERT_ACTION_ALERT_110 &&
      decision.action() != v1::ALERT_ACTION_NOTIFY_COMMUNITY_POLICE) {
    return std::nullopt;
  }
  if (message.id().empty() || !message.has_sent_at()) {
    return absl::InvalidArgumentError(
        absl::StrCat("alert intake: message \"", message.id(), "\" has no id or no sent_at"));
  }
  const absl::Time at = absl::FromUnixSeconds(message.sent_at().seconds());
  Forget(at);
  FENGQIAO_ASSIGN_OR_RETURN(NormalizedText normalised,
                            assistant_->scanner().normalizer().Normalize(message.text()));
  std::vector<std::string> keys = {absl::StrCat("text:", TextKey(normalised.text))};
  for (const std::string& link : Links(normalised.text)) keys.push_back("link:" + link);
  for (const std::string& key : keys) {
    auto found = by_key_.find(key);
    if (found == by_key_.end()) continue;
    Raised& earlier = raised_[found->second];
    if (at - earlier.first > options_.window || at < earlier.first) continue;
    ++earlier.reports;
    for (const std::string& k : keys) {
      if (by_key_.emplace(k, found->second).second) earlier.keys.push_back(k);
    }
    return RaisedAlert{false, found->second, earlier.reports, earlier.incident};
  }
  v1::Incident incident;
  incident.set_id(absl::StrCat(options_.id_prefix, message.id()));
  *incident.mutable_reported_at() = message.sent_at();
  incident.set_channel(v1::CHANNEL_CHAT_GROUP);
  incident.set_grid_code(message.grid_code());
  Describe(decision.category(), &incident);
  incident.set_description(decision.masked_text().empty() ? MaskFreeText(message.text())
                                                          : decision.masked_text());
  incident.add_tags("chat-alert");
  incident.add_tags(std::string(LabelOf(decision.category()).short_name));
  if (absl::Status valid = ValidateIncident(incident, *map_); !valid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("alert intake: message \"", message.id(), "\": ", valid.message()));
  }
  for (const std::string& key : keys) by_key_[key] = incident.id();
  raised_[incident.id()] = Raised{incident, at, 1, keys};
  order_.emplace_back(at, incident.id());
  return RaisedAlert{true, incident.id(), 1, std::move(incident)};
}

}  // namespace fengqiao::alert
