// `fengqiao district DIR [--db=CASES.db]`: the main job on one district's files.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/closure/work_order_policy.h"
#include "fengqiao/force/candidate_selector.h"
#include "fengqiao/force/roster.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/incident/incident_log.h"
#include "fengqiao/incident/repeat_detector.h"
#include "fengqiao/mediation/handler_choice.h"
#include "fengqiao/mediation/roster_capacity.h"
#include "fengqiao/mediation/working_calendar.h"
#include "fengqiao/metrics/case_metrics.h"
#include "fengqiao/metrics/scorecard_policy.h"
#include "fengqiao/privacy/masking.h"
#include "fengqiao/routing/incident_stream.h"
#include "fengqiao/routing/responsibility_catalogue.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/store/memory_case_store.h"
#include "fengqiao/store/sqlite_case_store.h"
#include "fengqiao/time_zone.h"
#include "fengqiao/version.h"
#include "fengqiao/vocabulary.h"
#include "fmt/core.h"
#include "tools/case_rules_report.h"
#include "tools/commands.h"
#include "tools/month_simulation.h"
#include "tools/scorecard_report.h"

ABSL_FLAG(std::string, db, "",
          "save the simulated cases to this SQLite case store (created if missing); memory "
          "when empty");

ABSL_FLAG(std::optional<fengqiao::tools::FlagDate>, as_of, std::nullopt,
          "YYYY-MM-DD: take the closure loop's state at 00:00 of this day in the district's zone "
          "(China Standard Time); unset: the first day of the month after the newest incident");

namespace fengqiao::tools {
namespace {

// 00:00 of `as_of`, or of the first day of the month after the newest incident, in `tz`.
absl::StatusOr<absl::Time> StateTime(const fengqiao::v1::IncidentLog& log,
                                     std::optional<FlagDate> as_of, absl::TimeZone tz) {
  if (as_of.has_value()) return absl::FromCivil(as_of->day, tz);
  int64_t newest = std::numeric_limits<int64_t>::min();
  for (const fengqiao::v1::Incident& incident : log.incidents()) {
    newest = std::max<int64_t>(newest, incident.reported_at().seconds());
  }
  if (log.incidents().empty()) return absl::InvalidArgumentError("the incident log is empty");
  const absl::CivilMonth month(absl::ToCivilDay(absl::FromUnixSeconds(newest), tz));
  return absl::FromCivil(absl::CivilDay(month + 1), tz);
}

// Every DIR/incidents_* file, oldest first (the names sort by month: incidents_YYYY-MM.json);
// NotFound when there is none or DIR does not exist.
absl::StatusOr<std::vector<std::string>> FindIncidentFiles(const std::filesystem::path& dir) {
  std::error_code error;
  if (!std::filesystem::exists(dir, error)) {
    return absl::NotFoundError(absl::StrCat(dir.string(), ": no such directory"));
  }
  if (!std::filesystem::is_directory(dir, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat(dir.string(),
                     ": not a directory (district takes the directory holding "
                     "grid_map.textproto, roster.textproto and incidents_*.json)"));
  }
  std::vector<std::string> found;
  for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("incidents_", 0) == 0) found.push_back(it->path().string());
  }
  if (error) {
    return absl::UnavailableError(absl::StrCat(dir.string(), ": ", error.message()));
  }
  std::sort(found.begin(), found.end());
  if (found.empty()) {
    return absl::NotFoundError(dir.string() + ": no incidents_*.json or .textproto file");
  }
  return found;
}

