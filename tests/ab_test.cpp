// tests/ab_test.cpp — same-job A/B: the Wilcoxon signed-rank test against
// scipy, A/B bundles written and read back, paired judgement (compare_ab) on
// bundles built in memory, run_ab and confirm() on real Google Benchmark
// binaries.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "gate/formats/bundle.hpp"
#include "gate/judge/judge.hpp"
#include "gate/workflow/confirm.hpp"
#include "gate/error.hpp"
#include "gate/run/run.hpp"
#include "gate/formats/google_benchmark.hpp"
#include "gate/model/metrics.hpp"
#include "gate/policy/policy.hpp"
#include "gate/stats/signed_rank.hpp"
#include "model_builders.hpp"
#include "test_programs.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
namespace tt = boost::test_tools;
using namespace gate;
using gate::stats::SignedRankMethod;

namespace programs = gate::test::programs;
using gate::test::ab_bundle;
using gate::test::bench;
using gate::test::contains;
using gate::test::find;
using gate::test::find_target;
using gate::test::suite;

namespace {
// A/B samples carry their round: sample i was measured in round i + 1.
Metric metric(const std::string& name, std::vector<double> values, bool with_rounds = true) {
  return gate::test::metric(name, std::move(values), with_rounds);
}
}  // namespace

namespace {

// ---------------------------------------------------------------- building bundles

// Uniform doubles in [-1, 1) from mt19937_64's bits: the engine's output is
// fixed by the standard, the library's distributions are not.
class Jitter {
 public:
  explicit Jitter(std::uint64_t seed) : m_engine(seed) {}
  double operator()() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-52 - 1.0; }

 private:
  std::mt19937_64 m_engine;
};

// The machine drifts during the job: round r of N runs slower by up to
// `drift` (0.3 = 30%) for both builds alike; each measurement has its own
// noise of up to ±`noise`.
std::vector<double> drifting(double level, int rounds, double drift, double noise, std::uint64_t seed) {
  Jitter jitter(seed);
  std::vector<double> out;
  for (int r = 0; r < rounds; ++r) {
    double machine = 1.0 + drift * r / (rounds - 1);
    out.push_back(level * machine * (1.0 + noise * jitter()));
  }
  return out;
}

Policy threshold_5() { return parse_policy(R"({"defaults": {"threshold": "+5%"}})", "ab-gate.json"); }

// ---------------------------------------------------------------- real binaries

// Two build directories holding the test suite under one name, "bench", as
// two builds of one project would.
struct Builds {
  explicit Builds(const char* head_program, const char* base_program = programs::good_bench) {
    fs::create_directories(base);
    fs::create_directories(head);
    fs::copy_file(base_program, base / "bench");
    fs::copy_file(head_program, head / "bench");
  }
  test::TempDir dir;
  fs::path base = dir / "base";
  fs::path head = dir / "head";
};

Policy bench_policy() {
  return parse_policy(R"({"suites": [{"name": "prog", "binary": "bench", "args": ["--benchmark_min_time=0.01"],
                                      "timeout": "60s"}]})",
                      "ab-gate.json");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ab)

// ---------------------------------------------------------------- signed-rank

