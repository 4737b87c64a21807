// gate/src/stats/beyond_limit.cpp — one-sided rank tests against the limit:
// Mann–Whitney (plain and stratified) and Wilcoxon signed-rank.
#include "gate/stats/beyond_limit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <string_view>
#include <utility>

#include "gate/error.hpp"
#include "rank_null.hpp"

namespace gate::stats {
namespace {

// P(Z ≥ z) of the standard normal, through erfc so that a far tail keeps
// its digits.
double normal_upper(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

void check_finite(std::span<const double> samples, std::string_view doing, std::string_view which) {
  if (samples.empty()) throw Error(fmt::format("computing {}: no samples of the {}", doing, which));
  for (std::size_t i = 0; i < samples.size(); ++i) {
    if (!std::isfinite(samples[i])) {
      throw Error(fmt::format("computing {}: sample {} of the {} is {}", doing, i, which,
                              std::isnan(samples[i]) ? "nan" : samples[i] > 0 ? "inf" : "-inf"));
    }
  }
}

bool all_finite(std::span<const double> samples) {
  return !samples.empty() && std::all_of(samples.begin(), samples.end(), [](double x) { return std::isfinite(x); });
}

void check_limit(double limit, std::string_view doing) {
  if (!(limit >= 0) || !std::isfinite(limit)) {
    throw Error(fmt::format("computing {}: the relative limit {} is not a finite fraction ≥ 0", doing, limit));
  }
}

// One stratum ranked: the statistic in doubled units (2·U is an integer
// with ties counting one half), its largest attainable value, and the
// groups of equal values in ascending order.
struct RankedStratum {
  std::size_t m = 0;  // allowed values
  std::size_t n = 0;  // contender values
  std::size_t u2 = 0;
  std::size_t u2_max = 0;
  std::vector<std::size_t> groups;
  double tie_term = 0;  // Σ (t³ − t) over the groups
  bool ties = false;
};

// `sign` is +1 when higher is worse and −1 when lower is: a rank test does
// not change under an increasing map of both samples, and negation turns
// "lower is worse" into "higher is worse".
RankedStratum rank_stratum(std::span<const double> allowed, std::span<const double> contender, double sign) {
  std::vector<std::pair<double, bool>> pooled;  // (value, is the contender's)
  pooled.reserve(allowed.size() + contender.size());
  for (double v : allowed) pooled.emplace_back(sign * v, false);
  for (double v : contender) pooled.emplace_back(sign * v, true);
  std::sort(pooled.begin(), pooled.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  RankedStratum r;
  r.m = allowed.size();
  r.n = contender.size();
  r.groups.reserve(pooled.size());  // a group a value at most
  std::size_t others_before = 0;
  for (std::size_t first = 0; first < pooled.size();) {
    std::size_t last = first;
    std::size_t in_contender = 0;
    while (last < pooled.size() && pooled[last].first == pooled[first].first) {
      in_contender += pooled[last].second ? 1 : 0;
      ++last;
    }
    const std::size_t t = last - first;
    const std::size_t others = t - in_contender;
    // Each contender value beats every allowed value below it (2 in doubled
    // units) and ties with the allowed values of its own group (1).
    r.u2 += in_contender * (2 * others_before + others);
    r.groups.push_back(t);
    if (t > 1) {
      r.ties = true;
      const auto td = static_cast<double>(t);
      r.tie_term += td * td * td - td;
    }
    others_before += others;
    first = last;
  }
  // The most extreme arrangement puts the contender on the largest values:
  // walk the groups from the top, filling them with contender values first.
  std::size_t left = r.n;
  std::size_t others_below = r.m;
  for (std::size_t g = r.groups.size(); g-- > 0 && left > 0;) {
    const std::size_t t = r.groups[g];
    const std::size_t c = std::min(t, left);
    others_below -= t - c;
    r.u2_max += c * (2 * others_below + (t - c));
    left -= c;
  }
  return r;
}

bool exact_possible(const RankedStratum& r) {
  return r.m * r.n <= (r.ties ? detail::k_exact_pairs_with_ties : detail::k_exact_pairs);
}

// The stratum's null distribution of 2·U.
detail::NullDistribution doubled_distribution(const RankedStratum& r) {
  if (r.ties) return detail::u_with_ties(r.groups, r.n);
  const detail::NullDistribution& plain = detail::u_without_ties(r.m, r.n);
  detail::NullDistribution d;
  d.weight.assign(2 * plain.weight.size() - 1, 0.0);
  for (std::size_t k = 0; k < plain.weight.size(); ++k) d.weight[2 * k] = plain.weight[k];
  d.total = plain.total;
  return d;
}

LimitTest test_strata(const std::vector<RankedStratum>& strata) {
  LimitTest out;
  std::size_t u2 = 0;
  std::size_t u2_max = 0;
  for (const auto& r : strata) {
    u2 += r.u2;
    u2_max += r.u2_max;
    out.n_baseline += r.m;
    out.n_contender += r.n;
  }
  out.statistic = static_cast<double>(u2) / 2;
  out.most_extreme = static_cast<double>(u2_max) / 2;
  if (strata.empty()) return out;

  out.exact = std::all_of(strata.begin(), strata.end(), exact_possible);
  if (out.exact) {
    if (strata.size() == 1 && !strata.front().ties) {
      // The common case: one stratum without ties, its distribution cached by
      // sizes. Without ties U is an integer.
      const detail::NullDistribution& d = detail::u_without_ties(strata.front().m, strata.front().n);
      out.p_value = d.upper_tail(u2 / 2);
      out.smallest_p = d.upper_tail(u2_max / 2);
      return out;
    }
    detail::NullDistribution d = doubled_distribution(strata.front());
    for (std::size_t i = 1; i < strata.size(); ++i) d = detail::convolve(d, doubled_distribution(strata[i]));
    out.p_value = d.upper_tail(u2);
    out.smallest_p = d.upper_tail(u2_max);
    return out;
  }

  // The normal approximation of the sum: means and variances add over
  // independent strata; the variance is corrected for ties.
  double mean = 0;
  double variance = 0;
  for (const auto& r : strata) {
    const auto m = static_cast<double>(r.m);
    const auto n = static_cast<double>(r.n);
    const double pooled = m + n;
    mean += m * n / 2;
    if (pooled > 1) variance += m * n / 12 * ((pooled + 1) - r.tie_term / (pooled * (pooled - 1)));
  }
  if (!(variance > 0)) {
    // Every value equal in every stratum: nothing is worse than allowed.
    out.p_value = 1;
    out.smallest_p = 1;
    return out;
  }
  // The continuity correction moves U half a step towards the mean: U is
  // discrete, the normal distribution continuous.
  const double sd = std::sqrt(variance);
  out.p_value = std::min(1.0, normal_upper((out.statistic - mean - 0.5) / sd));
  out.smallest_p = std::min(1.0, normal_upper((out.most_extreme - mean - 0.5) / sd));
  return out;
}

double sign_of(Worse worse) { return worse == Worse::higher ? 1.0 : -1.0; }

}  // namespace

std::vector<double> allowed_by_relative_limit(std::span<const double> baseline, Worse worse, double limit) {
  check_limit(limit, "the values a limit allows");
  const double factor = worse == Worse::higher ? 1 + limit : 1 - limit;
  std::vector<double> out(baseline.size());
  std::transform(baseline.begin(), baseline.end(), out.begin(), [&](double x) { return x * factor; });
  return out;
}

LimitTest unpaired_beyond_limit(std::span<const double> allowed, std::span<const double> contender, Worse worse) {
  constexpr std::string_view doing = "the limit test";
  check_finite(allowed, doing, "baseline (allowed values)");
  check_finite(contender, doing, "contender");
  return test_strata({rank_stratum(allowed, contender, sign_of(worse))});
}

LimitTest unpaired_beyond_limit(std::span<const double> baseline, std::span<const double> contender, Worse worse,
                                double limit) {
  check_limit(limit, "the limit test");
  return unpaired_beyond_limit(allowed_by_relative_limit(baseline, worse, limit), contender, worse);
}

LimitTest stratified_beyond_limit(std::span<const StratumSamples> strata, Worse worse) {
  constexpr std::string_view doing = "the stratified limit test";
  std::vector<RankedStratum> ranked;
  for (std::size_t s = 0; s < strata.size(); ++s) {
    if (strata[s].allowed.empty() || strata[s].contender.empty()) continue;
    // The message names the stratum: formatted only when there is one to give.
    if (!all_finite(strata[s].allowed)) {
      check_finite(strata[s].allowed, doing, fmt::format("baseline (allowed values) in stratum {}", s));
    }
    if (!all_finite(strata[s].contender)) check_finite(strata[s].contender, doing, fmt::format("contender in stratum {}", s));
    ranked.push_back(rank_stratum(strata[s].allowed, strata[s].contender, sign_of(worse)));
  }
  return test_strata(ranked);
}

LimitTest paired_beyond_limit(std::span<const double> allowed, std::span<const double> contender, Worse worse) {
  constexpr std::string_view doing = "the paired limit test";
  check_finite(allowed, doing, "baseline (allowed values)");
  check_finite(contender, doing, "contender");
  if (allowed.size() != contender.size()) {
    throw Error(fmt::format("computing {}: {} baseline values for {} contender values — pairs need both", doing,
                            allowed.size(), contender.size()));
  }
  std::vector<double> d;
  d.reserve(allowed.size());
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    if (!(allowed[i] > 0) || !(contender[i] > 0)) {
      throw Error(fmt::format("computing {}: pair {} holds {} and {}, not both positive: its log ratio is undefined",
                              doing, i, allowed[i], contender[i]));
    }
    // The log of the ratio rather than a difference of logs: one rounding
    // instead of two, so that a pair exactly at the limit gives exactly 0.
    const double ratio = worse == Worse::higher ? contender[i] / allowed[i] : allowed[i] / contender[i];
    // Pairs exactly at the limit say nothing about either side of it.
    if (ratio != 1) d.push_back(std::log(ratio));
  }
  LimitTest out;
  out.n_baseline = out.n_contender = d.size();
  const std::size_t n = d.size();
  out.most_extreme = static_cast<double>(n * (n + 1)) / 2;
  if (n == 0) return out;

  // Midranks of |d|, doubled so that they are integers.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return std::abs(d[a]) < std::abs(d[b]); });
  std::vector<std::size_t> doubled(n);
  double tie_term = 0;
  bool ties = false;
  for (std::size_t first = 0; first < n;) {
    std::size_t last = first + 1;
    while (last < n && std::abs(d[order[last]]) == std::abs(d[order[first]])) ++last;
    for (std::size_t k = first; k < last; ++k) doubled[order[k]] = first + 1 + last;  // 2 × mean of ranks first+1 … last
    const auto t = static_cast<double>(last - first);
    if (last - first > 1) ties = true;
    tie_term += t * t * t - t;
    first = last;
  }
  std::size_t r2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (d[i] > 0) r2 += doubled[i];
  }
  out.statistic = static_cast<double>(r2) / 2;