int District(const std::filesystem::path& dir, const std::string& db_path) {
  const std::optional<fengqiao::tools::FlagDate> as_of = absl::GetFlag(FLAGS_as_of);
  const std::string map_path = (dir / "grid_map.textproto").string();
  const std::string roster_path = (dir / "roster.textproto").string();
  const absl::StatusOr<std::vector<std::string>> incident_paths = FindIncidentFiles(dir);
  if (!incident_paths.ok()) return Fail(incident_paths.status());

  absl::StatusOr<std::shared_ptr<const fengqiao::GridMap>> map = fengqiao::GridMap::Load(map_path);
  if (!map.ok()) return Fail(map.status());
  const fengqiao::GridMap& grid_map = **map;
  absl::StatusOr<std::shared_ptr<const fengqiao::Roster>> roster =
      fengqiao::Roster::Load(roster_path, *map);
  if (!roster.ok()) return Fail(roster.status());
  // The history (every file but the newest) and the month (the newest file). The history feeds
  // repeat detection, the closure loop and the month's 同比 / 环比; the summary is of the month.
  fengqiao::v1::IncidentLog history;
  absl::StatusOr<fengqiao::v1::IncidentLog> log;
  for (const std::string& path : *incident_paths) {
    if (log.ok()) {
      for (fengqiao::v1::Incident& incident : *log->mutable_incidents()) {
        *history.add_incidents() = std::move(incident);
      }
    }
    log = fengqiao::LoadIncidentLog(path, grid_map);
    if (!log.ok()) return Fail(log.status());
  }

  fmt::print("fengqiao {} — {} ({})\n\n", fengqiao::VersionString(), grid_map.proto().name(),
             grid_map.proto().version());

  // Areas and base registers (一标三实), rolled up per street.
  fmt::print("Areas: {} district(s), {} streets, {} communities, {} grids\n",
             grid_map.CountAt(fengqiao::v1::AREA_LEVEL_DISTRICT),
             grid_map.CountAt(fengqiao::v1::AREA_LEVEL_STREET),
             grid_map.CountAt(fengqiao::v1::AREA_LEVEL_COMMUNITY),
             grid_map.CountAt(fengqiao::v1::AREA_LEVEL_GRID));
  fmt::print("  {:<14} {:>10} {:>10} {:>10} {:>8}   (一标三实)\n", "street", "addresses",
             "residents", "housing", "units");
  for (const fengqiao::v1::Area& area : grid_map.proto().areas()) {
    if (area.level() != fengqiao::v1::AREA_LEVEL_STREET &&
        area.level() != fengqiao::v1::AREA_LEVEL_DISTRICT) {
      continue;
    }
    const fengqiao::v1::BaseRegister r = *grid_map.RollUp(area.code());
    fmt::print("  {:<14} {:>10} {:>10} {:>10} {:>8}\n", area.name(), r.standard_addresses(),
               r.actual_residents(), r.actual_housing(), r.actual_units());
  }

  // Forces (1+4+N).
  absl::btree_map<fengqiao::v1::ForceType, int64_t> by_force;
  int core = 0;
  for (const auto& m : (*roster)->proto().members()) {
    ++by_force[m.force_type()];
    core += fengqiao::Roster::IsCoreForce(m.force_type()) ? 1 : 0;
  }
  const int64_t members = (*roster)->proto().members_size();
  fmt::print("\nForces (1+4+N): {} members in {} teams; {} in the four core forces, {} social\n",
             members, (*roster)->proto().teams_size(), core, members - core);
  PrintMix("members by force", by_force, members, fengqiao::ForceTypeName);

  // The month's incidents.
  const auto& incidents = log->incidents();
  const int64_t total = incidents.size();
  absl::btree_map<fengqiao::v1::Channel, int64_t> by_channel;
  absl::btree_map<fengqiao::v1::IncidentKind, int64_t> by_kind;
  absl::btree_map<fengqiao::v1::DisputeType, int64_t> by_dispute;
  absl::btree_map<fengqiao::v1::Department, int64_t> by_department;
  absl::btree_map<fengqiao::v1::Severity, int64_t> by_severity;
  int64_t non_police = 0, disputes = 0, repeats = 0, located = 0, misplaced = 0;
  fengqiao::RepeatDetector detector(absl::Hours(24 * 30));
  for (const auto& incident : history.incidents()) {
    const absl::StatusOr<int> seen = detector.Observe(incident);
    if (!seen.ok()) return Fail(seen.status());
  }
  std::vector<int> repeat_counts;  // per incident, reused for routing below
  repeat_counts.reserve(incidents.size());
  for (const auto& incident : incidents) {
    const absl::StatusOr<int> repeat_count = detector.Observe(incident);
    if (!repeat_count.ok()) return Fail(repeat_count.status());
    repeat_counts.push_back(*repeat_count);
    const fengqiao::Classification c = fengqiao::Classify(incident, *repeat_count);
    ++by_channel[c.channel];
    ++by_kind[c.kind];
    if (!c.police_matter) {
      ++non_police;
      ++by_department[c.department];
    }
    if (c.kind == fengqiao::v1::INCIDENT_KIND_DISPUTE) {
      ++disputes;
      ++by_dispute[c.dispute_type];
      ++by_severity[c.severity];
      if (*repeat_count > 0) ++repeats;
    }
    if (incident.has_location()) {
      absl::StatusOr<const fengqiao::v1::Area*> grid = grid_map.Locate(incident.location());
      if (!grid.ok()) return Fail(grid.status());
      ++located;
      if (*grid == nullptr || (*grid)->code() != incident.grid_code()) ++misplaced;
    }
  }
  fmt::print("\nIncidents: {} in {} (all valid)", total, log->name());
  if (history.incidents_size() > 0) {
    fmt::print("; {} more in the {} months before", history.incidents_size(),
               incident_paths->size() - 1);
  }
  fmt::print("\n");
  fmt::print("  non-police matters (非警务事项) to divert: {} ({:.1f}%)\n", non_police,
             Pct(non_police, total));
  fmt::print("  disputes (矛盾纠纷): {} ({:.1f}%), {} with parties seen in the last 30 days\n",
             disputes, Pct(disputes, total), repeats);
  fmt::print("  located by S2 point -> grid: {} of {}, {} outside their declared grid\n", located,
             total, misplaced);
  PrintMix("by channel", by_channel, total, fengqiao::ChannelName);
  PrintMix("by kind", by_kind, total, fengqiao::IncidentKindName);
  PrintMix("disputes by type", by_dispute, disputes, fengqiao::DisputeTypeName);
  PrintMix("disputes by assessed severity (分级)", by_severity, disputes, fengqiao::SeverityName);
  PrintMix("non-police matters by department (分流)", by_department, non_police,
           fengqiao::DepartmentName);

  // Who would take the first few disputes (调排分离: the finder and screening roles are left out).
  fengqiao::CandidateSelector selector(*roster, {});
  fmt::print("\nFirst disputes and their best candidates:\n");
  int shown = 0;
  for (const auto& incident : incidents) {
    if (incident.kind() != fengqiao::v1::INCIDENT_KIND_DISPUTE || shown >= 5) continue;
    ++shown;
    fengqiao::CandidateRequest request;
    request.dispute_type = incident.dispute_type();
    request.grid_code = incident.grid_code();
    // Missing is missing: an incident without a location is placed at its grid's centre by the
    // selector, never at (0, 0).
    if (incident.has_location()) request.location = incident.location();
    request.at = absl::FromUnixSeconds(incident.reported_at().seconds());
    request.found_by_member_id = incident.found_by_member_id();
    // 调排分离 by role, as the library's handler choice does by default: screening roles (grid
    // workers) find disputes and never handle them.
    request.screening_force_types = fengqiao::HandlerChoiceOptions().screening_forces;
    request.limit = 1;
    absl::StatusOr<fengqiao::CandidateList> list = selector.Candidates(request);
    if (!list.ok()) return Fail(list.status());
    if (list->candidates.empty()) {
      fmt::print("  {} {:<26} nobody available\n", incident.id(),
                 Sv(fengqiao::DisputeTypeName(incident.dispute_type())));
      continue;
    }
    const auto& best = list->candidates.front();
    const fengqiao::v1::Member* m = (*roster)->FindMember(best.member_id());
    fmt::print(
        "  {} {:<26} -> {} {} ({}), {:.0f} m {}, load {:.0f}%\n", incident.id(),
        Sv(fengqiao::DisputeTypeName(incident.dispute_type())), m->id(),
        fengqiao::MaskValue(fengqiao::v1::PERSONAL_KIND_NAME, m->name()),  // masked by default
        Sv(fengqiao::ForceTypeName(m->force_type())), best.distance_m(),
        incident.has_location() ? "away" : "from the grid's centre (no location)",
        100 * best.load());
  }

  // Routing the month with the district's rule set.
  const std::string rules_path = (dir / "rules" / "district.textproto").string();
  std::error_code exists_error;
  if (std::filesystem::exists(rules_path, exists_error)) {
    absl::StatusOr<fengqiao::RuleSetSource> source = fengqiao::RuleSetSource::Load(rules_path);
    if (!source.ok()) return Fail(source.status());
    fengqiao::RuleSetOptions options;
    for (const auto& team : (*roster)->proto().teams()) options.known_teams.push_back(team.id());
    // The district's responsibility catalogue (派单目录), when it has one, names each non-police
    // matter's department from the item intake coded it as.
    const std::string catalogue_path = (dir / "catalogue.textproto").string();
    if (std::filesystem::exists(catalogue_path, exists_error)) {
      absl::StatusOr<std::shared_ptr<const fengqiao::ResponsibilityCatalogue>> catalogue =
          fengqiao::ResponsibilityCatalogue::Load(catalogue_path);
      if (!catalogue.ok()) return Fail(catalogue.status());
      options.catalogue = *std::move(catalogue);
    }
    absl::StatusOr<std::shared_ptr<const fengqiao::RuleSet>> rules =
        fengqiao::RuleSet::Compile(*source, *map, options);
    if (!rules.ok()) return Fail(rules.status());
    absl::btree_map<fengqiao::v1::Tier, int64_t> by_tier;
    absl::btree_map<std::string, int64_t> by_rule;
    int64_t unrouted = 0, capacity_diversions = 0, by_item = 0, by_fallback = 0;
    fengqiao::IncidentStream stream(**rules);
    for (const auto& incident : history.incidents()) {  // repeats counted over the history too
      const absl::StatusOr<fengqiao::RoutingFacts> facts = stream.Next(incident);
      if (!facts.ok()) return Fail(facts.status());
    }
    for (int i = 0; i < incidents.size(); ++i) {
      const fengqiao::v1::Incident& incident = incidents[i];
      absl::StatusOr<fengqiao::RoutingFacts> facts = stream.Next(incident);
      if (!facts.ok()) return Fail(facts.status());
      by_item += facts->matter >= 0 ? 1 : 0;
      by_fallback += facts->matter == fengqiao::kMatterFallback ? 1 : 0;
      const absl::Time at = absl::FromUnixSeconds(incident.reported_at().seconds());
      const std::vector<fengqiao::CapacityState> capacity =
          (*rules)->ResolveCapacity(fengqiao::CapacityFromRoster(**roster, (*rules)->teams(), at));
      const fengqiao::RouteResult r = (*rules)->Route(*facts, capacity);
      capacity_diversions += r.capacity_skips;
      if (r.rule < 0) {
        ++unrouted;
        continue;
      }
      const fengqiao::v1::Rule& rule = (*rules)->proto().rules(r.rule);
      ++by_tier[rule.then().tier()];
      ++by_rule[rule.id()];
    }
    fmt::print("\nRouting with {} (version {}, hash {}), {} rules, {} warnings:\n",
               (*rules)->proto().name(), (*rules)->proto().version(), (*rules)->hash(),
               (*rules)->proto().rules_size(), (*rules)->warnings().size());
    PrintMix("tier mix", by_tier, total, fengqiao::TierName);
    fmt::print("  unrouted: {}; sent past a full or off-duty team (capacity): {}\n", unrouted,
               capacity_diversions);
    if (options.catalogue != nullptr) {
      fmt::print(
          "  派单目录 {} (version {}, {} items): {} non-police matters to the department of their "
          "item, {} to the fallback owner (兜底 {})\n",
          options.catalogue->proto().name(), options.catalogue->version(),
          options.catalogue->size(), by_item, by_fallback,
          Sv(fengqiao::LabelOf(options.catalogue->fallback_department()).zh));
    }
    std::vector<std::pair<std::string, int64_t>> top(by_rule.begin(), by_rule.end());
    std::stable_sort(top.begin(), top.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    fmt::print("  rules that fired most:\n");
    for (size_t i = 0; i < top.size() && i < 8; ++i) {
      fmt::print("    {:<34} {:>6}  {:5.1f}%\n", top[i].first, top[i].second,
                 Pct(top[i].second, total));
    }

    const absl::TimeZone tz = fengqiao::ChinaTimeZone();
    const absl::StatusOr<absl::Time> state_at = StateTime(*log, as_of, tz);
    if (!state_at.ok()) return Fail(state_at.status());
    const absl::Time month_end = *state_at;
    // The history and the month through the loop, oldest first.
    fengqiao::v1::IncidentLog all = std::move(history);  // not read after this
    for (const auto& incident : log->incidents()) *all.add_incidents() = incident;
    // The district's rules: the "512" meetings and working-day clocks on the official calendar,
    // the rules of work for orders (DIR/calendar/holidays.textproto, DIR/work_orders.textproto).
    absl::StatusOr<std::shared_ptr<const fengqiao::CaseLoopOptions>> district_rules =
        fengqiao::LoadDistrictRules(dir.string());
    if (!district_rules.ok()) return Fail(district_rules.status());
    const std::shared_ptr<const fengqiao::CaseLoopOptions> shared_options = *district_rules;
    const fengqiao::CaseLoopOptions& loop_options = *shared_options;
    // How the departments are scored (DIR/scorecard.textproto), read before the simulation.
    absl::StatusOr<fengqiao::v1::ScorecardPolicy> scoring =
        fengqiao::LoadDistrictScorecardPolicy(dir.string());
    if (!scoring.ok()) return Fail(scoring.status());
    // The month through the closure loop (simulated handling times) into the case store, which
    // replays every log under the same rules.
    std::unique_ptr<fengqiao::CaseStore> store;
    if (db_path.empty()) {
      store = std::make_unique<fengqiao::MemoryCaseStore>(shared_options);
    } else {
      absl::StatusOr<std::unique_ptr<fengqiao::SqliteCaseStore>> sqlite =
          OpenCaseStore(db_path, /*read_only=*/false, shared_options);
      if (!sqlite.ok()) return Fail(sqlite.status());
      store = *std::move(sqlite);
    }
    absl::StatusOr<fengqiao::tools::SimulationSummary> sim = fengqiao::tools::SimulateMonth(
        all, **rules, *roster, month_end, *store, /*seed=*/20261001, loop_options);
    if (!sim.ok()) return Fail(sim.status());
    fmt::print("\nClosure loop (闭环), simulated handling of {} month(s), state at {}:\n",
               incident_paths->size(), absl::FormatTime("%Y-%m-%d %H:%M (%Ez)", month_end, tz));
    fmt::print("  {} cases, {} events saved to {}\n", sim->cases, sim->events,
               db_path.empty() ? std::string("memory") : db_path);
    absl::btree_map<fengqiao::v1::CaseState, int64_t> by_state(sim->by_state.begin(),
                                                               sim->by_state.end());
    PrintMix("where cases ended", by_state, sim->cases,
             [](fengqiao::v1::CaseState s) { return fengqiao::CaseStateName(s); });
    absl::btree_map<fengqiao::v1::Tier, int64_t> final_tier(sim->by_final_tier.begin(),
                                                            sim->by_final_tier.end());
    PrintMix("final tier", final_tier, sim->cases, fengqiao::TierName);
    fmt::print(
        "  escalated up the ladder: {}; reopened after revisit: {}; returned by a "
        "department: {}; no handler on duty (duty officer took it): {}\n",
        sim->escalations, sim->reopens, sim->returns, sim->unassigned);
    fmt::print("  on site within 8 minutes: {} of {} arrivals ({:.1f}%)\n",
               sim->arrivals_within_8min, sim->arrivals,
               Pct(sim->arrivals_within_8min, sim->arrivals));
    fmt::print("  SLA breaches recorded:");
    for (const auto& [deadline, n] : sim->breaches) fmt::print(" {} {}", deadline, n);
    fmt::print("; cases overdue at month end: {}\n", sim->overdue_at_end);
    fengqiao::CaseQuery overdue;
    overdue.overdue_at = month_end;
    absl::StatusOr<std::vector<std::string>> late = store->Find(overdue);
    if (!late.ok()) return Fail(late.status());
    if (static_cast<int64_t>(late->size()) != sim->overdue_at_end) {
      return Fail(absl::InternalError(absl::StrCat(
          "the store finds ", late->size(), " overdue cases, the loops ", sim->overdue_at_end)));
    }
    fmt::print("  the store's overdue query agrees: {} cases\n", late->size());
    if (absl::Status rules_of_work =
            PrintCaseRules(*store, grid_map, month_end, *loop_options.consultation_calendar);
        !rules_of_work.ok()) {
      return Fail(rules_of_work);
    }
    // The departments' scorecards of the month and the open orders' warnings (issue 18).
    if (absl::Status cards = PrintScorecards(*store, grid_map, month_end, *scoring); !cards.ok()) {
      return Fail(cards);
    }

    // The month as a CompStat sheet, from one pass over the store.
    // The month as CompStat sheets, from one pass over the store; the history gives the
    // month's 同比 (the same month a year before) and 环比 (the month before).
    absl::Status printed = PrintMetrics(
        *store, grid_map, {{}, {fengqiao::v1::DIMENSION_STREET}, {fengqiao::v1::DIMENSION_TIER}},
        OutputFormat::kText, /*newest_month_only=*/true);
    if (!printed.ok()) return Fail(printed);
  }

  return 0;
}

int RunDistrict(const std::vector<std::string>& args) {
  return District(args[0], absl::GetFlag(FLAGS_db));
}

}  // namespace

const Command& DistrictCommand() {
  static const Command* const command = new Command{
      .name = "district",
      .args = {"DIR"},
      .flags = {"db=CASES.db", "db_key_file=FILE", "as_of=YYYY-MM-DD", "threads=N"},
      .summary = "validate a district's files and summarise its month",
      .description =
          "Loads DIR/grid_map.textproto, DIR/roster.textproto and every DIR/incidents_* file\n"
          "(one a month; the newest is \"the month\", the others its history), validates them\n"
          "and prints a summary of the district: areas, base registers (一标三实), forces\n"
          "(1+4+N), the month's incidents. With DIR/rules/district.textproto it also routes the\n"
          "month, prints the tier mix, runs every case of every month through the closure loop\n"
          "with simulated handling times into the case store (SQLite with --db, memory\n"
          "otherwise) and prints where the cases ended at --as_of (default: the first day of\n"
          "the month after the newest incident) and the month's CompStat sheets with 同比 and\n"
          "环比 from the history, counted on --threads threads (default: every core).\n"
          "Exit 0 when every file loads and validates, 1 otherwise (the message names\n"
          "file:line:col).\n",
      .run = RunDistrict,
  };
  return *command;
}

}  // namespace fengqiao::tools
