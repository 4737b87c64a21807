// gate/src/stats/modes.cpp — splitting repetitions into modes and matching
// the modes of a baseline and a contender.
#include "gate/stats/modes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string_view>

#include "gate/error.hpp"
#include "gate/stats/stats.hpp"

namespace gate::stats {
namespace {

void check_samples(std::span<const double> samples, std::string_view which) {
  if (samples.empty()) throw Error(fmt::format("splitting repetitions into modes: no samples of the {}", which));
  for (std::size_t i = 0; i < samples.size(); ++i) {
    if (!std::isfinite(samples[i])) {
      throw Error(fmt::format("splitting repetitions into modes: sample {} of the {} is {}", i, which,
                              std::isnan(samples[i]) ? "nan" : samples[i] > 0 ? "inf" : "-inf"));
    }
  }
}

double median_of(std::span<const double> samples, const std::vector<std::size_t>& indices) {
  std::vector<double> v;
  v.reserve(indices.size());
  for (std::size_t i : indices) v.push_back(samples[i]);
  return median(v);
}

Split split_checked(std::span<const double> samples, const ModeCriteria& criteria) {
  const std::size_t n = samples.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return samples[a] < samples[b]; });
  Split whole;
  whole.low = order;
  whole.low_median = median(samples);
  const std::size_t smallest = std::max<std::size_t>(criteria.min_cluster, 1);
  if (n < std::max<std::size_t>(criteria.min_samples, 3) || n < 2 * smallest) return whole;

  // The widest gap between neighbours that leaves min_cluster on each side.
  std::size_t cut = smallest;
  for (std::size_t c = smallest + 1; c + smallest <= n; ++c) {
    if (samples[order[c]] - samples[order[c - 1]] > samples[order[cut]] - samples[order[cut - 1]]) cut = c;
  }
  const double gap = samples[order[cut]] - samples[order[cut - 1]];
  if (!(gap > 0)) return whole;

  Split s;
  s.low.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(cut));
  s.high.assign(order.begin() + static_cast<std::ptrdiff_t>(cut), order.end());
  // The spread within the clusters: the pooled standard deviation about each
  // cluster's own mean, as bimodality() measures it. An outlier inside a
  // cluster inflates it, which makes a split harder, as it should.
  double squares = 0;
  for (const auto* cluster : {&s.low, &s.high}) {
    double mean = 0;
    for (std::size_t i : *cluster) mean += samples[i];
    mean /= static_cast<double>(cluster->size());
    for (std::size_t i : *cluster) squares += (samples[i] - mean) * (samples[i] - mean);
  }
  const double within = std::sqrt(squares / static_cast<double>(n - 2));
  s.low_median = median_of(samples, s.low);
  s.high_median = median_of(samples, s.high);
  const double separation = s.high_median - s.low_median;
  const bool wide = gap > criteria.min_gap * within && separation > criteria.min_separation * within;
  const bool far = s.low_median != 0 ? separation / std::abs(s.low_median) >= criteria.min_relative_separation
                                     : separation > 0;
  return wide && far ? s : whole;
}

// How far apart two medians are, as a factor: |log(b/a)| for positive
// medians, a relative difference otherwise.
double distance(double a, double b) {
  if (a > 0 && b > 0) return std::abs(std::log(b / a));
  const double scale = std::max(std::abs(a), std::abs(b));
  return scale == 0 ? 0 : std::abs(b - a) / scale;
}

struct Cluster {
  const std::vector<std::size_t>* indices;
  double median;
};

// The clusters a side offers for majority matching: the larger one, both
// when they are the same size, the whole side when it did not split.
std::vector<Cluster> candidates(const Split& s) {
  if (!s.split()) return {{&s.low, s.low_median}};
  if (s.low.size() > s.high.size()) return {{&s.low, s.low_median}};
  if (s.high.size() > s.low.size()) return {{&s.high, s.high_median}};
  return {{&s.low, s.low_median}, {&s.high, s.high_median}};
}

