// gate/src/stats/visibility.cpp — can a comparison's tests be significant at
// all, and which of them form the false-discovery-rate family.
#include "gate/stats/visibility.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "gate/error.hpp"
#include "gate/stats/stats.hpp"
#include "gate/stats/beyond_limit.hpp"

namespace gate::stats {
namespace {

// Searched up to this many repetitions: beyond, nobody would run them, and
// the report says "more than 1,000" instead.
constexpr std::size_t k_most_repetitions = 1000;

void check_family(std::size_t tests, double alpha) {
  if (tests == 0) throw Error("judging what the gate can see: a family of 0 tests");
  if (!(alpha > 0 && alpha < 1)) throw Error(fmt::format("judging what the gate can see: alpha {} is not in (0, 1)", alpha));
}

void check_alpha(double alpha, std::string_view doing) {
  if (!(alpha > 0 && alpha < 1)) throw Error(fmt::format("{}: alpha {} is not in (0, 1)", doing, alpha));
}

// The smallest n in [1, k_most_repetitions] with smallest(n) ≤ needed, for a
// smallest(n) that does not grow with n.
template <typename F>
std::optional<std::size_t> first_seeing(F smallest, double needed) {
  if (smallest(k_most_repetitions) > needed) return std::nullopt;
  std::size_t lo = 1;
  std::size_t hi = k_most_repetitions;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (smallest(mid) <= needed) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

// How many steps below `most` the statistic can be and still give p ≤ needed.
template <typename F>
std::size_t slack_of(F p_at, std::size_t most, double needed) {
  std::size_t k = 0;
  while (k < most && p_at(static_cast<double>(most - (k + 1))) <= needed) ++k;
  return k;
}

}  // namespace

Visibility unpaired_visibility(std::size_t tests, double alpha, std::size_t n_baseline, std::size_t n_contender) {
  check_family(tests, alpha);
  Visibility v;
  v.tests = tests;
  v.alpha = alpha;
  v.needed_p = alpha / static_cast<double>(tests);
  v.smallest_p = unpaired_smallest_p(n_baseline, n_contender);
  v.can_see = v.smallest_p <= v.needed_p;
  if (v.can_see) {
    v.slack = slack_of([&](double u) { return unpaired_p_at(n_baseline, n_contender, u); }, n_baseline * n_contender,
                       v.needed_p);
  }
  v.repetitions_needed = first_seeing([](std::size_t n) { return unpaired_smallest_p(n, n); }, v.needed_p);
  if (n_baseline > 0) {
    v.contender_repetitions_needed =
        first_seeing([&](std::size_t n) { return unpaired_smallest_p(n_baseline, n); }, v.needed_p);
  }
  return v;
}

Visibility paired_visibility(std::size_t tests, double alpha, std::size_t pairs) {
  check_family(tests, alpha);
  Visibility v;
  v.tests = tests;
  v.alpha = alpha;
  v.needed_p = alpha / static_cast<double>(tests);
  v.smallest_p = paired_smallest_p(pairs);
  v.can_see = v.smallest_p <= v.needed_p;
  if (v.can_see) {
    v.slack = slack_of([&](double r) { return paired_p_at(pairs, r); }, pairs * (pairs + 1) / 2, v.needed_p);
  }
  v.repetitions_needed = first_seeing([](std::size_t n) { return paired_smallest_p(n); }, v.needed_p);
  return v;
}

std::vector<bool> seeing_tests(std::span<const double> smallest_p, double alpha) {
  constexpr std::string_view doing = "choosing the tests that can see";
  check_alpha(alpha, doing);
  for (std::size_t i = 0; i < smallest_p.size(); ++i) {
    if (!(smallest_p[i] > 0 && smallest_p[i] <= 1)) {
      throw Error(fmt::format("{}: smallest p-value {} is {}, not in (0, 1]", doing, i, smallest_p[i]));
    }
  }
  const std::size_t m = smallest_p.size();
  std::vector<double> sorted(smallest_p.begin(), smallest_p.end());
  std::sort(sorted.begin(), sorted.end());
  // M(K) = #{smallest_p ≤ alpha/K} falls as K grows and M(m) ≤ m, so the
  // smallest K with M(K) ≤ K exists; the tests counted in M(K) can each be
  // significant alone among M(K) ≤ K tests.
  double threshold = 0;
  for (std::size_t k = 1; k <= m; ++k) {
    const double t = alpha / static_cast<double>(k);
    const auto count = static_cast<std::size_t>(std::upper_bound(sorted.begin(), sorted.end(), t) - sorted.begin());
    if (count <= k) {
      threshold = t;
      break;
    }
  }
  std::vector<bool> out(m);
  for (std::size_t i = 0; i < m; ++i) out[i] = smallest_p[i] <= threshold;
  return out;
}

FamilyAdjustment adjust_seeing(std::span<const double> p_values, std::span<const double> smallest_p, double alpha) {
  if (p_values.size() != smallest_p.size()) {
    throw Error(fmt::format("adjusting p-values of the tests that can see: {} p-values for {} smallest p-values",
                            p_values.size(), smallest_p.size()));
  }
  const std::vector<bool> seeing = seeing_tests(smallest_p, alpha);
  std::vector<double> family_p;
  for (std::size_t i = 0; i < p_values.size(); ++i) {
    if (seeing[i]) family_p.push_back(p_values[i]);
  }
  const std::vector<double> q = benjamini_hochberg(family_p);
  FamilyAdjustment out;
  out.family = family_p.size();
  out.q.resize(p_values.size());
  std::size_t next = 0;
  for (std::size_t i = 0; i < p_values.size(); ++i) {
    if (seeing[i]) out.q[i] = q[next++];
  }
  return out;
}

}  // namespace gate::stats
