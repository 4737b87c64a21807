// gate/src/stats/rank_null.hpp — exact null distributions of the rank
// statistics the limit tests use: Mann–Whitney's U (with and without ties),
// the Wilcoxon signed-rank sum, and sums of independent statistics (strata).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace gate::stats::detail {

/// A distribution over the integers 0 … weight.size() − 1: P(S = k) =
/// weight[k] / total. Counts of arrangements are kept as counts (total =
/// their number) so that a far tail is a sum of a few small integers and
/// keeps every digit; a convolution keeps probabilities (total = 1).
struct NullDistribution {
  std::vector<double> weight;
  double total = 1;

  /// P(S ≥ k), summed from the top so that the smallest terms come first.
  /// 0 for k beyond the support, 1 for k ≤ 0.
  [[nodiscard]] double upper_tail(std::size_t k) const;
  /// The largest k with a non-zero weight.
  [[nodiscard]] std::size_t top() const;
};

/// U of a contender sample of size n against m others, without ties: the
/// number of (other, contender) pairs in which the contender's value is the
/// larger, under "every arrangement of the pooled ranks is equally likely".
/// Support 0 … m·n, weight = counts of arrangements, total = C(m + n, n).
/// Cached per thread by (m, n): a comparison asks for the same sizes for
/// every benchmark. m·n must be at most k_exact_pairs.
[[nodiscard]] const NullDistribution& u_without_ties(std::size_t m, std::size_t n);

/// P(U = m·n) without ties: 1 / C(m + n, n), the one arrangement that puts
/// every contender value above every other. The same double as
/// u_without_ties(m, n).upper_tail(m·n), without counting the arrangements
/// below it (for m = n = 100 that count costs 25 million additions and
/// 8 MB): what a comparison asks for sizes it does not test at, to say
/// how many repetitions would let it see.
[[nodiscard]] double u_top_probability(std::size_t m, std::size_t n);

/// The same with ties, conditional on the pooled values: `group_sizes` are
/// the sizes of the groups of equal values in ascending order of value (1
/// for a value that occurs once), `n` of the pooled values belong to the
/// contender. The statistic is 2·U (a tie counts one half, so 2·U is an
/// integer), support 0 … 2·m·n with m = Σ group_sizes − n. Cost about
/// (m + n) · n · 2mn additions: the caller keeps m·n at most
/// k_exact_pairs_with_ties.
[[nodiscard]] NullDistribution u_with_ties(std::span<const std::size_t> group_sizes, std::size_t n);

/// R+ of the signed-rank test of n differences without ties or zeros: the
/// sum of the ranks 1 … n whose difference is positive, under "every sign
/// pattern is equally likely". Support 0 … n(n+1)/2, total = 2^n. Cached
/// per thread by n; n at most k_exact_signs.
[[nodiscard]] const NullDistribution& signed_rank_without_ties(std::size_t n);

/// The same conditional on tied |d|: `doubled_ranks` are twice the (mid)ranks
/// of the differences (integers), in any order. The statistic is 2·R+,
/// support 0 … Σ doubled_ranks, total = 2^n. n at most k_exact_signs_with_ties.
[[nodiscard]] NullDistribution signed_rank_with_ties(std::span<const std::size_t> doubled_ranks);

/// The distribution of S1 + S2 for independent S1 and S2 (probabilities:
/// total = 1).
[[nodiscard]] NullDistribution convolve(const NullDistribution& a, const NullDistribution& b);

/// Size limits of the exact computations, beyond which the tests use the
/// normal approximation (whose far tail is then already below 1e-17).
inline constexpr std::size_t k_exact_pairs = 10'000;           // m·n without ties (100 against 100)
inline constexpr std::size_t k_exact_pairs_with_ties = 900;    // m·n with ties (30 against 30)
inline constexpr std::size_t k_exact_signs = 400;              // differences without ties
inline constexpr std::size_t k_exact_signs_with_ties = 100;    // differences with ties

}  // namespace gate::stats::detail
