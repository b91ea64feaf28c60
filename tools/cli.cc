#include "tools/cli.h"

#include <unistd.h>

#include <cstdlib>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fengqiao/status_macros.h"
#include "fmt/core.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

// Shared by every command that prints data; each command's description says what a JSON line is.
ABSL_FLAG(fengqiao::tools::OutputFormat, format, fengqiao::tools::OutputFormat::kText,
          "text: for a person (tables, compiler-style diagnostics); json: JSON Lines for "
          "programs, one object per line in protobuf's JSON mapping (field names as in the "
          "proto); csv: one table with a header line, for spreadsheets");

// Shared by `brief` (names of the responsible persons, masked) and `route` (capacity at each
// incident's time).
ABSL_FLAG(std::string, db_key_file, "",
          "the key file of an encrypted case store (64 hex digits, chmod 600); without it the "
          "key is read from FENGQIAO_STORE_KEY when that is set");
ABSL_FLAG(std::string, roster, "",
          "the roster (roster.textproto): brief names the responsible persons from it (masked, "
          "member ids without it); route reads team capacity from it");

// Shared by `route` and the commands that print metrics (`metrics`, `district`).
ABSL_FLAG(int, threads, 0,
          "threads for routing and metrics (the results do not depend on it); 0: every core "
          "the machine has (std::thread::hardware_concurrency)");