namespace {

// Reference values from scipy 1.10.1 (Debian 12's python3-scipy), computed by
//   from scipy.stats import wilcoxon
//   wilcoxon(d, alternative='two-sided', method='exact')                    # no zeros, no ties
//   wilcoxon(d, alternative='two-sided', method='approx', correction=True)  # ties, zeros, n > 50
// with the d listed; the statistic is scipy's min(R+, R-).
struct Reference {
  const char* name;
  std::vector<double> d;
  SignedRankMethod method;
  double statistic;
  double p_value;
};

const std::vector<Reference>& references() {
  static const std::vector<Reference> refs = {
      {"exact n=8", {0.1, -0.3, 0.25, 0.4, 0.05, 0.33, -0.12, 0.21}, SignedRankMethod::exact, 9.0, 0.25},
      {"exact n=10, all positive",
       {0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1},
       SignedRankMethod::exact,
       0.0,
       0.001953125},
      {"exact n=4, R+ at the centre", {1.0, -2.0, -3.0, 4.0}, SignedRankMethod::exact, 5.0, 1.0},
      {"exact n=20",
       {0.114791, 0.096932, -0.014302, -0.067826, 0.035531, 0.170346, 0.183358, 0.14083, 0.084656, 0.210003,
        0.173284, 0.027968, -0.056196, 0.013543, 0.007998, 0.118751, -0.139912, 0.030863, 0.217122, -0.042028},
       SignedRankMethod::exact,
       41.0,
       0.01531219482421875},
      {"exact n=15, all negative",
       {-0.117923, -0.084213, -0.150891, -0.086481, -0.080783, -0.080233, -0.129426, -0.098292, -0.047309,
        -0.115728, -0.05264, -0.047224, -0.15135, -0.112265, -0.047234},
       SignedRankMethod::exact,
       0.0,
       6.103515625e-05},
      {"approx with ties",
       {1.0, 1.0, 2.0, -2.0, 3.0, 3.0, 3.0, -1.0, 4.0, 5.0, 0.5, -0.5},
       SignedRankMethod::asymptotic,
       12.0,
       0.03689961955597318},
      {"approx with zeros", {0.0, 1.5, -0.5, 2.0, 2.0, 3.0, -1.0, 4.0, 0.0, 2.5}, SignedRankMethod::asymptotic, 3.0,
       0.04206273335676607},
      {"approx n=60",
       {0.069349,  0.037938,  -0.014862, 0.030856,  0.207477,  -0.002146, 0.077965,  -0.021675, 0.000167,
        0.084803,  -0.0729,   -0.004242, -0.041031, -0.065871, 0.037575,  0.143982,  0.042141,  -0.018177,
        -0.125112, 0.101896,  0.041046,  -0.043131, 0.106144,  0.177423,  -0.143165, 0.079033,  0.104585,
        0.078053,  0.180176,  0.082538,  -0.070353, 0.400013,  0.034619,  0.168211,  0.216611,  0.108145,
        -0.159811, -0.150397, -0.04776,  0.023407,  -0.118883, -0.073715, -0.024509, -0.027511, 0.038862,
        0.027257,  0.016124,  -0.041771, -0.06324,  -0.171092, 0.146749,  0.039547,  0.056952,  -0.151736,
        0.095116,  0.011197,  0.116834,  -0.048617, 0.119836,  0.16394},
       SignedRankMethod::asymptotic,
       652.0,
       0.05330759028804456},
  };
  return refs;
}

}  // namespace

BOOST_AUTO_TEST_CASE(signed_rank_p_values_match_scipy) {
  for (const auto& ref : references()) {
    BOOST_TEST_CONTEXT(ref.name) {
      auto r = stats::wilcoxon_signed_rank(ref.d, ref.method);
      BOOST_TEST(r.statistic == ref.statistic);
      BOOST_TEST(r.p_value == ref.p_value, tt::tolerance(1e-12));
      BOOST_TEST(r.exact == (ref.method == SignedRankMethod::exact));
    }
  }
}

BOOST_AUTO_TEST_CASE(signed_rank_automatic_is_exact_only_without_ties_zeros_or_large_n) {
  const auto& refs = references();
  auto automatic = [](const Reference& ref) { return stats::wilcoxon_signed_rank(ref.d); };
  // No ties, no zeros, n ≤ 50: the exact answer.
  BOOST_TEST(automatic(refs[0]).exact);
  BOOST_TEST(automatic(refs[3]).p_value == refs[3].p_value, tt::tolerance(1e-12));
  // Ties, zeros, or more than 50: the normal approximation, as tabulated.
  for (std::size_t i : {5u, 6u, 7u}) {
    BOOST_TEST_CONTEXT(refs[i].name) {
      auto r = automatic(refs[i]);
      BOOST_TEST(!r.exact);
      BOOST_TEST(r.p_value == refs[i].p_value, tt::tolerance(1e-12));
    }
  }
  // Zeros are dropped before ranking: n counts the others.
  BOOST_TEST(automatic(refs[6]).n == 8u);
}

