// gate/include/gate/stats/beyond_limit.hpp — the tests of the gate's question:
// "is the contender worse than its limit allows?", one-sided, against the
// limit rather than against "no change" (docs/statistics.md says why).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace gate::stats {

/// Which way is worse for the metric: higher for times, lower for rates.
enum class Worse { higher, lower };

/// What a limit test found.
struct LimitTest {
  /// The statistic: U for the unpaired tests (the pairs (allowed_i,
  /// contender_j) in which the contender is worse than the allowed value,
  /// a tie counting one half; summed over the strata of a stratified test),
  /// R+ for the paired test (the sum of the ranks of |d| over the pairs in
  /// which the contender is worse than allowed).
  double statistic = 0;
  /// The largest value the statistic could take on these samples: every
  /// contender value worse than every allowed one (n_allowed·n_contender for
  /// U without ties; n(n+1)/2 for R+).
  double most_extreme = 0;
  /// P(statistic ≥ observed) when the contender is exactly as bad as the
  /// limit allows, in [0, 1]. When it is better than that, the probability
  /// is smaller still: the test holds its level over the whole null "within
  /// the limit".
  double p_value = 1;
  /// The p-value of the most extreme outcome these samples allow: no result
  /// of this test on these sample sizes (and tie pattern) can be smaller.
  /// What visibility() compares with alpha/m.
  double smallest_p = 1;
  /// Samples used: baseline and contender for the unpaired tests; for the
  /// paired test both are the pairs whose log ratio is not exactly at the limit.
  std::size_t n_baseline = 0;
  std::size_t n_contender = 0;
  /// True when p_value comes from the exact (conditional) null distribution,
  /// false for the normal approximation beyond the exact sizes.
  bool exact = true;
};

/// The one-sided Mann–Whitney test of "the contender is worse than the
/// limit allows": H0: contender ≤st allowed (Worse::higher) or ≥st allowed
/// (Worse::lower), against the alternative that it is worse. `allowed[i]` is
/// the worst contender value the limit allows against baseline sample i —
/// what Limit::allowed(baseline[i], direction) gives: 1.1·x for "+10%" on a
/// time, 0.9·x on a rate, x + 30 for "+30ns". Under the boundary of H0 the
/// contender and the allowed values come from one distribution, so every
/// arrangement of the pooled ranks is equally likely and the p-value is
/// exact:
///  - without ties, from the distribution of U for these sizes (cached), for
///    n_allowed·n_contender ≤ 10,000;
///  - with ties, from the distribution conditional on the tie groups
///    (midranks), for n_allowed·n_contender ≤ 900;
///  - beyond, from the normal approximation with tie and continuity
///    correction, which is conservative in the far tail.
/// Samples of equal values on both sides give p = 1 (nothing is worse).
/// Empty samples, NaN or infinity throw gate::Error.
[[nodiscard]] LimitTest unpaired_beyond_limit(std::span<const double> allowed, std::span<const double> contender,
                                              Worse worse);

/// The same with a relative limit: allowed = baseline·(1 + limit) when
/// higher is worse, baseline·(1 − limit) when lower is worse (Limit's
/// meaning of "+10%" on a time and on a rate). `limit` ≥ 0, finite.
[[nodiscard]] LimitTest unpaired_beyond_limit(std::span<const double> baseline, std::span<const double> contender,
                                              Worse worse, double limit);

/// One stratum of a stratified test: allowed values and contender samples
/// that belong together (one mode of a bimodal benchmark, see modes.hpp).
struct StratumSamples {
  std::span<const double> allowed;
  std::span<const double> contender;
};

/// The stratified form of unpaired_beyond_limit(): U summed over strata,
/// each stratum's arrangements equally likely on their own, so the null
/// distribution is the convolution of the strata's (exact when every
/// stratum is within the exact sizes, normal otherwise). Comparing like with
/// like: the fast mode of the contender with the fast mode of the baseline.
/// A stratum with no samples on one side is skipped (it carries no
/// comparison); no stratum left gives statistic 0, p = 1, smallest_p = 1.
/// NaN or infinity throw gate::Error.
[[nodiscard]] LimitTest stratified_beyond_limit(std::span<const StratumSamples> strata, Worse worse);

/// The one-sided Wilcoxon signed-rank test of paired samples against the
/// limit: d_i = log(contender_i / allowed_i) (Worse::higher) or
/// log(allowed_i / contender_i) (Worse::lower), H0: the d_i are symmetric
/// about a centre ≤ 0, against "worse than allowed". Pairs exactly at the
/// limit (d_i = 0) are dropped (Wilcoxon's zero method), ties among |d_i|
/// share midranks and the exact distribution is conditional on them (up to
/// 100 pairs with ties, 400 without); beyond, the normal approximation.
/// The sizes must match; every value must be positive and finite (a ratio of
/// a zero or negative value means nothing): gate::Error otherwise. No pair
/// left after dropping zeros gives p = 1 and smallest_p = 1.
[[nodiscard]] LimitTest paired_beyond_limit(std::span<const double> allowed, std::span<const double> contender,
                                            Worse worse);

/// The same with a relative limit, as for unpaired_beyond_limit().
[[nodiscard]] LimitTest paired_beyond_limit(std::span<const double> baseline, std::span<const double> contender,
                                            Worse worse, double limit);

/// P(U ≥ u) under the null of unpaired_beyond_limit() for these sizes
/// without ties: the p-value that test gives when its statistic is u (exact
/// for n_baseline·n_contender ≤ 10,000, the normal approximation beyond).
/// 1 for u ≤ 0 or a size of 0; 0 beyond n_baseline·n_contender.
[[nodiscard]] double unpaired_p_at(std::size_t n_baseline, std::size_t n_contender, double u);

/// The smallest p-value unpaired_beyond_limit() can give for these sizes
/// without ties, at complete separation: 1/C(n_baseline + n_contender,
/// n_contender) where exact. 1 when a size is 0.
[[nodiscard]] double unpaired_smallest_p(std::size_t n_baseline, std::size_t n_contender);

/// P(R+ ≥ r) under the null of paired_beyond_limit() for this many pairs
/// without ties or zeros (exact up to 400 pairs, normal beyond). 1 for r ≤ 0
/// or no pairs; 0 beyond pairs·(pairs + 1)/2.
[[nodiscard]] double paired_p_at(std::size_t pairs, double r_plus);

/// The smallest p-value paired_beyond_limit() can give for this many pairs
/// without ties or zeros: 2^−pairs where exact. 1 for no pairs.
[[nodiscard]] double paired_smallest_p(std::size_t pairs);

/// The allowed values of a relative limit, as the overloads above compute
/// them: x·(1 + limit) when higher is worse, x·(1 − limit) when lower is.
[[nodiscard]] std::vector<double> allowed_by_relative_limit(std::span<const double> baseline, Worse worse,
                                                            double limit);

}  // namespace gate::stats
