// The command-line frame of `fengqiao`: subcommands with positional arguments and absl flags.
//
// Each subcommand is a `Command` (tools/*_command.cc); tools/fengqiao_main.cc picks one from argv
// and runs it. Flags are absl flags (ABSL_FLAG in the command's file, read with absl::GetFlag);
// their values are parsed by Abseil (absl::CommandLineFlag::ParseFrom, found in Abseil's registry
// by name), so a bool, a number or an enum flag reads its text the way every absl program does.
// What this file adds is the walk over argv, because absl::ParseCommandLine (Abseil 20220623)
// knows no subcommands, exits 1 on a usage error where we exit 64 (EX_USAGE), and answers
// `--help` with exit 1 where we answer 0.
//
// Tool code, not library: prints to stdout / stderr.
#ifndef FENGQIAO_TOOLS_CLI_H_
#define FENGQIAO_TOOLS_CLI_H_

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fengqiao/force/roster.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/store/sqlite_case_store.h"

namespace fengqiao::tools {

// The exit codes of every command (`fengqiao --help` lists them).
enum ExitCode : int {
  kExitOk = 0,
  // An input that does not load or validate, a missing file, a step that failed; for
  // `rules check`, a rule set with errors.
  kExitFailure = 1,
  // `locate`: the point lies outside every grid.
  kExitOutside = 2,
  // EX_USAGE: unknown command or flag, a missing or extra argument, a flag value that does not
  // parse.
  kExitUsage = 64,
  // EX_SOFTWARE: an exception reached main (a bug in fengqiao, reported instead of aborting).
  kExitSoftware = 70,
};

// How a command prints its data: `--format=text` (tables for a terminal), `--format=json`
// (JSON Lines: one protobuf JSON object per line, for programs) or `--format=csv` (one table,
// RFC 4180, a header line first, for spreadsheets). Parsed by Abseil through AbslParseFlag, so a
// bad value is a usage error.
enum class OutputFormat { kText, kJson, kCsv };
bool AbslParseFlag(absl::string_view text, OutputFormat* format, std::string* error);
std::string AbslUnparseFlag(OutputFormat format);

// A calendar day given as a flag (`--as_of=2026-10-20`), read in the district's zone by the
// command. Parsed by Abseil through AbslParseFlag, so a bad date is a usage error (exit 64);
// `std::optional<FlagDate>` flags are unset until given.
struct FlagDate {
  absl::CivilDay day;
};
bool AbslParseFlag(absl::string_view text, FlagDate* date, std::string* error);
std::string AbslUnparseFlag(FlagDate date);

}  // namespace fengqiao::tools

// `--format=text|json|csv`, defined once (tools/cli.cc) for every command that lists "format".
ABSL_DECLARE_FLAG(fengqiao::tools::OutputFormat, format);
// `--roster=ROSTER`, defined once (tools/cli.cc) for `brief` and `route`.
ABSL_DECLARE_FLAG(std::string, roster);
// `--db_key_file=FILE`, defined once (tools/cli.cc) for every command that opens a case store.
ABSL_DECLARE_FLAG(std::string, db_key_file);
// `--threads=N`, defined once (tools/cli.cc) for `route` and the commands that print metrics.
ABSL_DECLARE_FLAG(int, threads);

namespace fengqiao::tools {

// One subcommand.
struct Command {
  // "district", or two words for a command in a group ("rules check").
  std::string name;
  // Positional arguments in order; an optional one is written in brackets ("[GRID_MAP]") and
  // only optional ones may follow it.
  std::vector<std::string> args;
  // The absl flags the command accepts (defined with ABSL_FLAG), each "name" or
  // "name=PLACEHOLDER" ("db=CASES.db") for the usage line.
  std::vector<std::string> flags;
  // One line for `fengqiao --help`.
  std::string summary;
  // The body of `fengqiao NAME --help`: what the command reads, prints and returns.
  std::string description;
  // Runs the command on its positional arguments (flags are set already); returns the exit code.
  int (*run)(const std::vector<std::string>& args) = nullptr;
};

// What the words after a command's name asked for.
struct Invocation {
  bool help = false;              // -h / --help was given: print the command's help, run nothing
  std::vector<std::string> args;  // the positional arguments
};

// Reads `words` (the words after the command's name): sets the command's absl flags and returns
// its positional arguments. Flags are `--name=value`, `--name value`, `--name` / `--noname` for a
// bool, one dash or two; `--` ends the flags; a word that reads as a number ("-33.9") is an
// argument. InvalidArgument names the word at fault: an unknown flag (or one of another
// command), a missing or malformed value, too few or too many arguments.
absl::StatusOr<Invocation> ParseArgs(const Command& command, const std::vector<std::string>& words);

// "usage: fengqiao district DIR [--db=PATH]".
std::string CommandUsage(const Command& command);

// Usage, description and each flag with its help and default: what `fengqiao NAME --help` prints.
std::string CommandHelp(const Command& command);

// Prints "fengqiao: <message>" on stderr and returns kExitFailure.
int Fail(const absl::Status& status);

// `text` as a JSON string literal, escaped by protobuf's JSON printer (for JSON Lines output).
std::string JsonQuoted(const std::string& text);

// Progress of long work (messages scanned, incidents routed, a month simulated), drawn on stderr
// only when stderr is a terminal and FENGQIAO_NO_PROGRESS is unset: "label: 12,345 (4,100/s)",
// or "label: 45% (12,345 of 27,000)" with a total, redrawn in place at most 5 times a second and
// cleared when done. Pipes, files and CI logs see nothing of it.
class Progress {
 public:
  explicit Progress(std::string label, int64_t total = 0);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void Tick(int64_t n = 1);

 private:
  void Draw();
  std::string label_;
  int64_t total_;
  int64_t done_ = 0;
  bool enabled_;
  bool drawn_ = false;
  absl::Time start_, last_draw_;
};

// One CSV line (RFC 4180): fields with a comma, a quote or a line break quoted, quotes doubled.
std::string CsvLine(const std::vector<std::string>& fields);

// The threads --threads asks for: every core for 0 (the default); InvalidArgument below 0.
absl::StatusOr<int> ThreadsFromFlag();

// The roster --roster names, validated against `map`; null when the flag is empty.
absl::StatusOr<std::shared_ptr<const Roster>> RosterFromFlag(
    const std::shared_ptr<const GridMap>& map);

// Opens the SQLite case store at `path` with the key of an encrypted store: from the file
// --db_key_file names, else from FENGQIAO_STORE_KEY when it is set, else none (a store in clear).
// Never from the command line itself. Saves replay every log under `loop_options` (null: the
// defaults).
absl::StatusOr<std::unique_ptr<SqliteCaseStore>> OpenCaseStore(
    const std::string& path, bool read_only,
    std::shared_ptr<const CaseLoopOptions> loop_options = nullptr);

// Reads one line of at most `limit` bytes from `in` into `line` (without the newline): false at
// the end of input; `too_long` when the line was longer (the rest of it is read and dropped, so
// an endless line costs no memory).
bool ReadBoundedLine(std::FILE* in, size_t limit, std::string& line, bool& too_long);

// absl::string_view as std::string_view, for fmt (Abseil 20220623 has its own string_view).
inline std::string_view Sv(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace fengqiao::tools

#endif  // FENGQIAO_TOOLS_CLI_H_