  out.exact = n <= (ties ? detail::k_exact_signs_with_ties : detail::k_exact_signs);
  if (out.exact) {
    if (!ties) {
      const detail::NullDistribution& dist = detail::signed_rank_without_ties(n);
      out.p_value = dist.upper_tail(r2 / 2);
      out.smallest_p = dist.upper_tail(n * (n + 1) / 2);
    } else {
      const detail::NullDistribution dist = detail::signed_rank_with_ties(doubled);
      out.p_value = dist.upper_tail(r2);
      out.smallest_p = dist.upper_tail(n * (n + 1));
    }
    return out;
  }
  const auto nd = static_cast<double>(n);
  const double mean = nd * (nd + 1) / 4;
  const double variance = nd * (nd + 1) * (2 * nd + 1) / 24 - tie_term / 48;
  const double sd = std::sqrt(variance);
  out.p_value = std::min(1.0, normal_upper((out.statistic - mean - 0.5) / sd));
  out.smallest_p = std::min(1.0, normal_upper((out.most_extreme - mean - 0.5) / sd));
  return out;
}

LimitTest paired_beyond_limit(std::span<const double> baseline, std::span<const double> contender, Worse worse,
                              double limit) {
  check_limit(limit, "the paired limit test");
  return paired_beyond_limit(allowed_by_relative_limit(baseline, worse, limit), contender, worse);
}

double unpaired_p_at(std::size_t n_baseline, std::size_t n_contender, double u) {
  if (n_baseline == 0 || n_contender == 0 || !(u > 0)) return 1;
  const std::size_t most = n_baseline * n_contender;
  if (u > static_cast<double>(most)) return 0;
  RankedStratum r;
  r.m = n_baseline;
  r.n = n_contender;
  r.u2_max = 2 * most;
  // The exact distribution has integer support: P(U ≥ u) = P(U ≥ ⌈u⌉).
  r.u2 = 2 * static_cast<std::size_t>(std::ceil(u));
  r.groups.assign(n_baseline + n_contender, 1);
  if (exact_possible(r)) return test_strata({r}).p_value;
  // The normal approximation, as test_strata() computes it, for u as given.
  const auto m = static_cast<double>(n_baseline);
  const auto n = static_cast<double>(n_contender);
  const double sd = std::sqrt(m * n / 12 * (m + n + 1));
  return std::min(1.0, normal_upper((u - m * n / 2 - 0.5) / sd));
}

double unpaired_smallest_p(std::size_t n_baseline, std::size_t n_contender) {
  if (n_baseline == 0 || n_contender == 0) return 1;
  // Without ties the exact test's top is one arrangement: no need to count
  // the others (unpaired_p_at would, for the whole distribution).
  if (n_baseline * n_contender <= detail::k_exact_pairs) return detail::u_top_probability(n_baseline, n_contender);
  return unpaired_p_at(n_baseline, n_contender, static_cast<double>(n_baseline * n_contender));
}

double paired_p_at(std::size_t pairs, double r_plus) {
  if (pairs == 0 || !(r_plus > 0)) return 1;
  const std::size_t most = pairs * (pairs + 1) / 2;
  if (r_plus > static_cast<double>(most)) return 0;
  if (pairs <= detail::k_exact_signs) {
    return detail::signed_rank_without_ties(pairs).upper_tail(static_cast<std::size_t>(std::ceil(r_plus)));
  }
  const auto n = static_cast<double>(pairs);
  const double sd = std::sqrt(n * (n + 1) * (2 * n + 1) / 24);
  return std::min(1.0, normal_upper((r_plus - n * (n + 1) / 4 - 0.5) / sd));
}

double paired_smallest_p(std::size_t pairs) {
  return paired_p_at(pairs, static_cast<double>(pairs * (pairs + 1) / 2));
}

}  // namespace gate::stats
