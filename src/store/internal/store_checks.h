// Internal: the save contract shared by the stores (MemoryCaseStore and SqliteCaseStore), so both
// refuse the same cases with the same codes.
#ifndef FENGQIAO_SRC_STORE_INTERNAL_STORE_CHECKS_H_
#define FENGQIAO_SRC_STORE_INTERNAL_STORE_CHECKS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/v1/case.pb.h"
#include "internal/digest.h"

namespace fengqiao::store_internal {

// A case may be stored when it has an id, its events are numbered 1..n with its case id, its log
// replays through the case loop, and its header (state, tier) is what the log replays to.
// InvalidArgument otherwise, naming the case and the first event at fault.
// The log is replayed under `options`, the deployment's (null: the defaults).
inline absl::Status CheckReplays(const v1::Case& c,
                                 const std::shared_ptr<const CaseLoopOptions>& options) {
  if (c.id().empty()) return absl::InvalidArgumentError("case has no id");
  for (int i = 0; i < c.events_size(); ++i) {
    if (c.events(i).seq() != i + 1 || c.events(i).case_id() != c.id()) {
      return absl::InvalidArgumentError(
          absl::StrCat("case \"", c.id(), "\": event ", i + 1, " has seq ", c.events(i).seq(),
                       " and case id \"", c.events(i).case_id(), "\""));
    }
  }
  // Checked in place: the case is not copied (Save's cost is mostly this check).
  absl::StatusOr<LoopState> replayed = CaseLoop::ReplayState(c, options);
  if (!replayed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the log does not replay: ", replayed.status().message()));
  }
  if (replayed->state != c.state() || replayed->tier != c.tier()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "case \"", c.id(), "\": the header says ", CaseStateName(c.state()), " at tier ", c.tier(),
        " but the log replays to ", CaseStateName(replayed->state), " at tier ", replayed->tier));
  }
  return absl::OkStatus();
}

// Whether a stored event (`stored`, as written, perhaps by another build) is the event this
// build serialises as `bytes`: compared after a parse and re-serialisation here, so that a
// difference in field order or unknown fields is not taken for a conflict.
inline bool SameEvent(const std::string& bytes, const std::string& stored) {
  v1::CaseEvent parsed;
  return parsed.ParseFromString(stored) && parsed.SerializeAsString() == bytes;
}

// Optimistic concurrency: a save must extend the stored log. `stored` holds the stored events
// serialised, in seq order; the case must carry each of them unchanged at the same seq (it read
// them) and may add events after them. Aborted otherwise, naming the case, the seq this copy was
// read at (the stored events it carries unchanged) and the stored seq: reload and retry.
inline absl::Status CheckExtends(const v1::Case& c, absl::Span<const std::string> stored) {
  int64_t read = 0;
  std::string bytes;
  while (read < static_cast<int64_t>(stored.size()) && read < c.events_size()) {
    bytes.clear();
    c.events(static_cast<int>(read)).SerializeToString(&bytes);
    if (bytes != stored[read] && !SameEvent(bytes, stored[read])) break;
    ++read;
  }
  if (read == static_cast<int64_t>(stored.size())) return absl::OkStatus();
  return absl::AbortedError(
      absl::StrCat("case \"", c.id(), "\": the stored log moved on: this copy was read at seq ",
                   read, ", the store holds seq ", stored.size(),
                   read < c.events_size() ? " with other events after it" : "",
                   " (a stale copy or a concurrent writer); reload the case and retry"));
}

// A digest of the incident (FNV-1a 64 over its deterministic serialisation), 8 bytes: the
// incident of a stored case never changes (CaseLoop sets it on Open) except by an erasure, so a
// save whose incident differs from the stored one carries a copy read before that erasure.
inline std::string IncidentDigest(const v1::Incident& incident) {
  const uint64_t h = internal::MessageDigest(incident);
  return std::string(reinterpret_cast<const char*>(&h), sizeof(h));
}

inline absl::Status IncidentRewritten(const v1::Case& c) {
  return absl::AbortedError(absl::StrCat(
      "case \"", c.id(),
      "\": its incident differs from the stored one: a copy read before the stored case was "
      "rewritten (personal data erased), or a masked copy; reload the case in clear and retry"));
}

// An erasure may change personal fields only: the rewritten case keeps every event's seq, type
// and time and replays to the same state and tier. InvalidArgument otherwise.
inline absl::Status CheckSameLog(const v1::Case& before, const v1::Case& after,
                                 const std::shared_ptr<const CaseLoopOptions>& options) {
  bool same = before.id() == after.id() && before.events_size() == after.events_size();
  for (int i = 0; same && i < before.events_size(); ++i) {
    const v1::CaseEvent &a = before.events(i), &b = after.events(i);
    same = a.seq() == b.seq() && a.type() == b.type() && a.at().seconds() == b.at().seconds() &&
           a.at().nanos() == b.at().nanos();
  }
  if (!same) {
    return absl::InvalidArgumentError(absl::StrCat(
        "case \"", before.id(), "\": a rewrite may change personal data only, not the log"));
  }
  return CheckReplays(after, options);
}

}  // namespace fengqiao::store_internal

#endif  // FENGQIAO_SRC_STORE_INTERNAL_STORE_CHECKS_H_
