#include "fengqiao/metrics/duration_sketch.h"

#include "metrics/internal/wire.h"

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
    sorted_ = false;
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
  sorted_ = true;
}

void DurationSketch::Merge(const DurationSketch& other) {
  if (other.count_ == 0) return;
  if (!folded_ && !other.folded_ &&
      samples_.size() + other.samples_.size() <= static_cast<size_t>(kExactLimit)) {
    samples_.insert(samples_.end(), other.samples_.begin(), other.samples_.end());
    sorted_ = false;
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
  auto at = [&](int64_t rank) -> double {
    if (!folded_) return static_cast<double>(samples_[rank]);
    int64_t seen = 0;
    for (size_t b = 0; b < buckets_.size(); ++b) {
      seen += buckets_[b];
      if (seen > rank) return Midpoint(offset_ + static_cast<int>(b));
    }
    return Midpoint(offset_ + static_cast<int>(buckets_.size()) - 1);
  };
  if (!folded_ && !sorted_) {
    std::sort(samples_.begin(), samples_.end());
    sorted_ = true;
  }
  const double a = at(lo), b = at(hi);
  return a + (b - a) * (h - lo);
}

using metrics_internal::GetInt;
using metrics_internal::PutInt;

void DurationSketch::AppendTo(std::string* out) const {
  PutInt(out, count_);
  PutInt(out, sum_);
  PutInt(out, folded_ ? 1 : 0);
  if (!folded_) {
    PutInt(out, static_cast<int64_t>(samples_.size()));
    for (int64_t v : samples_) PutInt(out, v);
  } else {
    PutInt(out, offset_);
    PutInt(out, static_cast<int64_t>(buckets_.size()));
    for (uint32_t b : buckets_) PutInt(out, b);
  }
}

bool DurationSketch::ReadFrom(std::string_view* in) {
  int64_t folded = 0, n = 0;
  if (!GetInt(in, &count_) || !GetInt(in, &sum_) || !GetInt(in, &folded) || count_ < 0)
    return false;
  folded_ = folded != 0;
  samples_.clear();
  buckets_.clear();
  sorted_ = false;
  if (!folded_) {
    if (!GetInt(in, &n) || n < 0 || n > kExactLimit || n != count_) return false;
    for (int64_t i = 0; i < n; ++i) {
      int64_t v;
      if (!GetInt(in, &v)) return false;
      samples_.push_back(v);
    }
    return true;
  }
  int64_t offset = 0;
  if (!GetInt(in, &offset) || !GetInt(in, &n) || n < 0 || n > (1 << 16)) return false;
  offset_ = static_cast<int>(offset);
  int64_t total = 0;
  for (int64_t i = 0; i < n; ++i) {
    int64_t v;
    if (!GetInt(in, &v) || v < 0) return false;
    buckets_.push_back(static_cast<uint32_t>(v));
    total += v;
  }
  return total == count_;
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
