// gate/src/stats/change_points.cpp — E-divisive means with Hunter's windows
// and weak change points, tested with Mann–Whitney's U (or Welch's t) and
// merged smallest step first. The method is Matteson & James (2014), "A
// Nonparametric Approach for Multiple Change Point Analysis of Multivariate
// Data", as Fleming et al. (2023), "Hunter: Using Change Point Detection to
// Hunt for Performance Regressions", made it deterministic and fast; Apache
// Otava implements the latter. Written from the papers and Otava's
// documentation (docs/MATH.md), not from its code.
#include "gate/stats/change_points.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "gate/error.hpp"
#include "gate/stats/stats.hpp"

namespace gate::stats {
namespace {

void check_options(const ChangePointOptions& o) {
  constexpr std::string_view doing = "finding change points";
  if (o.min_segment < 2) {
    throw Error(fmt::format("{}: min_segment is {}, at least 2 are needed", doing, o.min_segment));
  }
  if (o.window < 2 * o.min_segment) {
    throw Error(fmt::format("{}: window of {} points is shorter than two segments of {}", doing, o.window,
                            o.min_segment));
  }
  if (!(o.max_p_value > 0 && o.max_p_value <= 1)) {
    throw Error(fmt::format("{}: max_p_value {} is not in (0, 1]", doing, o.max_p_value));
  }
  if (!(o.weak_p_value >= o.max_p_value && o.weak_p_value <= 1)) {
    throw Error(fmt::format("{}: weak_p_value {} is not in [max_p_value, 1]", doing, o.weak_p_value));
  }
  if (!(o.min_magnitude >= 0) || std::isinf(o.min_magnitude)) {
    throw Error(fmt::format("{}: min_magnitude {} is not a non-negative number", doing, o.min_magnitude));
  }
}

// Relative change from `from` to `to`; a change from exactly 0 is infinite.
double relative(double from, double to) {
  if (from == 0) return to == 0 ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), to - from);
  return (to - from) / std::abs(from);
}

struct Moments {
  double mean = 0;
  double stddev = 0;
};

// Two passes: the values are nanoseconds in the millions with spreads that
// can be tiny (instruction counts), where Σx² - n·mean² would cancel.
Moments moments(std::span<const double> x) {
  Moments m;
  for (double v : x) m.mean += v;
  m.mean /= static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - m.mean) * (v - m.mean);
  m.stddev = std::sqrt(ss / static_cast<double>(x.size() - 1));
  return m;
}

double test_segments(std::span<const double> before, std::span<const double> after, ChangePointTest test) {
  // A segment of one point (possible only transiently, between overlapping
  // windows' finds) cannot be tested.
  if (before.size() < 2 || after.size() < 2) return 1;
  if (test == ChangePointTest::mann_whitney) return mann_whitney_u(before, after).p_value;
  // Welch rather than Student's pooled test (Hunter's choice): a change of
  // performance often changes the spread too, and the pooled test is too
  // eager when the smaller segment is the noisier one.
  const Moments b = moments(before);
  const Moments a = moments(after);
  return welch_t_test(b.mean, b.stddev, before.size(), a.mean, a.stddev, after.size()).p_value;
}

// The step at `tau` between the segments [begin, tau) and [tau, end).
ChangePoint test_split(std::span<const double> series, std::size_t begin, std::size_t tau, std::size_t end,
                       ChangePointTest test) {
  ChangePoint cp;
  cp.index = tau;
  cp.n_before = tau - begin;
  cp.n_after = end - tau;
  const std::span<const double> before = series.subspan(begin, cp.n_before);
  const std::span<const double> after = series.subspan(tau, cp.n_after);
  cp.level_before = median(before);
  cp.level_after = median(after);
  cp.change = relative(cp.level_before, cp.level_after);
  cp.magnitude = std::max(std::abs(cp.change), std::abs(relative(cp.level_after, cp.level_before)));
  cp.p_value = test_segments(before, after, test);
  return cp;
}

// Sums of |x_i - x_j| over rectangles of index pairs of one window, from a
// table of prefix sums: any segment's within- and between-sums in O(1).
class PairDistances {
 public:
  explicit PairDistances(std::span<const double> x) : m_stride(x.size() + 1), m_prefix(m_stride * m_stride, 0.0) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      double row = 0;
      for (std::size_t j = 0; j < x.size(); ++j) {
        row += std::abs(x[i] - x[j]);
        at(i + 1, j + 1) = at(i, j + 1) + row;
      }
    }
  }

  /// Σ |x_i - x_j| for i in [i0, i1), j in [j0, j1).
  [[nodiscard]] double sum(std::size_t i0, std::size_t i1, std::size_t j0, std::size_t j1) const {
    return at(i1, j1) - at(i0, j1) - at(i1, j0) + at(i0, j0);
  }

 private:
  double& at(std::size_t i, std::size_t j) { return m_prefix[i * m_stride + j]; }
  [[nodiscard]] double at(std::size_t i, std::size_t j) const { return m_prefix[i * m_stride + j]; }

  std::size_t m_stride;
  std::vector<double> m_prefix;
};

struct Candidate {
  std::size_t tau = 0;
  double q = -std::numeric_limits<double>::infinity();
};

