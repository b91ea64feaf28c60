// File: fengqiao/metrics/duration_sketch.h
// Percentiles of durations (accept, contact, arrival, resolution times, in seconds) that merge.
// Exact while a sketch holds at most `exact_limit` samples (default 100,000 per sketch):
// percentiles interpolate linearly between closest ranks (R type 7, SQL PERCENTILE_CONT), so an
// analyst checking a "P90 <= X" standard gets the exact figure. Past that it folds the samples
// into log-linear buckets (values below 2^b exact; above, 2^b buckets per power of two, reported
// at the bucket's midpoint, b chosen from `relative_error`, default 0.1%): every percentile is
// then within `relative_error` of the exact one, relative to its value, and exact() says so.
// Memory while exact: 4 bytes per sample.
// An empty sketch has no percentiles: Quantile and mean are NaN ("n/a"), never 0. Negative
// durations (a step recorded before the report: a data error) are not samples: they are counted
// in negative() and left out. Merging two sketches gives the sketch of the union; never average
// percentiles.
//
//   fengqiao::DurationSketch arrival;
//   arrival.Add(412);  arrival.Add(95);  arrival.Add(-30);  // the last is a data error
//   if (arrival.Quantile(0.5) != 253.5 || arrival.negative() != 1) {
//     return absl::InternalError("the median of 95 and 412; one negative interval left out");
//   }
//
// Thread safety: a value. Const methods (Quantile, mean, count, ToProto) only read, so several
// threads may call them on one sketch at once; Add and Merge need exclusive access.
#ifndef FENGQIAO_METRICS_DURATION_SKETCH_H_
#define FENGQIAO_METRICS_DURATION_SKETCH_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "fengqiao/v1/metrics.pb.h"

namespace fengqiao {

// How exact a sketch is: percentiles are exact up to `exact_limit` samples, then within
// `relative_error` of their value.
struct DurationSketchOptions {
  int64_t exact_limit = 100'000;
  double relative_error = 0.001;
};

class DurationSketch {
 public:
  // Options out of range are brought into it: exact_limit to [0, 100,000,000], relative_error to
  // [1/2^21, 1/4] (the bucket resolution is a power of two: the error bound actually used is
  // relative_error(), at most the one asked for).
  explicit DurationSketch(DurationSketchOptions options = {});

  // Adds a sample; a negative one is not a sample: it is counted in negative().
  void Add(int64_t seconds);
  // Adds every sample (and negative count) of `other`, which must have the same options (a
  // sketch of other options is folded into this one's buckets: percentiles stay within this
  // sketch's bound only if the other's bound is at least as fine).
  void Merge(const DurationSketch& other);

  int64_t count() const { return count_; }
  int64_t negative() const { return negative_; }
  // The mean; NaN for an empty sketch.
  double mean() const;
  bool exact() const { return !folded_; }
  int64_t exact_limit() const { return exact_limit_; }
  // The bound on a percentile's relative error once folded: 1 / 2^(b+1).
  double relative_error() const;

  // The q-quantile (0 <= q <= 1, clamped), R type 7; NaN for an empty sketch. While exact it
  // selects the ranks on a copy of the samples: it never writes the sketch.
  double Quantile(double q) const;
  // Quantile(qs[i]) for every i, from one copy of the samples (what a report asking for p50, p90
  // and p95 should call). `qs` and the result have the same length and order.
  std::vector<double> Quantiles(absl::Span<const double> qs) const;

  bool operator==(const DurationSketch& other) const;

  // The sketch as a message, for partial results that travel between processes.
  void ToProto(v1::DurationSketchState* out) const;
  // Replaces this sketch's contents by `state`, keeping its options; false (and an empty sketch)
  // when the state is inconsistent (counts that do not add up, samples out of order or range,
  // buckets out of range) or was made with other options.
  bool FromProto(const v1::DurationSketchState& state);

 private:
  void Fold();
  void Increment(int bucket, uint32_t n);
  int Bucket(uint64_t v) const;
  double Midpoint(int bucket) const;

  int64_t exact_limit_;
  int sub_bits_;  // 2^sub_bits_ buckets per power of two
  int64_t count_ = 0;
  int64_t sum_ = 0;
  int64_t negative_ = 0;
  // While exact, in arrival order (never sorted in place). Durations are seconds: a sample above
  // INT32_MAX (68 years) folds the sketch rather than widening every sample to 8 bytes.
  std::vector<int32_t> samples_;
  bool folded_ = false;
  // Once folded: counts of buckets offset_ .. offset_ + size - 1 (the range seen, so memory
  // follows the spread of the durations, not their number).
  int offset_ = 0;
  std::vector<uint32_t> buckets_;
};

}  // namespace fengqiao

#endif  // FENGQIAO_METRICS_DURATION_SKETCH_H_
