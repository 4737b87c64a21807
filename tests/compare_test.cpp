// tests/compare_test.cpp — verdicts from baseline × contender × policy, on
// bundles built in memory (the CLI tests use recorded Google Benchmark files).
#include <boost/test/unit_test.hpp>

#include <random>

#include "gate/compare.hpp"
#include "gate/error.hpp"
#include "gate/metrics.hpp"
#include "gate/policy.hpp"

using namespace gate;

namespace {

// Ten repetitions around `median` with a relative spread of about `cv`,
// deterministic for a given seed.
std::vector<double> samples(double median, double cv, unsigned seed, std::size_t n = 10) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, cv);
  std::vector<double> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(median * (1.0 + noise(rng)));
  return out;
}

Metric metric(const std::string& name, std::vector<double> values) {
  Metric m;
  m.name = name;
  auto info = describe_metric(name);
  m.unit = info.unit;
  m.direction = info.direction;
  m.kind = info.kind;
  m.samples = std::move(values);
  return m;
}

Benchmark bench(const std::string& name, std::vector<Metric> metrics) {
  Benchmark b;
  b.name = name;
  b.repetitions = static_cast<int>(metrics.empty() ? 0 : metrics.front().samples.size());
  b.metrics = std::move(metrics);
  return b;
}

RunBundle bundle(std::vector<Benchmark> benchmarks, const std::string& source) {
  RunBundle r;
  r.source = source;
  Suite s;
  s.name = "bench_demo";
  s.benchmarks = std::move(benchmarks);
  r.suites.push_back(std::move(s));
  return r;
}

// A suite of three timing benchmarks, the given seed making it a fresh draw.
RunBundle three(unsigned seed, double scale_b = 1.0) {
  std::vector<Benchmark> bs;
  bs.push_back(bench("BM_A", {metric("cpu_time", samples(1000, 0.02, seed)), metric("real_time", samples(1000, 0.02, seed + 1))}));
  bs.push_back(bench("BM_B/64", {metric("cpu_time", samples(5000 * scale_b, 0.02, seed + 2)),
                                 metric("real_time", samples(5000 * scale_b, 0.02, seed + 3))}));
  bs.push_back(bench("BM_C", {metric("cpu_time", samples(200, 0.02, seed + 4)), metric("real_time", samples(200, 0.02, seed + 5))}));
  return bundle(std::move(bs), seed == 1 ? "base.json" : "cont.json");
}

const Verdict* find(const Comparison& c, const std::string& bench, const std::string& metric) {
  for (const auto& v : c.verdicts) {
    if (v.benchmark == bench && v.metric == metric) return &v;
  }
  return nullptr;
}

std::size_t count(const Comparison& c, Status s) { return c.counts()[static_cast<std::size_t>(s)]; }

}  // namespace

BOOST_AUTO_TEST_SUITE(compare_suite)

BOOST_AUTO_TEST_CASE(identical_results_are_unchanged_and_pass) {
  auto base = three(1);
  auto c = compare(base, base, default_policy());
  BOOST_TEST(c.exit_code() == 0);
  BOOST_TEST(c.verdicts.size() == 3u);
  BOOST_TEST(count(c, Status::unchanged) == 3u);
}

BOOST_AUTO_TEST_CASE(a_benchmark_25_percent_slower_regresses_alone_with_its_numbers) {
  auto c = compare(three(1), three(100, 1.25), default_policy());
  BOOST_TEST(c.exit_code() == 1);
  BOOST_TEST(count(c, Status::regressed) == 1u);
  const Verdict& v = c.verdicts.front();  // worst first
  BOOST_TEST(v.benchmark == "BM_B/64");
  BOOST_TEST(v.metric == "cpu_time");
  BOOST_TEST((v.status == Status::regressed));
  BOOST_TEST(*v.change > 0.2);
  BOOST_TEST(*v.change < 0.3);
  BOOST_TEST(v.threshold == "+10%");
  BOOST_TEST(v.n_baseline == 10u);
  BOOST_TEST(v.n_contender == 10u);
  BOOST_TEST(*v.p_value < 0.001);
  BOOST_TEST(*v.q_value >= *v.p_value);
  BOOST_TEST(v.test == "mann-whitney u");
  BOOST_TEST(v.statistic == "median");
}

BOOST_AUTO_TEST_CASE(a_faster_benchmark_is_improved_and_passes) {
  auto c = compare(three(1), three(100, 0.7), default_policy());
  BOOST_TEST(c.exit_code() == 0);
  BOOST_TEST((find(c, "BM_B/64", "cpu_time")->status == Status::improved));
}

BOOST_AUTO_TEST_CASE(a_change_within_the_threshold_is_unchanged) {
  auto c = compare(three(1), three(100, 1.05), default_policy());
  BOOST_TEST(c.exit_code() == 0);
  BOOST_TEST((find(c, "BM_B/64", "cpu_time")->status == Status::unchanged));
}