BOOST_AUTO_TEST_CASE(signed_rank_of_nothing_or_only_zeros_is_no_evidence) {
  std::vector<double> none;
  std::vector<double> zeros{0.0, 0.0, 0.0};
  BOOST_TEST(stats::wilcoxon_signed_rank(none).p_value == 1.0);
  auto z = stats::wilcoxon_signed_rank(zeros);
  BOOST_TEST(z.p_value == 1.0);
  BOOST_TEST(z.n == 0u);
  std::vector<double> bad{0.1, std::nan(""), 0.2};
  BOOST_CHECK_EXCEPTION((void)stats::wilcoxon_signed_rank(bad), Error, [](const Error& e) {
    return std::string(e.what()) == "computing the wilcoxon signed-rank test: difference 1 is nan";
  });
}

// ---------------------------------------------------------------- bundle format

BOOST_AUTO_TEST_CASE(an_ab_bundle_reads_back_and_older_readers_see_the_head_side) {
  RunBundle b = ab_bundle(suite({bench("BM_A", {metric("cpu_time", {10, 11, 12})})}),
                          suite({bench("BM_A", {metric("cpu_time", {20, 21, 22})})}), 3);
  b.ab->seed = 4242;
  b.ab->first["bench_demo"] = "bhb";
  b.suites[0].benchmarks[0].metrics[0].rounds = {1, 3, 2};
  const std::string text = write_bundle(b);
  RunBundle back = parse_bundle(text, "ab.json");
  BOOST_REQUIRE(back.ab.has_value());
  BOOST_TEST(back.ab->base_build_dir == "build/base");
  BOOST_TEST(back.ab->head_build_dir == "build/head");
  BOOST_TEST(back.ab->rounds == 3);
  BOOST_TEST(back.ab->seed == 4242u);
  BOOST_TEST(back.ab->first.at("bench_demo") == "bhb");
  BOOST_TEST(back.ab->base_suites.at(0).benchmarks.at(0).metrics.at(0).samples == (std::vector<double>{10, 11, 12}));
  BOOST_TEST(back.suites.at(0).benchmarks.at(0).metrics.at(0).rounds == (std::vector<int>{1, 3, 2}));
  BOOST_TEST(write_bundle(back) == text);  // deterministic, nothing lost

  // Without its "ab" key (what a reader that does not know it keeps) the file
  // is a plain run of the head build.
  auto at = text.find(",\n  \"ab\": {");
  BOOST_REQUIRE(at != std::string::npos);
  std::string plain = text.substr(0, at) + "\n}\n";
  RunBundle head_only = parse_bundle(plain, "plain.json");
  BOOST_TEST(!head_only.ab.has_value());
  BOOST_TEST(head_only.suites.at(0).benchmarks.at(0).metrics.at(0).samples == (std::vector<double>{20, 21, 22}));

  // A bundle without A/B writes neither key.
  RunBundle none = b;
  none.ab.reset();
  none.suites[0].benchmarks[0].metrics[0].rounds.clear();
  const std::string none_text = write_bundle(none);
  BOOST_TEST(!contains(none_text, "\"ab\""));
  BOOST_TEST(!contains(none_text, "\"rounds\""));
}

BOOST_AUTO_TEST_CASE(rounds_that_do_not_match_the_samples_are_refused) {
  RunBundle b = ab_bundle(suite({bench("BM_A", {metric("cpu_time", {10, 11, 12})})}),
                          suite({bench("BM_A", {metric("cpu_time", {20, 21, 22})})}), 3);
  b.suites[0].benchmarks[0].metrics[0].rounds = {1, 2};
  BOOST_CHECK_EXCEPTION((void)parse_bundle(write_bundle(b), "ab.json"), Error, [](const Error& e) {
    return contains(e.what(), "metric 'cpu_time' has 2 rounds for 3 samples");
  });
}

// ---------------------------------------------------------------- compare_ab

