// `fengqiao route RULES GRID_MAP`: routes incidents read as protobuf JSON Lines on stdin, one
// decision per line on stdout, so that a system in any language can route through the command.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "fengqiao/force/roster.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/mediation/roster_capacity.h"
#include "fengqiao/routing/incident_stream.h"
#include "fengqiao/routing/responsibility_catalogue.h"
#include "fengqiao/routing/routing_facts.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/routing/rule_source.h"
#include "fengqiao/v1/incident.pb.h"
#include "fengqiao/v1/routing.pb.h"
#include "fmt/core.h"
#include "google/protobuf/util/json_util.h"
#include "src/internal/proto_files.h"
#include "src/internal/thread_pool.h"
#include "tools/commands.h"

ABSL_FLAG(bool, explain, false,
          "print the fengqiao.v1.Explanation (the decision and, per rule examined, whether it "
          "matched and the first condition that failed) instead of the fengqiao.v1.Decision");
ABSL_FLAG(
    std::string, catalogue, "",
    "a responsibility catalogue (职责清单 / 派单目录): a non-police matter's department comes "
    "from the item its matter_code names, or the fallback owner");
ABSL_FLAG(int64_t, max_line_bytes, 1 << 20,
          "longest input line accepted; a longer one is reported and skipped");

namespace fengqiao::tools {
namespace {

int Route(const std::string& rules_path, const std::string& map_path) {
  absl::StatusOr<std::shared_ptr<const fengqiao::GridMap>> map = fengqiao::GridMap::Load(map_path);
  if (!map.ok()) return Fail(map.status());
  absl::StatusOr<fengqiao::RuleSetSource> source = fengqiao::RuleSetSource::Load(rules_path);
  if (!source.ok()) return Fail(source.status());
  fengqiao::RuleSetOptions options;
  if (const std::string catalogue = absl::GetFlag(FLAGS_catalogue); !catalogue.empty()) {
    absl::StatusOr<std::shared_ptr<const fengqiao::ResponsibilityCatalogue>> loaded =
        fengqiao::ResponsibilityCatalogue::Load(catalogue);
    if (!loaded.ok()) return Fail(loaded.status());
    options.catalogue = *std::move(loaded);
  }
  absl::StatusOr<std::shared_ptr<const fengqiao::RuleSet>> rules =
      fengqiao::RuleSet::Compile(*source, *map, options);
  if (!rules.ok()) return Fail(rules.status());
  absl::StatusOr<std::shared_ptr<const fengqiao::Roster>> roster_or = RosterFromFlag(*map);
  if (!roster_or.ok()) return Fail(roster_or.status());
  const std::shared_ptr<const fengqiao::Roster> roster = *roster_or;
  const bool explain = absl::GetFlag(FLAGS_explain);
  const int64_t max_line = absl::GetFlag(FLAGS_max_line_bytes);
  if (max_line <= 0) {
    return Fail(absl::InvalidArgumentError("--max_line_bytes must be positive"));
  }

  absl::StatusOr<int> threads = ThreadsFromFlag();
  if (!threads.ok()) return Fail(threads.status());

  // Lines are read a batch at a time; parsing, validation and the decision with its JSON run on
  // --threads threads, each line's work on one thread; the repeats (the same party or address
  // within 30 days, IncidentStream) are counted over the batch in input order, and lines are
  // written in input order: the output does not depend on the number of threads.
  struct Line {
    int64_t no = 0;
    std::string text;
    bool too_long = false;
    bool blank = false;
    fengqiao::v1::Incident incident;
    std::optional<fengqiao::RoutingFacts> facts;
    std::string error;  // what stderr says about the line (never its values)
    std::string json;   // the decision or explanation
  };
  constexpr size_t kBatch = 4096, kPerTask = 64;
  std::vector<Line> batch(kBatch);
  const auto in_parallel = [&](size_t n, auto body) {
    fengqiao::internal::ThreadPool::Shared().Run(
        (n + kPerTask - 1) / kPerTask, *threads, [&](size_t task) {
          const size_t end = std::min(n, (task + 1) * kPerTask);
          for (size_t i = task * kPerTask; i < end; ++i) {
            body(batch[i]);
          }
        });
  };
  fengqiao::IncidentStream stream(**rules);
  google::protobuf::util::JsonParseOptions parse;
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  int64_t line_no = 0, routed = 0, bad = 0;
  Progress progress("incidents routed");
  for (bool more = true; more;) {
    size_t n = 0;
    while (n < kBatch) {
      Line& l = batch[n];
      if (!ReadBoundedLine(stdin, static_cast<size_t>(max_line), l.text, l.too_long)) {
        more = false;
        break;
      }
      l.no = ++line_no;
      progress.Tick();
      ++n;
    }
    in_parallel(n, [&](Line& l) {
      l.incident.Clear();
      l.facts.reset();
      l.error.clear();
      l.json.clear();
      l.blank = !l.too_long && absl::StripAsciiWhitespace(l.text).empty();
      if (l.too_long) {
        l.error = absl::StrCat("line longer than ", max_line, " bytes, skipped");
        return;
      }
      if (l.blank) return;
      const auto parsed = google::protobuf::util::JsonStringToMessage(l.text, &l.incident, parse);
      if (!parsed.ok()) {
        std::string path;
        l.error = fengqiao::internal::DescribeJsonError(
            absl::string_view(parsed.message().data(), parsed.message().size()),
            "fengqiao.v1.Incident", &path);
        return;
      }
      if (const absl::Status valid = fengqiao::ValidateIncident(l.incident, **map); !valid.ok()) {
        l.error = std::string(valid.message());
      }
    });
    for (size_t i = 0; i < n; ++i) {
      Line& l = batch[i];
      if (l.blank || !l.error.empty()) continue;
      absl::StatusOr<fengqiao::RoutingFacts> facts = stream.Next(l.incident);
      if (facts.ok()) {
        l.facts = *facts;
      } else {
        l.error = std::string(facts.status().message());
      }
    }
    in_parallel(n, [&](Line& l) {
      if (!l.facts.has_value()) return;
      // With --roster, the capacity tests read the roster at the incident's report time.
      std::vector<fengqiao::CapacityState> capacity;
      if (roster != nullptr) {
        capacity = (*rules)->ResolveCapacity(fengqiao::CapacityFromRoster(
            *roster, (*rules)->teams(), absl::FromUnixSeconds(l.incident.reported_at().seconds())));
      }
      const auto printed =
          explain ? google::protobuf::util::MessageToJsonString(
                        (*rules)->Explain(*l.facts, l.incident.id(), capacity), &l.json, print)
                  : google::protobuf::util::MessageToJsonString(
                        (*rules)->Decide(*l.facts, l.incident.id(), capacity), &l.json, print);
      if (!printed.ok()) l.error = "cannot print the decision";
    });
    for (size_t i = 0; i < n; ++i) {
      const Line& l = batch[i];
      if (!l.error.empty()) {
        fmt::print(stderr, "stdin:{}: {}\n", l.no, l.error);
        ++bad;
      } else if (!l.blank) {
        fmt::print("{}\n", l.json);
        ++routed;
      }
    }
  }
  std::fflush(stdout);
  if (bad > 0) {
    fmt::print(stderr, "fengqiao route: {} incident{} routed, {} line{} skipped\n", routed,
               routed == 1 ? "" : "s", bad, bad == 1 ? "" : "s");
  }
  return bad > 0 ? kExitFailure : kExitOk;
}

int RunRoute(const std::vector<std::string>& args) { return Route(args[0], args[1]); }

}  // namespace

const Command& RouteCommand() {
  static const Command* const command = new Command{
      .name = "route",
      .args = {"RULES", "GRID_MAP"},
      .flags = {"explain", "roster=ROSTER", "catalogue=CATALOGUE", "max_line_bytes=BYTES",
                "threads=N"},
      .summary = "route incidents from stdin (JSON Lines), one decision per line",
      .description =
          "Compiles the rule set RULES against GRID_MAP, reads incidents from stdin, one\n"
          "fengqiao.v1.Incident per line in protobuf's JSON mapping (README: \"Routing from any\n"
          "language\"), and writes one line per incident on stdout: the fengqiao.v1.Decision\n"
          "(rule_id, action, rule_set_version, rule_set_hash, ...) with the proto's field names,\n"
          "or with --explain the fengqiao.v1.Explanation. Repeats (same party or address within\n"
          "30 days) are counted over the input in order. No capacity snapshot: every team has "
          "room.\n"
          "With --catalogue, a non-police matter's department is the owner of the catalogue item\n"
          "its matter_code names (or the catalogue's fallback owner), and the decision's\n"
          "catalogue field names the item and the catalogue's version.\n"
          "A line that is not an incident, or names an unknown grid or an undefined enum number,\n"
          "is reported on stderr as stdin:LINE: what is wrong (never its values) and skipped;\n"
          "the run goes on. Blank lines are ignored.\n"
          "Lines are parsed and routed on --threads threads (default: every core); repeats\n"
          "are counted and lines written in input order, so the output does not depend on it.\n"
          "Exit 0 when every line was routed, 1 when a line was skipped or a file does not load.\n",
      .run = RunRoute,
  };
  return *command;
}

}  // namespace fengqiao::tools
