// gate/include/gate/stats/signed_rank.hpp — the Wilcoxon signed-rank test: the
// paired test that same-job A/B runs are judged by (gate/ab.hpp).
#pragma once

#include <cstddef>
#include <span>

namespace gate::stats {

/// How wilcoxon_signed_rank() turns the rank sums into a p-value; the names
/// follow scipy's `method`/`mode` argument.
enum class SignedRankMethod {
  automatic,   ///< exact when at most 50 differences remain, none of them zero and no two |d| equal;
               ///< asymptotic otherwise
  exact,       ///< the exact null distribution of R+ (R+ truncated to an integer, as scipy does with ties)
  asymptotic,  ///< the normal approximation with tie correction and continuity correction
};

/// What wilcoxon_signed_rank() found.
struct SignedRankResult {
  double r_plus = 0;    ///< sum of the ranks of |d| over the positive differences
  double r_minus = 0;   ///< sum over the negative differences
  double statistic = 0; ///< min(r_plus, r_minus), scipy's two-sided statistic
  double p_value = 1;   ///< the two-sided p-value, in [0, 1]
  std::size_t n = 0;    ///< differences used: the non-zero ones
  bool exact = false;   ///< true when the exact distribution gave p_value
};

/// The two-sided Wilcoxon signed-rank test of "the differences are
/// symmetric about zero" (for A/B: the log ratios log(head/base) of the
/// rounds). Zero differences are dropped before ranking (scipy's
/// zero_method='wilcox'); tied |d| share the mean of their ranks.
///  - exact: p = 2·min(P(R+ ≤ r), P(R+ ≥ r)) under the null, capped at 1,
///    and 1 when r is the centre of the distribution — equal to
///    scipy.stats.wilcoxon(d, alternative='two-sided', method='exact') of
///    scipy 1.10 for differences without zeros.
///  - asymptotic: z = (T − n(n+1)/4 − ½·sign(T − n(n+1)/4)) / σ with
///    σ² = (n(n+1)(2n+1) − ½·Σ t(t²−1)) / 24 over the groups of t tied |d|,
///    p = 2·(1 − Φ(|z|)) — equal to scipy.stats.wilcoxon(d,
///    alternative='two-sided', method='approx', correction=True).
///  - automatic: exact for at most 50 differences without zeros and ties,
///    asymptotic otherwise (scipy's 'auto' would stay exact with ties, which
///    its exact distribution does not allow for).
/// When every difference is zero, or none is given, nothing speaks against
/// the null: n = 0 and p = 1. A NaN or infinite difference throws
/// gate::Error ("computing the wilcoxon signed-rank test: difference 3 is
/// nan"). The exact distribution is counted in doubles, exactly for n ≤ 50.
[[nodiscard]] SignedRankResult wilcoxon_signed_rank(std::span<const double> differences,
                                                    SignedRankMethod method = SignedRankMethod::automatic);

}  // namespace gate::stats
