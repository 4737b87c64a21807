// tests/compare_test.cpp — verdicts from baseline × contender × policy, on
// bundles built in memory (the CLI tests use recorded Google Benchmark files).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include "gate/judge/judge.hpp"
#include "gate/error.hpp"
#include "gate/model/metrics.hpp"
#include "gate/workflow/calibrate.hpp"
#include "gate/policy/policy.hpp"
#include "model_builders.hpp"

using namespace gate;

using gate::test::bench;
using gate::test::bundle;
using gate::test::contains;
using gate::test::find;
using gate::test::metric;
using gate::test::samples;

namespace {

// A suite of three timing benchmarks, the given seed making it a fresh draw.
RunBundle three(unsigned seed, double scale_b = 1.0) {
  std::vector<Benchmark> bs;
  bs.push_back(bench("BM_A", {metric("cpu_time", samples(1000, 0.02, seed)), metric("real_time", samples(1000, 0.02, seed + 1))}));
  bs.push_back(bench("BM_B/64", {metric("cpu_time", samples(5000 * scale_b, 0.02, seed + 2)),
                                 metric("real_time", samples(5000 * scale_b, 0.02, seed + 3))}));
  bs.push_back(bench("BM_C", {metric("cpu_time", samples(200, 0.02, seed + 4)), metric("real_time", samples(200, 0.02, seed + 5))}));
  return bundle(std::move(bs), seed == 1 ? "base.json" : "cont.json");
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
  BOOST_TEST(v.name == "BM_B/64");
  BOOST_TEST(v.metric == "cpu_time");
  BOOST_TEST((v.status == Status::regressed));
  BOOST_TEST(*v.change > 0.2);
  BOOST_TEST(*v.change < 0.3);
  BOOST_TEST(v.threshold == "+10%");
  BOOST_TEST(v.n_baseline == 10u);
  BOOST_TEST(v.n_contender == 10u);
  BOOST_TEST(*v.p_value < 0.001);
  BOOST_TEST(*v.q_value >= *v.p_value);
  BOOST_TEST((v.test == Test::rank_beyond_limit));
  BOOST_TEST(to_string(v.statistic) == "median");
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
  BOOST_TEST(!v->notes.empty());
}

BOOST_AUTO_TEST_CASE(too_few_repetitions_cannot_fail) {
  auto base = bundle({bench("BM_1", {metric("cpu_time", {1000})})}, "b");
  auto cont = bundle({bench("BM_1", {metric("cpu_time", {2000})})}, "c");
  auto c = compare(base, cont, default_policy());
  BOOST_TEST(c.exit_code() == 0);
  const Verdict* v = find(c, "BM_1", "cpu_time");
  BOOST_TEST((v->status == Status::noisy));
  BOOST_TEST(v->note().find("min_repetitions") != std::string::npos);
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
  BOOST_TEST(to_string(c.verdicts.front().statistic) == "p95");
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
  BOOST_TEST((v->test == Test::exact));
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
  BOOST_TEST(failed->note().find("out of memory") != std::string::npos);
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

BOOST_AUTO_TEST_CASE(binary_size_budgets_max_growth_and_sections) {
  auto with_size = [](std::uint64_t file, std::uint64_t text, std::uint64_t data) {
    RunBundle b = three(1);
    b.suites[0].binary = BinarySize{"benchsuite/bench_demo", file, {{".text", text}, {".data", data}}, "abc"};
    return b;
  };
  auto policy = parse_policy(R"({"size": {"bench_*": {"max": "50MB", "sections": {".text": {"growth": "+5%"}}}}})",
                             "gate.json");
  // +6 MB, all of it data: the default growth budget (+10% or +5MB) fails and says where.
  auto c = compare(with_size(20'000'000, 8'000'000, 1'000'000), with_size(26'000'000, 8'000'000, 7'000'000), policy);
  BOOST_TEST(c.exit_code() == 1);
  BOOST_TEST((c.verdicts.front().status == Status::budget_exceeded));
  BOOST_TEST(c.verdicts.front().metric == "size");
  // A binary is named by its policy name, not by a path of the machine that built it.
  BOOST_TEST((c.verdicts.front().scope == Scope::binary));
  BOOST_TEST(c.verdicts.front().name == "bench_demo");
  BOOST_TEST(c.verdicts.front().note().find(".data +6 MB") != std::string::npos, c.verdicts.front().note());
  BOOST_TEST(count(c, Status::budget_exceeded) == 1u);
  // The section limit on its own: .text +6.25%.
  auto t = compare(with_size(20'000'000, 8'000'000, 1'000'000), with_size(20'500'000, 8'500'000, 1'000'000), policy);
  BOOST_TEST(t.exit_code() == 1);
  BOOST_TEST(t.verdicts.front().metric == "size:.text");
  // The absolute maximum without any baseline.
  RunBundle empty;
  empty.suites.push_back(Suite{});
  empty.suites[0].name = "other";
  auto m = compare(empty, with_size(60'000'000, 8'000'000, 1'000'000), policy);
  BOOST_TEST(m.exit_code() == 1);
  BOOST_TEST(m.verdicts.front().threshold == "< 50MB");
  // Within every budget.
  BOOST_TEST(compare(with_size(20'000'000, 8'000'000, 1'000'000), with_size(20'100'000, 8'100'000, 1'000'000), policy)
                 .exit_code() == 0);
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

// --- noise: stored baselines, calibration, unchanged code, bimodality -------

namespace {

// `three` with the suite's binary carrying a .text hash.
RunBundle three_with_code(unsigned seed, double scale_b, const std::string& text_hash) {
  RunBundle b = three(seed, scale_b);
  b.suites[0].binary = BinarySize{"benchsuite/bench_demo", 1000, {{".text", 500}}, text_hash};
  return b;
}

std::shared_ptr<const NoiseTable> noise_of(const std::string& bench, const std::string& metric_name, double spread) {
  auto t = std::make_shared<NoiseTable>();
  t->runner = "r1";
  t->source = "HEAD:baselines/r1/noise.json";
  t->suites["bench_demo"].benchmarks[bench][metric_name] = NoiseEntry{spread, 5};
  return t;
}

bool any_notice(const Comparison& c, const std::string& part) {
  return std::any_of(c.notices.begin(), c.notices.end(), [&](const std::string& n) { return contains(n, part); });
}

}  // namespace

BOOST_AUTO_TEST_CASE(against_a_stored_baseline_a_timing_regression_is_a_suspect_that_fails_closed) {
  CompareOptions stored;
  stored.stored_baseline = true;
  auto c = compare(three(1), three(100, 1.25), default_policy(), stored);
  const Verdict* v = find(c, "BM_B/64", "cpu_time");
  BOOST_REQUIRE(v != nullptr);
  // A suspect with its numbers: no confirmation has seen it, so it fails.
  BOOST_TEST((v->status == Status::suspect));
  BOOST_TEST(*v->change > 0.2);
  BOOST_TEST(c.fails(*v));
  BOOST_TEST(c.exit_code() == 1);
  BOOST_TEST((c.timing == TimingMode::confirm));
  // A policy may let unconfirmed suspects pass; they stay suspects.
  Policy lenient = default_policy();
  lenient.defaults.unconfirmed = Unconfirmed::pass;
  auto passing = compare(three(1), three(100, 1.25), lenient, stored);
  BOOST_TEST((find(passing, "BM_B/64", "cpu_time")->status == Status::suspect));
  BOOST_TEST(passing.exit_code() == 0);
  BOOST_TEST(passing.passing_suspects() == 1u);

  // Measured together (two files, same-job A/B): judged at once.
  auto judged = compare(three(1), three(100, 1.25), default_policy());
  BOOST_TEST(judged.exit_code() == 1);
  BOOST_TEST((find(judged, "BM_B/64", "cpu_time")->status == Status::regressed));
  BOOST_TEST((judged.timing == TimingMode::judge));

  // A policy can ask to judge stored baselines at once too.
  auto policy = parse_policy(R"({"defaults": {"timing": "judge"}})", "gate.json");
  auto strict = compare(three(1), three(100, 1.25), policy, stored);
  BOOST_TEST(strict.exit_code() == 1);
  BOOST_TEST((find(strict, "BM_B/64", "cpu_time")->status == Status::regressed));
}

BOOST_AUTO_TEST_CASE(deterministic_metrics_fail_against_a_stored_baseline_without_confirmation) {
  auto with_instructions = [](double instructions) {
    return bundle({bench("BM_I", {metric("cpu_time", samples(1000, 0.01, 3)), metric("instructions", {instructions})})},
                  "x");
  };
  CompareOptions stored;
  stored.stored_baseline = true;
  auto c = compare(with_instructions(100000), with_instructions(103000), default_policy(), stored);
  const Verdict* v = find(c, "BM_I", "instructions");
  BOOST_REQUIRE(v != nullptr);
  BOOST_TEST((v->status == Status::regressed));
  BOOST_TEST(c.exit_code() == 1);
}

BOOST_AUTO_TEST_CASE(calibrated_noise_raises_the_threshold_and_says_so) {
  CompareOptions options;
  options.noise = noise_of("BM_B/64", "cpu_time", 0.061);
  // +15%: beyond the policy's +10%, within 3 × 6.1% = 18.3%.
  auto c = compare(three(1), three(100, 1.15), default_policy(), options);
  const Verdict* v = find(c, "BM_B/64", "cpu_time");
  BOOST_REQUIRE(v != nullptr);
  BOOST_TEST(v->threshold == "+10% (noise: 3 × 6.1% = 18.3%)");
  BOOST_TEST((v->status != Status::regressed));
  BOOST_TEST(c.exit_code() == 0);
  BOOST_TEST(any_notice(c, "HEAD:baselines/r1/noise.json"));
  BOOST_TEST(any_notice(c, "3 × its noise"));
  // +25% is beyond both.
  auto worse = compare(three(1), three(100, 1.25), default_policy(), options);
  BOOST_TEST((find(worse, "BM_B/64", "cpu_time")->status == Status::regressed));
  BOOST_TEST(worse.exit_code() == 1);
  // Other benchmarks keep the policy's threshold; noise below it changes nothing.
  BOOST_TEST(find(worse, "BM_A", "cpu_time")->threshold == "+10%");
  options.noise = noise_of("BM_B/64", "cpu_time", 0.02);
  auto quiet = compare(three(1), three(100, 1.15), default_policy(), options);
  BOOST_TEST(find(quiet, "BM_B/64", "cpu_time")->threshold == "+10%");
  BOOST_TEST((find(quiet, "BM_B/64", "cpu_time")->status == Status::regressed));
  // k comes from the policy.
  auto k2 = parse_policy(R"({"defaults": {"noise_k": 2}})", "gate.json");
  options.noise = noise_of("BM_B/64", "cpu_time", 0.061);
  auto c2 = compare(three(1), three(100, 1.15), k2, options);
  BOOST_TEST(find(c2, "BM_B/64", "cpu_time")->threshold == "+10% (noise: 2 × 6.1% = 12.2%)");
  BOOST_TEST((find(c2, "BM_B/64", "cpu_time")->status == Status::regressed));
}

BOOST_AUTO_TEST_CASE(a_benchmark_too_noisy_to_judge_is_noisy_never_failed_never_passed) {
  CompareOptions options;
  options.noise = noise_of("BM_B/64", "cpu_time", 0.2);  // 3 × 20% = 60% > 50%
  for (double scale : {1.0, 2.0, 0.5}) {
    auto c = compare(three(1), three(100, scale), default_policy(), options);
    const Verdict* v = find(c, "BM_B/64", "cpu_time");
    BOOST_TEST((v->status == Status::noisy), "scale " << scale);
    BOOST_TEST(contains(v->note(), "too noisy to judge on this runner: calibrated noise 3 × 20% = 60% exceeds the "
                                 "ceiling 50% (n=5 runs)"),
               v->note());
    BOOST_TEST(c.exit_code() == 0);
    BOOST_TEST(any_notice(c, "1 too noisy to judge"));
  }
  // The ceiling is the policy's.
  auto high = parse_policy(R"({"defaults": {"noise_ceiling": "70%"}})", "gate.json");
  auto c = compare(three(1), three(100, 2.0), high, options);
  BOOST_TEST((find(c, "BM_B/64", "cpu_time")->status == Status::regressed));
}

BOOST_AUTO_TEST_CASE(identical_code_cannot_fail_on_timing_but_still_on_counts_and_targets) {
  auto c = compare(three_with_code(1, 1.0, "00aa11bb22cc33dd"), three_with_code(100, 1.25, "00aa11bb22cc33dd"),
                   default_policy());
  const Verdict* v = find(c, "BM_B/64", "cpu_time");
  BOOST_TEST((v->status == Status::noisy));
  BOOST_TEST(contains(v->note(), "but the code is unchanged (identical .text): a timing difference is noise"), v->note());
  BOOST_TEST(c.exit_code() == 0);
  BOOST_REQUIRE(!c.notices.empty());
  BOOST_TEST(contains(c.notices.front(), "code unchanged (identical .text) in bench_demo"), c.notices.front());
  BOOST_TEST(c.unchanged_code_suites == std::vector<std::string>{"bench_demo"});
  // An improvement of identical code is noise too.
  auto faster = compare(three_with_code(1, 1.0, "00aa11bb22cc33dd"), three_with_code(100, 0.7, "00aa11bb22cc33dd"),
                        default_policy());
  BOOST_TEST((find(faster, "BM_B/64", "cpu_time")->status == Status::noisy));
  // Another hash: judged as usual.
  auto changed = compare(three_with_code(1, 1.0, "00aa11bb22cc33dd"), three_with_code(100, 1.25, "ffaa11bb22cc33dd"),
                         default_policy());
  BOOST_TEST((find(changed, "BM_B/64", "cpu_time")->status == Status::regressed));
  BOOST_TEST(changed.unchanged_code_suites.empty());
  // An unknown hash on either side proves nothing.
  auto unknown = compare(three_with_code(1, 1.0, ""), three_with_code(100, 1.25, ""), default_policy());
  BOOST_TEST(unknown.exit_code() == 1);

  // Deterministic metrics and targets are still judged.
  auto policy = parse_policy(R"({"rules": [{"match": "BM_T", "real_time": "< 500ns"}]})", "gate.json");
  auto with = [](double instructions, double real) {
    RunBundle b = bundle({bench("BM_T", {metric("cpu_time", samples(real, 0.01, 5)),
                                         metric("real_time", samples(real, 0.01, 6)),
                                         metric("instructions", {instructions})})},
                         "x");
    b.suites[0].binary = BinarySize{"bench", 1000, {{".text", 500}}, "1234"};
    return b;
  };
  auto same_code = compare(with(1000, 400), with(1100, 600), policy);
  BOOST_TEST((find(same_code, "BM_T", "instructions")->status == Status::regressed));
  BOOST_TEST(count(same_code, Status::target_missed) == 1u);
  BOOST_TEST(same_code.exit_code() == 1);
}

BOOST_AUTO_TEST_CASE(bimodal_samples_are_judged_like_with_like_and_never_unchanged_across_a_mode) {
  // Six repetitions near 1.02 µs, four near 1.31 µs: a median of these lands in either mode by chance.
  std::vector<double> two_modes = {1018, 1021, 1020, 1310, 1023, 1305, 1019, 1312, 1022, 1309};
  auto base = bundle({bench("BM_M", {metric("cpu_time", samples(1000, 0.01, 11))})}, "b");
  auto cont = bundle({bench("BM_M", {metric("cpu_time", two_modes)})}, "c");
  auto c = compare(base, cont, default_policy());
  const Verdict* v = find(c, "BM_M", "cpu_time");
  // The contender has a mode the baseline lacks: not unchanged, and both modes are named.
  BOOST_TEST((v->status == Status::noisy));
  BOOST_TEST(contains(v->note(), "two modes: contender 1.02 µs (6) and 1.31 µs (4)"), v->note());
  BOOST_TEST(contains(v->note(), "one side has a mode the other lacks"), v->note());
  BOOST_TEST(c.exit_code() == 0);
  // Either side: a bimodal baseline is named the same way.
  auto reverse = compare(cont, base, default_policy());
  BOOST_TEST(contains(find(reverse, "BM_M", "cpu_time")->note(), "two modes: baseline 1.02 µs (6)"),
             find(reverse, "BM_M", "cpu_time")->note());
  // Both modes doubled: the mode holding the work is twice as slow — regressed, with the modes noted.
  std::vector<double> doubled;
  for (double x : two_modes) doubled.push_back(2 * x);
  auto far = compare(base, bundle({bench("BM_M", {metric("cpu_time", doubled)})}, "c"), default_policy());
  BOOST_TEST((find(far, "BM_M", "cpu_time")->status == Status::regressed), find(far, "BM_M", "cpu_time")->note());
  BOOST_TEST(contains(find(far, "BM_M", "cpu_time")->note(), "two modes: contender"));
  // Two modes 4% apart are no modes for a +10% limit: unchanged.
  std::vector<double> close = {1000, 1001, 999, 1040, 1002, 1041, 998, 1039, 1000, 1042};
  auto a_a = compare(bundle({bench("BM_M", {metric("cpu_time", close)})}, "b"),
                     bundle({bench("BM_M", {metric("cpu_time", close)})}, "c"), default_policy());
  BOOST_TEST((find(a_a, "BM_M", "cpu_time")->status == Status::unchanged));
  // The same shift without two modes is a regression.
  std::vector<double> shifted = {1310, 1312, 1305, 1309, 1311, 1307, 1313, 1306, 1308, 1314};
  auto r = compare(base, bundle({bench("BM_M", {metric("cpu_time", shifted)})}, "c"), default_policy());
  BOOST_TEST((find(r, "BM_M", "cpu_time")->status == Status::regressed));
}

// BM_MazeHit/100 on this project's machine: most repetitions at 16 ns, some
// at 7-9 ns. Mixed into one rank test the fast ones hid a doubling (q = 0.07
// among 95 tests); compared mode against mode it is plain.
BOOST_AUTO_TEST_CASE(a_fast_mode_does_not_hide_a_doubling) {
  const std::vector<double> before = {7.4, 16.1, 16.3, 8.1, 16.0, 16.4, 8.9, 16.2, 16.1, 16.3};
  std::vector<double> after;
  for (double x : before) after.push_back(2 * x);
  std::vector<Benchmark> base_benches, cont_benches;
  base_benches.push_back(bench("BM_MazeHit/100", {metric("cpu_time", before)}));
  cont_benches.push_back(bench("BM_MazeHit/100", {metric("cpu_time", after)}));
  // 94 other benchmarks, unchanged, as in the suite it came from.
  for (unsigned i = 0; i < 94; ++i) {
    const std::string name = "BM_Other/" + std::to_string(i);
    base_benches.push_back(bench(name, {metric("cpu_time", samples(1000, 0.02, 3 * i + 1))}));
    cont_benches.push_back(bench(name, {metric("cpu_time", samples(1000, 0.02, 3 * i + 2))}));
  }
  auto c = compare(bundle(base_benches, "b"), bundle(cont_benches, "c"), default_policy());
  const Verdict* v = find(c, "BM_MazeHit/100", "cpu_time");
  BOOST_TEST((v->status == Status::regressed), v->note());
  BOOST_TEST(*v->q_value < 0.05);
  BOOST_TEST(c.exit_code() == 1);
}

BOOST_AUTO_TEST_CASE(callgrind_counts_of_several_threads_are_not_judged_exactly) {
  auto with = [](int threads, double instructions, double allocs) {
    RunBundle b = bundle({bench("BM_Conc/threads:4", {metric("instructions", {instructions}),
                                                      metric("allocs_per_iter", {allocs})})},
                         "x");
    b.suites[0].benchmarks[0].threads = threads;
    return b;
  };
  auto policy = parse_policy(R"({"defaults": {"primary_metric": "instructions"}})", "gate.json");
  auto c = compare(with(4, 1159, 0), with(4, 1325, 0), policy);
  const Verdict* v = find(c, "BM_Conc/threads:4", "instructions");
  BOOST_TEST((v->status == Status::noisy));
  BOOST_TEST(contains(v->note(), "a callgrind count of 4 threads depends on how valgrind scheduled them"), v->note());
  BOOST_TEST(c.exit_code() == 0);
  // Allocation counts are not callgrind's: still exact.
  BOOST_TEST(compare(with(4, 1159, 0), with(4, 1159, 1), policy).exit_code() == 1);
  // One thread: exact.
  BOOST_TEST(compare(with(1, 1159, 0), with(1, 1325, 0), policy).exit_code() == 1);
}

// Nothing judged, nothing passed: instruction counts measured now against a
// baseline recorded without --instrument, a primary metric nobody reports,
// one repetition against ten — the gate cannot judge, and says so (exit 2),
// never "noisy".
BOOST_AUTO_TEST_CASE(a_metric_measured_on_one_side_only_cannot_be_judged) {
  RunBundle base = bundle({bench("BM_A", {metric("cpu_time", samples(1000, 0.02, 1))}),
                           bench("BM_B", {metric("cpu_time", samples(1000, 0.02, 2))})},
                          "base.json");
  RunBundle cont = bundle({bench("BM_A", {metric("cpu_time", samples(1000, 0.02, 3)), metric("instructions", {5000})}),
                           bench("BM_B", {metric("cpu_time", samples(1000, 0.02, 4)), metric("instructions", {7000})})},
                          "cont.json");
  Comparison c = compare(base, cont, default_policy());
  BOOST_TEST(c.exit_code() == 2);
  BOOST_TEST(c.unjudged.size() == 2u);
  BOOST_TEST(any_notice(c, "could not judge 2 benchmark metrics: metric 'instructions' has a limit but was not "
                           "measured in the baseline (2×)"));
  const Verdict* v = find(c, "BM_A", "instructions");
  BOOST_REQUIRE(v != nullptr);
  BOOST_TEST((v->status == Status::failed));
  BOOST_TEST(contains(v->note(), "gate run --instrument"), v->note());
  // Both sides measured: judged.
  Comparison same = compare(cont, cont, default_policy());
  BOOST_TEST(same.exit_code() == 0);
  BOOST_TEST(std::count_if(same.verdicts.begin(), same.verdicts.end(),
                           [](const Verdict& x) { return x.metric == "instructions"; }) == 2);

  // A primary metric no benchmark reports (a policy on a counter nobody
  // declared, instructions without --instrument): a contender 2× slower
  // must not pass as "noisy".
  auto policy = parse_policy(R"({"defaults": {"primary_metric": "instructions"}})", "gate.json");
  Comparison none = compare(base, three(100, 2.0), policy);
  BOOST_TEST(none.exit_code() == 2);
  BOOST_TEST(count(none, Status::noisy) == 0u);

  // One repetition 100× slower against ten: not "below min_repetitions, passes".
  RunBundle one = bundle({bench("BM_A", {metric("cpu_time", {100000})}), bench("BM_B", {metric("cpu_time", {1000})})},
                         "one.json");
  Comparison few = compare(base, one, default_policy());
  BOOST_TEST(few.exit_code() == 2);
  BOOST_TEST(contains(find(few, "BM_A", "cpu_time")->note(), "fewer than min_repetitions 5"),
             find(few, "BM_A", "cpu_time")->note());

  // Judging only what is exact (a hosted runner): timing is left out, not failed.
  CompareOptions exact;
  exact.deterministic_only = true;
  Comparison hosted = compare(three(1), three(100, 2.0), default_policy(), exact);
  BOOST_TEST(hosted.exit_code() == 0);
  BOOST_TEST(hosted.verdicts.empty());
}

// A cache's speedup (a miss's time over a hit's) and thread scaling are
// ratios of two benchmarks: derived metrics with targets and limits of their own.
BOOST_AUTO_TEST_CASE(a_ratio_target_fails_when_one_side_of_the_ratio_is_slowed) {
  auto policy = parse_policy(R"({
    "metrics": {"speedup": {"direction": "higher"}},
    "derived": [{"name": "BM_CacheSpeedup", "suite": "bench_demo", "metric": "speedup",
                 "ratio": ["BM_Miss", "BM_Hit"], "of": "cpu_time"}],
    "rules": [{"match": "BM_CacheSpeedup", "speedup.median": "> 100", "speedup": "-20%"}]
  })",
                             "gate.json");
  auto run = [](double miss, double hit, unsigned seed) {
    return bundle({bench("BM_Miss", {metric("cpu_time", samples(miss, 0.02, seed))}),
                   bench("BM_Hit", {metric("cpu_time", samples(hit, 0.02, seed + 1))})},
                  "x");
  };
  // 50 µs miss / 20 ns hit = 2,500×: met, and unchanged against itself.
  Comparison same = compare(run(50000, 20, 1), run(50000, 20, 10), policy);
  const Verdict* met = gate::test::find_target(same, "BM_CacheSpeedup", "speedup");
  BOOST_REQUIRE(met != nullptr);
  BOOST_TEST((met->status == Status::target_met));
  BOOST_TEST(*met->contender > 2000);
  BOOST_TEST((find(same, "BM_CacheSpeedup", "speedup")->status == Status::unchanged));
  BOOST_TEST(same.exit_code() == 0);
  // The hit 1,000× slower: the speedup falls to 2.5×, below the target and beyond the limit.
  Comparison slow = compare(run(50000, 20, 1), run(50000, 20000, 10), policy);
  BOOST_TEST((gate::test::find_target(slow, "BM_CacheSpeedup", "speedup")->status == Status::target_missed));
  BOOST_TEST((find(slow, "BM_CacheSpeedup", "speedup")->status == Status::regressed),
             find(slow, "BM_CacheSpeedup", "speedup")->note());
  BOOST_TEST(slow.exit_code() == 1);
  // A ratio of something not measured cannot be judged.
  Comparison none = compare(run(50000, 20, 1), bundle({bench("BM_Miss", {metric("cpu_time", samples(50000, 0.02, 3))}),
                                                     bench("BM_Hit", {metric("real_time", samples(20, 0.02, 4))})},
                                                    "y"),
                            policy);
  BOOST_TEST(none.exit_code() == 2);
}

BOOST_AUTO_TEST_CASE(a_glob_over_the_suite_brings_no_other_metric_to_a_derived_benchmark) {
  // "BM_Cache*" matches the derived name too; its memory target and its
  // allocation limit are about the measured benchmarks, not the ratio.
  auto policy = parse_policy(R"({
    "metrics": {"speedup": {"direction": "higher"}},
    "derived": [{"name": "BM_CacheSpeedup", "suite": "bench_demo", "metric": "speedup",
                 "ratio": ["BM_CacheMiss", "BM_CacheHit"]}],
    "rules": [{"match": "BM_Cache*", "max_bytes_used": "< 50MB", "allocs_per_iter": "+0%"},
              {"match": "BM_CacheSpeedup", "speedup": "> 100"}]
  })",
                             "gate.json");
  auto run = [](unsigned seed) {
    return bundle({bench("BM_CacheMiss", {metric("cpu_time", samples(50000, 0.02, seed)),
                                          metric("max_bytes_used", samples(4096, 0.0, seed)),
                                          metric("allocs_per_iter", samples(3, 0.0, seed))}),
                   bench("BM_CacheHit", {metric("cpu_time", samples(20, 0.02, seed + 1)),
                                         metric("max_bytes_used", samples(0, 0.0, seed)),
                                         metric("allocs_per_iter", samples(0, 0.0, seed))})},
                  "x");
  };
  Comparison c = compare(run(1), run(10), policy);
  for (const auto& v : c.verdicts) {
    if (v.name == "BM_CacheSpeedup") BOOST_TEST(v.metric == "speedup", v.metric);
  }
  BOOST_TEST((gate::test::find_target(c, "BM_CacheSpeedup", "speedup")->status == Status::target_met));
  BOOST_TEST(c.exit_code() == 0);
}

