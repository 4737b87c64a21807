// tests/beyond_limit_test.cpp — the one-sided limit tests against exhaustive
// enumeration of every arrangement, against R and scipy, and at the edges.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "gate/error.hpp"
#include "gate/stats/beyond_limit.hpp"

namespace tt = boost::test_tools;
using gate::stats::LimitTest;
using gate::stats::Worse;

namespace {

// Normal draws from mt19937_64's bits by Box–Muller: the engine's output is
// fixed by the standard, the library's distributions are not.
class Normal {
 public:
  explicit Normal(std::uint64_t seed) : m_engine(seed) {}
  double uniform() { return (static_cast<double>(m_engine() >> 11) + 0.5) * 0x1.0p-53; }
  double operator()() {
    const double u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
  }
  // n lognormal timings around `median` with log-spread `sigma`.
  std::vector<double> timings(std::size_t n, double median, double sigma) {
    std::vector<double> out(n);
    for (double& v : out) v = median * std::exp(sigma * (*this)());
    return out;
  }

 private:
  std::mt19937_64 m_engine;
};

// Every way to choose k of n positions, in lexicographic order.
std::vector<std::vector<std::size_t>> combinations(std::size_t n, std::size_t k) {
  std::vector<std::vector<std::size_t>> out;
  std::vector<std::size_t> pick(k);
  for (std::size_t i = 0; i < k; ++i) pick[i] = i;
  while (true) {
    out.push_back(pick);
    std::size_t i = k;
    while (i > 0 && pick[i - 1] == n - k + i - 1) --i;
    if (i == 0) break;
    ++pick[i - 1];
    for (std::size_t j = i; j < k; ++j) pick[j] = pick[j - 1] + 1;
  }
  return out;
}

// U counted pair by pair, without ranks: the contender value worse than the
// allowed one counts 1, equal ½.
double u_by_pairs(const std::vector<double>& allowed, const std::vector<double>& contender, Worse worse) {
  double u = 0;
  for (double a : allowed) {
    for (double c : contender) {
      const bool worse_than = worse == Worse::higher ? c > a : c < a;
      u += worse_than ? 1.0 : c == a ? 0.5 : 0.0;
    }
  }
  return u;
}

struct Arrangement {
  std::vector<double> allowed;
  std::vector<double> contender;
};

// Every split of the pooled values into n contender values and the rest.
std::vector<Arrangement> arrangements(const std::vector<double>& pooled, std::size_t n) {
  std::vector<Arrangement> out;
  for (const auto& pick : combinations(pooled.size(), n)) {
    Arrangement a;
    std::size_t next = 0;
    for (std::size_t i = 0; i < pooled.size(); ++i) {
      if (next < pick.size() && pick[next] == i) {
        a.contender.push_back(pooled[i]);
        ++next;
      } else {
        a.allowed.push_back(pooled[i]);
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

// For every arrangement of `pooled`, the p-value of unpaired_beyond_limit()
// must be the share of arrangements whose U is at least as large: the
// definition of the exact permutation p-value, computed by brute force.
void check_against_enumeration(const std::vector<double>& pooled, std::size_t n, Worse worse) {
  const auto all = arrangements(pooled, n);
  std::vector<double> us;
  for (const auto& a : all) us.push_back(u_by_pairs(a.allowed, a.contender, worse));
  const double most = *std::max_element(us.begin(), us.end());
  const auto count_at_least = [&](double u) {
    return static_cast<double>(std::count_if(us.begin(), us.end(), [&](double x) { return x >= u; }));
  };
  const double smallest = count_at_least(most) / static_cast<double>(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    const LimitTest t = gate::stats::unpaired_beyond_limit(all[i].allowed, all[i].contender, worse);
    const double expected = count_at_least(us[i]) / static_cast<double>(all.size());
    BOOST_TEST_CONTEXT("arrangement " << i << " of " << all.size() << ", U = " << us[i]) {
      BOOST_TEST(t.exact);
      BOOST_TEST(t.statistic == us[i]);
      BOOST_TEST(t.most_extreme == most);
      BOOST_TEST(t.p_value == expected, tt::tolerance(1e-12));
      BOOST_TEST(t.smallest_p == smallest, tt::tolerance(1e-12));
    }
  }
}

// Does `call` throw gate::Error whose message contains `part`?
template <typename F>
bool throws_with(F call, const std::string& part) {
  try {
    call();
  } catch (const gate::Error& e) {
    BOOST_TEST_MESSAGE("gate::Error: " << e.what());
    return std::string(e.what()).find(part) != std::string::npos;
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(beyond_limit)

BOOST_AUTO_TEST_CASE(unpaired_without_ties_equals_enumeration) {
  check_against_enumeration({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 6, Worse::higher);
  check_against_enumeration({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 4, Worse::higher);
  check_against_enumeration({1, 2, 3, 4, 5, 6, 7, 8, 9}, 7, Worse::lower);
}

BOOST_AUTO_TEST_CASE(unpaired_with_ties_equals_enumeration) {
  // Ties within a side, across the sides, and a large group.
  check_against_enumeration({1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 7, 7}, 6, Worse::higher);
  check_against_enumeration({1, 1, 1, 1, 2, 2, 2, 3, 3, 4}, 4, Worse::higher);
  check_against_enumeration({5, 5, 5, 5, 5, 5, 6, 7}, 3, Worse::lower);
  check_against_enumeration({10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 11, 11, 12}, 6, Worse::higher);
}

BOOST_AUTO_TEST_CASE(unpaired_one_sample_a_side) {
  check_against_enumeration({1, 2}, 1, Worse::higher);
  check_against_enumeration({1, 2, 3, 4, 5, 6}, 1, Worse::higher);
  const std::vector<double> one{1.0};
  const std::vector<double> two{2.0};
  const LimitTest t = gate::stats::unpaired_beyond_limit(one, two, Worse::higher);
  BOOST_TEST(t.p_value == 0.5);
  BOOST_TEST(t.smallest_p == 0.5);
  BOOST_TEST(gate::stats::unpaired_beyond_limit(two, one, Worse::higher).p_value == 1.0);
}

BOOST_AUTO_TEST_CASE(unpaired_all_equal_is_no_evidence) {
  const std::vector<double> same(10, 42.0);
  const LimitTest t = gate::stats::unpaired_beyond_limit(same, same, Worse::higher);
  BOOST_TEST(t.statistic == 50.0);  // every pair a tie: ½ each
  BOOST_TEST(t.p_value == 1.0);
  BOOST_TEST(t.smallest_p == 1.0);  // no arrangement of equal values can say anything
  const LimitTest lower = gate::stats::unpaired_beyond_limit(same, same, Worse::lower);
  BOOST_TEST(lower.p_value == 1.0);
}

// P(U ≥ u) without ties, computed with R 4.2.2 (Debian 12's r-base-core):
// pwilcox(m·n − u, m, n), which is P(U ≤ m·n − u) = P(U ≥ u) by symmetry,
// and with scipy 1.10.1 (Debian's python3-scipy):
// scipy.stats._mannwhitneyu._mwu_state.sf(u, m, n); the two agree to all
// printed digits. 1/C(20, 10) = 5.412544112234515e-06 is
// mannwhitneyu(y, x, alternative='greater', method='exact') at complete
// separation of 10 against 10.
BOOST_AUTO_TEST_CASE(unpaired_matches_r_and_scipy) {
  struct Row {
    std::size_t m, n;
    double u, p;
  };
  const Row rows[] = {
      {5, 5, 25, 0.003968253968253968},     {5, 5, 20, 0.075396825396825393},
      {6, 8, 40, 0.021312021312021312},     {10, 10, 73, 0.044604776028924639},
      {10, 10, 77, 0.021628526272489117},   {10, 10, 97, 3.7887808785641607e-05},
      {10, 10, 100, 5.412544112234515e-06}, {9, 12, 90, 0.0046439628482972135},
      {20, 20, 300, 0.0030724778246178836}, {30, 30, 700, 7.1627469534132329e-05},
      {50, 50, 1800, 5.6977422840426159e-05},
  };
  for (const Row& r : rows) {
    BOOST_TEST_CONTEXT("m=" << r.m << " n=" << r.n << " u=" << r.u) {
      BOOST_TEST(gate::stats::unpaired_p_at(r.m, r.n, r.u) == r.p, tt::tolerance(1e-10));
      BOOST_TEST(gate::stats::unpaired_p_at(r.n, r.m, r.u) == r.p, tt::tolerance(1e-10));  // symmetric in the sizes
    }
  }
  // The same through samples: 10 against 10, completely separated.
  std::vector<double> base(10);
  std::vector<double> cont(10);
  for (int i = 0; i < 10; ++i) {
    base[static_cast<std::size_t>(i)] = 100 + i;
    cont[static_cast<std::size_t>(i)] = 200 + i;
  }
  const LimitTest t = gate::stats::unpaired_beyond_limit(base, cont, Worse::higher, 0.10);
  BOOST_TEST(t.p_value == 5.412544112234515e-06, tt::tolerance(1e-12));
  BOOST_TEST(gate::stats::unpaired_smallest_p(10, 10) == 5.412544112234515e-06, tt::tolerance(1e-12));
  BOOST_TEST(gate::stats::unpaired_smallest_p(5, 5) == 1.0 / 252, tt::tolerance(1e-12));
}

// unpaired_smallest_p() takes the top of the exact distribution without
// counting the rest of it: the very same double as the test's smallest_p,
// which counts every arrangement, at every size the exact test covers.
BOOST_AUTO_TEST_CASE(smallest_p_is_the_exact_tests_own) {
  for (std::size_t m : {1, 2, 3, 5, 10, 17, 40, 100}) {
    for (std::size_t n : {1, 2, 4, 10, 25, 100}) {
      if (m * n > 10'000) continue;
      std::vector<double> base(m);
      std::vector<double> cont(n);
      for (std::size_t i = 0; i < m; ++i) base[i] = 100 + static_cast<double>(i);
      for (std::size_t i = 0; i < n; ++i) cont[i] = 1000 + static_cast<double>(i);
      const LimitTest t = gate::stats::unpaired_beyond_limit(base, cont, Worse::higher, 0.10);
      BOOST_TEST_CONTEXT("m=" << m << " n=" << n) {
        BOOST_TEST(t.exact);
        BOOST_TEST(gate::stats::unpaired_smallest_p(m, n) == t.smallest_p);
        BOOST_TEST(gate::stats::unpaired_smallest_p(m, n) == gate::stats::unpaired_p_at(m, n, static_cast<double>(m * n)));
      }
    }
  }
  BOOST_TEST(gate::stats::unpaired_smallest_p(0, 10) == 1.0);
  BOOST_TEST(gate::stats::unpaired_smallest_p(10, 0) == 1.0);
}

// Exact conditional p-values with ties, computed with scipy 1.10.1's
// permutation_test(..., permutation_type='independent', n_resamples=inf,
// alternative='greater') on the statistic U counted pair by pair — a
// separate enumeration from the one above.
BOOST_AUTO_TEST_CASE(unpaired_with_ties_matches_scipy_permutation_test) {
  struct Row {
    std::vector<double> allowed, contender;
    double u, p;
  };
  const std::vector<Row> rows = {
      {{1, 2, 2, 3, 4}, {2, 3, 3, 5, 6}, 19, 0.10714285714285714},
      {{1, 1, 1, 2, 2, 2}, {1, 2, 2, 2, 3, 3}, 27, 0.11580086580086581},
      {{5, 5, 5, 5}, {5, 5, 5, 6}, 10, 0.5},
      {{3, 1, 4, 1, 5, 9, 2, 6}, {5, 3, 5, 8, 9, 7, 9, 3}, 47, 0.06270396270396271},
      {{10, 10, 10, 10, 10, 10, 10}, {10, 10, 10, 11, 11, 11, 12}, 38.5, 0.03496503496503497},
  };
  for (const Row& r : rows) {
    const LimitTest t = gate::stats::unpaired_beyond_limit(r.allowed, r.contender, Worse::higher);
    BOOST_TEST(t.statistic == r.u);
    BOOST_TEST(t.p_value == r.p, tt::tolerance(1e-12));
  }
}

BOOST_AUTO_TEST_CASE(relative_limit_scales_the_baseline) {
  // Contender 20% slower against a +10% limit: beyond it, every pair.
  const std::vector<double> base{100, 101, 102, 103, 104};
  const std::vector<double> slower{120, 121.2, 122.4, 123.6, 124.8};
  BOOST_TEST(gate::stats::unpaired_beyond_limit(base, slower, Worse::higher, 0.10).p_value == 1.0 / 252,
             tt::tolerance(1e-12));
  // 20% slower against a +25% limit: within it, nothing is beyond.
  BOOST_TEST(gate::stats::unpaired_beyond_limit(base, slower, Worse::higher, 0.25).statistic == 0.0);
  BOOST_TEST(gate::stats::unpaired_beyond_limit(base, slower, Worse::higher, 0.25).p_value == 1.0);
  // A rate 20% lower is worse than −10% allows; 20% higher is not.
  const std::vector<double> fewer{80, 80.8, 81.6, 82.4, 83.2};
  BOOST_TEST(gate::stats::unpaired_beyond_limit(base, fewer, Worse::lower, 0.10).p_value == 1.0 / 252,
             tt::tolerance(1e-12));
  BOOST_TEST(gate::stats::unpaired_beyond_limit(base, slower, Worse::lower, 0.10).p_value == 1.0);
  const std::vector<double> allowed = gate::stats::allowed_by_relative_limit(base, Worse::lower, 0.10);
  BOOST_TEST(allowed[0] == 90.0, tt::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(holds_its_level_on_the_limit_and_below_it) {
  // Contender exactly as slow as the limit allows (the boundary of H0): at
  // most 5% of p-values ≤ 0.05. Below the limit (+5% against +10%) far fewer.
  Normal draw(20261124);
  const int trials = 4000;
  int at_limit = 0;
  int below = 0;
  for (int i = 0; i < trials; ++i) {
    const auto base = draw.timings(10, 1000, 0.05);
    const auto cont = draw.timings(10, 1100, 0.05);
    const auto smaller = draw.timings(10, 1050, 0.05);
    at_limit += gate::stats::unpaired_beyond_limit(base, cont, Worse::higher, 0.10).p_value <= 0.05 ? 1 : 0;
    below += gate::stats::unpaired_beyond_limit(base, smaller, Worse::higher, 0.10).p_value <= 0.05 ? 1 : 0;
  }
  BOOST_TEST_MESSAGE("rejected at the limit " << at_limit << ", below it " << below << " of " << trials);
  // 0.05 plus three standard errors of a binomial share at 4,000 trials.
  BOOST_TEST(at_limit <= 0.05 * trials + 3 * std::sqrt(0.05 * 0.95 * trials));
  BOOST_TEST(at_limit >= 0.02 * trials);  // and not far below: the test is not blind
  BOOST_TEST(below <= 0.01 * trials);
}

BOOST_AUTO_TEST_CASE(a_clear_regression_reaches_the_smallest_p) {
  Normal draw(7);
  int at_smallest = 0;
  for (int i = 0; i < 200; ++i) {
    const auto base = draw.timings(10, 1000, 0.02);
    const auto cont = draw.timings(10, 1500, 0.02);
    const LimitTest t = gate::stats::unpaired_beyond_limit(base, cont, Worse::higher, 0.10);
    at_smallest += t.p_value == t.smallest_p ? 1 : 0;
  }
  BOOST_TEST(at_smallest == 200);
}

BOOST_AUTO_TEST_CASE(beyond_the_exact_sizes_the_normal_approximation_takes_over) {
  Normal draw(11);
  const auto base = draw.timings(120, 1000, 0.05);
  const auto same = draw.timings(120, 1100, 0.05);
  const auto slower = draw.timings(120, 1300, 0.05);
  const LimitTest t = gate::stats::unpaired_beyond_limit(base, same, Worse::higher, 0.10);
  BOOST_TEST(!t.exact);
  BOOST_TEST(t.p_value > 0.001);
  BOOST_TEST(t.p_value < 0.999);
  const LimitTest s = gate::stats::unpaired_beyond_limit(base, slower, Worse::higher, 0.10);
  BOOST_TEST(s.p_value < 1e-20);
  BOOST_TEST(s.p_value >= s.smallest_p);
  // Conservative in the far tail: the approximation's smallest p is larger
  // than the exact 1/C(240, 120) ≈ 1.1e-71 would be.
  BOOST_TEST(gate::stats::unpaired_smallest_p(120, 120) > 1e-70);
  BOOST_TEST(gate::stats::unpaired_smallest_p(120, 120) < 1e-20);
}

BOOST_AUTO_TEST_CASE(stratified_equals_enumeration_of_both_strata) {
  const std::vector<double> low{1, 2, 3, 3, 4, 5};    // 3 + 3, one tie
  const std::vector<double> high{10, 11, 12, 13, 14};  // 2 contender + 3 allowed
  const auto low_all = arrangements(low, 3);
  const auto high_all = arrangements(high, 2);
  std::vector<double> totals;
  for (const auto& a : low_all) {
    for (const auto& b : high_all) {
      totals.push_back(u_by_pairs(a.allowed, a.contender, Worse::higher) +
                       u_by_pairs(b.allowed, b.contender, Worse::higher));
    }
  }
  const double n = static_cast<double>(totals.size());
  std::size_t k = 0;
  for (const auto& a : low_all) {
    for (const auto& b : high_all) {
      const gate::stats::StratumSamples strata[] = {{a.allowed, a.contender}, {b.allowed, b.contender}};
      const LimitTest t = gate::stats::stratified_beyond_limit(strata, Worse::higher);
      const double expected =
          static_cast<double>(std::count_if(totals.begin(), totals.end(), [&](double u) { return u >= totals[k]; })) /
          n;
      BOOST_TEST(t.statistic == totals[k]);
      BOOST_TEST(t.p_value == expected, tt::tolerance(1e-12));
      ++k;
    }
  }
  // The smallest p of two strata is the product of theirs: 1/C(6, 3) and
  // 1/C(5, 2).
  const std::vector<double> a_allowed{1, 2, 3};
  const std::vector<double> a_cont{3.5, 4, 5};
  const std::vector<double> b_allowed{10, 11, 12};
  const std::vector<double> b_cont{13, 14};
  const gate::stats::StratumSamples strata[] = {{a_allowed, a_cont}, {b_allowed, b_cont}};
  BOOST_TEST(gate::stats::stratified_beyond_limit(strata, Worse::higher).smallest_p == 1.0 / 200,
             tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(stratified_skips_one_sided_strata_and_may_be_empty) {
  const std::vector<double> some{1, 2, 3};
  const std::vector<double> more{4, 5, 6};
  const std::vector<double> none;
  const gate::stats::StratumSamples strata[] = {{some, more}, {some, none}};
  const LimitTest t = gate::stats::stratified_beyond_limit(strata, Worse::higher);
  BOOST_TEST(t.p_value == 1.0 / 20, tt::tolerance(1e-12));
  BOOST_TEST(t.n_baseline == 3u);
  const gate::stats::StratumSamples empty[] = {{none, more}};
  const LimitTest e = gate::stats::stratified_beyond_limit(empty, Worse::higher);
  BOOST_TEST(e.p_value == 1.0);
  BOOST_TEST(e.smallest_p == 1.0);
}

// For every sign pattern of the magnitudes, the p-value of
// paired_beyond_limit() must be the share of the 2^n patterns whose R+ is at
// least as large, with midranks counted directly. The ratios are powers of
// two, whose logarithms are exact multiples of log 2 with either sign, so
// equal magnitudes stay tied.
void check_paired_against_enumeration(const std::vector<int>& exponents) {
  const std::size_t n = exponents.size();
  std::vector<double> midrank(n);
  for (std::size_t i = 0; i < n; ++i) {
    double below = 0;
    double equal = 0;
    for (std::size_t j = 0; j < n; ++j) {
      below += exponents[j] < exponents[i] ? 1 : 0;
      equal += exponents[j] == exponents[i] ? 1 : 0;
    }
    midrank[i] = below + (equal + 1) / 2;
  }
  const std::size_t patterns = std::size_t{1} << n;
  std::vector<double> r_plus(patterns, 0);
  for (std::size_t s = 0; s < patterns; ++s) {
    for (std::size_t i = 0; i < n; ++i) r_plus[s] += (s >> i & 1) != 0 ? midrank[i] : 0;
  }
  for (std::size_t s = 0; s < patterns; ++s) {
    std::vector<double> allowed(n, 1.0);
    std::vector<double> contender(n);
    for (std::size_t i = 0; i < n; ++i) contender[i] = std::ldexp(1.0, (s >> i & 1) != 0 ? exponents[i] : -exponents[i]);
    const LimitTest t = gate::stats::paired_beyond_limit(allowed, contender, Worse::higher);
    const double expected =
        static_cast<double>(std::count_if(r_plus.begin(), r_plus.end(), [&](double r) { return r >= r_plus[s]; })) /
        static_cast<double>(patterns);
    BOOST_TEST_CONTEXT("pattern " << s) {
      BOOST_TEST(t.statistic == r_plus[s]);
      BOOST_TEST(t.p_value == expected, tt::tolerance(1e-12));
      BOOST_TEST(t.smallest_p == 1.0 / static_cast<double>(patterns), tt::tolerance(1e-12));
    }
  }
}

BOOST_AUTO_TEST_CASE(paired_equals_enumeration_with_and_without_ties) {
  BOOST_REQUIRE(std::log(8.0) == -std::log(0.125));  // the premise of the tied magnitudes below
  check_paired_against_enumeration({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  check_paired_against_enumeration({1, 1, 2, 3, 3, 3, 4, 5, 5, 6});
  check_paired_against_enumeration({2, 2, 2, 2, 2, 2, 2, 2});
  check_paired_against_enumeration({7});
}

// P(R+ ≥ r) without ties, computed with R 4.2.2: psignrank(n(n+1)/2 − r, n);
// scipy 1.10.1's wilcoxon(d, alternative='greater', method='exact') gives
// 3.0517578125e-05 = 2^−15 for 15 positive differences.
BOOST_AUTO_TEST_CASE(paired_matches_r) {
  struct Row {
    std::size_t n;
    double r, p;
  };
  const Row rows[] = {
      {10, 55, 0.0009765625},         {10, 45, 0.0419921875},          {15, 100, 0.010772705078125003},
      {15, 120, 3.0517578125e-05},    {20, 180, 0.001827239990234375}, {25, 250, 0.0086561739444732649},
      {50, 900, 0.0052833241924981058}, {100, 3500, 0.00034360374826074112},
  };
  for (const Row& r : rows) {
    BOOST_TEST_CONTEXT("n=" << r.n << " r=" << r.r) {
      BOOST_TEST(gate::stats::paired_p_at(r.n, r.r) == r.p, tt::tolerance(1e-10));
    }
  }
  BOOST_TEST(gate::stats::paired_smallest_p(15) == std::ldexp(1.0, -15));
}

BOOST_AUTO_TEST_CASE(paired_tests_log_ratios_against_the_limit) {
  // Every round 20% slower against +10%: all ten beyond, p = 2^−10.
  std::vector<double> base{100, 90, 110, 105, 95, 101, 99, 120, 80, 100};
  std::vector<double> head;
  for (double b : base) head.push_back(b * 1.2);
  const LimitTest t = gate::stats::paired_beyond_limit(base, head, Worse::higher, 0.10);
  BOOST_TEST(t.p_value == std::ldexp(1.0, -10), tt::tolerance(1e-12));
  BOOST_TEST(t.statistic == 55.0);
  // Against +25% the same rounds are within the limit.
  BOOST_TEST(gate::stats::paired_beyond_limit(base, head, Worse::higher, 0.25).statistic == 0.0);
  // Rates: 20% fewer per second against −10%.
  std::vector<double> fewer;
  for (double b : base) fewer.push_back(b * 0.8);
  BOOST_TEST(gate::stats::paired_beyond_limit(base, fewer, Worse::lower, 0.10).p_value == std::ldexp(1.0, -10),
             tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(paired_pairs_at_the_limit_are_dropped) {
  const std::vector<double> allowed{1, 1, 1, 1};
  const std::vector<double> contender{1, 2, 1, 4};
  const LimitTest t = gate::stats::paired_beyond_limit(allowed, contender, Worse::higher);
  BOOST_TEST(t.n_baseline == 2u);
  BOOST_TEST(t.p_value == 0.25, tt::tolerance(1e-12));
  const LimitTest none = gate::stats::paired_beyond_limit(allowed, allowed, Worse::higher);
  BOOST_TEST(none.n_baseline == 0u);
  BOOST_TEST(none.p_value == 1.0);
  BOOST_TEST(none.smallest_p == 1.0);
}

BOOST_AUTO_TEST_CASE(paired_beyond_the_exact_sizes) {
  Normal draw(3);
  std::vector<double> base = draw.timings(500, 100, 0.05);
  std::vector<double> head;
  for (double b : base) head.push_back(b * 1.1 * std::exp(0.01 * draw()));
  const LimitTest t = gate::stats::paired_beyond_limit(base, head, Worse::higher, 0.10);
  BOOST_TEST(!t.exact);
  BOOST_TEST(t.p_value > 0.001);
  BOOST_TEST(t.p_value < 0.999);
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused) {
  const std::vector<double> ok{1, 2, 3};
  const std::vector<double> empty;
  const std::vector<double> nan{1, std::numeric_limits<double>::quiet_NaN(), 3};
  const std::vector<double> inf{1, 2, std::numeric_limits<double>::infinity()};
  const std::vector<double> zero{1, 0, 3};
  using gate::stats::paired_beyond_limit;
  using gate::stats::unpaired_beyond_limit;
  BOOST_TEST(throws_with([&] { (void)unpaired_beyond_limit(ok, nan, Worse::higher); }, "sample 1 of the contender is nan"));
  BOOST_TEST(throws_with([&] { (void)unpaired_beyond_limit(inf, ok, Worse::higher); }, "is inf"));
  BOOST_TEST(throws_with([&] { (void)unpaired_beyond_limit(empty, ok, Worse::higher); }, "no samples"));
  BOOST_TEST(throws_with([&] { (void)unpaired_beyond_limit(ok, ok, Worse::higher, -0.1); }, "not a finite fraction"));
  BOOST_TEST(throws_with([&] { (void)unpaired_beyond_limit(ok, ok, Worse::higher, std::nan("")); }, "not a finite"));
  BOOST_TEST(throws_with([&] { (void)paired_beyond_limit(ok, nan, Worse::higher); }, "is nan"));
  BOOST_TEST(throws_with([&] { (void)paired_beyond_limit(ok, zero, Worse::higher); }, "not both positive"));
  BOOST_TEST(throws_with([&] { (void)paired_beyond_limit(ok, std::vector<double>{1, 2}, Worse::higher); },
                         "pairs need both"));
  const gate::stats::StratumSamples strata[] = {{ok, nan}};
  BOOST_TEST(throws_with([&] { (void)gate::stats::stratified_beyond_limit(strata, Worse::higher); }, "stratum 0"));
}

BOOST_AUTO_TEST_SUITE_END()
