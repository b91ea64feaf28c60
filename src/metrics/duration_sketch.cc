#include "fengqiao/metrics/duration_sketch.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace fengqiao {
namespace {

constexpr int64_t kMaxExactLimit = 100'000'000;
constexpr int kMinSubBits = 1, kMaxSubBits = 20;

// The fewest sub-bucket bits b whose bound 1 / 2^(b+1) is at most `relative_error`.
int SubBitsFor(double relative_error) {
  int b = kMinSubBits;
  while (b < kMaxSubBits && std::ldexp(1.0, -(b + 1)) > relative_error) ++b;
  return b;
}

}  // namespace

DurationSketch::DurationSketch(DurationSketchOptions options)
    : exact_limit_(std::clamp<int64_t>(options.exact_limit, 0, kMaxExactLimit)),
      sub_bits_(SubBitsFor(std::isnan(options.relative_error) ? 0.0 : options.relative_error)) {}

double DurationSketch::relative_error() const { return std::ldexp(1.0, -(sub_bits_ + 1)); }

double DurationSketch::mean() const {
  return count_ == 0 ? std::numeric_limits<double>::quiet_NaN()
                     : static_cast<double>(sum_) / static_cast<double>(count_);
}

int DurationSketch::Bucket(uint64_t v) const {
  const int sub = 1 << sub_bits_;
  if (v < static_cast<uint64_t>(sub)) return static_cast<int>(v);
  const int e = 63 - __builtin_clzll(v);  // >= sub_bits_
  const int m = static_cast<int>((v >> (e - sub_bits_)) & static_cast<uint64_t>(sub - 1));
  return sub + (e - sub_bits_) * sub + m;
}

double DurationSketch::Midpoint(int bucket) const {
  const int sub = 1 << sub_bits_;
  if (bucket < sub) return bucket;
  const int e = (bucket - sub) / sub + sub_bits_;
  const int m = (bucket - sub) % sub;
  const double width = std::ldexp(1.0, e - sub_bits_);
  const double low = std::ldexp(1.0, e) + m * width;
  return low + (width - 1) / 2;  // integer samples: [low, low + width - 1]
}

void DurationSketch::Increment(int bucket, uint32_t n) {
  if (buckets_.empty()) {
    offset_ = bucket;
    buckets_.assign(1, 0);
  } else if (bucket < offset_) {
    buckets_.insert(buckets_.begin(), offset_ - bucket, 0);
    offset_ = bucket;
  } else if (bucket >= offset_ + static_cast<int>(buckets_.size())) {
    buckets_.resize(bucket - offset_ + 1, 0);
  }
  buckets_[bucket - offset_] += n;
}

void DurationSketch::Add(int64_t seconds) {
  if (seconds < 0) {
    ++negative_;
    return;
  }
  const int64_t v = seconds;
  ++count_;
  sum_ += v;
  if (!folded_ && v > std::numeric_limits<int32_t>::max()) Fold();
  if (!folded_) {
    samples_.push_back(static_cast<int32_t>(v));
    if (static_cast<int64_t>(samples_.size()) > exact_limit_) Fold();
    return;
  }
  Increment(Bucket(static_cast<uint64_t>(v)), 1);
}

void DurationSketch::Fold() {
  folded_ = true;
  for (int32_t v : samples_) Increment(Bucket(static_cast<uint64_t>(v)), 1);
  samples_.clear();
  samples_.shrink_to_fit();
}

void DurationSketch::Merge(const DurationSketch& other) {
  negative_ += other.negative_;
  if (other.count_ == 0) return;
  if (!folded_ && !other.folded_ &&
      static_cast<int64_t>(samples_.size() + other.samples_.size()) <= exact_limit_) {
    samples_.insert(samples_.end(), other.samples_.begin(), other.samples_.end());
  } else {
    if (!folded_) Fold();
    if (!other.folded_) {
      for (int32_t v : other.samples_) Increment(Bucket(static_cast<uint64_t>(v)), 1);
    } else if (other.sub_bits_ == sub_bits_) {
      for (size_t i = 0; i < other.buckets_.size(); ++i) {
        if (other.buckets_[i] != 0)
          Increment(other.offset_ + static_cast<int>(i), other.buckets_[i]);
      }
    } else {
      // Another resolution: each of its buckets lands, by its midpoint, in one of ours.
      for (size_t i = 0; i < other.buckets_.size(); ++i) {
        if (other.buckets_[i] == 0) continue;
        const double mid = other.Midpoint(other.offset_ + static_cast<int>(i));
        Increment(Bucket(static_cast<uint64_t>(mid)), other.buckets_[i]);
      }
    }
  }
  count_ += other.count_;
  sum_ += other.sum_;
}

