// The main job's simulation: the sample month through routing, handler choice and the closure
// loop, with handling times drawn from a fixed seed, into a CaseStore. Tool code, not library.
#ifndef FENGQIAO_TOOLS_MONTH_SIMULATION_H_
#define FENGQIAO_TOOLS_MONTH_SIMULATION_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/force/roster.h"
#include "fengqiao/routing/rule_set.h"
#include "fengqiao/store/case_store.h"
#include "fengqiao/v1/incident.pb.h"

namespace fengqiao::tools {

struct SimulationSummary {
  int64_t cases = 0;
  int64_t events = 0;
  std::map<v1::CaseState, int64_t> by_state;
  std::map<v1::Tier, int64_t> by_final_tier;
  std::map<std::string, int64_t> breaches;  // by deadline name
  int64_t overdue_at_end = 0;
  int64_t escalations = 0;
  int64_t reopens = 0;
  int64_t returns = 0;
  int64_t unassigned = 0;  // nobody fit: handed to the duty officer
  int64_t arrivals = 0, arrivals_within_8min = 0;
  // Work orders: pauses (挂起), extensions (延期) asked and granted.
  int64_t pauses = 0, extensions_asked = 0, extensions_granted = 0;
  // Outcomes of the "512" meetings the simulation recorded.
  std::map<v1::ConsultationOutcome, int64_t> consultations;
  // Work orders that ran late, and the supervision steps (督办) the centre took on them.
  int64_t late_orders = 0;
  std::map<v1::SupervisionStep, int64_t> supervision;
  // 并单: requests merged into an order reported before them about the same matter.
  int64_t merged = 0;
};

// Runs every incident of `log` reported before `end` and saves the cases to `store` in batches.
absl::StatusOr<SimulationSummary> SimulateMonth(const v1::IncidentLog& log, const RuleSet& rules,
                                                std::shared_ptr<const Roster> roster,
                                                absl::Time end, CaseStore& store,
                                                uint64_t seed = 20261001,
                                                const CaseLoopOptions& loop_options = {});

}  // namespace fengqiao::tools

#endif  // FENGQIAO_TOOLS_MONTH_SIMULATION_H_