BOOST_AUTO_TEST_CASE(a_baseline_too_spread_to_judge_is_noisy_not_failed) {
  auto base = bundle({bench("BM_N", {metric("cpu_time", samples(1000, 0.4, 7))})}, "b");
  auto cont = bundle({bench("BM_N", {metric("cpu_time", samples(1150, 0.4, 8))})}, "c");
  auto c = compare(base, cont, default_policy());
  BOOST_TEST(c.exit_code() == 0);
  const Verdict* v = find(c, "BM_N", "cpu_time");
  BOOST_TEST((v->status == Status::noisy));
  BOOST_TEST(!v->note.empty());
}

BOOST_AUTO_TEST_CASE(too_few_repetitions_cannot_fail) {
  auto base = bundle({bench("BM_1", {metric("cpu_time", {1000})})}, "b");
  auto cont = bundle({bench("BM_1", {metric("cpu_time", {2000})})}, "c");
  auto c = compare(base, cont, default_policy());
  BOOST_TEST(c.exit_code() == 0);
  const Verdict* v = find(c, "BM_1", "cpu_time");
  BOOST_TEST((v->status == Status::noisy));
  BOOST_TEST(v->note.find("min_repetitions") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_lower_rate_is_a_regression) {
  auto base = bundle({bench("BM_R", {metric("cpu_time", samples(1000, 0.01, 1)),
                                     metric("items_per_second", samples(1e6, 0.01, 2))})},
                     "b");
  auto cont = bundle({bench("BM_R", {metric("cpu_time", samples(1000, 0.01, 3)),
                                     metric("items_per_second", samples(0.8e6, 0.01, 4))})},
                     "c");
  auto policy = parse_policy(R"({"rules": [{"match": "BM_R", "items_per_second": "-5%"}]})", "gate.json");
  auto c = compare(base, cont, policy);
  BOOST_TEST(c.exit_code() == 1);
  BOOST_TEST((find(c, "BM_R", "items_per_second")->status == Status::regressed));
  BOOST_TEST((find(c, "BM_R", "cpu_time")->status == Status::unchanged));
}

BOOST_AUTO_TEST_CASE(a_counter_rule_fails_on_its_own) {
  auto make = [](double widgets, unsigned seed) {
    return bundle({bench("BM_W", {metric("cpu_time", samples(1000, 0.01, seed)),
                                  metric("widgets", samples(widgets, 0.01, seed + 1))})},
                  "x");
  };
  auto policy = parse_policy(R"({"metrics": {"widgets": {"direction": "lower"}}, "rules": [{"match": "BM_*", "widgets": "+5%"}]})", "gate.json");
  auto c = compare(make(100, 1), make(120, 10), policy);
  BOOST_TEST(c.exit_code() == 1);
  BOOST_TEST(count(c, Status::regressed) == 1u);
  BOOST_TEST((find(c, "BM_W", "widgets")->status == Status::regressed));
  BOOST_TEST(find(c, "BM_W", "widgets")->threshold == "+5%");
  // Without the rule the counter is not judged, and time did not change.
  BOOST_TEST(compare(make(100, 1), make(120, 10), default_policy()).exit_code() == 0);
}

BOOST_AUTO_TEST_CASE(a_target_rule_fails_on_its_own) {
  auto base = three(1);
  auto policy = parse_policy(R"({"rules": [{"match": "BM_C", "p95": "< 150ns"}]})", "gate.json");
  auto c = compare(base, base, policy);
  BOOST_TEST(c.exit_code() == 1);
  const Verdict* v = find(c, "BM_C", "cpu_time");
  BOOST_REQUIRE(v != nullptr);
  BOOST_TEST((c.verdicts.front().status == Status::target_missed));
  BOOST_TEST(c.verdicts.front().threshold == "< 150ns");
  BOOST_TEST(c.verdicts.front().statistic == "p95");
  auto met = parse_policy(R"({"rules": [{"match": "BM_C", "p95": "< 1us"}]})", "gate.json");
  auto ok = compare(base, base, met);
  BOOST_TEST(ok.exit_code() == 0);
  BOOST_TEST(count(ok, Status::target_met) == 1u);
}

BOOST_AUTO_TEST_CASE(deterministic_metrics_are_judged_exactly) {
  auto make = [](double allocs) {
    return bundle({bench("BM_M", {metric("cpu_time", {1000, 1000, 1000, 1000, 1000}),
                                  metric("allocs_per_iter", {allocs, allocs, allocs, allocs, allocs})})},
                  "x");
  };
  auto policy = parse_policy(R"({"defaults": {"limits": {"allocs_per_iter": "+0%"}}})", "gate.json");
  auto c = compare(make(3), make(4), policy);
  BOOST_TEST(c.exit_code() == 1);
  const Verdict* v = find(c, "BM_M", "allocs_per_iter");
  BOOST_TEST((v->status == Status::regressed));
  BOOST_TEST(v->test == "exact");
  BOOST_TEST(*v->baseline == 3.0);
  BOOST_TEST(*v->contender == 4.0);
  BOOST_TEST(!v->p_value.has_value());
  BOOST_TEST(compare(make(3), make(3), policy).exit_code() == 0);
  BOOST_TEST((find(compare(make(3), make(2), policy), "BM_M", "allocs_per_iter")->status == Status::improved));
}

BOOST_AUTO_TEST_CASE(the_dual_rule_needs_both_parts_exceeded) {
  auto make = [](double t, unsigned seed) {
    return bundle({bench("BM_D", {metric("real_time", samples(t, 0.001, seed))})}, "x");
  };
  auto policy = parse_policy(R"({"rules": [{"match": "BM_D", "primary_metric": "real_time",
                                           "real_time": "+2% and +30ns"}]})",
                             "gate.json");
  // +5% of 200 ns is 10 ns: relative exceeded, absolute not.
  BOOST_TEST(compare(make(200, 1), make(210, 50), policy).exit_code() == 0);
  // +5% of 2000 ns is 100 ns: both exceeded.
  BOOST_TEST(compare(make(2000, 1), make(2100, 50), policy).exit_code() == 1);
}