double DurationSketch::Quantile(double q) const { return Quantiles({q})[0]; }

std::vector<double> DurationSketch::Quantiles(absl::Span<const double> qs) const {
  std::vector<double> out(qs.size(), std::numeric_limits<double>::quiet_NaN());
  if (count_ == 0) return out;
  // Ascending q, so that each rank is selected in what is left right of the previous one.
  std::vector<size_t> order;
  for (size_t i = 0; i < qs.size(); ++i) {
    if (!std::isnan(qs[i])) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return qs[a] < qs[b]; });
  std::vector<int32_t> s;
  if (!folded_) s = samples_;  // one copy for every q: reading never reorders the sketch
  int64_t selected = 0;        // s[0, selected) holds no value above the ranks selected so far
  for (size_t i : order) {
    const double q = std::clamp(qs[i], 0.0, 1.0);
    // R type 7: h = (n - 1) q; interpolate between the floor(h)-th and ceil(h)-th (0-based).
    const double h = static_cast<double>(count_ - 1) * q;
    const int64_t lo = static_cast<int64_t>(std::floor(h));
    const int64_t hi = static_cast<int64_t>(std::ceil(h));
    double a, b;
    if (!folded_) {
      std::nth_element(s.begin() + selected, s.begin() + lo, s.end());
      selected = lo;
      a = s[lo];
      b = hi == lo ? a : *std::min_element(s.begin() + lo + 1, s.end());
    } else {
      auto at = [&](int64_t rank) -> double {
        int64_t seen = 0;
        for (size_t k = 0; k < buckets_.size(); ++k) {
          seen += buckets_[k];
          if (seen > rank) return Midpoint(offset_ + static_cast<int>(k));
        }
        return Midpoint(offset_ + static_cast<int>(buckets_.size()) - 1);
      };
      a = at(lo);
      b = at(hi);
    }
    out[i] = a + (b - a) * (h - static_cast<double>(lo));
  }
  return out;
}

void DurationSketch::ToProto(v1::DurationSketchState* out) const {
  out->set_count(count_);
  out->set_sum(sum_);
  out->set_folded(folded_);
  out->set_exact_limit(exact_limit_);
  out->set_sub_bits(sub_bits_);
  out->set_negative(negative_);
  if (!folded_) {
    std::vector<int32_t> sorted = samples_;
    std::sort(sorted.begin(), sorted.end());
    out->mutable_samples()->Add(sorted.begin(), sorted.end());
  } else {
    out->set_offset(offset_);
    out->mutable_buckets()->Add(buckets_.begin(), buckets_.end());
  }
}

bool DurationSketch::FromProto(const v1::DurationSketchState& state) {
  DurationSketchOptions options;
  options.exact_limit = exact_limit_;
  options.relative_error = relative_error();
  *this = DurationSketch(options);
  const auto fail = [this, options] {
    *this = DurationSketch(options);
    return false;
  };
  if (state.count() < 0 || state.sum() < 0 || state.negative() < 0) return fail();
  if (state.exact_limit() != exact_limit_ || state.sub_bits() != sub_bits_) return fail();
  negative_ = state.negative();
  if (!state.folded()) {
    if (state.count() > exact_limit_ || state.samples_size() != state.count() ||
        state.offset() != 0 || !state.buckets().empty()) {
      return fail();
    }
    int64_t sum = 0, previous = 0;
    for (int64_t v : state.samples()) {
      if (v < previous || v > std::numeric_limits<int32_t>::max()) return fail();  // ascending
      sum += v;
      previous = v;
    }
    if (sum != state.sum()) return fail();
    samples_.assign(state.samples().begin(), state.samples().end());
    count_ = state.count();
    sum_ = state.sum();
    return true;
  }
  const int max_bucket = Bucket(~uint64_t{0});
  if (!state.samples().empty() || state.offset() < 0 || state.buckets_size() == 0 ||
      state.offset() + state.buckets_size() > max_bucket + 1) {
    return fail();
  }
  int64_t total = 0;
  for (uint32_t b : state.buckets()) total += b;
  if (total != state.count()) return fail();
  folded_ = true;
  offset_ = state.offset();
  buckets_.assign(state.buckets().begin(), state.buckets().end());
  count_ = state.count();
  sum_ = state.sum();
  return true;
}

bool DurationSketch::operator==(const DurationSketch& other) const {
  if (count_ != other.count_ || sum_ != other.sum_ || negative_ != other.negative_ ||
      exact() != other.exact() || exact_limit_ != other.exact_limit_ ||
      sub_bits_ != other.sub_bits_) {
    return false;
  }
  if (!exact()) return offset_ == other.offset_ && buckets_ == other.buckets_;
  std::vector<int32_t> a = samples_, b = other.samples_;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

}  // namespace fengqiao