BOOST_AUTO_TEST_CASE(pairs_see_an_8_percent_regression_through_30_percent_drift) {
  const int n = 15;
  // Both builds drift together by 30% over the job; the head build is 8%
  // slower in every round, and each run has ±3% of its own noise.
  Suite base = suite({bench("BM_Hot", {metric("cpu_time", drifting(1000, n, 0.30, 0.03, 1))})});
  Suite head = suite({bench("BM_Hot", {metric("cpu_time", drifting(1080, n, 0.30, 0.03, 2))})});
  RunBundle b = ab_bundle(base, head, n);
  Comparison c = compare_ab(b, threshold_5());
  const Verdict* v = find(c, "BM_Hot", "cpu_time");
  BOOST_REQUIRE(v != nullptr);
  BOOST_TEST(to_string(v->status) == "regressed", v->note());
  BOOST_TEST(*v->change > 0.06);
  BOOST_TEST(*v->change < 0.10);
  BOOST_TEST((v->test == Test::signed_rank_beyond_limit));
  BOOST_TEST(to_string(v->statistic) == "median ratio");
  BOOST_TEST(v->n_baseline == 15u);
  BOOST_TEST(v->n_contender == 15u);
  BOOST_TEST(*v->p_value < 0.001);
  BOOST_TEST(v->threshold == "+5%");
  BOOST_TEST(c.exit_code() == 1);
  BOOST_TEST((c.method == Method::paired));
  BOOST_REQUIRE(c.ab.has_value());
  BOOST_TEST(c.ab->rounds == 15);
}

BOOST_AUTO_TEST_CASE(pairs_see_through_drift_that_hides_the_change_from_an_unpaired_test) {
  const int n = 15;
  // The machine slows to half its speed during the job. Each build's samples
  // now spread over a factor of two, and an 8% shift is lost in that spread
  // for a test that cannot tell which base run sat beside which head run.
  Suite base = suite({bench("BM_Hot", {metric("cpu_time", drifting(1000, n, 1.0, 0.02, 21))})});
  Suite head = suite({bench("BM_Hot", {metric("cpu_time", drifting(1080, n, 1.0, 0.02, 22))})});
  Comparison paired = compare_ab(ab_bundle(base, head, n), threshold_5());
  BOOST_TEST(to_string(find(paired, "BM_Hot", "cpu_time")->status) == "regressed");

  RunBundle lone_base;
  lone_base.suites.push_back(base);
  RunBundle lone_head;
  lone_head.suites.push_back(head);
  Comparison unpaired = compare(lone_base, lone_head, threshold_5());
  const Verdict* u = find(unpaired, "BM_Hot", "cpu_time");
  BOOST_REQUIRE(u != nullptr);
  BOOST_TEST(to_string(u->status) != "regressed");
}

BOOST_AUTO_TEST_CASE(the_same_build_twice_with_drift_is_unchanged) {
  const int n = 15;
  Suite base = suite({bench("BM_Hot", {metric("cpu_time", drifting(1000, n, 0.30, 0.03, 3)),
                                       metric("items_per_second", drifting(5e6, n, -0.2, 0.03, 4))})});
  Suite head = suite({bench("BM_Hot", {metric("cpu_time", drifting(1000, n, 0.30, 0.03, 5)),
                                       metric("items_per_second", drifting(5e6, n, -0.2, 0.03, 6))})});
  Comparison c = compare_ab(ab_bundle(base, head, n), threshold_5());
  const Verdict* v = find(c, "BM_Hot", "cpu_time");
  BOOST_REQUIRE(v != nullptr);
  BOOST_TEST(to_string(v->status) == "unchanged", v->note());
  BOOST_TEST(std::abs(*v->change) < 0.03);
  BOOST_TEST(c.exit_code() == 0);
}

BOOST_AUTO_TEST_CASE(a_lower_rate_regresses_and_a_faster_build_improves) {
  const int n = 12;
  auto policy = parse_policy(R"({"rules": [{"match": "BM_Rate", "primary_metric": "items_per_second",
                                            "items_per_second": "-5%"}]})",
                             "ab-gate.json");
  Suite base = suite({bench("BM_Rate", {metric("items_per_second", drifting(1e6, n, 0.2, 0.02, 7))}),
                      bench("BM_Fast", {metric("cpu_time", drifting(1000, n, 0.2, 0.02, 8))})});
  Suite head = suite({bench("BM_Rate", {metric("items_per_second", drifting(0.85e6, n, 0.2, 0.02, 9))}),
                      bench("BM_Fast", {metric("cpu_time", drifting(700, n, 0.2, 0.02, 10))})});
  Comparison c = compare_ab(ab_bundle(base, head, n), policy);
  BOOST_TEST(to_string(find(c, "BM_Rate", "items_per_second")->status) == "regressed");
  BOOST_TEST(to_string(find(c, "BM_Fast", "cpu_time")->status) == "improved");
  // Worst first.
  BOOST_TEST(c.verdicts.front().name == "BM_Rate");
}

