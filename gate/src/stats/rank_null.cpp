// gate/src/stats/rank_null.cpp — exact null distributions of U and of the
// signed-rank sum, by counting arrangements.
#include "rank_null.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace gate::stats::detail {

double NullDistribution::upper_tail(std::size_t k) const {
  if (k >= weight.size()) return 0;
  // Smallest terms first: the far tail is where the digits matter, and
  // adding the large middle first would swallow them.
  double sum = 0;
  for (std::size_t i = weight.size(); i-- > k;) sum += weight[i];
  return std::min(1.0, sum / total);
}

std::size_t NullDistribution::top() const {
  std::size_t k = weight.size();
  while (k > 0 && weight[k - 1] == 0) --k;
  return k == 0 ? 0 : k - 1;
}

namespace {

// C(n, k) as a double: each partial product is itself a binomial
// coefficient, so it is exact while below 2^53 and within rounding beyond.
double binomial(std::size_t n, std::size_t k) {
  k = std::min(k, n - k);
  double c = 1;
  for (std::size_t i = 1; i <= k; ++i) c = c * static_cast<double>(n - k + i) / static_cast<double>(i);
  return c;
}

// Mann and Whitney's recurrence (1947): with i contender values and j others,
// the largest value is either a contender's, which then exceeds all j others,
// or another's: f(i, j, k) = f(i−1, j, k−j) + f(i, j−1, k). Counted in doubles:
// every step adds non-negative numbers, so the relative error stays within
// (m + n) roundings, and C(200, 100) ≈ 9e58 is far from overflowing.
NullDistribution count_u(std::size_t m, std::size_t n) {
  // The distribution is the same for (m, n) and (n, m); fewer rows for the smaller.
  const std::size_t rows = std::min(m, n);
  const std::size_t cols = std::max(m, n);
  const std::size_t width = m * n + 1;
  std::vector<double> f((rows + 1) * width, 0.0);
  for (std::size_t i = 0; i <= rows; ++i) f[i * width] = 1;  // j = 0: only U = 0
  for (std::size_t j = 1; j <= cols; ++j) {
    // Ascending i: row i−1 already holds f(i−1, j, ·); row i still holds
    // f(i, j−1, ·) and gains the first term.
    for (std::size_t i = 1; i <= rows; ++i) {
      double* row = &f[i * width];
      const double* below = &f[(i - 1) * width];
      for (std::size_t k = i * j; k >= j; --k) row[k] += below[k - j];
    }
  }
  NullDistribution d;
  d.weight.assign(f.begin() + static_cast<std::ptrdiff_t>(rows * width), f.end());
  d.total = binomial(m + n, n);
  return d;
}

// Subset sums: weight[s] = the number of subsets of `values` summing to s.
NullDistribution count_subset_sums(std::span<const std::size_t> values) {
  std::size_t reach = 0;
  for (std::size_t v : values) reach += v;
  NullDistribution d;
  d.weight.assign(reach + 1, 0.0);
  d.weight[0] = 1;
  std::size_t so_far = 0;
  for (std::size_t v : values) {
    so_far += v;
    // Descending, so that each value is used at most once.
    for (std::size_t s = so_far; s >= v && s > 0; --s) d.weight[s] += d.weight[s - v];
  }
  d.total = 1;
  for (std::size_t i = 0; i < values.size(); ++i) d.total *= 2;
  return d;
}

}  // namespace

const NullDistribution& u_without_ties(std::size_t m, std::size_t n) {
  thread_local std::map<std::pair<std::size_t, std::size_t>, NullDistribution> cache;
  auto key = std::pair{m, n};
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, count_u(m, n)).first;
  return it->second;
}

double u_top_probability(std::size_t m, std::size_t n) { return std::min(1.0, 1.0 / binomial(m + n, n)); }

NullDistribution u_with_ties(std::span<const std::size_t> group_sizes, std::size_t n) {
  std::size_t pooled = 0;
  for (std::size_t t : group_sizes) pooled += t;
  const std::size_t m = pooled - n;
  const std::size_t width = 2 * m * n + 1;
  // dp[k·width + s]: ways to place k contender values among the groups seen
  // so far with 2·U = s. Only s in [lo[k], hi[k]] can be non-zero: the
  // loops stay within that band, which is narrow for the first groups.
  std::vector<double> dp((n + 1) * width, 0.0);
  std::vector<std::size_t> lo(n + 1, width);
  std::vector<std::size_t> hi(n + 1, 0);
  dp[0] = 1;
  lo[0] = 0;
  std::size_t before = 0;  // pooled values in the groups already placed
  for (std::size_t t : group_sizes) {
    // Descending k: a state moves only to a larger k (c ≥ 1) or stays (c = 0),
    // so every state is read before anything is added to it.
    for (std::size_t k = std::min(n, before) + 1; k-- > 0;) {
      if (lo[k] > hi[k]) continue;  // no way to have placed k so far
      const std::size_t others_before = before - k;
      if (others_before > m) continue;  // more others than exist: an empty state
      const double* from = &dp[k * width];
      for (std::size_t c = 1; c <= t && k + c <= n; ++c) {
        // c contender values in this group beat every other value before it
        // (2 each in doubled units) and tie with the group's t − c others
        // (1 each); C(t, c) ways to choose which of the group they are.
        const std::size_t shift = 2 * c * others_before + c * (t - c);
        const double ways = binomial(t, c);
        double* to = &dp[(k + c) * width + shift];
        for (std::size_t s = lo[k]; s <= hi[k]; ++s) to[s] += ways * from[s];
        lo[k + c] = std::min(lo[k + c], lo[k] + shift);
        hi[k + c] = std::max(hi[k + c], hi[k] + shift);
      }
    }
    before += t;
  }
  NullDistribution d;
  d.weight.assign(dp.begin() + static_cast<std::ptrdiff_t>(n * width), dp.end());
  d.total = binomial(pooled, n);
  return d;
}

const NullDistribution& signed_rank_without_ties(std::size_t n) {
  thread_local std::map<std::size_t, NullDistribution> cache;
  auto it = cache.find(n);
  if (it == cache.end()) {
    std::vector<std::size_t> ranks(n);
    for (std::size_t i = 0; i < n; ++i) ranks[i] = i + 1;
    it = cache.emplace(n, count_subset_sums(ranks)).first;
  }
  return it->second;
}

NullDistribution signed_rank_with_ties(std::span<const std::size_t> doubled_ranks) {
  return count_subset_sums(doubled_ranks);
}

NullDistribution convolve(const NullDistribution& a, const NullDistribution& b) {
  NullDistribution d;
  d.weight.assign(a.weight.size() + b.weight.size() - 1, 0.0);
  for (std::size_t i = 0; i < a.weight.size(); ++i) {
    if (a.weight[i] == 0) continue;
    const double pa = a.weight[i] / a.total;
    for (std::size_t j = 0; j < b.weight.size(); ++j) d.weight[i + j] += pa * (b.weight[j] / b.total);
  }
  d.total = 1;
  return d;
}

}  // namespace gate::stats::detail