namespace fengqiao::tools {
namespace {

bool IsOptional(const std::string& arg) { return !arg.empty() && arg.front() == '['; }

// "db" of "db=CASES.db"; "format" of "format(table_format)=jdm|dmn".
absl::string_view FlagName(absl::string_view entry) {
  entry = entry.substr(0, entry.find('='));
  return entry.substr(0, entry.find('('));
}

// The absl flag behind an entry: its name, or the one in parentheses when the command gives an
// absl flag another name on its command line ("format(table_format)=jdm|dmn": `--format` sets
// FLAGS_table_format, since `--format` is already text|json|csv for the other commands).
std::string AbslFlagName(absl::string_view entry) {
  entry = entry.substr(0, entry.find('='));
  const size_t open = entry.find('(');
  if (open == absl::string_view::npos || entry.back() != ')') return std::string(entry);
  return std::string(entry.substr(open + 1, entry.size() - open - 2));
}

// "CASES.db" of "db=CASES.db", "VALUE" when the entry names no placeholder.
absl::string_view FlagValueName(absl::string_view entry) {
  const size_t eq = entry.find('=');
  return eq == absl::string_view::npos ? "VALUE" : entry.substr(eq + 1);
}

std::string FlagList(const Command& command) {
  if (command.flags.empty()) return absl::StrCat("`", command.name, "` takes no flags");
  std::vector<std::string> names;
  for (const std::string& entry : command.flags)
    names.push_back(absl::StrCat("--", FlagName(entry)));
  return absl::StrCat("flags of `", command.name, "`: ", absl::StrJoin(names, ", "));
}

// The flag `name` of `command` (the "no" prefix of a bool already stripped by the caller).
absl::CommandLineFlag* FindFlag(const Command& command, absl::string_view name) {
  for (const std::string& entry : command.flags) {
    if (FlagName(entry) == name) return absl::FindCommandLineFlag(AbslFlagName(entry));
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<Invocation> ParseArgs(const Command& command,
                                     const std::vector<std::string>& words) {
  Invocation invocation;
  bool flags_ended = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    double number;
    if (flags_ended || word.size() < 2 || word.front() != '-' || absl::SimpleAtod(word, &number)) {
      invocation.args.push_back(word);
      continue;
    }
    if (word == "--") {
      flags_ended = true;
      continue;
    }
    if (word == "-h" || word == "--help" || word == "-help") {
      invocation.help = true;
      continue;
    }
    absl::string_view body(word);
    body.remove_prefix(absl::StartsWith(body, "--") ? 2 : 1);
    const size_t eq = body.find('=');
    const absl::string_view name = body.substr(0, eq);
    const bool has_value = eq != absl::string_view::npos;
    absl::CommandLineFlag* flag = FindFlag(command, name);
    bool negated = false;
    if (flag == nullptr && absl::StartsWith(name, "no")) {
      flag = FindFlag(command, name.substr(2));
      negated = flag != nullptr && flag->IsOfType<bool>();
      if (!negated) flag = nullptr;
    }
    if (flag == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", name, " (", FlagList(command), ")"));
    }
    std::string value;
    if (negated) {
      if (has_value) {
        return absl::InvalidArgumentError(absl::StrCat("--", name, " takes no value"));
      }
      value = "false";
    } else if (has_value) {
      value = std::string(body.substr(eq + 1));
    } else if (flag->IsOfType<bool>()) {
      value = "true";
    } else if (i + 1 < words.size()) {
      value = words[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", negated ? name.substr(2) : name, ": ", error));
    }
  }
  if (invocation.help) return invocation;
  const size_t required =
      static_cast<size_t>(std::count_if(command.args.begin(), command.args.end(),
                                        [](const std::string& arg) { return !IsOptional(arg); }));
  if (invocation.args.size() < required) {
    return absl::InvalidArgumentError(
        absl::StrCat("missing argument ", command.args[invocation.args.size()]));
  }
  if (invocation.args.size() > command.args.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument \"", invocation.args[command.args.size()], "\""));
  }
  return invocation;
}

std::string CommandUsage(const Command& command) {
  std::string usage = absl::StrCat("usage: fengqiao ", command.name);
  for (const std::string& arg : command.args) absl::StrAppend(&usage, " ", arg);
  for (const std::string& entry : command.flags) {
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(AbslFlagName(entry));
    if (flag != nullptr && flag->IsOfType<bool>()) {
      absl::StrAppend(&usage, " [--", FlagName(entry), "]");
    } else {
      absl::StrAppend(&usage, " [--", FlagName(entry), "=", FlagValueName(entry), "]");
    }
  }
  return usage;
}

std::string CommandHelp(const Command& command) {
  std::string help =
      absl::StrCat(CommandUsage(command), "\n\n", command.summary, "\n\n", command.description);
  if (!command.flags.empty()) absl::StrAppend(&help, "\nflags:\n");
  for (const std::string& entry : command.flags) {
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(AbslFlagName(entry));
    if (flag == nullptr) continue;
    const std::string default_value = flag->DefaultValue();
    const std::string form = flag->IsOfType<bool>()
                                 ? absl::StrCat("--[no]", FlagName(entry))
                                 : absl::StrCat("--", FlagName(entry), "=", FlagValueName(entry));
    absl::StrAppend(&help, "  ", form, "\n      ", flag->Help(),
                    default_value.empty() ? "" : absl::StrCat(" (default: ", default_value, ")"),
                    "\n");
  }
  absl::StrAppend(&help, "  -h, --help\n      this help\n");
  return help;
}

bool AbslParseFlag(absl::string_view text, OutputFormat* format, std::string* error) {
  if (text == "text") {
    *format = OutputFormat::kText;
  } else if (text == "json") {
    *format = OutputFormat::kJson;
  } else if (text == "csv") {
    *format = OutputFormat::kCsv;
  } else {
    *error = absl::StrCat("\"", text, "\" is not a format (text, json, csv)");
    return false;
  }
  return true;
}

std::string AbslUnparseFlag(OutputFormat format) {
  switch (format) {
    case OutputFormat::kJson:
      return "json";
    case OutputFormat::kCsv:
      return "csv";
    case OutputFormat::kText:
      break;
  }
  return "text";
}

Progress::Progress(std::string label, int64_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(isatty(fileno(stderr)) == 1 && std::getenv("FENGQIAO_NO_PROGRESS") == nullptr),
      start_(absl::Now()),
      last_draw_(absl::InfinitePast()) {}

Progress::~Progress() {
  if (drawn_) fmt::print(stderr, "\r\033[K");
}

void Progress::Tick(int64_t n) {
  done_ += n;
  if (!enabled_) return;
  const absl::Time now = absl::Now();
  if (now - last_draw_ < absl::Milliseconds(200)) return;
  last_draw_ = now;
  Draw();
}

void Progress::Draw() {
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
  if (total_ > 0) {
    fmt::print(stderr, "\r\033[K{}: {}% ({} of {})", label_, 100 * done_ / total_, done_, total_);
  } else {
    fmt::print(stderr, "\r\033[K{}: {} ({}/s)", label_, done_,
               seconds > 0 ? static_cast<int64_t>(done_ / seconds) : 0);
  }
  std::fflush(stderr);
  drawn_ = true;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line.push_back(',');
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      line += f;
      continue;
    }
    line.push_back('"');
    for (char c : f) {
      if (c == '"') line.push_back('"');
      line.push_back(c);
    }
    line.push_back('"');
  }
  return line;
}

bool AbslParseFlag(absl::string_view text, FlagDate* date, std::string* error) {
  if (text.size() != 10 || !absl::ParseCivilTime(text, &date->day)) {
    *error = absl::StrCat("\"", text, "\" is not a date (YYYY-MM-DD)");
    return false;
  }
  return true;
}

std::string AbslUnparseFlag(FlagDate date) { return absl::FormatCivilTime(date.day); }

std::string JsonQuoted(const std::string& text) {
  google::protobuf::Value value;
  value.set_string_value(text);
  std::string json;
  // A string Value always prints.
  (void)google::protobuf::util::MessageToJsonString(value, &json);
  return json;
}

absl::StatusOr<std::shared_ptr<const Roster>> RosterFromFlag(
    const std::shared_ptr<const GridMap>& map) {
  const std::string path = absl::GetFlag(FLAGS_roster);
  if (path.empty()) return std::shared_ptr<const Roster>();
  return Roster::Load(path, map);
}

absl::StatusOr<std::unique_ptr<SqliteCaseStore>> OpenCaseStore(
    const std::string& path, bool read_only, std::shared_ptr<const CaseLoopOptions> loop_options) {
  SqliteOptions options;
  options.read_only = read_only;
  options.loop_options = std::move(loop_options);
  const std::string key_file = absl::GetFlag(FLAGS_db_key_file);
  if (!key_file.empty()) {
    FENGQIAO_ASSIGN_OR_RETURN(options.key, ReadStoreKeyFile(key_file));
  } else if (std::getenv("FENGQIAO_STORE_KEY") != nullptr) {
    FENGQIAO_ASSIGN_OR_RETURN(options.key, StoreKeyFromEnvironment());
  }
  return SqliteCaseStore::Open(path, options);
}

bool ReadBoundedLine(std::FILE* in, size_t limit, std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  int c;
  bool any = false;
  while ((c = std::fgetc(in)) != EOF) {
    any = true;
    if (c == '\n') return true;
    if (line.size() < limit) {
      line.push_back(static_cast<char>(c));
    } else {
      too_long = true;
    }
  }
  return any;
}

int Fail(const absl::Status& status) {
  fmt::print(stderr, "fengqiao: {}\n", Sv(status.message()));
  return kExitFailure;
}

absl::StatusOr<int> ThreadsFromFlag() {
  const int threads = absl::GetFlag(FLAGS_threads);
  if (threads < 0) return absl::InvalidArgumentError("--threads must be 0 (every core) or more");
  if (threads > 0) return threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace fengqiao::tools