BOOST_AUTO_TEST_CASE(pairs_are_made_by_round) {
  const int n = 12;
  // The head build lost round 4 (a failed sample); the base build's samples
  // are listed in another order. Pairing by position would compare round 5
  // of the base with round 6 of the head.
  std::vector<double> base_samples = drifting(1000, n, 1.0, 0.0, 11);  // strong drift, no noise
  std::vector<double> head_samples;
  std::vector<int> head_rounds;
  for (int r = 1; r <= n; ++r) {
    if (r == 4) continue;
    head_samples.push_back(base_samples[static_cast<std::size_t>(r - 1)] * 1.02);
    head_rounds.push_back(r);
  }
  Metric bm = metric("cpu_time", base_samples);
  std::reverse(bm.samples.begin(), bm.samples.end());
  std::reverse(bm.rounds.begin(), bm.rounds.end());
  Metric hm = metric("cpu_time", head_samples, false);
  hm.rounds = head_rounds;
  Comparison c = compare_ab(ab_bundle(suite({bench("BM_P", {bm})}), suite({bench("BM_P", {hm})}), n), threshold_5());
  const Verdict* v = find(c, "BM_P", "cpu_time");
  BOOST_TEST(v->n_contender == 11u);
  BOOST_TEST(*v->change == 0.02, tt::tolerance(1e-9));  // every pair's ratio is exactly 1.02
  BOOST_TEST(to_string(v->status) == "unchanged");       // 2% is within +5%
}

BOOST_AUTO_TEST_CASE(identical_code_cannot_fail_on_timing) {
  const int n = 15;
  Suite base = suite({bench("BM_Hot", {metric("cpu_time", drifting(1000, n, 0.3, 0.03, 12))})});
  Suite head = suite({bench("BM_Hot", {metric("cpu_time", drifting(1200, n, 0.3, 0.03, 13))})});
  BinarySize size;
  size.path = "bench";
  size.file_size = 1000;
  size.text_hash = "0123456789abcdef";
  base.binary = size;
  head.binary = size;
  Comparison c = compare_ab(ab_bundle(base, head, n), threshold_5());
  const Verdict* v = find(c, "BM_Hot", "cpu_time");
  BOOST_TEST(to_string(v->status) == "noisy");
  BOOST_TEST(contains(v->note(), "would be regressed, but the code is unchanged (identical .text)"), v->note());
  BOOST_TEST(c.exit_code() == 0);
  BOOST_TEST(c.unchanged_code_suites == std::vector<std::string>{"bench_demo"});
  BOOST_TEST(contains(c.notices.at(0), "code unchanged (identical .text) in bench_demo"), c.notices.at(0));
}

// Fits of `n` rounds: the class of round r is classes[r % size].
std::vector<ComplexityFit> fits(const std::string& family, std::vector<std::string> classes, int n) {
  std::vector<ComplexityFit> out;
  for (int r = 1; r <= n; ++r) {
    ComplexityFit f;
    f.family = family;
    f.big_o = classes[static_cast<std::size_t>(r) % classes.size()];
    f.round = r;
    out.push_back(f);
  }
  return out;
}

