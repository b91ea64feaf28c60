#include "fengqiao/metrics/duration_sketch.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace fengqiao {
namespace {
constexpr int kSubBits = 6;  // 64 buckets per power of two
constexpr int kSub = 1 << kSubBits;
}  // namespace

int DurationSketch::Bucket(uint64_t v) {
  if (v < static_cast<uint64_t>(kSub)) return static_cast<int>(v);
  const int e = 63 - __builtin_clzll(v);  // >= kSubBits
  const int m = static_cast<int>((v >> (e - kSubBits)) & (kSub - 1));
  return kSub + (e - kSubBits) * kSub + m;
}

double DurationSketch::Midpoint(int bucket) {
  if (bucket < kSub) return bucket;
  const int e = (bucket - kSub) / kSub + kSubBits;
  const int m = (bucket - kSub) % kSub;
  const double width = std::ldexp(1.0, e - kSubBits);
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
  const int64_t v = seconds < 0 ? 0 : seconds;
  ++count_;
  sum_ += v;
  if (!folded_) {
    samples_.push_back(v);
    if (samples_.size() > static_cast<size_t>(kExactLimit)) Fold();
    return;
  }
  Increment(Bucket(static_cast<uint64_t>(v)), 1);
}

void DurationSketch::Fold() {
  folded_ = true;
  for (int64_t v : samples_) Increment(Bucket(static_cast<uint64_t>(v)), 1);
  samples_.clear();
  samples_.shrink_to_fit();
}

void DurationSketch::Merge(const DurationSketch& other) {
  if (other.count_ == 0) return;
  if (!folded_ && !other.folded_ &&
      samples_.size() + other.samples_.size() <= static_cast<size_t>(kExactLimit)) {
    samples_.insert(samples_.end(), other.samples_.begin(), other.samples_.end());
  } else {
    if (!folded_) Fold();
    if (!other.folded_) {
      for (int64_t v : other.samples_) Increment(Bucket(static_cast<uint64_t>(v)), 1);
    } else {
      for (size_t i = 0; i < other.buckets_.size(); ++i) {
        if (other.buckets_[i] != 0)
          Increment(other.offset_ + static_cast<int>(i), other.buckets_[i]);
      }
    }
  }
  count_ += other.count_;
  sum_ += other.sum_;
}

double DurationSketch::Quantile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  // R type 7: h = (n - 1) q; interpolate between the floor(h)-th and ceil(h)-th (0-based).
  const double h = (count_ - 1) * q;
  const int64_t lo = static_cast<int64_t>(std::floor(h));
  const int64_t hi = static_cast<int64_t>(std::ceil(h));
  if (!folded_) {
    // The two ranks, selected on a local copy: reading never reorders the sketch's samples.
    std::vector<int64_t> s = samples_;
    std::nth_element(s.begin(), s.begin() + lo, s.end());
    const double a = static_cast<double>(s[lo]);
    const double b =
        hi == lo ? a : static_cast<double>(*std::min_element(s.begin() + lo + 1, s.end()));
    return a + (b - a) * (h - lo);
  }
  auto at = [&](int64_t rank) -> double {
    int64_t seen = 0;
    for (size_t b = 0; b < buckets_.size(); ++b) {
      seen += buckets_[b];
      if (seen > rank) return Midpoint(offset_ + static_cast<int>(b));
    }
    return Midpoint(offset_ + static_cast<int>(buckets_.size()) - 1);
  };
  const double a = at(lo), b = at(hi);
  return a + (b - a) * (h - lo);
}

void DurationSketch::ToProto(v1::DurationSketchState* out) const {
  out->set_count(count_);
  out->set_sum(sum_);
  out->set_folded(folded_);
  if (!folded_) {
    std::vector<int64_t> sorted = samples_;
    std::sort(sorted.begin(), sorted.end());
    out->mutable_samples()->Add(sorted.begin(), sorted.end());
  } else {
    out->set_offset(offset_);
    out->mutable_buckets()->Add(buckets_.begin(), buckets_.end());
  }
}

bool DurationSketch::FromProto(const v1::DurationSketchState& state) {
  *this = DurationSketch();
  const auto fail = [this] {
    *this = DurationSketch();
    return false;
  };
  if (state.count() < 0 || state.sum() < 0) return fail();
  if (!state.folded()) {
    if (state.count() > kExactLimit || state.samples_size() != state.count() ||
        state.offset() != 0 || !state.buckets().empty()) {
      return fail();
    }
    int64_t sum = 0, previous = 0;
    for (int64_t v : state.samples()) {
      if (v < previous || v > (int64_t{1} << 40)) return fail();  // ascending, below 34,000 years
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
  if (count_ != other.count_ || sum_ != other.sum_ || exact() != other.exact()) return false;
  if (!exact()) return offset_ == other.offset_ && buckets_ == other.buckets_;
  std::vector<int64_t> a = samples_, b = other.samples_;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

}  // namespace fengqiao