bool is_mode(std::size_t size, std::size_t side, const ModeCriteria& criteria) {
  const auto by_fraction = static_cast<std::size_t>(std::ceil(criteria.min_mode_fraction * static_cast<double>(side)));
  return size >= std::max(criteria.min_mode, by_fraction);
}

}  // namespace

Split split_modes(std::span<const double> samples, const ModeCriteria& criteria) {
  check_samples(samples, "samples");
  return split_checked(samples, criteria);
}

ModeMatch match_modes(std::span<const double> baseline, std::span<const double> contender,
                      const ModeCriteria& criteria) {
  check_samples(baseline, "baseline");
  check_samples(contender, "contender");
  ModeMatch out;
  out.baseline = split_checked(baseline, criteria);
  out.contender = split_checked(contender, criteria);
  const Split& b = out.baseline;
  const Split& c = out.contender;

  if (!b.split() && !c.split()) {
    out.matching = ModeMatching::unimodal;
    out.strata.push_back({b.low, c.low, b.low_median, c.low_median});
    return out;
  }
  if (b.split() && c.split() && b.low_median > 0 && c.low_median > 0) {
    // A change of the code moves both modes by the same factor; a
    // repetition's mode then says nothing about the change, and each mode is
    // compared with its own kind.
    const double low_factor = c.low_median / b.low_median;
    const double high_factor = c.high_median / b.high_median;
    if (std::abs(low_factor / high_factor - 1) <= criteria.agreement) {
      out.matching = ModeMatching::mode_to_mode;
      out.strata.push_back({b.low, c.low, b.low_median, c.low_median});
      out.strata.push_back({b.high, c.high, b.high_median, c.high_median});
      return out;
    }
  }

  // The modes cannot be paired one to one: judge where most repetitions
  // run, and among even splits take the reading with the smallest change,
  // which is the one that fails least readily.
  out.matching = ModeMatching::majority;
  Cluster best_b{nullptr, 0};
  Cluster best_c{nullptr, 0};
  double best = std::numeric_limits<double>::infinity();
  for (const Cluster& x : candidates(b)) {
    for (const Cluster& y : candidates(c)) {
      const double d = distance(x.median, y.median);
      if (d < best) {
        best = d;
        best_b = x;
        best_c = y;
      }
    }
  }
  out.strata.push_back({*best_b.indices, *best_c.indices, best_b.median, best_c.median});
  auto set_aside = [&](const Split& s, const std::vector<std::size_t>* kept, std::vector<std::size_t>& aside,
                       std::size_t side) {
    if (!s.split()) return;
    const std::vector<std::size_t>& other = kept == &s.low ? s.high : s.low;
    aside = other;
    if (is_mode(other.size(), side, criteria)) out.unmatched_mode = true;
  };
  set_aside(b, best_b.indices, out.baseline_aside, baseline.size());
  set_aside(c, best_c.indices, out.contender_aside, contender.size());
  return out;
}

LimitTest beyond_limit_by_modes(std::span<const double> allowed, std::span<const double> contender,
                                const ModeMatch& match, Worse worse) {
  std::vector<std::vector<double>> values(2 * match.strata.size());
  std::vector<StratumSamples> strata;
  for (std::size_t s = 0; s < match.strata.size(); ++s) {
    auto pick = [&](std::span<const double> from, const std::vector<std::size_t>& indices, std::vector<double>& to,
                    std::string_view which) {
      to.reserve(indices.size());
      for (std::size_t i : indices) {
        if (i >= from.size()) {
          throw Error(fmt::format("testing modes against the limit: {} index {} is beyond its {} samples", which, i,
                                  from.size()));
        }
        to.push_back(from[i]);
      }
    };
    pick(allowed, match.strata[s].baseline, values[2 * s], "baseline");
    pick(contender, match.strata[s].contender, values[2 * s + 1], "contender");
  }
  for (std::size_t s = 0; s < match.strata.size(); ++s) strata.push_back({values[2 * s], values[2 * s + 1]});
  return stratified_beyond_limit(strata, worse);
}

}  // namespace gate::stats
