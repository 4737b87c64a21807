// tests/stats_test.cpp — location, spread, percentiles, Mann–Whitney U against scipy, Benjamini–Hochberg.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "gate/error.hpp"
#include "gate/stats/stats.hpp"
#include "test_support.hpp"

namespace tt = boost::test_tools;
using gate::stats::MannWhitneyMethod;

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();

// Does `call` throw gate::Error whose message starts with `prefix`?
template <typename F>
bool throws_starting_with(F call, const std::string& prefix) {
  try {
    call();
  } catch (const gate::Error& e) {
    const std::string what = e.what();
    BOOST_TEST_MESSAGE("gate::Error: " << what);
    return what.rfind(prefix, 0) == 0;
  }
  return false;
}

// Uniform doubles in [0, 1) from mt19937_64's bits: the engine's output is
// fixed by the standard, the library's distributions are not, so the noise
// tests see the same numbers with every standard library.
class Uniform {
 public:
  explicit Uniform(std::uint64_t seed) : m_engine(seed) {}
  double operator()() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
  std::vector<double> draw(std::size_t n, double offset = 0) {
    std::vector<double> out(n);
    for (double& v : out) {
      v = (*this)() + offset;
    }
    return out;
  }

 private:
  std::mt19937_64 m_engine;
};

std::vector<double> numbers(const nlohmann::json& array) { return array.get<std::vector<double>>(); }