BOOST_AUTO_TEST_CASE(new_missing_and_errored_benchmarks) {
  auto base = three(1);
  auto cont = three(1);
  cont.suites[0].benchmarks.erase(cont.suites[0].benchmarks.begin());  // BM_A missing
  cont.suites[0].benchmarks.push_back(bench("BM_New", {metric("cpu_time", samples(10, 0.01, 3))}));
  cont.suites[0].benchmarks[0].error = "out of memory";  // BM_B/64 errored
  auto c = compare(base, cont, default_policy());
  BOOST_TEST(c.exit_code() == 1);
  BOOST_TEST((find(c, "BM_A", "cpu_time")->status == Status::missing));
  BOOST_TEST((find(c, "BM_New", "cpu_time")->status == Status::new_benchmark));
  const Verdict* failed = find(c, "BM_B/64", "cpu_time");
  BOOST_TEST((failed->status == Status::failed));
  BOOST_TEST(failed->note.find("out of memory") != std::string::npos);
  BOOST_TEST((c.verdicts.front().status == Status::failed));
}

BOOST_AUTO_TEST_CASE(a_failed_suite_means_the_gate_cannot_judge) {
  auto base = three(1);
  auto cont = three(1);
  cont.suites[0].failure = "killed by signal 11 (SIGSEGV)";
  cont.suites[0].benchmarks.clear();
  auto c = compare(base, cont, default_policy());
  BOOST_TEST(c.exit_code() == 2);
  BOOST_TEST(c.suite_failures.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_worse_complexity_class_is_a_regression) {
  auto base = three(1);
  auto cont = three(1);
  base.suites[0].complexity.push_back({"BM_B", "NlgN", 1.0, 1.0, 0.05});
  cont.suites[0].complexity.push_back({"BM_B", "N^2", 1.0, 1.0, 0.04});
  auto c = compare(base, cont, default_policy());
  BOOST_TEST(c.exit_code() == 1);
  const Verdict* v = find(c, "BM_B", "complexity");
  BOOST_TEST((v->status == Status::regressed));
  BOOST_TEST(v->baseline_text == "O(NlgN)");
  BOOST_TEST(v->contender_text == "O(N^2)");
}

BOOST_AUTO_TEST_CASE(metric_and_filter_options) {
  auto c = compare(three(1), three(100, 1.25), default_policy(), CompareOptions{.metric = "real_time", .filter = "BM_[AB]"});
  BOOST_TEST(c.verdicts.size() == 2u);
  BOOST_TEST((find(c, "BM_B/64", "real_time")->status == Status::regressed));
  BOOST_CHECK_THROW((void)compare(three(1), three(1), default_policy(), CompareOptions{.metric = std::nullopt, .filter = "BM_("}), gate::Error);
}

BOOST_AUTO_TEST_CASE(pure_noise_over_many_benchmarks_does_not_fail) {
  // 2,000 benchmarks, both sides drawn from the same distribution: without
  // the false discovery rate control about 5% would test significant.
  std::vector<Benchmark> bs;
  std::vector<Benchmark> cs;
  for (unsigned i = 0; i < 2000; ++i) {
    std::string name = "BM_Noise/" + std::to_string(i);
    bs.push_back(bench(name, {metric("cpu_time", samples(1000, 0.15, 2 * i + 1))}));
    cs.push_back(bench(name, {metric("cpu_time", samples(1000, 0.15, 2 * i + 2))}));
  }
  auto c = compare(bundle(bs, "b"), bundle(cs, "c"), default_policy());
  BOOST_TEST(c.exit_code() == 0);
  BOOST_TEST(count(c, Status::regressed) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
