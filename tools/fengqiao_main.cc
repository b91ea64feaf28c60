// fengqiao: the command-line face of the library. One file per subcommand (tools/commands.h
// lists them); this file picks the command from argv, parses its flags (tools/cli.h) and runs it.
//
//   fengqiao --help | -h | help [COMMAND]    usage on stdout, exit 0
//   fengqiao --version | version             the version, exit 0
//   fengqiao COMMAND [ARGS] [FLAGS]          see `fengqiao COMMAND --help`
//
// A usage error (unknown command or flag, missing or extra argument) prints the message and the
// usage on stderr and exits 64 (EX_USAGE); no input makes it abort (an exception that reaches
// main is reported and exits 70).
#include <algorithm>
#include <exception>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "fmt/core.h"
#include "tools/cli.h"
#include "tools/commands.h"

namespace fengqiao::tools {

const std::vector<const Command*>& AllCommands() {
  static const std::vector<const Command*>* const commands = new std::vector<const Command*>{
      &DistrictCommand(),
      &RulesCheckCommand(),
      &CatalogueCheckCommand(),
      &RulesExportCommand(),
      &RulesImportCommand(),
      &MetricsCommand(),
      &BriefCommand(),
      &RouteCommand(),
      &AlertCommand(),
      &LocateCommand(),
      &Open311ServicesCommand(),
      &Open311ToIncidentsCommand(),
      &Open311FromCasesCommand(),
      &VersionCommand(),
  };
  return *commands;
}

namespace {

std::string ToolHelp() {
  std::string help =
      "fengqiao: grid-based community policing (枫桥经验) from the command line.\n\n"
      "usage: fengqiao COMMAND [ARGS] [FLAGS]\n\ncommands:\n";
  for (const Command* command : AllCommands()) {
    const std::string usage = CommandUsage(*command).substr(sizeof("usage: fengqiao ") - 1);
    absl::StrAppend(&help, "  ", usage, "\n      ", command->summary, "\n");
  }
  absl::StrAppend(&help,
                  "  help [COMMAND]\n      this help, or a command's (also COMMAND --help)\n\n"
                  "exit codes: 0 ok; 1 an input does not load or validate (rules check, catalogue "
                  "check: it has errors);\n"
                  "            2 locate: the point is outside every grid; 64 usage error; 70 "
                  "internal error\n");
  return help;
}

int UsageError(absl::string_view message, absl::string_view usage) {
  fmt::print(stderr, "fengqiao: {}\n{}\nRun `fengqiao --help` for the commands and their help.\n",
             Sv(message), Sv(usage));
  return kExitUsage;
}

// The command named by the first words of `words` ("rules check" takes two); sets `*used` to
// the number of words its name took.
const Command* FindCommand(const std::vector<std::string>& words, size_t* used) {
  for (const Command* command : AllCommands()) {
    const std::vector<std::string> name = absl::StrSplit(command->name, ' ');
    if (name.size() <= words.size() && std::equal(name.begin(), name.end(), words.begin())) {
      *used = name.size();
      return command;
    }
  }
  return nullptr;
}

int Run(const std::vector<std::string>& words) {
  if (words.empty()) return UsageError("no command given", "usage: fengqiao COMMAND [ARGS]");
  const std::string& first = words.front();
  if (first == "--help" || first == "-h" || first == "-help" || first == "help") {
    if (words.size() == 1) {
      fmt::print("{}", ToolHelp());
      return kExitOk;
    }
    size_t used = 0;
    const Command* command =
        FindCommand(std::vector<std::string>(words.begin() + 1, words.end()), &used);
    if (command == nullptr || used + 1 != words.size()) {
      return UsageError(
          absl::StrCat("no command \"", absl::StrJoin(words.begin() + 1, words.end(), " "), "\""),
          "usage: fengqiao help [COMMAND]");
    }
    fmt::print("{}", CommandHelp(*command));
    return kExitOk;
  }
  if (first == "--version" || first == "-version") return VersionCommand().run({});
  size_t used = 0;
  const Command* command = FindCommand(words, &used);
  if (command == nullptr) {
    const std::string what = words.size() > 1 && (first == "rules" || first == "catalogue")
                                 ? absl::StrCat(first, " ", words[1])
                                 : first;
    return UsageError(absl::StrCat("unknown command \"", what, "\""),
                      "usage: fengqiao COMMAND [ARGS]");
  }
  absl::StatusOr<Invocation> invocation =
      ParseArgs(*command, std::vector<std::string>(words.begin() + used, words.end()));
  if (!invocation.ok()) {
    return UsageError(absl::StrCat(command->name, ": ", invocation.status().message()),
                      CommandUsage(*command));
  }
  if (invocation->help) {
    fmt::print("{}", CommandHelp(*command));
    return kExitOk;
  }
  return command->run(invocation->args);
}

}  // namespace
}  // namespace fengqiao::tools

int main(int argc, char** argv) {
  try {
    return fengqiao::tools::Run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    fmt::print(stderr, "fengqiao: internal error: {}\n", e.what());
    return fengqiao::tools::kExitSoftware;
  }
}
