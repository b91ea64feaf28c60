// `fengqiao open311 services|to-incidents|from-cases`: Open311 GeoReport v2 files in and out,
// through the interop module (the mapping is the library's; this file reads and writes).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/interop/open311.h"
#include "fengqiao/privacy/masking.h"
#include "fengqiao/routing/rule_source.h"
#include "fengqiao/store/sqlite_case_store.h"
#include "fmt/core.h"
#include "google/protobuf/util/json_util.h"
#include "tools/commands.h"

ABSL_FLAG(bool, xml, false, "open311: write the specification's XML instead of its JSON");
ABSL_FLAG(std::string, id_prefix, "12345-",
          "open311 to-incidents: incident ids are this prefix and the input line number");
ABSL_FLAG(bool, unmasked, false,
          "open311 to-incidents: write the requesters' names, phones and addresses in clear "
          "(the default masks them); the run says so on stderr");

namespace fengqiao::tools {
namespace {

// `open311 services RULES`: the district's service list.
int Services(const std::vector<std::string>& args) {
  absl::StatusOr<RuleSetSource> source = RuleSetSource::Load(args[0]);
  if (!source.ok()) return Fail(source.status());
  const std::vector<v1::Open311Service> services = Open311Services(source->proto());
  fmt::print("{}\n", absl::GetFlag(FLAGS_xml) ? Open311Xml(services) : Open311Json(services));
  return kExitOk;
}

// `open311 to-incidents GRID_MAP`: one request per stdin line (form-encoded or a JSON object)
// -> one fengqiao.v1.Incident per stdout line; a request that cannot become an incident is the
// specification's error on stderr, with its line, and is skipped.
int ToIncidents(const std::vector<std::string>& args) {
  absl::StatusOr<std::shared_ptr<const GridMap>> map = GridMap::Load(args[0]);
  if (!map.ok()) return Fail(map.status());
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  constexpr size_t kMaxLine = 1 << 20;
  std::string line;
  bool too_long = false;
  int64_t line_no = 0, bad = 0;
  const std::string prefix = absl::GetFlag(FLAGS_id_prefix);
  const bool unmasked = absl::GetFlag(FLAGS_unmasked);
  if (unmasked) {
    fmt::print(stderr,
               "fengqiao open311 to-incidents: personal data written in clear (--unmasked)\n");
  }
  while (ReadBoundedLine(stdin, kMaxLine, line, too_long)) {
    ++line_no;
    const absl::string_view body = absl::StripAsciiWhitespace(line);
    if (body.empty()) continue;
    absl::Status status;
    if (too_long) {
      status = absl::InvalidArgumentError(absl::StrCat("longer than ", kMaxLine, " bytes"));
    } else {
      const char* type =
          body.front() == '{' ? "application/json" : "application/x-www-form-urlencoded";
      absl::StatusOr<v1::Open311Request> request = ParseOpen311Request(body, type);
      absl::StatusOr<v1::Incident> incident =
          request.ok()
              ? IncidentFromOpen311(*request, **map, absl::StrCat(prefix, line_no), absl::Now())
              : absl::StatusOr<v1::Incident>(request.status());
      if (incident.ok()) {
        if (!unmasked) MaskMessage(&*incident);
        std::string json;
        if (google::protobuf::util::MessageToJsonString(*incident, &json, print).ok()) {
          fmt::print("{}\n", json);
          continue;
        }
        incident = absl::InternalError("the incident does not print as JSON");
      }
      status = incident.status();
    }
    const v1::Open311Error error = Open311ErrorFrom(status);
    fmt::print(stderr, "stdin:{}: {} {}\n", line_no, error.code(), error.description());
    ++bad;
  }
  std::fflush(stdout);
  return bad > 0 ? kExitFailure : kExitOk;
}

// `open311 from-cases CASES.db`: every stored case as a GeoReport request, personal data masked.
int FromCases(const std::vector<std::string>& args) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(args[0], error)) {
    return Fail(absl::NotFoundError(args[0] + ": no such case store"));
  }
  absl::StatusOr<std::unique_ptr<SqliteCaseStore>> store =
      OpenCaseStore(args[0], /*read_only=*/true);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<std::vector<std::string>> ids = (*store)->Find(CaseQuery());
  if (!ids.ok()) return Fail(ids.status());
  std::vector<v1::Open311ServiceRequest> requests;
  for (const std::string& id : *ids) {
    absl::StatusOr<v1::Case> c = (*store)->Get(id);
    if (!c.ok()) return Fail(c.status());
    requests.push_back(Open311FromCase(*c));
  }
  fmt::print("{}\n", absl::GetFlag(FLAGS_xml) ? Open311Xml(requests) : Open311Json(requests));
  return kExitOk;
}

}  // namespace

const Command& Open311ServicesCommand() {
  static const Command* const command = new Command{
      .name = "open311 services",
      .args = {"RULES"},
      .flags = {"xml"},
      .summary = "the Open311 GeoReport v2 service list a rule set offers",
      .description =
          "Writes the district's service list (GET services) on stdout: one service per\n"
          "department the rule set RULES diverts to (group 非警务事项) and per dispute type a "
          "rule\n"
          "names (group 矛盾纠纷), with codes stable across releases; JSON, or XML with --xml.\n"
          "Exit 0, or 1 when the rule file does not load.\n",
      .run = Services,
  };
  return *command;
}

const Command& Open311ToIncidentsCommand() {
  static const Command* const command = new Command{
      .name = "open311 to-incidents",
      .args = {"GRID_MAP"},
      .flags = {"id_prefix=PREFIX", "unmasked"},
      .summary = "Open311 requests on stdin to incidents (JSON Lines)",
      .description =
          "Reads one GeoReport v2 request per stdin line (POST requests: form-encoded, or a JSON\n"
          "object with the same field names) and writes one fengqiao.v1.Incident per line on\n"
          "stdout in protobuf's JSON mapping, located to its grid by GRID_MAP, the requester as\n"
          "a party; personal data (names, phones, addresses, free text) is masked unless\n"
          "--unmasked is given, which the run reports on stderr. A request that cannot become\n"
          "an incident is reported on\n"
          "stderr as stdin:LINE: CODE DESCRIPTION (the specification's error; never a value)\n"
          "and skipped. Pipe the output to `fengqiao route`.\n"
          "Exit 0 when every line became an incident, 1 otherwise.\n",
      .run = ToIncidents,
  };
  return *command;
}

const Command& Open311FromCasesCommand() {
  static const Command* const command = new Command{
      .name = "open311 from-cases",
      .args = {"CASES.db"},
      .flags = {"xml", "db_key_file=FILE"},
      .summary = "the cases of a store as Open311 requests",
      .description =
          "Writes every case of the SQLite case store CASES.db as a GeoReport v2 request\n"
          "(GET requests): status open/closed from the case state (docs/interop.md), notes from\n"
          "the last event, the agency from the decision, the expected time from the open\n"
          "deadline; personal data masked. JSON, or XML with --xml. The store is opened\n"
          "read-only. Exit 0, or 1 when the store does not open.\n",
      .run = FromCases,
  };
  return *command;
}

}  // namespace fengqiao::tools