// Worst first, ties in the order judged: the same order as a stable sort of
// the verdicts themselves, with every verdict kept whole, in every cycle
// structure the permutation happens to have.
BOOST_AUTO_TEST_CASE(verdicts_sort_worst_first_stably_and_whole) {
  std::mt19937 rng(5);
  for (std::size_t n : {0, 1, 2, 3, 10, 257}) {
    std::vector<Verdict> verdicts(n);
    for (std::size_t i = 0; i < n; ++i) {
      Verdict& v = verdicts[i];
      v.name = "BM_" + std::to_string(i);
      v.status = static_cast<Status>(rng() % k_status_count);
      v.direction = rng() % 2 == 0 ? Direction::lower_is_better : Direction::higher_is_better;
      if (rng() % 4 != 0) v.change = static_cast<double>(rng() % 7) / 10 - 0.3;  // ties on purpose
      v.add_note("note of " + v.name);
    }
    std::vector<Verdict> expected = verdicts;
    std::stable_sort(expected.begin(), expected.end(), [](const Verdict& a, const Verdict& b) {
      auto badness = [](const Verdict& v) -> double {
        if (!v.change) return -INFINITY;
        return v.direction == Direction::lower_is_better ? *v.change : -*v.change;
      };
      if (a.status != b.status) return a.status < b.status;
      return badness(a) > badness(b);
    });
    sort_worst_first(verdicts);
    BOOST_TEST_REQUIRE(verdicts.size() == n);
    for (std::size_t i = 0; i < n; ++i) {
      BOOST_TEST_CONTEXT("n=" << n << " i=" << i) {
        BOOST_TEST(verdicts[i].name == expected[i].name);
        BOOST_TEST(verdicts[i].note() == "note of " + expected[i].name);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