BOOST_AUTO_TEST_CASE(complexity_classes_are_judged_round_by_round) {
  const int n = 15;
  Suite base = suite({});
  Suite head = suite({});
  // Base N lgN in every round; head N^2 in 10 of 15 rounds (one noisy fit
  // in three reads N lgN).
  base.complexity = fits("BM_Evict", {"NlgN"}, n);
  head.complexity = fits("BM_Evict", {"N^2", "N^2", "NlgN"}, n);
  // One wild head fit in 15 does not make a regression.
  for (auto f : fits("BM_Sort", {"NlgN"}, n)) base.complexity.push_back(f);
  auto sort_head = fits("BM_Sort", {"NlgN"}, n);
  sort_head[3].big_o = "N^3";
  for (auto f : sort_head) head.complexity.push_back(f);
  for (auto f : fits("BM_Const", {"(1)"}, n)) base.complexity.push_back(f);
  for (auto f : fits("BM_Const", {"(1)"}, n)) head.complexity.push_back(f);
  Comparison c = compare_ab(ab_bundle(base, head, n), threshold_5());

  const Verdict* constant = find(c, "BM_Const", "complexity");
  BOOST_REQUIRE(constant != nullptr);
  BOOST_TEST(constant->baseline_text == "O(1)");  // Google Benchmark writes "(1)"
  const Verdict* evict = find(c, "BM_Evict", "complexity");
  BOOST_REQUIRE(evict != nullptr);
  BOOST_TEST(to_string(evict->status) == "regressed");
  BOOST_TEST(evict->baseline_text == "O(NlgN)");
  BOOST_TEST(evict->contender_text == "O(N^2)");
  BOOST_TEST(evict->note() == "worse in 10 and better in 0 of 15 rounds");
  BOOST_TEST((evict->test == Test::fits_by_round));
  BOOST_TEST(c.fails(*evict));
  const Verdict* sort = find(c, "BM_Sort", "complexity");
  BOOST_REQUIRE(sort != nullptr);
  BOOST_TEST(to_string(sort->status) == "unchanged");
  BOOST_TEST(sort->note() == "worse in 1 and better in 0 of 15 rounds");
  BOOST_TEST(c.exit_code() == 1);

  // Identical code cannot change class.
  BinarySize size;
  size.path = "bench";
  size.text_hash = "0123456789abcdef";
  base.binary = size;
  head.binary = size;
  const Comparison identical = compare_ab(ab_bundle(base, head, n), threshold_5());
  const Verdict* same = find(identical, "BM_Evict", "complexity");
  BOOST_REQUIRE(same != nullptr);
  BOOST_TEST(to_string(same->status) == "noisy");

  // The fits survive the bundle: every round's, with its round.
  RunBundle back = parse_bundle(write_bundle(ab_bundle(base, head, n)), "ab.json");
  BOOST_REQUIRE(back.suites[0].complexity.size() == 3u * n);
  BOOST_TEST(back.suites[0].complexity[4].round == 5);
}

BOOST_AUTO_TEST_CASE(deterministic_metrics_targets_and_sizes_are_judged_as_against_a_baseline) {
  const int n = 10;
  auto policy = parse_policy(R"({"defaults": {"limits": {"allocs_per_iter": "+0%"}},
                                 "rules": [{"match": "BM_T", "p95": "< 900ns"}]})",
                             "ab-gate.json");
  Suite base = suite({bench("BM_T", {metric("cpu_time", drifting(1000, n, 0.1, 0.02, 14)),
                                     metric("allocs_per_iter", std::vector<double>(n, 1.0))})});
  Suite head = suite({bench("BM_T", {metric("cpu_time", drifting(1000, n, 0.1, 0.02, 15)),
                                     metric("allocs_per_iter", std::vector<double>(n, 2.0))})});
  BinarySize small;
  small.path = "bench";
  small.file_size = 1'000'000;
  small.text_hash = "aaaa";
  BinarySize big = small;
  big.file_size = 1'200'000;
  big.text_hash = "bbbb";
  base.binary = small;
  head.binary = big;
  Comparison c = compare_ab(ab_bundle(base, head, n), policy);
  const Verdict* allocs = find(c, "BM_T", "allocs_per_iter");
  BOOST_REQUIRE(allocs != nullptr);
  BOOST_TEST(to_string(allocs->status) == "regressed");
  BOOST_TEST((allocs->test == Test::exact));
  const Verdict* target = find_target(c, "BM_T", "cpu_time");
  BOOST_REQUIRE(target != nullptr);
  BOOST_TEST(to_string(target->status) == "target missed");  // the head build's p95 is about 1.1 us
  const Verdict* size = find(c, "bench_demo", "size");
  BOOST_REQUIRE(size != nullptr);
  BOOST_TEST(to_string(size->status) == "budget exceeded");  // +20% against the default +10% or +5MB
  BOOST_TEST(*size->baseline == 1'000'000.0);
  BOOST_TEST(c.exit_code() == 1);
}

