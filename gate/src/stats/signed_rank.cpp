// gate/src/stats/signed_rank.cpp — the Wilcoxon signed-rank test, matching scipy 1.10.
#include "gate/stats/signed_rank.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "gate/error.hpp"

namespace gate::stats {
namespace {

// 1 - Φ(|z|) doubled, through erfc: a small p-value keeps its digits where
// 1 - erf would lose them all.
double two_sided_normal_p(double z) { return std::min(1.0, std::erfc(std::abs(z) / std::sqrt(2.0))); }

// counts[k] = the number of subsets of {1, …, n} whose sum is k: under the
// null each of the 2^n sign patterns is equally likely, and R+ is the sum of
// the ranks that got a plus. Counted in doubles: the counts are integers
// below 2^53 (exact) for n ≤ 50, and only lose digits, never overflow, beyond.
std::vector<double> subset_sum_counts(std::size_t n) {
  const std::size_t top = n * (n + 1) / 2;
  std::vector<double> counts(top + 1, 0.0);
  counts[0] = 1;
  std::size_t reach = 0;
  for (std::size_t rank = 1; rank <= n; ++rank) {
    reach += rank;
    for (std::size_t k = reach; k >= rank; --k) counts[k] += counts[k - rank];
  }
  return counts;
}

}  // namespace

SignedRankResult wilcoxon_signed_rank(std::span<const double> differences, SignedRankMethod method) {
  for (std::size_t i = 0; i < differences.size(); ++i) {
    if (!std::isfinite(differences[i])) {
      throw Error(fmt::format("computing the wilcoxon signed-rank test: difference {} is {}", i,
                              std::isnan(differences[i]) ? "nan" : differences[i] > 0 ? "inf" : "-inf"));
    }
  }
  // Zero differences say nothing about the direction; like scipy's default
  // zero_method='wilcox' they are dropped before ranking.
  std::vector<double> d;
  d.reserve(differences.size());
  for (double x : differences) {
    if (x != 0) d.push_back(x);
  }
  const bool had_zeros = d.size() != differences.size();
  SignedRankResult out;
  out.n = d.size();
  if (d.empty()) return out;

  // Ranks of |d|, ties sharing the mean of the ranks they span.
  std::vector<std::size_t> order(d.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return std::abs(d[a]) < std::abs(d[b]); });
  std::vector<double> rank(d.size());
  double tie_term = 0;  // Σ t(t² − 1) over groups of t equal |d|
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i + 1;
    while (j < order.size() && std::abs(d[order[j]]) == std::abs(d[order[i]])) ++j;
    const double shared = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k) rank[order[k]] = shared;
    const auto t = static_cast<double>(j - i);
    tie_term += t * (t * t - 1);
    i = j;
  }
  for (std::size_t i = 0; i < d.size(); ++i) (d[i] > 0 ? out.r_plus : out.r_minus) += rank[i];
  out.statistic = std::min(out.r_plus, out.r_minus);

  const auto n = static_cast<double>(d.size());
  bool exact = method == SignedRankMethod::exact;
  if (method == SignedRankMethod::automatic) exact = d.size() <= 50 && !had_zeros && tie_term == 0;
  out.exact = exact;

  if (exact) {
    const std::vector<double> counts = subset_sum_counts(d.size());
    const double total = std::ldexp(1.0, static_cast<int>(d.size()));  // 2^n sign patterns
    // With ties R+ can be a half; scipy truncates it to an integer.
    const auto r = static_cast<std::size_t>(out.r_plus);
    const std::size_t centre = (counts.size() - 1) / 2;
    if (r == centre) {
      out.p_value = 1;
      return out;
    }
    double below = 0;  // count of R+ ≤ r
    double above = 0;  // count of R+ ≥ r
    for (std::size_t k = 0; k < counts.size(); ++k) {
      if (k <= r) below += counts[k];
      if (k >= r) above += counts[k];
    }
    out.p_value = std::clamp(2 * std::min(below, above) / total, 0.0, 1.0);
    return out;
  }

  const double mean = n * (n + 1) / 4;
  const double variance = (n * (n + 1) * (2 * n + 1) - 0.5 * tie_term) / 24;
  if (!(variance > 0)) return out;  // unreachable with n ≥ 1, kept as the guard against a zero divide
  // Continuity correction towards the mean, as scipy's correction=True.
  const double shift = out.statistic > mean ? 0.5 : out.statistic < mean ? -0.5 : 0.0;
  const double z = (out.statistic - mean - shift) / std::sqrt(variance);
  out.p_value = two_sided_normal_p(z);
  return out;
}

}  // namespace gate::stats
