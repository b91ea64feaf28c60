// File: fengqiao/metrics/duration_sketch.h
// Percentiles of durations (accept, contact, arrival, resolution times, in seconds) that merge.
// Exact while a sketch holds at most `kExactLimit` samples: percentiles interpolate linearly
// between closest ranks (R type 7, SQL PERCENTILE_CONT). Past that it folds the samples into
// log-linear buckets (values below 64 s exact; above, 64 buckets per power of two, reported at the
// bucket's midpoint): every percentile is then within 1/128 (0.79%) of the exact one, relative
// to its value. Merging two sketches gives the sketch of the union; never average percentiles.
//
//   fengqiao::DurationSketch arrival;
//   arrival.Add(412);  arrival.Add(95);
//   if (arrival.Quantile(0.5) != 253.5) return absl::InternalError("the median of 95 and 412");
//
// Thread safety: a value. Const methods (Quantile, mean, count, ToProto) only read, so several
// threads may call them on one sketch at once; Add and Merge need exclusive access.
#ifndef FENGQIAO_METRICS_DURATION_SKETCH_H_
#define FENGQIAO_METRICS_DURATION_SKETCH_H_

#include <cstdint>
#include <vector>

#include "fengqiao/v1/metrics.pb.h"

namespace fengqiao {

class DurationSketch {
 public:
  static constexpr int kExactLimit = 512;
  // Relative error bound of a percentile once bucketed.
  static constexpr double kRelativeError = 1.0 / 128;

  // Adds a sample; negative values are clamped to 0.
  void Add(int64_t seconds);
  // Adds every sample of `other`.
  void Merge(const DurationSketch& other);

  int64_t count() const { return count_; }
  double mean() const { return count_ == 0 ? 0.0 : static_cast<double>(sum_) / count_; }
  bool exact() const { return !folded_; }

  // The q-quantile (0 <= q <= 1), R type 7; 0 for an empty sketch. While exact it selects the
  // ranks on a copy of the (at most 512) samples: it never writes the sketch.
  double Quantile(double q) const;

  bool operator==(const DurationSketch& other) const;

  // The sketch as a message, for partial results that travel between processes.
  void ToProto(v1::DurationSketchState* out) const;
  // Replaces this sketch by `state`; false (and an empty sketch) when the state is inconsistent
  // (counts that do not add up, samples out of order or range, buckets out of range).
  bool FromProto(const v1::DurationSketchState& state);

 private:
  void Fold();
  void Increment(int bucket, uint32_t n);
  static int Bucket(uint64_t v);
  static double Midpoint(int bucket);

  int64_t count_ = 0;
  int64_t sum_ = 0;
  std::vector<int64_t> samples_;  // while exact, in arrival order (never sorted in place)
  bool folded_ = false;
  // Once folded: counts of buckets offset_ .. offset_ + size - 1 (the range seen, so memory
  // follows the spread of the durations, not their number).
  int offset_ = 0;
  std::vector<uint32_t> buckets_;
};

}  // namespace fengqiao

#endif  // FENGQIAO_METRICS_DURATION_SKETCH_H_