BOOST_AUTO_TEST_CASE(a_suite_failed_in_either_build_cannot_be_judged) {
  Suite base = suite({bench("BM_A", {metric("cpu_time", {1, 2, 3, 4, 5, 6})})});
  Suite head = base;
  base.failure = "round 3 of 10: died of signal 11 (SIGSEGV: segmentation fault)";
  Comparison c = compare_ab(ab_bundle(base, head, 10), threshold_5());
  BOOST_TEST(c.exit_code() == 2);
  BOOST_REQUIRE(!c.verdicts.empty());
  BOOST_TEST(to_string(c.verdicts.front().status) == "failed");
  BOOST_TEST(c.verdicts.front().note().rfind("the base build: round 3 of 10", 0) == 0u, c.verdicts.front().note());
}

BOOST_AUTO_TEST_CASE(new_and_missing_benchmarks_and_a_plain_bundle_refused) {
  Suite base = suite({bench("BM_Old", {metric("cpu_time", {1, 2, 3, 4, 5, 6})})});
  Suite head = suite({bench("BM_New", {metric("cpu_time", {1, 2, 3, 4, 5, 6})})});
  Comparison c = compare_ab(ab_bundle(base, head, 6), threshold_5());
  BOOST_TEST(to_string(find(c, "BM_New", "cpu_time")->status) == "new");
  BOOST_TEST(to_string(find(c, "BM_Old", "cpu_time")->status) == "missing");

  RunBundle plain;
  plain.source = "run.json";
  plain.suites.push_back(head);
  BOOST_CHECK_EXCEPTION((void)compare_ab(plain, threshold_5()), Error, [](const Error& e) {
    return std::string(e.what()).rfind("judging 'run.json' as an a/b run: it holds only one build's results", 0) == 0;
  });
}

// ---------------------------------------------------------------- exact-name filters

BOOST_AUTO_TEST_CASE(exact_name_filters_match_only_those_names) {
  const std::vector<std::string> names = {"BM_Sum/64", "BM_F<int>(1)/x.y", "BM_a|b", "BM_[r]+{2}$^?*\\"};
  const std::string f = exact_names_filter(names);
  BOOST_TEST(f == R"(^(BM_Sum/64|BM_F<int>\(1\)/x\.y|BM_a\|b|BM_\[r]\+\{2}\$\^\?\*\\)$)");
  for (auto flavour : {std::regex::extended, std::regex::ECMAScript}) {
    std::regex re(f, flavour);
    for (const auto& n : names) BOOST_TEST(std::regex_search(n, re), n);
    for (const char* other : {"BM_Sum/640", "xBM_Sum/64", "BM_Sum/6", "BM_a", "BM_F<int>11/xzy"}) {
      BOOST_TEST(!std::regex_search(std::string(other), re), other);
    }
  }
  BOOST_CHECK_THROW((void)exact_names_filter({}), Error);
}

// ---------------------------------------------------------------- run_ab and confirm on real binaries

BOOST_AUTO_TEST_CASE(run_ab_interleaves_two_builds_round_by_round) {
  Builds builds(programs::good_bench_slower);
  AbOptions options;
  options.base_build_dir = builds.base;
  options.run.build_dir = builds.head;
  options.run.repetitions = 6;
  options.run.repo_dir = "";
  options.seed = 7;
  RunBundle b = run_ab(bench_policy(), options);
  BOOST_REQUIRE(b.ab.has_value());
  BOOST_TEST(b.ab->rounds == 6);
  BOOST_TEST(b.ab->seed == 7u);
  BOOST_REQUIRE(b.suites.size() == 1u);
  BOOST_REQUIRE(b.ab->base_suites.size() == 1u);
  const std::string& first = b.ab->first.at("prog");
  BOOST_TEST(first.size() == 6u);
  for (std::size_t i = 1; i < first.size(); ++i) BOOST_TEST(first[i] != first[i - 1]);  // alternating
  for (const Suite* side : {&b.suites[0], &b.ab->base_suites[0]}) {
    BOOST_TEST(!side->failure.has_value());
    BOOST_REQUIRE(side->binary.has_value());
    BOOST_TEST(!side->binary->text_hash.empty());
    const Metric* m = side->find("BM_Sum/512")->metric("cpu_time");
    BOOST_TEST(m->samples.size() == 6u);
    BOOST_TEST(m->rounds == (std::vector<int>{1, 2, 3, 4, 5, 6}));
  }
  // Two different builds: their code differs.
  BOOST_TEST(b.suites[0].binary->text_hash != b.ab->base_suites[0].binary->text_hash);
  BOOST_TEST(parse_bundle(write_bundle(b), "b.json").ab->base_suites.size() == 1u);
}

