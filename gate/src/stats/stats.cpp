// gate/src/stats/stats.cpp — location, spread, percentiles, Mann–Whitney U, Welch, Benjamini–Hochberg.
#include "gate/stats/stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "gate/error.hpp"

namespace gate::stats {
namespace {

// 1 / Φ⁻¹(3/4): the factor that makes the MAD of normal data estimate its
// standard deviation (scipy.stats.norm.ppf(0.75) = 0.6744897501960817).
constexpr double mad_to_sigma = 1.482602218505602;

// 1/√2, to the digits cephes uses.
constexpr double sqrt_half = 0.70710678118654752440;

// Throws for the inputs the header's contract refuses. `which` names the
// sample set when a function takes two ("x", "y"), empty otherwise.
void check_samples(std::span<const double> samples, std::string_view doing, std::string_view which = {}) {
  const std::string of = which.empty() ? std::string() : fmt::format(" of {}", which);
  if (samples.empty()) {
    throw Error(fmt::format("computing {}: no samples{}", doing, of));
  }
  for (std::size_t i = 0; i < samples.size(); ++i) {
    if (!std::isfinite(samples[i])) {
      throw Error(fmt::format("computing {}: sample {}{} is {}", doing, i, of,
                              std::isnan(samples[i]) ? "nan" : samples[i] > 0 ? "inf" : "-inf"));
    }
  }
}

std::vector<double> sorted_copy(std::span<const double> samples) {
  std::vector<double> sorted(samples.begin(), samples.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

// Type 7 on sorted, checked samples. std::lerp rather than a + t·(b - a):
// it is exact at t = 0 and 1 and cannot overflow when a and b have opposite
// signs of huge magnitude.
double percentile_of_sorted(const std::vector<double>& sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p / 100.0;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) {
    return sorted.back();
  }
  return std::lerp(sorted[lo], sorted[lo + 1], h - static_cast<double>(lo));
}

double mean_of_checked(std::span<const double> samples) {
  return std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(samples.size());
}

// Two passes (mean, then squared deviations) rather than the sum-of-squares
// shortcut, which loses every digit when the spread is small next to the mean
// — the usual case for timings.
double stddev_of_checked(std::span<const double> samples, std::string_view doing) {
  if (samples.size() < 2) {
    throw Error(fmt::format("computing {}: needs at least 2 samples, got {}", doing, samples.size()));
  }
  const double m = mean_of_checked(samples);
  double squares = 0;
  for (double v : samples) {
    squares += (v - m) * (v - m);
  }
  return std::sqrt(squares / static_cast<double>(samples.size() - 1));
}

double mad_of_checked(std::span<const double> samples) {
  const double centre = percentile_of_sorted(sorted_copy(samples), 50);
  std::vector<double> deviations;
  deviations.reserve(samples.size());
  for (double v : samples) {
    deviations.push_back(std::abs(v - centre));
  }
  std::sort(deviations.begin(), deviations.end());
  return percentile_of_sorted(deviations, 50);
}

// spread / |location|, with the two conventions the header promises for a
// location of zero.
double relative(double spread, double location) {
  if (spread == 0) {
    return 0;
  }
  if (location == 0) {
    return std::numeric_limits<double>::infinity();
  }
  return spread / std::abs(location);
}

// The upper tail of the standard normal, 1 - Φ(z), computed as scipy 1.10
// does (stats.norm.sf(z) = special.ndtr(-z), cephes' ndtr): erf near the
// centre, erfc in the tails, where 1 - erf would lose every digit.
double normal_sf(double z) {
  const double x = -z * sqrt_half;
  const double ax = std::abs(x);
  if (ax < sqrt_half) {
    return 0.5 + 0.5 * std::erf(x);
  }
  const double tail = 0.5 * std::erfc(ax);
  return x > 0 ? 1.0 - tail : tail;
}

// The null distribution of U for sample sizes (m, n): cdf[k] = P(U ≤ k) for
// k = 0 … ⌈m·n/2⌉, which is all a two-sided test needs (it reads the smaller
// of U1 and U2). The counts of arrangements with U = k follow Mann and
// Whitney's recurrence f(i, j, k) = f(i-1, j, k-j) + f(i, j-1, k), the one
// scipy uses. They are counted in doubles: every step adds non-negative
// numbers, so the relative error stays within (m + n) rounding errors, and
// they cannot overflow (C(60, 30) ≈ 1.2e17; doubles reach 1e308).
std::vector<double> exact_u_cdf(std::size_t m, std::size_t n) {
  if (m > n) {
    std::swap(m, n);  // f(m, n, k) = f(n, m, k); the smaller m needs fewer rows
  }
  const std::size_t k_max = (m * n + 1) / 2;
  const std::size_t width = k_max + 1;
  // Row i holds f(i, j, ·) for the current j; rows start at j = 0, where only
  // U = 0 is possible.
  std::vector<double> f((m + 1) * width, 0.0);
  for (std::size_t i = 0; i <= m; ++i) {
    f[i * width] = 1;
  }
  for (std::size_t j = 1; j <= n; ++j) {
    // Ascending i: row i-1 already holds f(i-1, j, ·), as the recurrence
    // needs; row i still holds f(i, j-1, ·) and gains the second term.
    for (std::size_t i = 1; i <= m; ++i) {
      double* row = &f[i * width];
      const double* below = &f[(i - 1) * width];
      const std::size_t top = std::min(k_max, i * j);
      for (std::size_t k = top; k >= j; --k) {
        row[k] += below[k - j];
      }
    }
  }
  // C(m + n, m): each partial product is itself a binomial coefficient, so
  // it stays exact while below 2^53 and within rounding errors beyond.
  double arrangements = 1;
  for (std::size_t i = 1; i <= m; ++i) {
    arrangements = arrangements * static_cast<double>(n + i) / static_cast<double>(i);
  }
  std::vector<double> cdf(width);
  double running = 0;
  for (std::size_t k = 0; k < width; ++k) {
    running += f[m * width + k];
    cdf[k] = running / arrangements;
  }
  return cdf;
}

// A comparison asks for the same sample sizes thousands of times (every
// benchmark has the same repetitions), so each thread keeps the distributions
// it has computed. Entries are small (⌈m·n/2⌉ + 1 doubles); the bound only
// guards against a caller that walks through every size.
const std::vector<double>& cached_exact_u_cdf(std::size_t m, std::size_t n) {
  thread_local std::map<std::pair<std::size_t, std::size_t>, std::vector<double>> cache;
  const auto key = std::minmax(m, n);
  auto it = cache.find(key);
  if (it == cache.end()) {
    if (cache.size() >= 256) {
      cache.clear();
    }
    it = cache.emplace(key, exact_u_cdf(m, n)).first;
  }
  return it->second;
}

// The continued fraction of the regularized incomplete beta function
// I_x(a, b), evaluated by the modified Lentz method; it converges fast for
// x < (a + 1)/(a + b + 2). y = 1 - x comes separately so that callers who
// know it more precisely than 1 - x (the t distribution near its centre)
// keep their digits.
double incomplete_beta_fraction(double a, double b, double x, double y) {
  constexpr double tiny = 1e-300;  // keeps Lentz's quotients away from 0
  constexpr double epsilon = 1e-15;
  auto away_from_zero = [](double v) { return std::abs(v) < tiny ? tiny : v; };
  // The fraction is 1/(1 + d1/(1 + d2/(1 + …))) with
  //   d(2m+1) = -(a + m)(a + b + m)·x / ((a + 2m)(a + 2m + 1))
  //   d(2m)   = m(b - m)·x / ((a + 2m - 1)(a + 2m)).
  double c = 1;
  double d = 1 / away_from_zero(1 - (a + b) * x / (a + 1));
  double fraction = d;
  for (int m = 1; m <= 1000; ++m) {
    const double dm = m;
    const double even = dm * (b - dm) * x / ((a + 2 * dm - 1) * (a + 2 * dm));
    d = 1 / away_from_zero(1 + even * d);
    c = away_from_zero(1 + even / c);
    fraction *= d * c;
    const double odd = -(a + dm) * (a + b + dm) * x / ((a + 2 * dm) * (a + 2 * dm + 1));
    d = 1 / away_from_zero(1 + odd * d);
    c = away_from_zero(1 + odd / c);
    const double step = d * c;
    fraction *= step;
    if (std::abs(step - 1) < epsilon) {
      break;
    }
  }
  // x^a·y^b / (a·B(a, b)), in logarithms: the powers alone underflow for
  // the large t of a clear difference.
  const double log_front = a * std::log(x) + b * std::log(y) - (std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b));
  return std::exp(log_front) * fraction / a;
}

// I_x(a, b), from the side where the fraction converges: I_x(a, b) =
// 1 - I_y(b, a).
double incomplete_beta(double a, double b, double x, double y) {
  if (x <= 0) {
    return 0;
  }
  if (y <= 0) {
    return 1;
  }
  if (x > (a + 1) / (a + b + 2)) {
    return 1 - incomplete_beta_fraction(b, a, y, x);
  }
  return incomplete_beta_fraction(a, b, x, y);
}

// P(|T| ≥ |t|) for Student's t with df degrees of freedom:
// I_{df/(df + t²)}(df/2, 1/2), with 1 - x = t²/(df + t²) computed directly.
double t_two_sided_p(double t, double df) {
  if (t == 0) {
    return 1;
  }
  if (std::isinf(t)) {
    return 0;
  }
  const double t2 = t * t;
  return incomplete_beta(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

struct Ranked {
  double rank_sum_x = 0;       // R1: the sum of x's (mid)ranks in the pooled sample
  std::int64_t tie_term = 0;   // Σ (t³ - t) over groups of t equal values
  bool has_ties = false;
};

// Ranks the pooled samples, ties getting the mean of the ranks they span.
Ranked rank_pooled(std::span<const double> x, std::span<const double> y) {
  std::vector<std::pair<double, bool>> pooled;  // (value, belongs to x)
  pooled.reserve(x.size() + y.size());
  for (double v : x) {
    pooled.emplace_back(v, true);
  }
  for (double v : y) {
    pooled.emplace_back(v, false);
  }
  std::sort(pooled.begin(), pooled.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  Ranked ranked;
  for (std::size_t first = 0; first < pooled.size();) {
    std::size_t last = first + 1;  // one past the group of equal values
    std::size_t in_x = pooled[first].second ? 1 : 0;
    while (last < pooled.size() && pooled[last].first == pooled[first].first) {
      in_x += pooled[last].second ? 1 : 0;
      ++last;
    }
    // Ranks first+1 … last; their mean is a multiple of 1/2, exact in a double.
    const double mid_rank = static_cast<double>(first + 1 + last) / 2.0;
    ranked.rank_sum_x += static_cast<double>(in_x) * mid_rank;
    const auto t = static_cast<std::int64_t>(last - first);
    if (t > 1) {
      ranked.has_ties = true;
      ranked.tie_term += t * t * t - t;
    }
    first = last;
  }
  return ranked;
}

}  // namespace

double median(std::span<const double> samples) {
  check_samples(samples, "the median");
  return percentile_of_sorted(sorted_copy(samples), 50);
}

double mean(std::span<const double> samples) {
  check_samples(samples, "the mean");
  return mean_of_checked(samples);
}

double stddev(std::span<const double> samples) {
  check_samples(samples, "the standard deviation");
  return stddev_of_checked(samples, "the standard deviation");
}

double mad(std::span<const double> samples) {
  check_samples(samples, "the median absolute deviation");
  return mad_of_checked(samples);
}

double mad_sigma(std::span<const double> samples) {
  check_samples(samples, "the median absolute deviation");
  return mad_to_sigma * mad_of_checked(samples);
}

double cv(std::span<const double> samples) {
  check_samples(samples, "the coefficient of variation");
  return relative(stddev_of_checked(samples, "the coefficient of variation"), mean_of_checked(samples));
}

double robust_cv(std::span<const double> samples) {
  check_samples(samples, "the robust coefficient of variation");
  return relative(mad_to_sigma * mad_of_checked(samples), percentile_of_sorted(sorted_copy(samples), 50));
}

double min(std::span<const double> samples) {
  check_samples(samples, "the minimum");
  return *std::min_element(samples.begin(), samples.end());
}

double max(std::span<const double> samples) {
  check_samples(samples, "the maximum");
  return *std::max_element(samples.begin(), samples.end());
}

double percentile(std::span<const double> samples, double p) {
  check_samples(samples, "a percentile");
  if (!(p >= 0 && p <= 100)) {  // also refuses NaN
    throw Error(fmt::format("computing a percentile: 'p{}' is outside 0 to 100", p));
  }
  return percentile_of_sorted(sorted_copy(samples), p);
}

MannWhitneyResult mann_whitney_u(std::span<const double> x, std::span<const double> y, MannWhitneyMethod method) {
  constexpr std::string_view doing = "the mann-whitney u test";
  check_samples(x, doing, "x");
  check_samples(y, doing, "y");
  const Ranked ranked = rank_pooled(x, y);
  const auto n1 = static_cast<double>(x.size());
  const auto n2 = static_cast<double>(y.size());
  MannWhitneyResult result;
  result.u = ranked.rank_sum_x - n1 * (n1 + 1) / 2;
  const double u_max = std::max(result.u, n1 * n2 - result.u);

  // The exact distribution assumes no ties and is what scipy trusts for
  // small samples; with both samples above 8 the normal approximation is
  // close, and with ties only the approximation can account for them.
  if (method == MannWhitneyMethod::automatic) {
    const bool small = x.size() <= 8 || y.size() <= 8;
    method = small && !ranked.has_ties ? MannWhitneyMethod::exact : MannWhitneyMethod::asymptotic;
  }

  if (method == MannWhitneyMethod::exact) {
    result.exact = true;
    // P(U ≥ U_max) = P(U ≤ n1·n2 - U_max) by symmetry. U_max is truncated
    // as scipy does (it only has a half with ties, which the exact
    // distribution does not know about).
    const auto k = x.size() * y.size() - static_cast<std::size_t>(u_max);
    result.p_value = std::min(1.0, 2.0 * cached_exact_u_cdf(x.size(), y.size())[k]);
    return result;
  }

  // The order of operations follows scipy's, so that results agree to the
  // last few bits and not only to the printed digits.
  const double n = n1 + n2;
  const double variance =
      n1 * n2 / 12.0 * ((n + 1) - static_cast<double>(ranked.tie_term) / (n * (n - 1)));
  if (!(variance > 0)) {
    // Every value is the same: σ = 0, and scipy's z = -0.5/0 = -inf gives
    // p = 1. No evidence of any difference, said without dividing by zero.
    result.p_value = 1;
    return result;
  }
  // The continuity correction moves U half a step towards the mean: U is
  // discrete, the normal distribution continuous.
  const double z = (u_max - n1 * n2 / 2.0 - 0.5) / std::sqrt(variance);
  result.p_value = std::min(1.0, 2.0 * normal_sf(z));
  return result;
}

WelchResult welch_t_test(double mean1, double stddev1, std::size_t n1, double mean2, double stddev2,
                         std::size_t n2) {
  constexpr std::string_view doing = "computing welch's t-test";
  for (double v : {mean1, stddev1, mean2, stddev2}) {
    if (!std::isfinite(v)) {
      throw Error(fmt::format("{}: a mean or standard deviation is {}", doing, v));
    }
  }
  if (stddev1 < 0 || stddev2 < 0) {
    throw Error(fmt::format("{}: standard deviation {} is negative", doing, std::min(stddev1, stddev2)));
  }
  if (n1 < 2 || n2 < 2) {
    throw Error(fmt::format("{}: needs at least 2 samples a side, got {} and {}", doing, n1, n2));
  }
  const double vn1 = stddev1 * stddev1 / static_cast<double>(n1);
  const double vn2 = stddev2 * stddev2 / static_cast<double>(n2);
  WelchResult result;
  if (vn1 + vn2 == 0) {
    // No noise on either side: equal means are no difference at all, other
    // means a certain one. scipy says NaN for the first; NaN must not reach
    // a judgement.
    result.df = 1;
    result.t = mean1 == mean2 ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), mean1 - mean2);
    result.p_value = mean1 == mean2 ? 1.0 : 0.0;
    return result;
  }
  result.df = (vn1 + vn2) * (vn1 + vn2) /
              (vn1 * vn1 / static_cast<double>(n1 - 1) + vn2 * vn2 / static_cast<double>(n2 - 1));
  result.t = (mean1 - mean2) / std::sqrt(vn1 + vn2);
  result.p_value = std::min(1.0, t_two_sided_p(result.t, result.df));
  return result;
}

std::vector<double> benjamini_hochberg(std::span<const double> p_values) {
  for (std::size_t i = 0; i < p_values.size(); ++i) {
    if (!(p_values[i] >= 0 && p_values[i] <= 1)) {
      throw Error(fmt::format("adjusting p-values for the false discovery rate: p-value {} is {}, not in 0 to 1",
                              i, p_values[i]));
    }
  }
  const std::size_t m = p_values.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
  // Walking from the largest p down keeps the running minimum over j ≥ i,
  // which makes q monotone in p and gives equal p-values equal q-values.
  std::vector<double> q(m);
  double running = 1;
  for (std::size_t rank = m; rank >= 1; --rank) {
    const std::size_t i = order[rank - 1];
    running = std::min(running, static_cast<double>(m) / static_cast<double>(rank) * p_values[i]);
    q[i] = running;
  }
  return q;
}

// Why this detector. Timings on a shared machine are right-skewed with
// outliers, and sometimes fall into two modes (code or data layout, a
// frequency step): a median of such samples lands in either mode by chance.
// The detector must tell the two apart on the 10 repetitions a run has, so
// it stays simple and is tuned on simulated samples (20,000 draws each, n=10):
//  - the cut is at the largest gap that leaves at least 4 samples (and 25% of
//    n) on each side. Fewer are outliers: a run on this project's machine
//    (tests/data/derived/clean_baseline.json, BM_Sort/512) has 7 repetitions
//    near 14.3 µs and 3 near 18 µs, where another job took the core — the
//    median is right there, and calling it bimodal would leave the benchmark
//    unjudged whenever the machine is busy. With 4 of 10 in the minority a
//    new draw puts the median in the other mode often enough to matter;
//  - the spread within the clusters is their pooled standard deviation, not
//    a MAD: the MAD of four samples is often near zero by chance, and an
//    outlier should inflate the spread here (it makes the call harder);
//  - bimodal when the gap exceeds 4 and the medians' distance 6 pooled
//    standard deviations. Flagged by mistake at n=10: normal 0.2%, lognormal
//    (σ = 0.3) 0.3%, exponential tail 0.6%, uniform 1.6%; at n=20 at most
//    0.1%; one, two or three outliers never. Found: two clusters 10% apart
//    with 1% spread each, 6 and 4 samples, 97%; 28% apart with 2% spread
//    99.9%. Clusters 10% apart with 1.5% spread each are found about half
//    the time at n=10: such samples are not clearly two modes.
//    (tests/noise_test.cpp re-checks these rates.)
//  The bimodality coefficient (skewness² + 1) / kurtosis > 5/9 was the other
//  candidate; on ten samples its estimate is too unstable to judge by.
std::optional<Modes> bimodality(std::span<const double> samples, const BimodalityCriteria& criteria) {
  check_samples(samples, "bimodality");
  const std::size_t n = samples.size();
  const auto by_fraction = static_cast<std::size_t>(std::ceil(criteria.min_fraction * static_cast<double>(n)));
  const std::size_t smallest = std::max({criteria.min_cluster, by_fraction, std::size_t{1}});
  if (n < 2 * smallest) return std::nullopt;
  const std::vector<double> sorted = sorted_copy(samples);
  std::size_t cut = smallest;  // the first sample of the upper cluster
  for (std::size_t i = smallest + 1; i + smallest <= n; ++i) {
    if (sorted[i] - sorted[i - 1] > sorted[cut] - sorted[cut - 1]) cut = i;
  }
  const std::span<const double> low(sorted.data(), cut);
  const std::span<const double> high(sorted.data() + cut, n - cut);
  const double low_mean = mean_of_checked(low);
  const double high_mean = mean_of_checked(high);
  double squares = 0;
  for (double v : low) squares += (v - low_mean) * (v - low_mean);
  for (double v : high) squares += (v - high_mean) * (v - high_mean);
  Modes m;
  m.low = percentile_of_sorted(std::vector<double>(low.begin(), low.end()), 50);
  m.high = percentile_of_sorted(std::vector<double>(high.begin(), high.end()), 50);
  m.low_count = low.size();
  m.high_count = high.size();
  m.gap = sorted[cut] - sorted[cut - 1];
  m.within = std::sqrt(squares / static_cast<double>(n - 2));
  const double separation = m.high - m.low;
  // Clusters without any spread (quantised timings) are separate whenever
  // they differ: the products below compare without dividing by zero.
  const bool wide_gap = m.gap > criteria.min_gap * m.within;
  const bool far_apart = separation > criteria.min_separation * m.within;
  const bool relevant = m.low != 0 ? separation / std::abs(m.low) >= criteria.min_relative_separation : separation > 0;
  if (!(wide_gap && far_apart && relevant)) return std::nullopt;
  return m;
}

}  // namespace gate::stats