MannWhitneyMethod method_named(const std::string& name) {
  if (name == "exact") {
    return MannWhitneyMethod::exact;
  }
  if (name == "asymptotic") {
    return MannWhitneyMethod::asymptotic;
  }
  BOOST_REQUIRE_EQUAL(name, "auto");
  return MannWhitneyMethod::automatic;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(stats)

BOOST_AUTO_TEST_CASE(median_of_odd_and_even_counts_unsorted) {
  const std::vector<double> odd{9, 1, 5, 3, 7};
  const std::vector<double> even{4, 1, 3, 2};
  BOOST_TEST(gate::stats::median(odd) == 5.0);
  BOOST_TEST(gate::stats::median(even) == 2.5);
  BOOST_TEST(gate::stats::median(std::vector<double>{42}) == 42.0);
  BOOST_TEST((odd == std::vector<double>{9, 1, 5, 3, 7}));  // the input is not reordered
}

BOOST_AUTO_TEST_CASE(percentile_interpolates_between_closest_ranks) {
  // Sorted: 15 20 35 40 50; h = 4·p/100. NumPy's np.percentile gives the same.
  const std::vector<double> x{35, 50, 15, 40, 20};
  BOOST_TEST(gate::stats::percentile(x, 0) == 15.0);
  BOOST_TEST(gate::stats::percentile(x, 25) == 20.0);  // h = 1
  BOOST_TEST(gate::stats::percentile(x, 40) == 29.0, tt::tolerance(1e-12));  // h = 1.6: 20 + 0.6·15
  BOOST_TEST(gate::stats::percentile(x, 90) == 46.0, tt::tolerance(1e-12));  // h = 3.6: 40 + 0.6·10
  BOOST_TEST(gate::stats::percentile(x, 100) == 50.0);
  // 1 … 10, p95: h = 8.55, between 9 and 10.
  const std::vector<double> ten{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  BOOST_TEST(gate::stats::percentile(ten, 95) == 9.55, tt::tolerance(1e-12));
  BOOST_TEST(gate::stats::percentile(std::vector<double>{7}, 63) == 7.0);
}

BOOST_AUTO_TEST_CASE(p50_is_the_median_exactly) {
  Uniform uniform(7);
  for (std::size_t n = 1; n <= 12; ++n) {
    const auto x = uniform.draw(n, -0.5);
    BOOST_TEST(gate::stats::percentile(x, 50) == gate::stats::median(x), "n = " << n);
  }
}

BOOST_AUTO_TEST_CASE(percentile_does_not_overflow_between_huge_values_of_opposite_sign) {
  const std::vector<double> x{-1e308, 1e308};
  BOOST_TEST(gate::stats::median(x) == 0.0);
  BOOST_TEST(std::isfinite(gate::stats::percentile(x, 30)));
}

BOOST_AUTO_TEST_CASE(mean_stddev_and_cv) {
  // Mean 5, squared deviations sum to 32: sample variance 32/7.
  const std::vector<double> x{2, 4, 4, 4, 5, 5, 7, 9};
  BOOST_TEST(gate::stats::mean(x) == 5.0);
  BOOST_TEST(gate::stats::stddev(x) == std::sqrt(32.0 / 7.0), tt::tolerance(1e-14));
  BOOST_TEST(gate::stats::cv(x) == std::sqrt(32.0 / 7.0) / 5.0, tt::tolerance(1e-14));
  BOOST_TEST(gate::stats::min(x) == 2.0);
  BOOST_TEST(gate::stats::max(x) == 9.0);
}

BOOST_AUTO_TEST_CASE(stddev_keeps_its_digits_far_from_zero) {
  // The one-pass sum-of-squares formula returns 0 or garbage here.
  const std::vector<double> x{1e9 + 1, 1e9 + 2, 1e9 + 3};
  BOOST_TEST(gate::stats::stddev(x) == 1.0, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(cv_conventions_for_no_spread_and_zero_mean) {
  BOOST_TEST(gate::stats::cv(std::vector<double>{3, 3, 3}) == 0.0);
  BOOST_TEST(gate::stats::cv(std::vector<double>{0, 0}) == 0.0);
  BOOST_TEST(gate::stats::cv(std::vector<double>{-1, 1}) == infinity);
  BOOST_TEST(gate::stats::cv(std::vector<double>{-4, -6}) == std::sqrt(2.0) / 5.0, tt::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(mad_and_its_scaled_forms) {
  // Median 2; deviations 1 1 0 0 2 4 7, whose median is 1.
  const std::vector<double> x{9, 1, 2, 4, 1, 6, 2};
  BOOST_TEST(gate::stats::mad(x) == 1.0);
  BOOST_TEST(gate::stats::mad_sigma(x) == 1.482602218505602, tt::tolerance(1e-15));  // scipy, scale='normal'
  BOOST_TEST(gate::stats::robust_cv(x) == 1.482602218505602 / 2.0, tt::tolerance(1e-15));
  // One wild outlier moves neither the median nor the MAD.
  std::vector<double> outlier = x;
  outlier[0] = 1e6;
  BOOST_TEST(gate::stats::mad(outlier) == 1.0);
  BOOST_TEST(gate::stats::mad(std::vector<double>{1, 2, 3, 4}) == 1.0);  // deviations 1.5 .5 .5 1.5
  BOOST_TEST(gate::stats::robust_cv(std::vector<double>{5, 5, 5}) == 0.0);
  BOOST_TEST(gate::stats::robust_cv(std::vector<double>{-1, 0, 1}) == infinity);
}

BOOST_AUTO_TEST_CASE(empty_input_throws) {
  const std::vector<double> none;
  const std::vector<double> some{1, 2};
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::median(none); }, "computing the median: no samples"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::mean(none); }, "computing the mean: no samples"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::stddev(none); }, "computing the standard deviation"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::mad(none); }, "computing the median absolute"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::mad_sigma(none); }, "computing the median absolute"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::cv(none); }, "computing the coefficient"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::robust_cv(none); }, "computing the robust"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::min(none); }, "computing the minimum"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::max(none); }, "computing the maximum"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::percentile(none, 50); }, "computing a percentile"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::mann_whitney_u(none, some); },
                                  "computing the mann-whitney u test: no samples of x"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::mann_whitney_u(some, none); },
                                  "computing the mann-whitney u test: no samples of y"));
}

BOOST_AUTO_TEST_CASE(nan_and_infinity_throw) {
  const std::vector<double> with_nan{1, 2, not_a_number};
  const std::vector<double> with_inf{infinity, 1};
  const std::vector<double> fine{1, 2, 3};
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::median(with_nan); },
                                  "computing the median: sample 2 is nan"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::mean(with_inf); }, "computing the mean: sample 0 is inf"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::max(std::vector<double>{-infinity}); },
                                  "computing the maximum"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::mann_whitney_u(fine, with_nan); },
                                  "computing the mann-whitney u test: sample 2 of y is nan"));
}