// The split τ of [s, e) whose left part differs most from some right part
// [τ, κ): Q̂ = (n·m/(n+m)) · (2/(n·m)·Σ between − mean within left − mean
// within right), with n = τ - s and m = κ - τ. Mean within is the sum over
// ordered pairs divided by n(n-1), which the rectangle sums give directly
// (each unordered pair appears twice). Letting κ stop before e is Otava's
// point: a later second step would otherwise blur the first.
Candidate best_split(const PairDistances& d, std::size_t s, std::size_t e, std::size_t min_segment) {
  Candidate best;
  for (std::size_t tau = s + min_segment; tau + min_segment <= e; ++tau) {
    const auto n = static_cast<double>(tau - s);
    const double within_left = d.sum(s, tau, s, tau) / (n * (n - 1));
    for (std::size_t kappa = tau + min_segment; kappa <= e; ++kappa) {
      const auto m = static_cast<double>(kappa - tau);
      const double between = 2 * d.sum(s, tau, tau, kappa) / (n * m);
      const double within_right = d.sum(tau, kappa, tau, kappa) / (m * (m - 1));
      const double q = n * m / (n + m) * (between - within_left - within_right);
      if (q > best.q) best = {tau, q};
    }
  }
  return best;
}

// The first pass in one window [begin, end) of the series: E-divisive's
// hierarchical search, each accepted split cutting its segment in two,
// until the most distinct split left is not significant at weak_p_value.
void split_window(std::span<const double> series, std::size_t begin, std::size_t end,
                  const ChangePointOptions& options, std::vector<std::size_t>& found) {
  const std::span<const double> window = series.subspan(begin, end - begin);
  const PairDistances distances(window);
  std::vector<std::size_t> cuts{0, window.size()};  // window-local, sorted
  for (;;) {
    Candidate best;
    std::size_t best_segment = 0;
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      if (cuts[i + 1] - cuts[i] < 2 * options.min_segment) continue;
      Candidate c = best_split(distances, cuts[i], cuts[i + 1], options.min_segment);
      if (c.q > best.q) {
        best = c;
        best_segment = i;
      }
    }
    if (!std::isfinite(best.q)) return;
    const ChangePoint cp = test_split(window, cuts[best_segment], best.tau, cuts[best_segment + 1], options.test);
    if (!(cp.p_value <= options.weak_p_value)) return;
    cuts.insert(cuts.begin() + static_cast<std::ptrdiff_t>(best_segment) + 1, best.tau);
    found.push_back(begin + best.tau);
  }
}

}  // namespace

std::vector<ChangePoint> find_change_points(std::span<const double> series, const ChangePointOptions& options) {
  check_options(options);
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (!std::isfinite(series[i])) {
      throw Error(fmt::format("finding change points: point {} is {}", i, series[i]));
    }
  }
  const std::size_t n = series.size();
  if (n < 2 * options.min_segment) return {};

  // First pass: windows of `window` points overlapping by half, the last one
  // ending at the series' end. A step near a window's edge is in the middle
  // of the next one.
  std::vector<std::size_t> weak;
  const std::size_t step = std::max<std::size_t>(1, options.window / 2);
  for (std::size_t begin = 0;; begin += step) {
    const std::size_t end = std::min(begin + options.window, n);
    split_window(series, begin, end, options, weak);
    if (end == n) break;
  }
  std::sort(weak.begin(), weak.end());
  weak.erase(std::unique(weak.begin(), weak.end()), weak.end());

  // Second pass: each weak point tested against its neighbours over the
  // whole series; one point removed and its neighbours re-tested, until all
  // pass. Which one: Otava removes the largest p-value first. With a rank
  // test, the p-value of a point between short segments is bounded by their
  // lengths (2 / C(n1 + n2, n1) at best, when they do not overlap at all),
  // so it says how short the segments are rather than how large the step
  // is: a large step next to a short segment would go before a blip
  // between long ones. So the smallest failing step goes first; measured on
  // the steps, it found them exactly more often at low noise and as
  // often elsewhere (docs/report.md). Two windows may
  // have found the same step one point apart: the segment of one point
  // between them makes one untestable (p = 1), and it fails.
  std::vector<ChangePoint> points;
  points.reserve(weak.size());
  auto bound_before = [&](std::size_t i) { return i == 0 ? std::size_t{0} : points[i - 1].index; };
  auto bound_after = [&](std::size_t i) { return i + 1 == points.size() ? n : points[i + 1].index; };
  auto retest = [&](std::size_t i) {
    points[i] = test_split(series, bound_before(i), points[i].index, bound_after(i), options.test);
  };
  for (std::size_t tau : weak) points.push_back(ChangePoint{.index = tau});
  for (std::size_t i = 0; i < points.size(); ++i) retest(i);
  while (!points.empty()) {
    auto fails = [&](const ChangePoint& c) { return !(c.p_value <= options.max_p_value); };
    // Failing points before passing ones; within each, the smallest step
    // first (then the earlier point).
    auto weakest = std::min_element(points.begin(), points.end(), [&](const ChangePoint& a, const ChangePoint& b) {
      if (fails(a) != fails(b)) return fails(a);
      return a.magnitude < b.magnitude;
    });
    if (!fails(*weakest) && weakest->magnitude > options.min_magnitude) break;
    const auto i = static_cast<std::size_t>(weakest - points.begin());
    points.erase(weakest);
    if (i > 0) retest(i - 1);
    if (i < points.size()) retest(i);
  }
  return points;
}

}  // namespace gate::stats
