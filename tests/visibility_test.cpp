// tests/visibility_test.cpp — when a comparison can see a lone regression,
// the repetitions it would need, and the family of tests that can see.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gate/error.hpp"
#include "gate/stats/stats.hpp"
#include "gate/stats/beyond_limit.hpp"
#include "gate/stats/visibility.hpp"

namespace tt = boost::test_tools;
using gate::stats::Visibility;

namespace {

// C(n, k), exactly for the sizes used here.
double choose(std::size_t n, std::size_t k) {
  double c = 1;
  for (std::size_t i = 1; i <= k; ++i) c = c * static_cast<double>(n - k + i) / static_cast<double>(i);
  return c;
}

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

BOOST_AUTO_TEST_SUITE(visibility)

// The cases of the issue's table: 10 repetitions see a lone regression among
// up to 9,237 tests (0.05 · C(20, 10)); 5 repetitions not even among 100.
BOOST_AUTO_TEST_CASE(unpaired_cases_of_the_issue) {
  const Visibility big = gate::stats::unpaired_visibility(5000, 0.05, 10, 10);
  BOOST_TEST(big.needed_p == 1e-5, tt::tolerance(1e-12));
  BOOST_TEST(big.smallest_p == 1 / choose(20, 10), tt::tolerance(1e-12));
  BOOST_TEST(big.can_see);
  BOOST_TEST(big.slack == 0u);  // only complete separation passes
  BOOST_TEST(big.repetitions_needed.value_or(0) == 10u);

  BOOST_TEST(gate::stats::unpaired_visibility(9237, 0.05, 10, 10).can_see);
  BOOST_TEST(!gate::stats::unpaired_visibility(9238, 0.05, 10, 10).can_see);

  const Visibility small = gate::stats::unpaired_visibility(100, 0.05, 5, 5);
  BOOST_TEST(!small.can_see);
  BOOST_TEST(small.smallest_p == 1.0 / 252, tt::tolerance(1e-12));
  BOOST_TEST(small.slack == 0u);
  // 1/C(14, 7) = 2.9e-4 ≤ 5e-4 < 1/C(12, 6) = 1.1e-3.
  BOOST_TEST(small.repetitions_needed.value_or(0) == 7u);
  // With the baseline's 5 as they are: 1/C(14, 5) = 1/2002 ≤ 5e-4 < 1/C(13, 5).
  BOOST_TEST(small.contender_repetitions_needed.value_or(0) == 9u);
}

// At 10 against 10 among 1,000 tests (needed 5e-5), U may fall 3 short of
// 100: P(U ≥ 97) = (1 + 1 + 2 + 3)/C(20, 10) = 3.8e-5, P(U ≥ 96) = 6.5e-5 —
// the counts of U ≥ 100 − k are the partitions of k.
BOOST_AUTO_TEST_CASE(unpaired_slack_counts_pairs_out_of_order) {
  const Visibility v = gate::stats::unpaired_visibility(1000, 0.05, 10, 10);
  BOOST_TEST(v.can_see);
  BOOST_TEST(v.slack == 3u);
  BOOST_TEST(gate::stats::unpaired_p_at(10, 10, 97) <= v.needed_p);
  BOOST_TEST(gate::stats::unpaired_p_at(10, 10, 96) > v.needed_p);
}

// repetitions_needed is the first n whose 1/C(2n, n) reaches alpha/m,
// checked against the definition over a range of families.
BOOST_AUTO_TEST_CASE(unpaired_repetitions_needed_by_definition) {
  for (std::size_t m : {1, 2, 10, 29, 95, 100, 300, 1000, 2000, 5000, 20000, 100000}) {
    const Visibility v = gate::stats::unpaired_visibility(m, 0.05, 3, 3);
    const double needed = 0.05 / static_cast<double>(m);
    std::size_t n = 1;
    while (1 / choose(2 * n, n) > needed) ++n;
    BOOST_TEST_CONTEXT("m=" << m) {
      BOOST_TEST(v.repetitions_needed.value_or(0) == n);
      BOOST_TEST(v.can_see == (1 / choose(6, 3) <= needed));
    }
  }
}

BOOST_AUTO_TEST_CASE(one_baseline_repetition_cannot_be_made_up_by_the_contender) {
  // 1/C(1 + n, 1) = 1/(n + 1): 1,000 tests need n ≥ 19,999 — beyond the search.
  const Visibility v = gate::stats::unpaired_visibility(1000, 0.05, 1, 10);
  BOOST_TEST(!v.can_see);
  BOOST_TEST(!v.contender_repetitions_needed.has_value());
  BOOST_TEST(v.repetitions_needed.value_or(0) == 9u);
}

// Paired: 2^−n. 10 rounds see a lone regression among 29 tests, not 95
// (docs/noise.md measured exactly that with the two-sided test's 2^−9);
// 15 rounds among up to 1,638.
BOOST_AUTO_TEST_CASE(paired_cases) {
  BOOST_TEST(gate::stats::paired_visibility(29, 0.05, 10).can_see);
  const Visibility v95 = gate::stats::paired_visibility(95, 0.05, 10);
  BOOST_TEST(!v95.can_see);
  BOOST_TEST(v95.repetitions_needed.value_or(0) == 11u);
  BOOST_TEST(gate::stats::paired_visibility(1638, 0.05, 15).can_see);
  BOOST_TEST(!gate::stats::paired_visibility(1639, 0.05, 15).can_see);
  const Visibility v5000 = gate::stats::paired_visibility(5000, 0.05, 15);
  BOOST_TEST(v5000.smallest_p == std::ldexp(1.0, -15));
  BOOST_TEST(v5000.repetitions_needed.value_or(0) == 17u);  // 2^−17 = 7.6e-6 ≤ 1e-5
  BOOST_TEST(!v5000.contender_repetitions_needed.has_value());
  // 15 pairs among 95 tests: the pairs that went the other way may have rank
  // sum up to 6. The counts of R+ ≥ 120 − k are the numbers of ways to write
  // at most k as a sum of distinct ranks: P(R+ ≥ 114) = 14/32768 = 4.3e-4 ≤
  // 5.26e-4 < P(R+ ≥ 113) = 19/32768.
  const Visibility v = gate::stats::paired_visibility(95, 0.05, 15);
  BOOST_TEST(v.slack == 6u);
  BOOST_TEST(gate::stats::paired_p_at(15, 114) == 14.0 / 32768, tt::tolerance(1e-12));
  BOOST_TEST(gate::stats::paired_p_at(15, 113) == 19.0 / 32768, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(bad_families_are_refused) {
  BOOST_TEST(throws_with([] { (void)gate::stats::unpaired_visibility(0, 0.05, 10, 10); }, "0 tests"));
  BOOST_TEST(throws_with([] { (void)gate::stats::paired_visibility(10, 0, 10); }, "alpha 0"));
  BOOST_TEST(throws_with([] { (void)gate::stats::paired_visibility(10, 1, 10); }, "alpha 1"));
  const std::vector<double> bad{0.5, std::nan("")};
  BOOST_TEST(throws_with([&] { (void)gate::stats::seeing_tests(bad, 0.05); }, "smallest p-value 1 is nan"));
  const std::vector<double> zero{0.0};
  BOOST_TEST(throws_with([&] { (void)gate::stats::seeing_tests(zero, 0.05); }, "not in (0, 1]"));
  const std::vector<double> two{0.1, 0.2};
  const std::vector<double> one{0.1};
  BOOST_TEST(throws_with([&] { (void)gate::stats::adjust_seeing(two, one, 0.05); }, "2 p-values for 1"));
}

BOOST_AUTO_TEST_CASE(seeing_tests_of_equal_sizes_are_all_or_none) {
  const std::vector<double> ten(5000, gate::stats::unpaired_smallest_p(10, 10));
  const std::vector<bool> all = gate::stats::seeing_tests(ten, 0.05);
  BOOST_TEST(std::count(all.begin(), all.end(), true) == 5000);
  const std::vector<double> five(100, gate::stats::unpaired_smallest_p(5, 5));
  const std::vector<bool> none = gate::stats::seeing_tests(five, 0.05);
  BOOST_TEST(std::count(none.begin(), none.end(), true) == 0);
  BOOST_TEST(gate::stats::seeing_tests(std::vector<double>{}, 0.05).empty());
}

// Mixed sizes: 1,000 benchmarks with 10 repetitions and 1,000 with 5. All
// 2,000 in one family need 2.5e-5, which only the first thousand reach;
// without the 5-repetition ones the first thousand need 5e-5 and reach it.
BOOST_AUTO_TEST_CASE(tests_that_cannot_see_leave_the_family) {
  std::vector<double> smallest(1000, gate::stats::unpaired_smallest_p(10, 10));
  smallest.insert(smallest.end(), 1000, gate::stats::unpaired_smallest_p(5, 5));
  const std::vector<bool> seeing = gate::stats::seeing_tests(smallest, 0.05);
  for (std::size_t i = 0; i < smallest.size(); ++i) BOOST_TEST(seeing[i] == (i < 1000));

  // A handful that could see only among few others join when they are few:
  // 3 tests at 0.004 and 3 at 5.4e-6 need at most 0.05/6 = 0.0083: all see.
  const std::vector<double> few{0.004, 0.004, 0.004, 5.4e-6, 5.4e-6, 5.4e-6};
  const std::vector<bool> f = gate::stats::seeing_tests(few, 0.05);
  BOOST_TEST(std::count(f.begin(), f.end(), true) == 6);
}

BOOST_AUTO_TEST_CASE(adjust_seeing_is_benjamini_hochberg_over_the_family) {
  const std::vector<double> p{0.001, 0.2, 0.004, 0.03, 0.5};
  const std::vector<double> smallest{1e-6, 1e-6, 0.3, 1e-6, 1e-6};
  const gate::stats::FamilyAdjustment a = gate::stats::adjust_seeing(p, smallest, 0.05);
  BOOST_TEST(a.family == 4u);
  BOOST_TEST(!a.q[2].has_value());  // could never be significant: left out, whatever its p
  const std::vector<double> family{0.001, 0.2, 0.03, 0.5};
  const std::vector<double> q = gate::stats::benjamini_hochberg(family);
  BOOST_TEST(*a.q[0] == q[0]);
  BOOST_TEST(*a.q[1] == q[1]);
  BOOST_TEST(*a.q[3] == q[2]);
  BOOST_TEST(*a.q[4] == q[3]);
  BOOST_TEST(*a.q[0] == 0.004, tt::tolerance(1e-12));  // 4/1 · 0.001
}

// The false discovery rate stays at most alpha with the limit test and the
// family of seeing tests, in the worst case of the null: every unchanged
// benchmark exactly as slow as its limit allows. 200 benchmarks × 10
// repetitions, 20 of them 50% slower, 500 comparisons.
BOOST_AUTO_TEST_CASE(false_discovery_rate_is_controlled_at_the_limit) {
  std::mt19937_64 engine(42);
  auto uniform = [&] { return (static_cast<double>(engine() >> 11) + 0.5) * 0x1.0p-53; };
  auto normal = [&] {
    return std::sqrt(-2 * std::log(uniform())) * std::cos(2 * std::numbers::pi * uniform());
  };
  double fdp_sum = 0;
  std::size_t caught = 0;
  const int comparisons = 500;
  for (int c = 0; c < comparisons; ++c) {
    std::vector<double> p;
    std::vector<double> smallest;
    for (int b = 0; b < 200; ++b) {
      const double factor = b < 20 ? 1.5 : 1.1;  // +50%, or exactly at the +10% limit
      std::vector<double> base(10);
      std::vector<double> cont(10);
      for (double& v : base) v = 100 * std::exp(0.05 * normal());
      for (double& v : cont) v = 100 * factor * std::exp(0.05 * normal());
      const auto t = gate::stats::unpaired_beyond_limit(base, cont, gate::stats::Worse::higher, 0.10);
      p.push_back(t.p_value);
      smallest.push_back(t.smallest_p);
    }
    const auto a = gate::stats::adjust_seeing(p, smallest, 0.05);
    std::size_t rejected = 0;
    std::size_t false_ones = 0;
    for (std::size_t b = 0; b < p.size(); ++b) {
      if (a.q[b] && *a.q[b] < 0.05) {
        ++rejected;
        false_ones += b >= 20 ? 1 : 0;
        caught += b < 20 ? 1 : 0;
      }
    }
    fdp_sum += rejected == 0 ? 0.0 : static_cast<double>(false_ones) / static_cast<double>(rejected);
  }
  const double fdr = fdp_sum / comparisons;
  BOOST_TEST_MESSAGE("false discovery rate " << fdr << ", regressions caught " << caught << " of " << 20 * comparisons);
  BOOST_TEST(fdr <= 0.05);
  BOOST_TEST(caught >= 19 * comparisons);  // and the regressions are found
}

BOOST_AUTO_TEST_SUITE_END()
