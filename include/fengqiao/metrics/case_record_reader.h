// File: fengqiao/metrics/case_record_reader.h
// The pipeline from a case store to metrics records, once: read the cases a query selects, put
// them in report order and reduce them to CaseRecords (with 民转刑 marked from the parties'
// earlier disputes). The CLI and the Python bindings both call it.
//
//   #include "fengqiao/store/memory_case_store.h"
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   fengqiao::MemoryCaseStore store;
//   FENGQIAO_ASSIGN_OR_RETURN(fengqiao::CaseRecordTable table,
//                             fengqiao::ReadCaseRecords(store, *map));
//   if (!table.records.empty()) return absl::InternalError("an empty store has no records");
//
// Thread safety: as safe as the store's Find and Get (both stores allow concurrent readers).
// Errors: whatever the store's Find or Get return (NotFound for a case that vanished between the
// two, DataLoss for a damaged log), unchanged.
#ifndef FENGQIAO_METRICS_CASE_RECORD_READER_H_
#define FENGQIAO_METRICS_CASE_RECORD_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/metrics/case_record.h"
#include "fengqiao/store/case_access.h"
#include "fengqiao/store/case_store.h"

namespace fengqiao {

// Records in report order, with the id of the case each came from.
struct CaseRecordTable {
  std::vector<std::string> case_ids;
  std::vector<CaseRecord> records;
  // The 民转刑 behind the records' kRecordCivilToCriminal flags, one per flagged case.
  std::vector<CivilToCriminalLink> civil_to_criminal;
};

// The cases `query` selects from `store`, ordered by report time (ties: by id), reduced by one
// CaseRecordBuilder (so `civil_to_criminal_window` looks back over the selected cases only).
absl::StatusOr<CaseRecordTable> ReadCaseRecords(
    const CaseStore& store, const GridMap& map, const CaseQuery& query = CaseQuery(),
    absl::Duration civil_to_criminal_window = absl::Hours(24 * 90));

// The same through a viewer's access (fengqiao/store/case_access.h): only the viewer's cases (an
// analyst's areas), read masked as the viewer reads them (the records hold no personal data;
// person ids, which 民转刑 matches on, are pseudonymous and kept). `now` dates the audit record
// of a viewer reading in clear.
absl::StatusOr<CaseRecordTable> ReadCaseRecords(
    const CaseAccess& access, const GridMap& map, absl::Time now,
    const CaseQuery& query = CaseQuery(),
    absl::Duration civil_to_criminal_window = absl::Hours(24 * 90));

}  // namespace fengqiao

#endif  // FENGQIAO_METRICS_CASE_RECORD_READER_H_
