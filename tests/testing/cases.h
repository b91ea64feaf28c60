// Cases for store tests: a routed noise complaint opened at a fixed time, and steps along the loop.
#ifndef FENGQIAO_TESTS_TESTING_CASES_H_
#define FENGQIAO_TESTS_TESTING_CASES_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "fengqiao/closure/case_loop.h"

namespace fengqiao::testing {

inline const absl::Time kOpenedAt = absl::FromUnixSeconds(1791943200);  // 2026-10-14 10:00 +08

inline v1::Decision RoutedTo(v1::Tier tier) {
  v1::Decision d;
  d.set_rule_id("rule");
  d.set_rule_set_version("t");
  d.set_rule_set_hash("0000000000000000");
  d.mutable_action()->set_tier(tier);
  v1::Sla* sla = d.mutable_action()->mutable_sla();
  sla->mutable_accept()->set_seconds(60);
  sla->mutable_contact()->set_seconds(180);
  sla->mutable_on_site()->set_seconds(600);
  sla->mutable_resolve()->set_seconds(86400);
  sla->mutable_revisit()->set_seconds(7 * 86400);
  return d;
}

inline CaseLoop OpenCase(const std::string& id, const std::string& grid = "g11",
                         v1::Tier tier = v1::TIER_MEDIATOR, absl::Time at = kOpenedAt) {
  v1::Incident incident;
  incident.set_id(id);
  incident.set_grid_code(grid);
  return *CaseLoop::Open(incident, RoutedTo(tier), at, "110");
}

// Takes a case one step further along the happy path (assign, accept, contact, arrive, mediate,
// resolve with a written agreement, feed back, revisit satisfied by someone other than the
// handler, close); false when it is closed already.
inline bool Advance(CaseLoop& loop, absl::Time at, const std::string& assignee = "m-1") {
  static constexpr v1::CaseEventType kPath[] = {v1::CASE_EVENT_TYPE_ASSIGN,
                                                v1::CASE_EVENT_TYPE_ACCEPT,
                                                v1::CASE_EVENT_TYPE_CONTACT,
                                                v1::CASE_EVENT_TYPE_ARRIVE,
                                                v1::CASE_EVENT_TYPE_START_MEDIATION,
                                                v1::CASE_EVENT_TYPE_RESOLVE,
                                                v1::CASE_EVENT_TYPE_GIVE_FEEDBACK,
                                                v1::CASE_EVENT_TYPE_REVISIT,
                                                v1::CASE_EVENT_TYPE_CLOSE};
  const int done = loop.proto().events_size() - 2;  // after REPORT and TRIAGE
  if (done < 0 || done >= 9) return false;
  const bool revisit = kPath[done] == v1::CASE_EVENT_TYPE_REVISIT;
  v1::CaseEvent e = MakeEvent(kPath[done], at, revisit ? "revisitor" : assignee);
  if (kPath[done] == v1::CASE_EVENT_TYPE_ASSIGN) e.set_assignee(assignee);
  if (kPath[done] == v1::CASE_EVENT_TYPE_START_MEDIATION) {
    e.set_mediation_type(v1::MEDIATION_TYPE_PEOPLES);
  }
  if (kPath[done] == v1::CASE_EVENT_TYPE_RESOLVE) {
    e.set_mediation_outcome(v1::MEDIATION_OUTCOME_AGREEMENT_WRITTEN);
  }
  if (revisit) e.set_satisfied(true);
  return loop.Record(e).ok();
}

}  // namespace fengqiao::testing

#endif  // FENGQIAO_TESTS_TESTING_CASES_H_
