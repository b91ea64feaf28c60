// `fengqiao alert --rules DIR --model FILE --replies DIR`: the AI管家 over chat messages, JSON
// Lines in and out.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "fengqiao/alert/alert_assistant.h"
#include "fengqiao/alert/reply_bank.h"
#include "fengqiao/vocabulary.h"
#include "fmt/core.h"
#include "google/protobuf/util/json_util.h"
#include "src/internal/proto_files.h"
#include "tools/commands.h"

ABSL_FLAG(std::string, rules, FENGQIAO_DEFAULT_ALERT_RULES,
          "the alert rules: a *.textproto file or a folder of them");
ABSL_FLAG(std::string, model, FENGQIAO_DEFAULT_ALERT_MODEL,
          "the alert model (a fengqiao.v1.AlertModel text file) deciding what no rule decides, "
          "and overruling a rule at its override_threshold; empty: rules only");
ABSL_FLAG(std::string, replies, FENGQIAO_DEFAULT_ALERT_REPLIES,
          "the standard-reply bank: a *.textproto file or a folder of them");

namespace fengqiao::tools {
namespace {

int Alert() {
  absl::StatusOr<std::shared_ptr<const fengqiao::alert::AlertAssistant>> assistant =
      fengqiao::alert::AlertAssistant::Load(absl::GetFlag(FLAGS_rules), absl::GetFlag(FLAGS_model));
  if (!assistant.ok()) return Fail(assistant.status());
  absl::StatusOr<std::shared_ptr<const fengqiao::alert::ReplyBank>> bank =
      fengqiao::alert::ReplyBank::Load(absl::GetFlag(FLAGS_replies));
  if (!bank.ok()) return Fail(bank.status());
  constexpr size_t kMaxLine = 64 * 1024;
  std::string line;
  bool too_long = false;
  int64_t line_no = 0, decided = 0, bad = 0;
  Progress progress("messages scanned");
  while (ReadBoundedLine(stdin, kMaxLine, line, too_long)) {
    ++line_no;
    progress.Tick();
    if (too_long) {
      fmt::print(stderr, "stdin:{}: line longer than {} bytes, skipped\n", line_no, kMaxLine);
      ++bad;
      continue;
    }
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    // Parsed into LabelledChatMessage (ChatMessage's JSON names and the corpus's labels), so a
    // wrong type, an unknown key or enum name is reported with the field's name, never a value.
    fengqiao::v1::LabelledChatMessage line_message;
    if (const auto parsed = google::protobuf::util::JsonStringToMessage(line, &line_message);
        !parsed.ok()) {
      std::string path;
      fmt::print(stderr, "stdin:{}: {}\n", line_no,
                 fengqiao::internal::DescribeJsonError(
                     absl::string_view(parsed.message().data(), parsed.message().size()),
                     "chat message", &path));
      ++bad;
      continue;
    }
    if (!fengqiao::v1::GroupType_IsValid(line_message.group_type())) {
      fmt::print(stderr, "stdin:{}: group_type: {} is not a value of fengqiao.v1.GroupType\n",
                 line_no, static_cast<int>(line_message.group_type()));
      ++bad;
      continue;
    }
    fengqiao::v1::ChatMessage in;
    in.set_id(line_message.id());
    in.set_group_type(line_message.group_type());
    in.set_text(line_message.text());
    in.set_group_id(line_message.group_id());
    in.set_sender_id(line_message.sender_id());
    if (line_message.has_sent_at()) *in.mutable_sent_at() = line_message.sent_at();
    in.set_grid_code(line_message.grid_code());
    if (in.text().empty()) {
      fmt::print(stderr, "stdin:{}: \"text\" is missing or empty\n", line_no);
      ++bad;
      continue;
    }
    const std::string message_id = in.id().empty() ? absl::StrCat("line-", line_no) : in.id();
    absl::StatusOr<fengqiao::v1::AlertDecision> d = (*assistant)->Decide(in);
    if (!d.ok()) {
      fmt::print(stderr, "stdin:{}: message \"{}\": {}\n", line_no, message_id,
                 Sv(d.status().message()));
      ++bad;
      continue;
    }
    std::string reply_id, reply;
    if (d->action() == fengqiao::v1::ALERT_ACTION_STANDARD_REPLY) {
      absl::StatusOr<std::optional<fengqiao::alert::ReplyMatch>> answer =
          (*bank)->Answer(in.text());
      if (answer.ok() && answer->has_value()) {
        reply_id = (*answer)->reply->id();
        reply = (*answer)->reply->text();
      }
    }
    std::string spans = "[";
    for (int i = 0; i < d->spans_size(); ++i) {
      const fengqiao::v1::EvidenceSpan& s = d->spans(i);
      absl::StrAppend(&spans, i == 0 ? "" : ",", "{\"rule_id\":", JsonQuoted(s.rule_id()),
                      ",\"begin\":", s.begin(), ",\"end\":", s.end(), "}");
    }
    absl::StrAppend(&spans, "]");
    fmt::print(
        "{{\"id\":{},\"action\":{},\"category\":{},\"reply_id\":{},\"reply\":{},"
        "\"spans\":{},\"reason\":{},\"masked_text\":{}}}\n",
        JsonQuoted(message_id), JsonQuoted(std::string(LabelOf(d->action()).proto_name)),
        JsonQuoted(std::string(LabelOf(d->category()).proto_name)), JsonQuoted(reply_id),
        JsonQuoted(reply), spans, JsonQuoted(d->reason()), JsonQuoted(d->masked_text()));
    ++decided;
  }
  std::fflush(stdout);
  if (bad > 0) {
    fmt::print(stderr, "fengqiao alert: {} message{} decided, {} line{} skipped\n", decided,
               decided == 1 ? "" : "s", bad, bad == 1 ? "" : "s");
  }
  return bad > 0 ? kExitFailure : kExitOk;
}

int RunAlert(const std::vector<std::string>&) { return Alert(); }

}  // namespace

const Command& AlertCommand() {
  static const Command* const command = new Command{
      .name = "alert",
      .args = {},
      .flags = {"rules=DIR", "model=FILE", "replies=DIR"},
      .summary = "the AI管家: decide one action per chat message (JSON Lines in and out)",
      .description =
          "Reads chat messages from stdin, one JSON object per line with the field names of\n"
          "fengqiao.v1.ChatMessage: {\"id\": \"...\", \"group_type\": \"GROUP_TYPE_...\", "
          "\"text\": \"...\"}\n"
          "(optional \"sent_at\", \"grid_code\", \"group_id\", \"sender_id\"; the labels of "
          "the\n"
          "evaluation corpus, fengqiao.v1.LabelledChatMessage, are accepted and ignored), and "
          "writes\n"
          "one line per message: {\"id\", \"action\": \"ALERT_ACTION_...\", \"category\": "
          "\"ALERT_CATEGORY_...\",\n"
          "\"reply_id\", \"reply\" (the standard reply for an ordinary question, \"\" when "
          "none scores\n"
          "high enough), \"spans\": [{\"rule_id\", \"begin\", \"end\"}] (the evidence, byte "
          "offsets\n"
          "in the text), \"reason\", \"masked_text\" (phone, ID and bank-card numbers and "
          "names\n"
          "masked)}. A line that is not such an object (not JSON, an unknown key, a value of the\n"
          "wrong type, an unknown enum name or number, no text) is reported on stderr with its\n"
          "number and the field (never its text) and skipped; the run goes on. Exit 0 when every\n"
          "line was decided, 1 when a line was skipped or the rules or replies do not load.\n",
      .run = RunAlert,
  };
  return *command;
}

}  // namespace fengqiao::tools