BOOST_AUTO_TEST_CASE(spread_of_one_sample_and_bad_percentiles_throw) {
  const std::vector<double> one{4};
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::stddev(one); },
                                  "computing the standard deviation: needs at least 2 samples, got 1"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::cv(one); },
                                  "computing the coefficient of variation: needs"));
  BOOST_TEST(gate::stats::mad(one) == 0.0);  // the MAD of one value is defined: nothing deviates
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::percentile(one, 100.5); },
                                  "computing a percentile: 'p100.5'"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::percentile(one, -1); }, "computing a percentile"));
  BOOST_TEST(throws_starting_with([&] { (void)gate::stats::percentile(one, not_a_number); }, "computing a percentile"));
}

BOOST_AUTO_TEST_CASE(mann_whitney_hand_worked_example) {
  // scipy's documentation example. U1 counts pairs with male > female: 17.
  // Exact: 2·P(U ≤ 3) for sizes 5 and 4; U = 0, 1, 2, 3 are reached by 1, 1,
  // 2, 3 of the C(9, 4) = 126 arrangements, so p = 2·7/126 = 1/9.
  const std::vector<double> males{19, 22, 16, 29, 24};
  const std::vector<double> females{20, 11, 17, 12};
  const auto r = gate::stats::mann_whitney_u(males, females);
  BOOST_TEST(r.u == 17.0);
  BOOST_TEST(r.exact);
  BOOST_TEST(r.p_value == 1.0 / 9.0, tt::tolerance(1e-14));
  const auto swapped = gate::stats::mann_whitney_u(females, males);
  BOOST_TEST(swapped.u == 3.0);
  BOOST_TEST(swapped.p_value == r.p_value, tt::tolerance(1e-15));
  // Complete separation of 30 against 30, exact: only one arrangement of the
  // C(60, 30) = 118264581564861424 has U = 0.
  std::vector<double> low(30);
  std::vector<double> high(30);
  for (std::size_t i = 0; i < 30; ++i) {
    low[i] = static_cast<double>(i);
    high[i] = 100.0 + static_cast<double>(i);
  }
  const auto separated = gate::stats::mann_whitney_u(high, low, MannWhitneyMethod::exact);
  BOOST_TEST(separated.u == 900.0);
  BOOST_TEST(separated.p_value == 2.0 / 118264581564861424.0, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(mann_whitney_matches_scipy_reference_table) {
  const auto table = nlohmann::json::parse(gate::test::read_file(gate::test::data("stats/mwu_reference.json")));
  BOOST_TEST_MESSAGE("reference: scipy " << table.at("scipy_version").get<std::string>() << ", "
                                         << table.at("call").get<std::string>());
  const auto& cases = table.at("cases");
  BOOST_TEST_REQUIRE(cases.size() >= 60U);
  std::size_t exact = 0;
  std::size_t asymptotic = 0;
  double worst = 0;
  for (const auto& c : cases) {
    const auto name = c.at("name").get<std::string>();
    BOOST_TEST_CONTEXT("case " << name) {
      const auto x = numbers(c.at("x"));
      const auto y = numbers(c.at("y"));
      const auto r = gate::stats::mann_whitney_u(x, y, method_named(c.at("method").get<std::string>()));
      const double expected = c.at("p_value").get<double>();
      BOOST_TEST(r.u == c.at("u").get<double>());
      BOOST_TEST(r.exact == c.at("exact").get<bool>());
      BOOST_TEST(r.p_value == expected, tt::tolerance(1e-9));
      worst = std::max(worst, std::abs(r.p_value - expected) / expected);
      (r.exact ? exact : asymptotic) += 1;
    }
  }
  BOOST_TEST_MESSAGE("worst relative difference from scipy: " << worst);
  // The table must exercise both branches, not only the one that is easy.
  BOOST_TEST(exact >= 20U);
  BOOST_TEST(asymptotic >= 20U);
}

BOOST_AUTO_TEST_CASE(mann_whitney_identical_samples_are_no_evidence) {
  const std::vector<double> same{5, 5, 5, 5};
  const auto r = gate::stats::mann_whitney_u(same, same);
  BOOST_TEST(!std::isnan(r.p_value));
  BOOST_TEST(r.p_value == 1.0);
  BOOST_TEST(r.u == 8.0);
  BOOST_TEST(gate::stats::mann_whitney_u(same, same, MannWhitneyMethod::exact).p_value == 1.0);
}

BOOST_AUTO_TEST_CASE(mann_whitney_on_pure_noise_rejects_about_five_percent) {
  // 1,000 comparisons of two samples of 10 from the same distribution: the
  // test is calibrated, so about 5% fall below 0.05 (a little fewer: the
  // continuity correction is conservative). The seed is fixed, so the count
  // is the same every run; the bounds are ±3.5 binomial standard deviations.
  Uniform uniform(20261123);
  int rejected = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto a = uniform.draw(10);
    const auto b = uniform.draw(10);
    rejected += gate::stats::mann_whitney_u(a, b).p_value < 0.05 ? 1 : 0;
  }
  BOOST_TEST_MESSAGE("noise: " << rejected << " of 1000 below 0.05");
  BOOST_TEST(rejected >= 26);
  BOOST_TEST(rejected <= 74);
  // And it has power: the same noise shifted by half its width is found
  // nearly every time.
  int found = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto a = uniform.draw(10);
    const auto b = uniform.draw(10, 0.5);
    found += gate::stats::mann_whitney_u(a, b).p_value < 0.05 ? 1 : 0;
  }
  BOOST_TEST_MESSAGE("shifted: " << found << " of 1000 below 0.05");
  BOOST_TEST(found >= 850);
}

