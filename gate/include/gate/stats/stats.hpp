// gate/include/gate/stats/stats.hpp — the statistics the gate judges with: location, spread, tests, false discovery rate.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace gate::stats {

// Input contract shared by every function that takes samples below, unless it
// says otherwise: the samples must be non-empty and finite. An empty span, a
// NaN or an infinity throws gate::Error ("computing the median: no samples",
// "computing the mean: sample 3 is nan"). The gate must never judge nothing
// or judge a broken measurement: a NaN that slipped into a median would make
// every comparison with it false, and so quietly pass. Callers that know the
// benchmark's name should check for these cases first and say more.
// The samples need not be sorted; no function modifies them.

/// The median: the middle value, or the mean of the two middle values for an
/// even count. Equal to percentile(samples, 50) exactly.
[[nodiscard]] double median(std::span<const double> samples);

/// The arithmetic mean.
[[nodiscard]] double mean(std::span<const double> samples);

/// The sample standard deviation (divisor n - 1, Bessel's correction).
/// Needs at least two samples: one sample says nothing about spread, so
/// fewer throw gate::Error rather than report a spread of zero.
[[nodiscard]] double stddev(std::span<const double> samples);

/// The median absolute deviation from the median, unscaled:
/// median(|x_i - median(x)|).
[[nodiscard]] double mad(std::span<const double> samples);

/// mad() scaled to estimate the standard deviation of normal data:
/// mad / Φ⁻¹(3/4) = 1.482602218505602 · mad (scipy's scale='normal').
[[nodiscard]] double mad_sigma(std::span<const double> samples);

/// The coefficient of variation: stddev / |mean|, a spread relative to the
/// location (0.1 means 10%). Needs at least two samples (as stddev). When the
/// samples do not vary it is 0, whatever the mean; when they vary around a
/// mean of exactly zero it is +infinity.
[[nodiscard]] double cv(std::span<const double> samples);

/// The robust coefficient of variation: mad_sigma / |median|, the relative
/// spread that one outlier cannot inflate. 0 when mad is 0, whatever the
/// median; +infinity when mad > 0 and the median is exactly zero.
[[nodiscard]] double robust_cv(std::span<const double> samples);

/// The smallest sample.
[[nodiscard]] double min(std::span<const double> samples);

/// The largest sample.
[[nodiscard]] double max(std::span<const double> samples);

/// The p-th percentile, p in [0, 100], by linear interpolation between the
/// closest ranks (Hyndman & Fan type 7, NumPy's default 'linear' method): with
/// the samples sorted as x_0 ≤ … ≤ x_{n-1} and h = (n - 1)·p/100, the result
/// is x_⌊h⌋ + (h - ⌊h⌋)·(x_⌊h⌋+1 - x_⌊h⌋). So p = 0 is the minimum, p = 100 the
/// maximum and p = 50 the median. A p outside [0, 100] or NaN throws
/// gate::Error.
[[nodiscard]] double percentile(std::span<const double> samples, double p);

/// How mann_whitney_u() turns U into a p-value; the names follow scipy's
/// `method` argument.
enum class MannWhitneyMethod {
  automatic,   ///< scipy's 'auto': exact when either sample has at most 8 values and no value repeats
               ///< (in either sample or across them); asymptotic otherwise
  exact,       ///< the exact null distribution of U, without tie correction
  asymptotic,  ///< the normal approximation with tie correction and continuity correction
};

/// What mann_whitney_u() found.
struct MannWhitneyResult {
  double u = 0;        ///< U of the first sample, as scipy's U1: the number of pairs (x_i, y_j) with
                       ///< x_i > y_j, ties counting one half; U2 = n_x·n_y - u
  double p_value = 1;  ///< the two-sided p-value, in [0, 1]
  bool exact = false;  ///< true when the exact distribution gave p_value, false for the normal approximation
};

