#include "tools/month_simulation.h"

#include <algorithm>
#include <functional>
#include <random>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/force/candidate_selector.h"
#include "fengqiao/force/travel.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/mediation/handler_choice.h"
#include "fengqiao/mediation/ladder.h"
#include "fengqiao/routing/incident_stream.h"
#include "fengqiao/vocabulary.h"

namespace fengqiao::tools {
namespace {

// Who takes what nobody on the roster fits: the station's duty officer.
constexpr char kDutyOfficer[] = "值班民警";

// Records events on one case while they fall before the end of the month; once one would not,
// the case stays where it is (open at the month's end).
class Driver {
 public:
  Driver(CaseLoop& loop, absl::Time start, absl::Time end, std::mt19937_64& rng)
      : loop_(loop), now_(start), end_(end), rng_(rng) {}

  bool stopped() const { return stopped_; }
  const absl::Status& refused() const { return refused_; }
  absl::Time now() const { return now_; }
  int Draw(int lo, int hi) {
    return lo + static_cast<int>(rng_() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  // Waits lo..hi seconds, then records `type` by `actor` (after `fill` sets its fields).
  bool Step(v1::CaseEventType type, int lo, int hi, const std::string& actor,
            const std::function<void(v1::CaseEvent&)>& fill = nullptr) {
    if (stopped_) return false;
    return StepAt(type, now_ + absl::Seconds(Draw(lo, hi)), actor, fill);
  }

  // Runs `act` (which records on the case) at `at`, as StepAt records one event.
  bool Act(absl::Time at, const std::function<absl::Status()>& act) {
    if (stopped_ || at < now_) return false;
    now_ = at;
    if (now_ >= end_) {
      stopped_ = true;
      return false;
    }
    if (absl::Status refused = act(); !refused.ok()) {
      refused_ = std::move(refused);
      stopped_ = true;
      return false;
    }
    return true;
  }

  // Records `type` by `actor` at `at` (no draw: the time is the rule's, e.g. the day after a due
  // date); false, and nothing recorded, when `at` is past the end or before the last event.
  bool StepAt(v1::CaseEventType type, absl::Time at, const std::string& actor,
              const std::function<void(v1::CaseEvent&)>& fill = nullptr) {
    if (stopped_ || at < now_) return false;
    now_ = at;
    if (now_ >= end_) {
      stopped_ = true;
      return false;
    }
    v1::CaseEvent e = MakeEvent(type, now_, actor);
    if (fill) fill(e);
    if (absl::Status refused = loop_.Record(std::move(e)); !refused.ok()) {
      // The simulation only takes allowed steps: a refused one is a bug of the simulation,
      // reported by SimulateMonth, never a case left silently where it was.
      refused_ = std::move(refused);
      stopped_ = true;
      return false;
    }
    return true;
  }

 private:
  CaseLoop& loop_;
  absl::Time now_;
  absl::Time end_;
  std::mt19937_64& rng_;
  bool stopped_ = false;
  absl::Status refused_;
};

// A random stream of its own for one aspect of the simulation: adding draws to it leaves the
// main stream's draws, and so the other figures, as they were.
class SideStream {
 public:
  explicit SideStream(uint64_t seed) : rng_(seed) {}
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  // lo..hi seconds.
  absl::Duration After(int lo, int hi) {
    return absl::Seconds(lo + static_cast<int>(rng_() % static_cast<uint64_t>(hi - lo + 1)));
  }

 private:
  std::mt19937_64 rng_;
};

// How a department handles its work orders: the share it signs for late (past the accept
// clock) and the extra share of parties it leaves unsatisfied at the first revisit. Plausible
// spreads around published city figures (苏州12345 2023: 及时处办率 99.41%, 抽查满意率 97.69%;
// 连云港's scorecard scores sign-off below 80% as zero): the departments with the hardest matters
// (物业 / 住建, 欠薪, 城管) do worst.
struct DepartmentProfile {
  double late_signoff;
  double unsatisfied;
};
DepartmentProfile ProfileOf(v1::Department department) {
  switch (department) {
    case v1::DEPARTMENT_HOUSING_CONSTRUCTION:
      return {0.07, 0.14};
    case v1::DEPARTMENT_CITY_MANAGEMENT:
      return {0.05, 0.10};
    case v1::DEPARTMENT_LABOUR:
      return {0.04, 0.12};
    case v1::DEPARTMENT_ENVIRONMENT:
      return {0.03, 0.08};
    case v1::DEPARTMENT_MARKET_REGULATION:
      return {0.02, 0.06};
    case v1::DEPARTMENT_UTILITIES:
      return {0.01, 0.04};
    default:
      return {0.02, 0.05};
  }
}

// Typical hours to resolve, by tier.
int ResolveHours(v1::Tier tier) {
  switch (tier) {
    case v1::TIER_POLICE_DISPATCH:
      return 4;
    case v1::TIER_MEDIATOR:
      return 20;
    case v1::TIER_COMMUNITY_POLICE:
    case v1::TIER_LAWYER:
      return 30;
    case v1::TIER_DEPARTMENT_DIVERSION:
      return 40;
    default:
      return 120;
  }
}

}  // namespace

absl::StatusOr<SimulationSummary> SimulateMonth(const v1::IncidentLog& log, const RuleSet& rules,
                                                std::shared_ptr<const Roster> roster,
                                                absl::Time end, CaseStore& store, uint64_t seed,
                                                const CaseLoopOptions& loop_options) {
  std::mt19937_64 rng(seed);
  // Which orders run late and how far supervision climbs, the revisit's ratings and their
  // review, and the 110 ↔ 12345 linkage: streams of their own, so the other cases' draws are what
  // they were before each was simulated.
  SideStream watch_stream(seed ^ 0x5eedb0b5ULL), rating(seed ^ 0x3a7e5ULL),
      linkage(seed ^ 0x11012345ULL), merging(seed ^ 0x3e46eULL), profile(seed ^ 0xde9a27ULL);
  auto watch = [&](double p) { return watch_stream.Chance(p); };
  auto rate = [&](double p) { return rating.Chance(p); };
  auto rate_after = [&](int lo, int hi) { return rating.After(lo, hi); };
  auto link = [&](double p) { return linkage.Chance(p); };
  auto link_after = [&](int lo, int hi) { return linkage.After(lo, hi); };
  const Roster& roster_ref = *roster;
  CandidateSelector selector(roster, {});
  IncidentStream stream(rules);
  SimulationSummary summary;
  std::vector<CaseLoop> batch;
  // 并单: a non-police matter reported again in the same grid, for the same department, within
  // half a day of the first request is, half the time, the same matter (neighbours calling about
  // one construction site, one outage); the centre merges it into the first request's order while
  // that order is handled. Decided up front from the reports alone (a stream of its own).
  const auto& incidents = log.incidents();
  std::vector<std::vector<int>> duplicates_of(incidents.size());
  std::vector<char> merged(incidents.size(), 0);
  // Every report routed in report order first (repeats count over the reports before each),
  // so a duplicate merged early is routed as it would have been in its turn.
  std::vector<v1::Decision> decisions(incidents.size());
  for (int i = 0; i < incidents.size(); ++i) {
    if (incidents[i].reported_at().seconds() >= absl::ToUnixSeconds(end)) continue;
    absl::StatusOr<RoutingFacts> facts = stream.Next(incidents[i]);
    if (!facts.ok()) return facts.status();
    decisions[i] = rules.Decide(*facts, incidents[i].id());
  }
  {
    std::map<std::tuple<std::string, int>, int> latest;  // (grid, department) -> first request
    for (int i = 0; i < incidents.size(); ++i) {
      const v1::Incident& in = incidents[i];
      if (in.reported_at().seconds() >= absl::ToUnixSeconds(end)) continue;
      const bool non_police = in.kind() == v1::INCIDENT_KIND_NON_POLICE ||
                              (in.has_police_matter() && !in.police_matter());
      if (!non_police || in.responsible_department() == v1::DEPARTMENT_UNSPECIFIED) continue;
      const auto key =
          std::make_tuple(in.grid_code(), static_cast<int>(in.responsible_department()));
      auto it = latest.find(key);
      if (it != latest.end() &&
          in.reported_at().seconds() - incidents[it->second].reported_at().seconds() <= 12 * 3600 &&
          merging.Chance(0.5)) {
        duplicates_of[it->second].push_back(i);
        continue;
      }
      latest[key] = i;
    }
  }
  bool override_done = false;
  auto flush = [&]() -> absl::Status {
    std::vector<const v1::Case*> cases;
    for (const CaseLoop& c : batch) cases.push_back(&c.proto());
    absl::Status s = store.Save(cases, end);  // the state as of `end`
    batch.clear();
    return s;
  };
  for (int index = 0; index < incidents.size(); ++index) {
    const v1::Incident& incident = incidents[index];
    const absl::Time reported = absl::FromUnixSeconds(incident.reported_at().seconds());
    if (reported >= end || merged[index]) continue;
    const v1::Decision& decision = decisions[index];
    absl::StatusOr<CaseLoop> opened = CaseLoop::Open(
        incident, decision, reported, std::string(ChannelName(incident.channel())), loop_options);
    if (!opened.ok()) return opened.status();
    CaseLoop loop = *std::move(opened);
    Driver d(loop, reported, end, rng);

    // Assign (流转/派单) to the chosen handler or the department; then the loop. The handler's
    // distance and mode set the arrival time; a duty officer nobody chose drives 2 km.
    double handler_distance_m = 2000;
    TravelMode handler_mode = TravelMode::kCar;
    auto assign = [&](const v1::Decision& current) {
      absl::StatusOr<HandlerChoice> who =
          ChooseHandler(selector, incident, current, d.now() + absl::Seconds(20));
      std::string assignee;
      if (who.ok() && !who->member_id.empty()) {
        assignee = who->member_id;
        handler_distance_m = who->candidates.front().distance_m();
        const v1::Member* member = roster_ref.FindMember(assignee);
        if (member != nullptr) handler_mode = TravelModeOf(member->force_type());
      } else if (current.action().tier() == v1::TIER_DEPARTMENT_DIVERSION) {
        // The department by its short name, as the loop names a department it re-diverts to
        // (briefings print its Chinese label).
        assignee = std::string(LabelOf(current.action().department()).short_name);
      } else {
        assignee = kDutyOfficer;  // nobody fit: the station's duty officer takes it
        ++summary.unassigned;
      }
      return d.Step(v1::CASE_EVENT_TYPE_ASSIGN, 5, 25, "dispatcher", [&](v1::CaseEvent& e) {
        e.set_assignee(assignee);
        e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
        if (current.action().tier() == v1::TIER_DEPARTMENT_DIVERSION) {
          e.set_department(current.action().department());
          e.mutable_feedback_within()->set_seconds(2 * 86400);  // 限时反馈
        }
      });
    };
    v1::Decision current = decision;
    const bool diverted = current.action().tier() == v1::TIER_DEPARTMENT_DIVERSION;
    // 110 ↔ 12345 (国办发〔2022〕12号): a 双非 110 call (非警务、非紧急: nobody needs to be on
    // site within minutes) goes to 12345 in one click; where ownership is unclear (one in ten) a
    // three-way call decides first, and when it cannot agree 110, the first receiver, diverts it
    // itself. 12345 pushes an emergency to 110. The receiving platform triages the matter again
    // before it gives it to anyone.
    auto transfer = [&](v1::Platform to, v1::LinkageMode how, const char* from) {
      // An emergency is put through at once (seconds); a routine matter within minutes.
      const bool urgent = how == v1::LINKAGE_MODE_EMERGENCY_PUSH;
      if (!d.StepAt(v1::CASE_EVENT_TYPE_TRANSFER_PLATFORM,
                    d.now() + (urgent ? link_after(5, 20) : link_after(20, 90)), from,
                    [&](v1::CaseEvent& e) {
                      e.set_platform(to);
                      e.set_linkage(how);
                    })) {
        return;
      }
      d.StepAt(v1::CASE_EVENT_TYPE_TRIAGE,
               d.now() + (urgent ? link_after(5, 20) : link_after(30, 180)),
               to == v1::PLATFORM_110 ? "110" : "12345",
               [&](v1::CaseEvent& e) { e.set_tier(current.action().tier()); });
    };
    if (diverted && incident.channel() == v1::CHANNEL_CALL_110 &&
        current.action().sla().on_site().seconds() == 0) {
      if (link(0.1)) {
        const bool agreed = link(0.8);
        d.StepAt(v1::CASE_EVENT_TYPE_THREE_WAY_CALL, d.now() + link_after(40, 120), "110",
                 [&](v1::CaseEvent& e) {
                   if (agreed) e.set_platform(v1::PLATFORM_12345);
                 });
        if (agreed) transfer(v1::PLATFORM_12345, v1::LINKAGE_MODE_AFTER_CALL, "110");
      } else {
        transfer(v1::PLATFORM_12345, v1::LINKAGE_MODE_ONE_CLICK, "110");
      }
    } else if (incident.channel() == v1::CHANNEL_HOTLINE_12345 &&
               current.action().tier() == v1::TIER_POLICE_DISPATCH) {
      transfer(v1::PLATFORM_110, v1::LINKAGE_MODE_EMERGENCY_PUSH, "12345");
    }
    assign(current);
    if (diverted && d.Chance(0.05)) {
      // The department refuses (退回) and names who should take it; re-routed to it.
      const v1::Department should = current.action().department() == v1::DEPARTMENT_COMMUNITY
                                        ? v1::DEPARTMENT_CITY_MANAGEMENT
                                        : v1::DEPARTMENT_COMMUNITY;
      d.Step(v1::CASE_EVENT_TYPE_RETURN, 600, 7200, "department", [&](v1::CaseEvent& e) {
        e.set_refused_by(current.action().department());
        e.set_should_go_to(should);
        e.set_reason("不属本部门职责 (not this department's responsibility)");
      });
      ++summary.returns;
      // The command room reviews the return (退单审核): mostly re-diverts, sometimes sends back.
      const bool approve = d.Chance(0.8);
      if (approve) current.mutable_action()->set_department(should);
      d.Step(approve ? v1::CASE_EVENT_TYPE_APPROVE_RETURN : v1::CASE_EVENT_TYPE_REJECT_RETURN, 60,
             600, "command-room", [&](v1::CaseEvent& e) {
               e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
               if (!approve) e.set_reason("职责清单属本部门 (the responsibility list names it)");
             });
    }
    const std::string handler = loop.proto().assignee();
    const bool on_site = current.action().sla().on_site().seconds() > 0;
    const DepartmentProfile how = ProfileOf(current.action().department());
    const int64_t accept_clock = current.action().sla().accept().seconds();
    if (diverted && accept_clock > 0 && profile.Chance(how.late_signoff)) {
      // Signed for late (签收超时): a minute past the clock to two clocks (at least an hour)
      // later. The main stream's draw is taken all the same, so the other cases' draws stay as
      // they were.
      d.Draw(5, 38);
      const int clock = static_cast<int>(std::min<int64_t>(accept_clock, 86400));
      d.StepAt(v1::CASE_EVENT_TYPE_ACCEPT,
               d.now() + profile.After(clock + 60, clock + std::max(2 * clock, 3600)), handler);
    } else {
      d.Step(v1::CASE_EVENT_TYPE_ACCEPT, 5, 38, handler);
    }
    const absl::Time accepted_at = d.now();
    if (diverted && loop.state().state == v1::CASE_STATE_ACCEPTED) {
      // A work order: the department sometimes waits for the party (挂起, a day or three) or
      // asks the centre for more time (延期, 1-3 working days; granted four times in five, the
      // party told). Plausible shares: a few in a hundred orders.
      if (d.Chance(0.04)) {
        d.Step(v1::CASE_EVENT_TYPE_PAUSE, 3600, 6 * 3600, handler, [&](v1::CaseEvent& e) {
          e.set_reason("等待当事人补充材料 (waiting for the party's documents)");
        });
        if (d.Step(v1::CASE_EVENT_TYPE_RESUME, 86400, 3 * 86400, handler)) ++summary.pauses;
      }
      if (d.Chance(0.06)) {
        const int days = d.Draw(1, 3);
        if (d.Step(v1::CASE_EVENT_TYPE_REQUEST_EXTENSION, 3600, 2 * 86400, handler,
                   [&](v1::CaseEvent& e) {
                     e.set_extension_working_days(days);
                     e.set_reason("需协调多个部门 (several departments to bring in)");
                   })) {
          ++summary.extensions_asked;
          const bool grant = d.Chance(0.8);
          if (d.Step(grant ? v1::CASE_EVENT_TYPE_APPROVE_EXTENSION
                           : v1::CASE_EVENT_TYPE_REJECT_EXTENSION,
                     600, 4 * 3600, "command-room", [&](v1::CaseEvent& e) {
                       e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
                       if (grant) e.set_party_notified(true);
                       if (!grant) e.set_reason("可在时限内办结 (can be done in time)");
                     })) {
            summary.extensions_granted += grant ? 1 : 0;
          }
        }
      }
    }
    if (diverted && loop.state().state == v1::CASE_STATE_ACCEPTED) {
      // The centre merges the same matter's later requests (并单), 10-40 minutes after each
      // arrives (or at once, when the order is already further on); each requester is kept.
      for (int dup : duplicates_of[index]) {
        const v1::Incident& request = incidents[dup];
        const absl::Time asked = absl::FromUnixSeconds(request.reported_at().seconds());
        const absl::Time at =
            std::max(asked + merging.After(600, 2400), d.now() + absl::Minutes(1));
        if (at >= end) break;
        absl::StatusOr<CaseLoop> opened_dup =
            CaseLoop::Open(request, decisions[dup], asked,
                           std::string(ChannelName(request.channel())), loop_options);
        if (!opened_dup.ok()) return opened_dup.status();
        CaseLoop duplicate = *std::move(opened_dup);
        if (!d.Act(at, [&] { return MergeDuplicate(loop, duplicate, at, "12345"); })) break;
        merged[dup] = 1;
        ++summary.merged;
        ++summary.cases;
        summary.events += duplicate.proto().events_size();
        ++summary.by_state[duplicate.state().state];
        ++summary.by_final_tier[duplicate.state().tier];
        batch.push_back(std::move(duplicate));
      }
    }
    if (diverted && loop.state().state == v1::CASE_STATE_ACCEPTED && !loop.state().paused &&
        watch(0.10)) {
      // A department that runs late (one order in ten; 12345 centres publish on-time completion
      // rates of 90-98%): the centre's 督办 climbs as the district's rules say — 催办 the day
      // before the due date, a 催办通知书 the day after it, a 通报 once the circular's working days
      // have passed (half the late orders), 提级督办 to the next body after two rounds (a third of
      // those).
      const v1::Deadline* resolve = nullptr;
      for (const v1::Deadline& dl : loop.proto().deadlines()) {
        if (dl.name() == "resolve" && !dl.met() && dl.has_due()) resolve = &dl;
      }
      if (resolve != nullptr) {
        const absl::Time due = absl::FromUnixSeconds(resolve->due().seconds());
        auto urge = [&](v1::SupervisionStep step, absl::Time at) {
          const bool done =
              d.StepAt(v1::CASE_EVENT_TYPE_SUPERVISE, at, "command-room", [&](v1::CaseEvent& e) {
                e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
                e.set_supervision_step(step);
              });
          if (done) ++summary.supervision[step];
          return done;
        };
        ++summary.late_orders;
        if (due - absl::Hours(20) > d.now())
          urge(v1::SUPERVISION_STEP_REMINDER, due - absl::Hours(20));
        if (urge(v1::SUPERVISION_STEP_NOTICE, due + absl::Hours(22)) && watch(0.5)) {
          // The first day the circular is allowed (the rules count working days past the due
          // date on the district's calendar): tried day by day on a copy of the case.
          bool circulated = false;
          for (int day = 1; day <= 30 && !circulated && !d.stopped(); ++day) {
            const absl::Time at = due + absl::Hours(24 * day);
            CaseLoop probe = loop;
            v1::CaseEvent e = MakeEvent(v1::CASE_EVENT_TYPE_SUPERVISE, at, "command-room");
            e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
            e.set_supervision_step(v1::SUPERVISION_STEP_CIRCULAR);
            if (at > d.now() && probe.Record(e).ok()) {
              circulated = urge(v1::SUPERVISION_STEP_CIRCULAR, at);
              if (!circulated) break;
            }
          }
          if (circulated && watch(0.35)) {
            urge(v1::SUPERVISION_STEP_ESCALATED, d.now() + absl::Hours(2));
          }
        }
      }
    }
    // 警律联调: the lawyer leads, the police officer on duty co-handles (协办, 10 min to accept),
    // the grid's own 警格 officer when on shift (the roster's shifts are the duty rota); the
    // station's duty officer when no officer is on shift.
    const bool co_handled = loop.state().tier == v1::TIER_LAWYER;
    std::string co_handler = kDutyOfficer;
    if (co_handled) {
      absl::StatusOr<HandlerChoice> co = ChooseCoHandler(selector, incident, v1::FORCE_TYPE_POLICE,
                                                         handler, d.now() + absl::Seconds(5));
      if (co.ok() && !co->member_id.empty()) co_handler = co->member_id;
      d.Step(v1::CASE_EVENT_TYPE_ADD_CO_HANDLER, 5, 60, "dispatcher", [&](v1::CaseEvent& e) {
        e.set_co_handler(co_handler);
        e.mutable_sla()->mutable_accept()->set_seconds(600);
      });
      d.Step(v1::CASE_EVENT_TYPE_CO_HANDLER_ACCEPT, 30, 700, co_handler);
    }
    // Contact with the parties (联系当事人) comes before any resolution; a responder sent on site
    // may skip the call and go (one in ten).
    if (!on_site || d.Chance(0.9)) d.Step(v1::CASE_EVENT_TYPE_CONTACT, 15, 110, handler);
    if (on_site) {
      // On the road from the acceptance: set-off and road time for the handler's mode and
      // distance (force/travel.h), give or take 15% for traffic and finding the door.
      absl::StatusOr<absl::Duration> road = TravelTime(handler_distance_m, handler_mode);
      const double jitter = 0.85 + 0.3 * std::uniform_real_distribution<double>(0, 1)(rng);
      const absl::Time arrive_at = accepted_at + (road.ok() ? *road : absl::Minutes(6)) * jitter;
      const int wait = std::max<int64_t>(1, absl::ToInt64Seconds(arrive_at - d.now()));
      if (d.Step(v1::CASE_EVENT_TYPE_ARRIVE, wait, wait, handler)) {
        ++summary.arrivals;
        if (d.now() - reported <= absl::Minutes(8)) ++summary.arrivals_within_8min;
      }
    }
    const bool dispute = incident.kind() == v1::INCIDENT_KIND_DISPUTE;
    // Police tiers mediate as 治安调解, the others as 人民调解.
    auto mediation_type = [&] {
      const v1::Tier tier = loop.state().tier;
      return tier == v1::TIER_COMMUNITY_POLICE || tier == v1::TIER_POLICE_DISPATCH
                 ? v1::MEDIATION_TYPE_PUBLIC_SECURITY
                 : v1::MEDIATION_TYPE_PEOPLES;
    };
    auto start_mediation = [&](int lo, int hi, const std::string& who) {
      return d.Step(v1::CASE_EVENT_TYPE_START_MEDIATION, lo, hi, who,
                    [&](v1::CaseEvent& e) { e.set_mediation_type(mediation_type()); });
    };
    if (dispute) start_mediation(60, 1800, handler);
    if (co_handled) {
      d.Step(v1::CASE_EVENT_TYPE_CO_HANDLER_DONE, 600, 3600, co_handler,
             [&](v1::CaseEvent& e) { e.set_reason("释法说理 (explained the law)"); });
    }
    // A mediation ends with its agreement: written, oral, or 司法确认 applied for.
    auto resolve = [&](int lo, int hi) {
      const int draw = d.Draw(0, 9);
      d.Step(v1::CASE_EVENT_TYPE_RESOLVE, lo, hi, loop.proto().assignee(), [&](v1::CaseEvent& e) {
        if (loop.state().state != v1::CASE_STATE_IN_MEDIATION) return;
        e.set_mediation_outcome(draw < 6   ? v1::MEDIATION_OUTCOME_AGREEMENT_WRITTEN
                                : draw < 9 ? v1::MEDIATION_OUTCOME_AGREEMENT_ORAL
                                           : v1::MEDIATION_OUTCOME_JUDICIAL_CONFIRMATION);
      });
    };
    // The "512" meeting that has the case on its agenda (escalated past the community): the
    // street settles it (half), assigns it with a deadline (交办, a third) or sends it up to the
    // district's Tuesday meeting, which assigns it. A case the 大调解 settles before the meeting
    // leaves the agenda (a fifth).
    auto consult = [&]() {
      for (int round = 0; round < 2 && loop.proto().has_consultation() && !d.stopped(); ++round) {
        const absl::Time meeting =
            absl::FromUnixSeconds(loop.proto().consultation().meeting_at().seconds());
        const int wait = std::max<int64_t>(60, absl::ToInt64Seconds(meeting - d.now()));
        if (round == 0 && d.Chance(0.2) && wait > 4 * 3600) {
          resolve(3600, wait - 3600);
          return;
        }
        const bool district = loop.proto().consultation().level() == v1::AREA_LEVEL_DISTRICT;
        const int draw = d.Draw(0, 5);
        const v1::ConsultationOutcome outcome = district   ? v1::CONSULTATION_OUTCOME_ASSIGNED
                                                : draw < 3 ? v1::CONSULTATION_OUTCOME_RESOLVED
                                                : draw < 5 ? v1::CONSULTATION_OUTCOME_ASSIGNED
                                                           : v1::CONSULTATION_OUTCOME_SENT_UP;
        const std::string assignee = loop.proto().assignee();
        if (!d.Step(v1::CASE_EVENT_TYPE_CONSULT, wait, wait + 5400,
                    district ? "区级会商" : "街道会商", [&](v1::CaseEvent& e) {
                      e.set_consultation_outcome(outcome);
                      if (outcome == v1::CONSULTATION_OUTCOME_RESOLVED &&
                          loop.state().state == v1::CASE_STATE_IN_MEDIATION) {
                        e.set_mediation_outcome(v1::MEDIATION_OUTCOME_AGREEMENT_WRITTEN);
                      }
                      if (outcome == v1::CONSULTATION_OUTCOME_ASSIGNED) {
                        e.set_assignee(assignee);  // back to the 大调解 with the meeting's deadline
                        e.mutable_sla()->mutable_resolve()->set_seconds((district ? 10 : 5) *
                                                                        86400);
                      }
                    })) {
          return;
        }
        ++summary.consultations[outcome];
        if (outcome == v1::CONSULTATION_OUTCOME_ASSIGNED) {
          d.Step(v1::CASE_EVENT_TYPE_ACCEPT, 300, 3600, loop.proto().assignee());
          start_mediation(3600, 86400, loop.proto().assignee());
        }
      }
    };
    if (dispute && d.Chance(0.08)) {
      // Mediation fails at this tier: one step up the ladder (分级调处).
      absl::StatusOr<v1::Tier> up = NextTier(loop.state().tier, EscalationReason::kMediationFailed);
      // Once in the month the 所长 takes a failed neighbour mediation straight to 大调解 (越级).
      const bool chief = up.ok() && !override_done && *up == v1::TIER_COMMUNITY_POLICE;
      if (chief) up = v1::TIER_JOINT_MEDIATION;
      if (up.ok() &&
          d.Step(v1::CASE_EVENT_TYPE_MEDIATION_FAILED, 3600, 86400, chief ? "所长" : handler,
                 [&](v1::CaseEvent& e) {
                   e.set_tier(*up);
                   e.set_reason("调解不成 (mediation failed)");
                   if (chief) {
                     e.set_actor_role(v1::ACTOR_ROLE_STATION_CHIEF);
                     e.set_override_reason("多方纠纷, 径送大调解 (many parties: joint mediation)");
                   }
                 })) {
        override_done |= chief;
        ++summary.escalations;
        current.mutable_action()->set_tier(*up);
        current.mutable_action()->set_target_force_type(DefaultForceFor(*up));
        current.mutable_action()->clear_target_team_id();
        assign(current);
        d.Step(v1::CASE_EVENT_TYPE_ACCEPT, 30, 600, loop.proto().assignee());
        start_mediation(3600, 86400, loop.proto().assignee());
        consult();
      }
    }
    const int hours = ResolveHours(loop.state().tier);
    if (loop.state().state != v1::CASE_STATE_RESOLVED) resolve(1800, hours * 3600);
    d.Step(v1::CASE_EVENT_TYPE_GIVE_FEEDBACK, 300, 7200, "dispatcher");
    const bool satisfied = !d.Chance(0.03) && !(diverted && profile.Chance(how.unsatisfied));
    // The revisit asks the hotline's three questions (三率: contacted, solved, satisfied); the
    // handler complains of a bad rating with reason four times in ten and the review sets it
    // aside in six of those (差评甄别; our defaults, no published share): the case closes
    // without a redo; otherwise the rating stands and the order is redone.
    const bool solved = satisfied ? rate(0.92) : rate(0.3);
    const bool contacted = rate(0.97);
    const v1::Satisfaction satisfaction = !satisfied  ? v1::SATISFACTION_DISSATISFIED
                                          : rate(0.8) ? v1::SATISFACTION_SATISFIED
                                                      : v1::SATISFACTION_BASICALLY_SATISFIED;
    // A work order is revisited the next day (次日回访: the district's revisit clock is one working
    // day); the others within the week.
    d.Step(v1::CASE_EVENT_TYPE_REVISIT, diverted ? 4 * 3600 : 86400,
           diverted ? 30 * 3600 : 5 * 86400, "community-police", [&](v1::CaseEvent& e) {
             e.set_satisfied(satisfied);
             e.mutable_rating()->set_contacted(contacted);
             e.mutable_rating()->set_solved(solved);
             e.mutable_rating()->set_satisfaction(satisfaction);
           });
    bool set_aside = false;
    if (!satisfied && !d.stopped() && rate(0.4)) {
      const bool unreasonable = rate(0.6);
      set_aside =
          d.StepAt(v1::CASE_EVENT_TYPE_REVIEW_RATING, d.now() + rate_after(3600, 86400),
                   "command-room",
                   [&](v1::CaseEvent& e) {
                     e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
                     e.set_rating_set_aside(unreasonable);
                     e.set_reason(unreasonable ? "诉求超出政策规定，已依法依规答复 (beyond what "
                                                 "the rules allow; answered by the rules)"
                                               : "部门未实际解决，差评成立 (not actually solved: "
                                                 "the rating stands)");
                   }) &&
          unreasonable;
    }
    if (!satisfied && !set_aside && !d.stopped()) {
      // 回访不满意: reopen with the party's words, handle again, revisit again.
      d.Step(v1::CASE_EVENT_TYPE_REOPEN, 60, 3600, "community-police",
             [&](v1::CaseEvent& e) { e.set_reason("当事人不满意 (the party is not satisfied)"); });
      ++summary.reopens;
      assign(current);
      d.Step(v1::CASE_EVENT_TYPE_ACCEPT, 30, 600, loop.proto().assignee());
      start_mediation(600, 7200, loop.proto().assignee());
      resolve(3600, 3 * 86400);
      // A department's redo leaves a party unsatisfied again one time in four: the centre closes
      // the order as it stands (不满意办结), and the rating counts against the department.
      const bool again = !(diverted && profile.Chance(0.25));
      d.Step(v1::CASE_EVENT_TYPE_REVISIT, 86400, 3 * 86400, "community-police",
             [&](v1::CaseEvent& e) { e.set_satisfied(again); });
      if (!again) {
        d.Step(v1::CASE_EVENT_TYPE_CLOSE, 3600, 86400, "command-room", [&](v1::CaseEvent& e) {
          e.set_actor_role(v1::ACTOR_ROLE_COMMAND_ROOM);
          e.set_reason("经二次办理仍不满意，按程序办结 (closed after a redo; the rating stands)");
        });
      }
    }
    if (!IsTerminal(loop.state().state)) {
      d.Step(v1::CASE_EVENT_TYPE_CLOSE, 60, 3600, "community-police");
    }
    if (!d.refused().ok()) {
      return absl::InternalError(
          absl::StrCat("simulation of ", incident.id(),
                       " took a step the loop refuses: ", d.refused().message()));
    }
    absl::StatusOr<int> breaches = loop.RecordBreaches(end - absl::Seconds(1));
    if (!breaches.ok()) return breaches.status();
    for (const v1::CaseEvent& e : loop.proto().events()) {
      if (e.type() == v1::CASE_EVENT_TYPE_SLA_BREACH) ++summary.breaches[e.deadline()];
    }
    summary.overdue_at_end += loop.Overdue(end).empty() ? 0 : 1;
    ++summary.cases;
    summary.events += loop.proto().events_size();
    ++summary.by_state[loop.state().state];
    ++summary.by_final_tier[loop.state().tier];
    batch.push_back(std::move(loop));
    if (batch.size() >= 500) {
      absl::Status s = flush();
      if (!s.ok()) return s;
    }
  }
  absl::Status s = flush();
  if (!s.ok()) return s;
  return summary;
}

}  // namespace fengqiao::tools
