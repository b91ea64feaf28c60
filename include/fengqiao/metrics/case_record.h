// File: fengqiao/metrics/case_record.h
// A CaseRecord is one case reduced to what the metrics read: where and what it was, how it was
// routed, when each step of the loop first happened (seconds after the report, -1 when it has
// not), and how it ended. Records come from stored cases (CaseRecordBuilder) or straight from an
// analyst's columns; metrics make one pass over them.
//
//   FENGQIAO_ASSIGN_OR_RETURN(std::shared_ptr<const fengqiao::GridMap> grid_map,
//                             fengqiao::GridMap::Load("examples/data/grid_map.textproto"));
//   fengqiao::v1::Case dispute;  // cases go in report order
//   dispute.mutable_incident()->set_kind(fengqiao::v1::INCIDENT_KIND_DISPUTE);
//   dispute.mutable_incident()->mutable_reported_at()->set_seconds(1791000000);
//   dispute.add_events()->set_type(fengqiao::v1::CASE_EVENT_TYPE_REPORT);
//   dispute.mutable_events(0)->mutable_at()->set_seconds(1791000000);
//   fengqiao::CaseRecordBuilder builder(*grid_map);
//   const fengqiao::CaseRecord record = builder.Add(dispute);
//   if (record.reported_at != 1791000000 || record.accept_s != -1) {
//     return absl::InternalError("reported, not yet accepted");
//   }
//
// Thread safety: plain data; a builder is not synchronised.
#ifndef FENGQIAO_METRICS_CASE_RECORD_H_
#define FENGQIAO_METRICS_CASE_RECORD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "fengqiao/grid/grid_map.h"
#include "fengqiao/v1/case.pb.h"