BOOST_AUTO_TEST_CASE(welch_matches_scipy) {
  // t and p from /usr/bin/python3, scipy 1.10.1:
  //   scipy.stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False)
  struct Case {
    double m1, s1;
    std::size_t n1;
    double m2, s2;
    std::size_t n2;
    double t, p;
  };
  const Case cases[] = {
      {35000, 4200, 10, 38500, 4620, 10, -1.7726484575479877, 0.093363417534674},
      {1.0, 0.5, 2, 1.2, 0.3, 3, -0.5080005080007619, 0.6762800174517307},
      {100, 3, 30, 90, 4, 25, 10.314212462587934, 2.686571935339474e-13},
      {5, 0, 10, 7, 2, 8, -2.82842712474619, 0.025463561683239266},
      {0.0, 1, 50, 0.8, 1.3, 40, -3.2064192642248095, 0.0020070727276420776},
      {1000, 1, 30, 900, 1, 30, 387.29833462074174, 1.112581156819769e-100},
      {3, 0.2, 4, 2.5, 0.9, 12, 1.796053020267749, 0.09502327223857199},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT("means " << c.m1 << " and " << c.m2) {
      const auto r = gate::stats::welch_t_test(c.m1, c.s1, c.n1, c.m2, c.s2, c.n2);
      BOOST_TEST(r.t == c.t, tt::tolerance(1e-12));
      BOOST_TEST(r.p_value == c.p, tt::tolerance(1e-9));
    }
  }
  // Equal means: t = 0, p = 1 (scipy agrees).
  BOOST_TEST(gate::stats::welch_t_test(10, 1, 5, 10, 1, 5).p_value == 1.0);
}

BOOST_AUTO_TEST_CASE(welch_without_noise_and_bad_input) {
  // scipy: NaN for the first, -inf and 0 for the second; NaN must not reach a judgement.
  const auto same = gate::stats::welch_t_test(7, 0, 5, 7, 0, 6);
  BOOST_TEST(same.t == 0.0);
  BOOST_TEST(same.p_value == 1.0);
  const auto different = gate::stats::welch_t_test(7, 0, 5, 8, 0, 6);
  BOOST_TEST(different.t == -infinity);
  BOOST_TEST(different.p_value == 0.0);
  BOOST_TEST(throws_starting_with([] { (void)gate::stats::welch_t_test(1, 1, 1, 2, 1, 5); },
                                  "computing welch's t-test: needs at least 2 samples a side, got 1 and 5"));
  BOOST_TEST(throws_starting_with([] { (void)gate::stats::welch_t_test(1, -1, 3, 2, 1, 5); },
                                  "computing welch's t-test"));
  BOOST_TEST(throws_starting_with([] { (void)gate::stats::welch_t_test(not_a_number, 1, 3, 2, 1, 5); },
                                  "computing welch's t-test"));
}

