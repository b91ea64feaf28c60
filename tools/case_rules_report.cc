#include "tools/case_rules_report.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fengqiao/closure/agenda.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/time_zone.h"
#include "fengqiao/vocabulary.h"
#include "fmt/core.h"
#include "tools/cli.h"
#include "tools/commands.h"

namespace fengqiao::tools {

absl::Status PrintCaseRules(const CaseStore& store, const GridMap& grid_map, absl::Time as_of,
                            const ConsultationCalendar& calendar) {
  FENGQIAO_ASSIGN_OR_RETURN(std::vector<std::string> ids, store.Find(CaseQuery()));
  std::vector<v1::Case> cases;
  cases.reserve(ids.size());
  for (const std::string& id : ids) {
    FENGQIAO_ASSIGN_OR_RETURN(v1::Case c, store.Get(id));
    cases.push_back(std::move(c));
  }
  int64_t escalations = 0, overrides = 0, co_cases = 0, co_handlers = 0, co_in_time = 0,
          co_with_clock = 0, closed_clocks = 0, closed_breached = 0, closed_handed_over = 0,
          found = 0, finder_handled = 0, walk_cases = 0, returns = 0, approved = 0, rejected = 0,
          arbitrated = 0, revisits = 0, revisit_by_handler = 0, civil_non_police = 0,
          civil_diverted = 0, pauses = 0, asked = 0, granted = 0, refused = 0,
          working_day_clocks = 0, working_day_met = 0, calls_110 = 0, calls_12345 = 0,
          three_way_calls = 0, first_receiver_kept = 0, asked_contacted = 0, contacted = 0,
          asked_solved = 0, solved = 0, reviewed = 0, set_aside = 0, merges = 0,
          merged_requests = 0, marked_duplicate_of = 0, orders_merged_into = 0, most_requesters = 0;
  std::map<std::pair<v1::Platform, v1::LinkageMode>, int64_t> transfers;  // by receiver, how
  std::string override_example;
  std::map<v1::AreaLevel, int64_t> onto_agenda;
  std::map<v1::ConsultationOutcome, int64_t> outcomes;
  std::map<v1::SupervisionStep, int64_t> supervision;
  std::map<std::string, int64_t> supervised_by;  // orders by the highest body that had them
  std::map<int64_t, int64_t> on_agenda_of;       // meeting time -> cases put on its agenda
  int64_t first_report = std::numeric_limits<int64_t>::max();
  std::map<std::pair<v1::MediationType, v1::MediationOutcome>, int64_t> mediations;
  for (const v1::Case& c : cases) {
    std::set<std::string> handlers;
    if (!c.events().empty()) first_report = std::min(first_report, c.events(0).at().seconds());
    for (const v1::CaseEvent& e : c.events()) {
      if (!e.assignee().empty()) handlers.insert(e.assignee());
      switch (e.type()) {
        case v1::CASE_EVENT_TYPE_ESCALATE:
        case v1::CASE_EVENT_TYPE_MEDIATION_FAILED:
          ++escalations;
          if (e.ladder_override()) {
            ++overrides;
            if (override_example.empty()) {
              override_example = absl::StrCat(c.id(), " by ", LabelOf(e.actor_role()).zh, " to ",
                                              LabelOf(e.tier()).zh);
            }
          }
          break;
        case v1::CASE_EVENT_TYPE_CONSULT:
          ++outcomes[e.consultation_outcome()];
          break;
        case v1::CASE_EVENT_TYPE_RETURN:
          ++returns;
          break;
        case v1::CASE_EVENT_TYPE_APPROVE_RETURN:
          ++approved;
          break;
        case v1::CASE_EVENT_TYPE_REJECT_RETURN:
          ++rejected;
          break;
        case v1::CASE_EVENT_TYPE_ARBITRATE:
          ++arbitrated;
          break;
        case v1::CASE_EVENT_TYPE_PAUSE:
          ++pauses;
          break;
        case v1::CASE_EVENT_TYPE_REQUEST_EXTENSION:
          ++asked;
          break;
        case v1::CASE_EVENT_TYPE_APPROVE_EXTENSION:
          ++granted;
          break;
        case v1::CASE_EVENT_TYPE_REJECT_EXTENSION:
          ++refused;
          break;
        case v1::CASE_EVENT_TYPE_SUPERVISE:
          ++supervision[e.supervision_step()];
          break;
        case v1::CASE_EVENT_TYPE_TRANSFER_PLATFORM:
          ++transfers[{e.platform(), e.linkage()}];
          break;
        case v1::CASE_EVENT_TYPE_THREE_WAY_CALL:
          ++three_way_calls;
          first_receiver_kept += e.platform() == v1::PLATFORM_UNSPECIFIED ? 1 : 0;
          break;
        case v1::CASE_EVENT_TYPE_MERGE:
          ++merges;
          merged_requests += e.merged_requests_size();
          break;
        case v1::CASE_EVENT_TYPE_MARK_DUPLICATE:
          marked_duplicate_of += e.duplicate_of().empty() ? 0 : 1;
          break;
        case v1::CASE_EVENT_TYPE_REVIEW_RATING:
          ++reviewed;
          set_aside += e.rating_set_aside() ? 1 : 0;
          break;
        case v1::CASE_EVENT_TYPE_REVISIT:
          asked_contacted += e.rating().has_contacted() ? 1 : 0;
          contacted += e.rating().contacted() ? 1 : 0;
          asked_solved += e.rating().has_solved() ? 1 : 0;
          solved += e.rating().solved() ? 1 : 0;
          ++revisits;
          revisit_by_handler += handlers.count(e.actor()) > 0 ? 1 : 0;
          break;
        default:
          break;
      }
      if (e.has_consultation()) {
        ++onto_agenda[e.consultation().level()];
        ++on_agenda_of[e.consultation().meeting_at().seconds()];
      }
      if (e.mediation_outcome() != v1::MEDIATION_OUTCOME_UNSPECIFIED) {
        ++mediations[{e.mediation_type(), e.mediation_outcome()}];
      }
    }
    const int64_t requesters = static_cast<int64_t>(Requests(c).size());
    orders_merged_into += requesters > 1 ? 1 : 0;
    most_requesters = std::max(most_requesters, requesters);
    for (const auto* list : {&c.deadlines(), &c.closed_deadlines()}) {
      for (const v1::Deadline& d : *list) {
        if (d.name() != "resolve" || d.working_days() == 0) continue;
        ++working_day_clocks;
        working_day_met += d.met() && !d.breached() ? 1 : 0;
      }
    }
    for (const v1::Deadline& d : c.closed_deadlines()) {
      ++closed_clocks;
      closed_breached += d.breached() ? 1 : 0;
      closed_handed_over += !d.met() && !d.breached() ? 1 : 0;
    }
    std::string top_body;  // the last body that took a step on the case
    for (const v1::CaseEvent& e : c.events()) {
      if (e.type() == v1::CASE_EVENT_TYPE_SUPERVISE) top_body = e.supervisor();
    }
    if (!top_body.empty()) ++supervised_by[top_body];
    calls_110 += c.incident().channel() == v1::CHANNEL_CALL_110 ? 1 : 0;
    calls_12345 += c.incident().channel() == v1::CHANNEL_HOTLINE_12345 ? 1 : 0;
    if (!c.co_handlers().empty()) ++co_cases;
    for (const v1::CoHandler& co : c.co_handlers()) {
      ++co_handlers;
      handlers.insert(co.id());
    }
    for (const auto* list : {&c.deadlines(), &c.closed_deadlines()}) {
      for (const v1::Deadline& d : *list) {
        if (d.name() != "co_accept") continue;
        ++co_with_clock;
        co_in_time += d.met() && !d.breached() ? 1 : 0;
      }
    }
    if (!c.incident().found_by_member_id().empty()) {
      ++found;
      finder_handled += handlers.count(c.incident().found_by_member_id()) > 0 ? 1 : 0;
    }
    for (const std::string& tag : c.incident().tags()) walk_cases += tag == "512-walk" ? 1 : 0;
    if (c.incident().kind() == v1::INCIDENT_KIND_DISPUTE && !IsPoliceMatter(c.incident())) {
      ++civil_non_police;
      civil_diverted +=
          c.decision().action().tier() == v1::TIER_DEPARTMENT_DIVERSION &&
                  c.decision().action().department() == c.incident().responsible_department()
              ? 1
              : 0;
    }
  }
  fmt::print("\nThe station's rules of work, as the loop recorded them ({} cases):\n",
             cases.size());
  fmt::print(
      "  1 ladder (分级调处): {} escalations, each to the tier the ladder gives; {} override(s) "
      "(越级){}\n",
      escalations, overrides,
      override_example.empty() ? "" : absl::StrCat(", e.g. ", override_example));
  fmt::print(
      "  2 clocks from the instruction: {} clocks closed by hand-overs ({} breached first, "
      "{} handed over in time)\n",
      closed_clocks, closed_breached, closed_handed_over);
  fmt::print(
      "  3 co-handlers (协办, 警律联调): {} cases, {} co-handlers; {} of {} accepted within "
      "their own clock ({:.1f}%)\n",
      co_cases, co_handlers, co_in_time, co_with_clock, Pct(co_in_time, co_with_clock));
  fmt::print(
      "  4 levels and the \"512\" meetings: onto the street's agenda {}, the district's {}; "
      "outcomes: {} {}, {} {}, {} {}; Friday walks found {} cases\n",
      onto_agenda[v1::AREA_LEVEL_STREET], onto_agenda[v1::AREA_LEVEL_DISTRICT],
      Sv(LabelOf(v1::CONSULTATION_OUTCOME_RESOLVED).zh),
      outcomes[v1::CONSULTATION_OUTCOME_RESOLVED],
      Sv(LabelOf(v1::CONSULTATION_OUTCOME_ASSIGNED).zh),
      outcomes[v1::CONSULTATION_OUTCOME_ASSIGNED], Sv(LabelOf(v1::CONSULTATION_OUTCOME_SENT_UP).zh),
      outcomes[v1::CONSULTATION_OUTCOME_SENT_UP], walk_cases);
  // The year's meetings that the official calendar moves off a public holiday, with the cases
  // the loop put on their agendas.
  if (first_report != std::numeric_limits<int64_t>::max()) {
    for (v1::AreaLevel level : {v1::AREA_LEVEL_STREET, v1::AREA_LEVEL_DISTRICT}) {
      for (absl::Time t = absl::FromUnixSeconds(first_report);;) {
        FENGQIAO_ASSIGN_OR_RETURN(Consultation m, calendar.Next(level, t));
        if (m.at >= as_of) break;
        if (!m.moved_off.empty()) {
          fmt::print(
              "    meeting moved off a holiday: {}会商 {} ({}顺延), {} case(s) on its agenda\n",
              Sv(LabelOf(level).zh), absl::FormatTime("%Y-%m-%d", m.at, ChinaTimeZone()),
              m.moved_off, on_agenda_of[absl::ToUnixSeconds(m.at)]);
        }
        t = m.at + absl::Hours(24);
      }
    }
  }
  FENGQIAO_ASSIGN_OR_RETURN(Consultation monday, calendar.Next(v1::AREA_LEVEL_STREET, as_of));
  for (const v1::Area& street : grid_map.proto().areas()) {
    if (street.level() != v1::AREA_LEVEL_STREET) continue;
    FENGQIAO_ASSIGN_OR_RETURN(
        std::vector<AgendaItem> items,
        ConsultationAgenda(cases, grid_map, v1::AREA_LEVEL_STREET, street.code(), monday.at));
    std::string list;
    for (const AgendaItem& item : items) {
      absl::StrAppend(&list, list.empty() ? "" : ", ", item.c->id(), " (since ",
                      absl::FormatTime("%m-%d", item.since, ChinaTimeZone()), ")");
    }
    fmt::print("    agenda of {}'s meeting on {}: {}\n", street.name(),
               absl::FormatTime("%Y-%m-%d", monday.at, ChinaTimeZone()),
               list.empty() ? std::string("nothing waits") : list);
  }
  fmt::print("  5 调排分离: {} cases found by a member; handled by their finder: {}\n", found,
             finder_handled);
  fmt::print(
      "  6 returns (退回): {}; reviewed by the command room: {} approved, {} rejected; {} "
      "arbitrated (裁定)\n",
      returns, approved, rejected, arbitrated);
  fmt::print("  7 revisits: {}, by one of the case's handlers: {}; mediations ended:", revisits,
             revisit_by_handler);
  for (const auto& [key, n] : mediations) {
    fmt::print(" {}/{} {}", Sv(LabelOf(key.first).zh), Sv(LabelOf(key.second).zh), n);
  }
  fmt::print("\n");
  fmt::print(
      "    the revisit's questions (三率): contacted (响应) {} of {}, solved (解决) {} of {}; "
      "bad ratings reviewed (差评甄别) {}, set aside {}\n",
      contacted, asked_contacted, solved, asked_solved, reviewed, set_aside);
  fmt::print(
      "  work orders (issue 18): {} resolve clocks in working days, {} met ({:.1f}%); {} "
      "paused (挂起); extensions (延期) asked {}, granted {}, refused {}\n",
      working_day_clocks, working_day_met, Pct(working_day_met, working_day_clocks), pauses, asked,
      granted, refused);
  fmt::print("  督办 (supervision of late orders):");
  for (int step = 1; step < v1::SupervisionStep_ARRAYSIZE; ++step) {
    const auto it = supervision.find(static_cast<v1::SupervisionStep>(step));
    fmt::print(" {} {}", Sv(LabelOf(static_cast<v1::SupervisionStep>(step)).zh),
               it == supervision.end() ? 0 : it->second);
  }
  fmt::print("; orders by the last body that urged them:");
  for (const auto& [body, n] : supervised_by) fmt::print(" {} {}", body, n);
  fmt::print("\n");
  const int64_t one_click = transfers[{v1::PLATFORM_12345, v1::LINKAGE_MODE_ONE_CLICK}];
  const int64_t after_call = transfers[{v1::PLATFORM_12345, v1::LINKAGE_MODE_AFTER_CALL}];
  const int64_t pushed = transfers[{v1::PLATFORM_110, v1::LINKAGE_MODE_EMERGENCY_PUSH}];
  fmt::print(
      "  110↔12345 联动: 110→12345 {} of {} 110 calls ({:.1f}%; {} {}, {} {}); {} {}, kept by "
      "the first receiver (先行受理) {}; 12345→110 {} {} of {} 12345 items\n",
      one_click + after_call, calls_110, Pct(one_click + after_call, calls_110),
      Sv(LabelOf(v1::LINKAGE_MODE_ONE_CLICK).zh), one_click,
      Sv(LabelOf(v1::LINKAGE_MODE_AFTER_CALL).zh), after_call,
      Sv(LabelOf(v1::CASE_EVENT_TYPE_THREE_WAY_CALL).zh), three_way_calls, first_receiver_kept,
      Sv(LabelOf(v1::LINKAGE_MODE_EMERGENCY_PUSH).zh), pushed, calls_12345);
  fmt::print(
      "  并单 (duplicate requests merged): {} requests merged into {} orders by {} merges, each "
      "requester kept (up to {} on one order); {} duplicates name their order\n",
      merged_requests, orders_merged_into, merges, most_requesters, marked_duplicate_of);
  fmt::print(
      "  8 police matter or not, whatever the kind: {} disputes are not police matters, {} "
      "of them diverted to their department (社区 / 司法所)\n",
      civil_non_police, civil_diverted);
  return absl::OkStatus();
}

}  // namespace fengqiao::tools