/// The two-sided Mann–Whitney U test of "x and y come from the same
/// distribution". The p-value equals scipy.stats.mannwhitneyu(x, y,
/// alternative='two-sided', method=<method>) of scipy 1.10 with its default
/// use_continuity=True, to within about 1e-12 relative:
///  - exact: p = 2·P(U ≤ min(U1, U2)) under the null, capped at 1. Ties are
///    not corrected for; like scipy, U is truncated to an integer first.
///  - asymptotic: z = (max(U1, U2) - n_x·n_y/2 - 1/2) / σ, with σ corrected
///    for ties, and p = 2·(1 - Φ(z)) capped at 1. When every value is the same
///    σ is zero and p is 1: identical samples are no evidence of a change.
/// The exact distribution is counted in doubles (no overflow for samples far
/// beyond 30 values each) and cached per thread by sample sizes, so repeated
/// calls with the same sizes cost only the ranking, O((n_x + n_y) log(n_x + n_y)).
/// Both samples must follow the input contract above: empty samples, NaN or
/// infinity throw gate::Error.
[[nodiscard]] MannWhitneyResult mann_whitney_u(std::span<const double> x, std::span<const double> y,
                                               MannWhitneyMethod method = MannWhitneyMethod::automatic);

/// What welch_t_test() found.
struct WelchResult {
  double t = 0;        ///< (mean1 - mean2) / √(s1²/n1 + s2²/n2)
  double df = 0;       ///< the Welch–Satterthwaite degrees of freedom (not an integer in general)
  double p_value = 1;  ///< the two-sided p-value, in [0, 1]
};

/// Welch's two-sided t-test from summary statistics, for results that hold
/// only aggregates (mean, sample standard deviation, count) and no
/// repetitions. It assumes normal samples, which timings are not: prefer
/// mann_whitney_u() whenever the samples exist. The p-value equals
/// scipy.stats.ttest_ind_from_stats(mean1, stddev1, n1, mean2, stddev2, n2,
/// equal_var=False) of scipy 1.10 to within about 1e-12 relative, except where
/// both standard deviations are 0: scipy returns NaN for equal means, this
/// returns t = 0 and p = 1 (no difference at all); for different means both
/// give t = ±infinity and p = 0 (a difference without any noise).
/// Throws gate::Error for a count below 2, a negative standard deviation or a
/// value that is not finite.
[[nodiscard]] WelchResult welch_t_test(double mean1, double stddev1, std::size_t n1, double mean2, double stddev2,
                                       std::size_t n2);

/// Benjamini–Hochberg adjusted p-values (q-values), in the order of the input:
/// with the p-values sorted as p_(1) ≤ … ≤ p_(m),
/// q_(i) = min(1, min over j ≥ i of m/j · p_(j)). Rejecting every hypothesis
/// with q ≤ α controls the false discovery rate at α across the m tests.
/// Equal p-values get equal q-values. An empty input gives an empty result.
/// A NaN or a value outside [0, 1] throws gate::Error: a test that produced
/// no p-value must be left out of the family by the caller, not counted in m.
[[nodiscard]] std::vector<double> benjamini_hochberg(std::span<const double> p_values);

/// Two clusters found in a sample by bimodality(): the modes a median would
/// jump between.
struct Modes {
  double low = 0;              ///< median of the lower cluster
  double high = 0;             ///< median of the upper cluster
  std::size_t low_count = 0;   ///< samples in the lower cluster
  std::size_t high_count = 0;  ///< samples in the upper cluster
  double gap = 0;     ///< empty space between the clusters: the upper's smallest minus the lower's largest sample
  double within = 0;  ///< pooled standard deviation of the samples about their own cluster's mean
};

/// The thresholds of bimodality(); the defaults are what compare() uses.
struct BimodalityCriteria {
  /// Each cluster holds at least this many samples and at least
  /// `min_fraction` of them: fewer are outliers (a shared machine's slow
  /// repetitions), which the median already resists, not a mode.
  std::size_t min_cluster = 4;
  double min_fraction = 0.25;
  double min_gap = 4;         ///< the gap must exceed this many `within`
  double min_separation = 6;  ///< high - low must exceed this many `within`
  /// (high - low) / |low| must reach this: modes closer than 2% do not make
  /// a median meaningless.
  double min_relative_separation = 0.02;
};

/// Whether the samples split into two clusters, and which. The samples are
/// sorted and cut at the largest gap that leaves `min_cluster` (and
/// `min_fraction` of n) on each side; the sample is bimodal when that gap
/// and the distance between the clusters' medians are both large against
/// the spread within the clusters (see BimodalityCriteria). Returns the
/// modes when bimodal, std::nullopt otherwise, and always for fewer than
/// 2 · min_cluster samples. Input contract as above (non-empty, finite).
[[nodiscard]] std::optional<Modes> bimodality(std::span<const double> samples, const BimodalityCriteria& criteria = {});

}  // namespace gate::stats