namespace fengqiao {

// Bits of CaseRecord::flags.
enum CaseRecordFlag : uint32_t {
  kRecordPolice = 1u << 0,              // a police matter (not 非警务)
  kRecordDisposed = 1u << 1,            // reached RESOLVED (处置)
  kRecordCancelled = 1u << 2,           // CANCELLED or DUPLICATE: out of the disposal rate
  kRecordMediationStarted = 1u << 3,    // a dispute whose mediation started (调处)
  kRecordMediationSucceeded = 1u << 4,  // ... and was resolved short of a court referral
  kRecordRevisited = 1u << 5,           // revisited (回访)
  kRecordSatisfied = 1u << 6,           // the last revisit found the party satisfied (满意)
  kRecordReopened = 1u << 7,            // reopened at least once
  kRecordCivilToCriminal = 1u << 8,  // a criminal case whose parties had a dispute before (民转刑)
  kRecordClosed = 1u << 9,           // CLOSED
  kRecordOnSiteRequired = 1u << 10,  // the routing SLA asks for someone on site
  // 110 ↔ 12345 linkage (对接联动), each direction counted apart.
  kRecordTransferredTo12345 = 1u << 11,  // 110 handed it to 12345 (一键转接 or after a call)
  kRecordTransferredTo110 = 1u << 12,    // 12345 handed it to 110
  kRecordEmergencyPushed = 1u << 13,     // ... as an emergency push (紧急推送)
  kRecordThreeWayCall = 1u << 14,        // a three-way call was held on ownership
  kRecordFirstReceiverKept = 1u << 15,   // ... and could not agree: the first receiver kept it
  // The last revisit's answers to the hotline's questions (三率), when it asked them, and a bad
  // rating the command room set aside on review (差评甄别: out of the satisfaction rate).
  kRecordAskedContacted = 1u << 16,
  kRecordContacted = 1u << 17,  // 响应: the party says the handler contacted it
  kRecordAskedSolved = 1u << 18,
  kRecordSolved = 1u << 19,  // 解决: the party says the matter is solved
  kRecordRatingSetAside = 1u << 20,
  kRecordMergedInto = 1u << 21,  // 并单: a duplicate request merged into another order
};

// A step time that has not happened. Any other negative step time is a negative interval (the step
// was recorded before the report, a data error): the metrics leave it out of every rate and
// distribution and count it as excluded ("negative interval"), never as 0 or on time.
inline constexpr int32_t kStepNotHappened = -1;

struct CaseRecord {
  int64_t reported_at = 0;  // unix seconds
  int32_t area = -1;        // GridMap area index of the grid
  uint8_t kind = 0;         // v1::IncidentKind
  uint8_t dispute_type = 0;
  uint8_t department = 0;  // responsible department of a non-police matter
  uint8_t channel = 0;
  uint8_t tier = 0;   // tier of the routing decision
  uint8_t force = 0;  // target force type of the routing decision
  // Co-handlers (协办) beside the lead, and how many of them accepted within their own accept
  // clock (or, without one, at all); the case itself counts once (up to 255 each).
  uint8_t co_handlers = 0;
  uint8_t co_on_time = 0;
  uint32_t flags = 0;  // CaseRecordFlag bits
  // Work-order facts (工单) for department scorecards (fengqiao/metrics/department_scorecard.h).
  // The department holding the order last (v1::Department, Case.department; 0: not an order),
  // the departments that returned it (退回; bit d for department d), the supervision steps (督办)
  // and extensions granted (延期) it took (up to 255 each).
  uint8_t order_department = 0;
  uint8_t supervision_steps = 0;
  uint8_t extensions = 0;
  uint32_t returned_by = 0;
  // The sign-off (accept) and completion (resolve) clocks of the order department's own order
  // (its first instruction it did not return; a redo is not a new order): when each fell due,
  // after pauses and granted extensions, and when it was met, seconds after the report.
  // kStepNotHappened (-1) for a due time: no such clock, or one handed over before it fell due;
  // for a met time: not met.
  int32_t signoff_due_s = -1;
  int32_t signoff_s = -1;
  int32_t complete_due_s = -1;
  int32_t complete_s = -1;
  // First time of each step, seconds after the report; kStepNotHappened (-1) when it has not
  // happened; below -1 when it was recorded before the report (see kStepNotHappened).
  int32_t assign_s = -1;
  int32_t accept_s = -1;
  int32_t contact_s = -1;
  int32_t arrival_s = -1;
  int32_t resolve_s = -1;
};

// One 民转刑 found: the criminal case, the earlier dispute it grew out of, the parties they share
// and how long after the dispute it was reported. Listed so that a station can review each.
struct CivilToCriminalLink {
  std::string criminal_case_id;
  std::string dispute_case_id;
  int shared_parties = 0;
  int64_t seconds_after = 0;
};

// Reduces cases to records; fed in report order, it marks 民转刑 as the seeds mean it: a criminal
// case that grows out of a dispute between the same parties, that is, an earlier dispute within
// `window` whose parties include at least `min_shared_parties` (default 2) of the criminal
// case's parties, identified by person_id (never by name). A criminal case with one known party
// cannot be shown to be between the same parties and is not counted. Whether the crime concerns
// the dispute's subject is not modelled (incidents carry no crime subtype): the links list the
// cases behind the count for a person to review.
class CaseRecordBuilder {
 public:
  explicit CaseRecordBuilder(const GridMap& map, absl::Duration window = absl::Hours(24 * 90),
                             int min_shared_parties = 2)
      : map_(map), window_(window), min_shared_parties_(min_shared_parties) {}

  CaseRecord Add(const v1::Case& c);

  // Every 民转刑 marked so far, in the order the criminal cases were added.
  const std::vector<CivilToCriminalLink>& civil_to_criminal() const { return links_; }

 private:
  struct Dispute {
    std::string case_id;
    int64_t reported_at = 0;
    std::vector<std::string> parties;  // person ids, sorted, unique
  };
  const GridMap& map_;
  absl::Duration window_;
  int min_shared_parties_;
  std::vector<Dispute> disputes_;
  absl::flat_hash_map<std::string, std::vector<size_t>> disputes_of_;  // person -> disputes_
  std::vector<CivilToCriminalLink> links_;
};

}  // namespace fengqiao

#endif  // FENGQIAO_METRICS_CASE_RECORD_H_