BOOST_AUTO_TEST_CASE(run_ab_with_instrument_counts_instructions_of_both_builds) {
  Builds builds(programs::good_bench_slower);
  AbOptions options;
  options.base_build_dir = builds.base;
  options.run.build_dir = builds.head;
  options.run.repetitions = 3;
  options.run.instrument = true;
  options.run.repo_dir = "";
  RunBundle b = run_ab(bench_policy(), options);
  const Metric* base = b.ab->base_suites.at(0).find("BM_Sum/512")->metric("instructions");
  const Metric* head = b.suites.at(0).find("BM_Sum/512")->metric("instructions");
  BOOST_REQUIRE(base != nullptr);
  BOOST_REQUIRE(head != nullptr);
  BOOST_TEST(base->samples.size() == 1u);
  // Two more passes over 512 values: well over twice the instructions.
  BOOST_TEST(head->samples[0] > base->samples[0] * 2);
  CompareOptions instructions;
  instructions.metric = "instructions";
  Comparison c = compare_ab(b, bench_policy(), instructions);
  const Verdict* v = find(c, "BM_Sum/512", "instructions");
  BOOST_REQUIRE(v != nullptr);
  BOOST_TEST(to_string(v->status) == "regressed");
  BOOST_TEST((v->test == Test::exact));
  BOOST_TEST(to_string(find(c, "BM_Sum/64", "instructions")->status) == "unchanged");
}

BOOST_AUTO_TEST_CASE(run_ab_refuses_a_build_without_the_suites_and_marks_suites_new_in_head) {
  Builds builds(programs::good_bench);
  AbOptions options;
  options.base_build_dir = builds.dir / "nowhere";
  options.run.build_dir = builds.head;
  options.run.repetitions = 2;
  options.run.repo_dir = "";
  BOOST_CHECK_EXCEPTION((void)run_ab(bench_policy(), options), Error, [](const Error& e) {
    return std::string(e.what()).rfind("running an a/b pair: the base build '", 0) == 0 &&
           contains(e.what(), "has none of the suite binaries (bench)");
  });

  // Two suites, one of them only in the head build: its benchmarks are new.
  fs::copy_file(programs::good_bench, builds.head / "extra");
  auto policy = parse_policy(R"({"suites": [
      {"name": "prog", "binary": "bench", "args": ["--benchmark_min_time=0.01"]},
      {"name": "extra", "binary": "extra", "args": ["--benchmark_min_time=0.01"]}]})",
                             "ab-gate.json");
  options.base_build_dir = builds.base;
  RunBundle b = run_ab(policy, options);
  BOOST_TEST(b.suites.size() == 2u);
  BOOST_TEST(b.ab->base_suites.size() == 1u);
  Comparison c = compare_ab(b, policy);
  const Verdict* fresh = nullptr;
  for (const auto& v : c.verdicts) {
    if (v.suite == "extra" && v.name == "BM_Sum/64") fresh = &v;
  }
  BOOST_REQUIRE(fresh != nullptr);
  BOOST_TEST(to_string(fresh->status) == "new");
}

BOOST_AUTO_TEST_CASE(callgrind_counts_of_several_threads_are_noisy_in_pairs_too) {
  // The same rule as against a baseline (compare_test): one walk judges both.
  auto side = [](double instructions) {
    Suite s = suite({bench("BM_Conc/threads:4", {metric("instructions", {instructions}, false)})});
    s.benchmarks[0].threads = 4;
    return s;
  };
  auto policy = parse_policy(R"({"defaults": {"primary_metric": "instructions"}})", "ab-gate.json");
  Comparison c = compare_ab(ab_bundle(side(1159), side(1325), 10), policy);
  const Verdict* v = find(c, "BM_Conc/threads:4", "instructions");
  BOOST_REQUIRE(v != nullptr);
  BOOST_TEST(to_string(v->status) == "noisy");
  BOOST_TEST(contains(v->note(), "a callgrind count of 4 threads depends on how valgrind scheduled them"), v->note());
  BOOST_TEST(c.exit_code() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