BOOST_AUTO_TEST_CASE(benjamini_hochberg_hand_worked) {
  // m = 6. Sorted p with rank j and m/j·p:
  //   j=1 p=0.005 (input 3)  6/1·0.005 = 0.03
  //   j=2 p=0.01  (input 0)  6/2·0.01  = 0.03
  //   j=3 p=0.035 (input 2)  6/3·0.035 = 0.07  → min with j ≥ 3: 0.06 (from j=4)
  //   j=4 p=0.04  (input 1)  6/4·0.04  = 0.06
  //   j=5 p=0.20  (input 4)  6/5·0.20  = 0.24
  //   j=6 p=0.50  (input 5)  6/6·0.50  = 0.50
  // q in input order: 0.03 0.06 0.06 0.03 0.24 0.50. At α = 0.05 only inputs
  // 0 and 3 are discoveries, though input 2's raw p was below 0.05 too.
  const std::vector<double> p{0.01, 0.04, 0.035, 0.005, 0.20, 0.50};
  const std::vector<double> expected{0.03, 0.06, 0.06, 0.03, 0.24, 0.50};
  const auto q = gate::stats::benjamini_hochberg(p);
  BOOST_TEST_REQUIRE(q.size() == expected.size());
  for (std::size_t i = 0; i < q.size(); ++i) {
    BOOST_TEST(q[i] == expected[i], tt::tolerance(1e-14));
  }
}

BOOST_AUTO_TEST_CASE(benjamini_hochberg_ties_edges_and_bad_input) {
  BOOST_TEST(gate::stats::benjamini_hochberg(std::vector<double>{}).empty());
  BOOST_TEST(gate::stats::benjamini_hochberg(std::vector<double>{0.3}) == std::vector<double>{0.3});
  // Equal p-values: equal q-values, 3/3·0.02 for all.
  BOOST_TEST((gate::stats::benjamini_hochberg(std::vector<double>{0.02, 0.02, 0.02}) ==
              std::vector<double>{0.02, 0.02, 0.02}));
  // 2/1·0.9 = 1.8 gives way to the larger p's 0.95.
  BOOST_TEST((gate::stats::benjamini_hochberg(std::vector<double>{0.95, 0.9}) == std::vector<double>{0.95, 0.95}));
  BOOST_TEST((gate::stats::benjamini_hochberg(std::vector<double>{0.0, 1.0}) == std::vector<double>{0.0, 1.0}));
  for (double bad : {not_a_number, -0.1, 1.5}) {
    BOOST_TEST(throws_starting_with([&] { (void)gate::stats::benjamini_hochberg(std::vector<double>{0.1, bad}); },
                                    "adjusting p-values for the false discovery rate: p-value 1 is"));
  }
}

BOOST_AUTO_TEST_CASE(benjamini_hochberg_matches_its_definition_on_random_input) {
  // The definition computed the slow way, O(m²), from ranks found by counting.
  Uniform uniform(99);
  for (std::size_t m : {2U, 7U, 50U}) {
    auto p = uniform.draw(m);
    for (std::size_t i = 0; i < m; i += 5) {
      p[i] *= 0.01;  // some small ones, as real regressions would give
    }
    const auto q = gate::stats::benjamini_hochberg(p);
    for (std::size_t i = 0; i < m; ++i) {
      double slow = 1;
      for (std::size_t j = 0; j < m; ++j) {
        if (p[j] >= p[i]) {
          std::size_t rank = 0;  // how many p-values are ≤ p[j]
          for (double other : p) {
            rank += other <= p[j] ? 1 : 0;
          }
          slow = std::min(slow, static_cast<double>(m) / static_cast<double>(rank) * p[j]);
        }
      }
      BOOST_TEST(q[i] == slow, tt::tolerance(1e-14));
      BOOST_TEST(q[i] >= p[i]);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
