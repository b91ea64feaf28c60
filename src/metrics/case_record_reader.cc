#include "fengqiao/metrics/case_record_reader.h"

#include <algorithm>
#include <utility>

#include "fengqiao/status_macros.h"

namespace fengqiao {
namespace {

// The cases (in id order) as records in report order.
CaseRecordTable TableOf(std::vector<v1::Case> cases, const GridMap& map,
                        absl::Duration civil_to_criminal_window) {
  // Find returns ids ascending; a stable sort keeps that order among equal report times.
  std::stable_sort(cases.begin(), cases.end(), [](const v1::Case& a, const v1::Case& b) {
    return a.incident().reported_at().seconds() < b.incident().reported_at().seconds();
  });
  CaseRecordBuilder builder(map, civil_to_criminal_window);
  CaseRecordTable table;
  table.case_ids.reserve(cases.size());
  table.records.reserve(cases.size());
  for (const v1::Case& c : cases) {
    table.case_ids.push_back(c.id());
    table.records.push_back(builder.Add(c));
  }
  table.civil_to_criminal = builder.civil_to_criminal();
  return table;
}

}  // namespace

absl::StatusOr<CaseRecordTable> ReadCaseRecords(const CaseStore& store, const GridMap& map,
                                                const CaseQuery& query,
                                                absl::Duration civil_to_criminal_window) {
  FENGQIAO_ASSIGN_OR_RETURN(std::vector<std::string> ids, store.Find(query));
  std::vector<v1::Case> cases;
  cases.reserve(ids.size());
  for (const std::string& id : ids) {
    FENGQIAO_ASSIGN_OR_RETURN(v1::Case c, store.Get(id));
    cases.push_back(std::move(c));
  }
  return TableOf(std::move(cases), map, civil_to_criminal_window);
}

absl::StatusOr<CaseRecordTable> ReadCaseRecords(const CaseAccess& access, const GridMap& map,
                                                absl::Time now, const CaseQuery& query,
                                                absl::Duration civil_to_criminal_window) {
  FENGQIAO_ASSIGN_OR_RETURN(std::vector<v1::Case> cases, access.Cases(query, now));
  return TableOf(std::move(cases), map, civil_to_criminal_window);
}

}  // namespace fengqiao
