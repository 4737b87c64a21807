// tests/noise_test.cpp — calibration and the noise it measures: the
// bimodality detector on constructed samples (and its error rates on many
// simulated ones), the spread of medians across A/A runs, noise.json written,
// read, merged and committed, read from a ref and used by
// compare_against_ref, and the policy keys that govern timing and noise.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "gate/workflow/compare.hpp"
#include "gate/workflow/merge.hpp"
#include "gate/workflow/record.hpp"
#include "gate/judge/judge.hpp"
#include "gate/error.hpp"
#include "gate/model/metrics.hpp"
#include "gate/formats/noise_file.hpp"
#include "gate/workflow/calibrate.hpp"
#include "gate/policy/policy.hpp"
#include "gate/stats/stats.hpp"
#include "git_support.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace gate;
using gate::test::commit_all;
using gate::test::git;
using gate::test::init_repo;
using gate::test::read_file;
using gate::test::TempDir;
using gate::test::write_file;

using gate::test::GitEnvironment;
BOOST_TEST_GLOBAL_FIXTURE(GitEnvironment);

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<double> normal_samples(std::mt19937_64& rng, std::size_t n, double centre, double cv) {
  std::normal_distribution<double> d(0.0, cv);
  std::vector<double> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(centre * (1.0 + d(rng)));
  return out;
}

Metric metric(const std::string& name, std::vector<double> values) {
  Metric m = make_metric(name);
  m.samples = std::move(values);
  return m;
}

// One A/A run: suite "bench_demo" with BM_A (cpu_time around `a`, and an
// instruction count) and BM_B (cpu_time around 500).
RunBundle run_with(double a, unsigned seed) {
  std::mt19937_64 rng(seed);
  RunBundle r;
  r.runner.id = "r1";
  r.commit = "0123456789012345678901234567890123456789";
  r.time = "2026-01-02T03:04:05Z";
  Suite s;
  s.name = "bench_demo";
  Benchmark ba;
  ba.name = "BM_A";
  // The median of these is exactly `a`: an odd count, symmetric around it.
  ba.metrics.push_back(metric("cpu_time", {a * 0.99, a, a * 1.01}));
  ba.metrics.push_back(metric("instructions", {12345}));
  Benchmark bb;
  bb.name = "BM_B";
  bb.metrics.push_back(metric("cpu_time", normal_samples(rng, 10, 500, 0.01)));
  s.benchmarks = {ba, bb};
  r.suites.push_back(s);
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(noise)

// --- bimodality ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(unimodal_samples_are_not_bimodal) {
  // Normal, 5% spread, as a quiet benchmark gives (fixed draws).
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20; ++i) {
    auto s = normal_samples(rng, 10, 1000, 0.05);
    BOOST_TEST(!stats::bimodality(s).has_value());
  }
  // Lognormal (right-skewed like timings), constructed: exp of evenly spread normal quantiles.
  std::vector<double> lognormal;
  for (double z : {-1.64, -1.04, -0.67, -0.39, -0.13, 0.13, 0.39, 0.67, 1.04, 1.64}) {
    lognormal.push_back(1000 * std::exp(0.3 * z));
  }
  BOOST_TEST(!stats::bimodality(lognormal).has_value());
  // Identical samples, and too few to split.
  BOOST_TEST(!stats::bimodality(std::vector<double>(10, 7.0)).has_value());
  BOOST_TEST(!stats::bimodality(std::vector<double>{1, 1, 1, 2, 2}).has_value());
}

BOOST_AUTO_TEST_CASE(outliers_are_not_a_mode) {
  std::vector<double> one = {1000, 1003, 998, 1001, 1002, 999, 1000, 1004, 997, 1400};
  BOOST_TEST(!stats::bimodality(one).has_value());
  std::vector<double> two = {1000, 1003, 998, 1001, 1002, 999, 1000, 1004, 1390, 1400};
  BOOST_TEST(!stats::bimodality(two).has_value());
  // Three slow repetitions out of ten, as recorded on this project's machine
  // (tests/data/derived/clean_baseline.json, BM_Sort/512): the median stands.
  std::vector<double> three = {13865.9, 14045.9, 14283.3, 14335.0, 14424.7, 14531.4, 14564.7, 17755.4, 17879.7, 18296.1};
  BOOST_TEST(!stats::bimodality(three).has_value());
  // The same four times over: 28 of 40 and 12 of 40 are two modes.
  std::vector<double> many;
  for (int i = 0; i < 4; ++i) {
    for (double v : three) many.push_back(v + i);
  }
  BOOST_TEST(stats::bimodality(many).has_value());
}

BOOST_AUTO_TEST_CASE(two_clusters_10_percent_apart_are_bimodal_with_their_modes) {
  std::vector<double> s = {1000, 1100, 1008, 995, 1102, 1003, 1095, 1004, 1099, 997};
  auto m = stats::bimodality(s);
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST(m->low_count == 6u);
  BOOST_TEST(m->high_count == 4u);
  BOOST_TEST(m->low == 1001.5);   // median of 995 997 1000 1003 1004 1008
  BOOST_TEST(m->high == 1099.5);  // median of 1095 1099 1100 1102
  BOOST_TEST(m->gap == 1095.0 - 1008.0);
  BOOST_TEST(m->within > 0);
  // Quantised timings in two values are two modes; a 1% step is not worth one.
  BOOST_TEST(stats::bimodality(std::vector<double>{100, 100, 100, 100, 110, 110, 110, 100, 110, 100}).has_value());
  BOOST_TEST(!stats::bimodality(std::vector<double>{100, 100, 100, 100, 101, 101, 101, 100, 101, 100}).has_value());
  // Bad input is refused, as everywhere in stats.
  BOOST_CHECK_THROW((void)stats::bimodality(std::vector<double>{1, 2, NAN, 4, 5, 6}), Error);
}

BOOST_AUTO_TEST_CASE(error_rates_on_simulated_samples_are_those_stated) {
  // stats.cpp states the rates the criteria were chosen for; this checks
  // them (with margin) on 4,000 draws each, n = 10.
  std::mt19937_64 rng(2024);
  auto rate = [&](const std::function<std::vector<double>()>& draw) {
    int hits = 0;
    for (int i = 0; i < 4000; ++i) hits += stats::bimodality(draw()).has_value() ? 1 : 0;
    return hits / 4000.0;
  };
  std::lognormal_distribution<double> lognormal(0.0, 0.3);
  double normal = rate([&] { return normal_samples(rng, 10, 1000, 0.05); });
  double skewed = rate([&] {
    std::vector<double> v;
    for (int i = 0; i < 10; ++i) v.push_back(1000 * lognormal(rng));
    return v;
  });
  double apart = rate([&] {
    auto v = normal_samples(rng, 6, 1000, 0.01);
    auto w = normal_samples(rng, 4, 1100, 0.01);
    v.insert(v.end(), w.begin(), w.end());
    return v;
  });
  BOOST_TEST(normal < 0.006);
  BOOST_TEST(skewed < 0.008);
  BOOST_TEST(apart > 0.93);
}

// --- measuring -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(the_noise_is_the_robust_spread_of_the_run_medians) {
  std::vector<RunBundle> runs;
  unsigned seed = 1;
  for (double a : {100.0, 102.0, 98.0, 101.0, 99.0}) runs.push_back(run_with(a, seed++));
  NoiseTable t = measure_noise(runs, 10);
  BOOST_TEST(t.runner == "r1");
  const NoiseEntry* e = t.find("bench_demo", "BM_A", "cpu_time");
  BOOST_REQUIRE(e != nullptr);
  // Medians 98 99 100 101 102: median 100, MAD 1, so 1.4826 × 1 / 100.
  BOOST_TEST(e->spread == 0.01482602218505602, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(e->runs == 5u);
  BOOST_TEST(t.find("bench_demo", "BM_B", "cpu_time") != nullptr);
  // Deterministic metrics have no noise to calibrate.
  BOOST_TEST(t.find("bench_demo", "BM_A", "instructions") == nullptr);
  const SuiteNoise& s = t.suites.at("bench_demo");
  BOOST_TEST(s.runs == 5);
  BOOST_TEST(s.repetitions == 10);
  BOOST_TEST(s.commit == runs.front().commit);

  // Errored benchmarks and failed suites are left out; so is a benchmark
  // measured in fewer than three runs.
  runs[0].suites[0].benchmarks[1].error = "boom";
  runs[1].suites[0].benchmarks[1].error = "boom";
  runs[2].suites[0].benchmarks[1].error = "boom";
  runs[3].suites[0].failure = "crashed";
  NoiseTable u = measure_noise(runs);
  BOOST_TEST(u.find("bench_demo", "BM_B", "cpu_time") == nullptr);
  BOOST_TEST(u.find("bench_demo", "BM_A", "cpu_time")->runs == 4u);
  BOOST_TEST(u.suites.at("bench_demo").runs == 4);

  BOOST_TEST(contains(error_of([&] { (void)measure_noise({runs[0], runs[1]}); }), "at least 3 runs"));
}

// --- noise.json ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(noise_json_round_trips_in_a_stable_form) {
  std::vector<RunBundle> runs;
  unsigned seed = 1;
  for (double a : {100.0, 102.0, 98.0}) runs.push_back(run_with(a, seed++));
  NoiseTable t = measure_noise(runs, 9);
  t.suites["bench_other"].runs = 3;
  t.suites["bench_other"].benchmarks["BM_\"quoted\"/1"]["real_time"] = NoiseEntry{0.1234567891, 3};
  std::string text = write_noise(t);
  BOOST_TEST(text.rfind("{\n  \"schema\": \"perfgate-noise\",\n  \"schema_version\": 1,\n  \"runner\": \"r1\",\n", 0) == 0,
             text);
  BOOST_TEST(contains(text, "\"statistic\": \"1.4826·MAD / median of the per-run medians\""), text);
  BOOST_TEST(contains(text, "\"BM_\\\"quoted\\\"/1\": {\n          \"real_time\": {\"spread\": 0.123457, \"n\": 3}"), text);
  BOOST_TEST(text.find("bench_demo") < text.find("bench_other"));
  BOOST_TEST(text.back() == '\n');

  NoiseTable back = parse_noise(text, "noise.json");
  BOOST_TEST(back.source == "noise.json");
  BOOST_TEST(back.runner == "r1");
  BOOST_TEST(back.suites.size() == 2u);
  BOOST_TEST(back.find("bench_other", "BM_\"quoted\"/1", "real_time")->spread == 0.123457);
  BOOST_TEST(back.suites.at("bench_demo").repetitions == 9);
  BOOST_TEST(back.suites.at("bench_demo").commit == runs.front().commit);
  BOOST_TEST(write_noise(back) == text);  // the same table, the same bytes
}

BOOST_AUTO_TEST_CASE(a_bad_noise_json_is_an_error_that_says_where) {
  auto bad = [](const std::string& text) { return error_of([&] { (void)parse_noise(text, "r1/noise.json"); }); };
  BOOST_TEST(contains(bad(""), "r1/noise.json"));
  BOOST_TEST(contains(bad(R"({"schema": "perfgate-bundle", "runner": "r1"})"), "r1/noise.json:1:12: schema"));
  BOOST_TEST(contains(bad(R"({"schema": "perfgate-noise", "schema_version": 7, "runner": "r1"})"), "newer"));
  BOOST_TEST(contains(bad(R"({"schema": "perfgate-noise", "runner": "../x"})"), "r1/noise.json:1:40: runner id"));
  BOOST_TEST(contains(bad(R"({"schema": "perfgate-noise"})"), "no 'runner'"));
  BOOST_TEST(contains(bad(R"({"schema": "perfgate-noise", "runner": "r1", "suites": {"s": {"benchmarks": {"B": )"
                          R"({"cpu_time": {"spread": -0.1, "n": 3}}}}}})"),
                      "spread -0.1 is not a fraction from 0 to 1000000"));
  BOOST_TEST(contains(bad(R"({"schema": "perfgate-noise", "runner": "r1", "suites": {"s": {"benchmarks": {"B": )"
                          R"({"cpu_time": {"n": 3}}}}}})"),
                      "needs 'spread' and 'n'"));
  BOOST_TEST(contains(bad(R"({"schema": "perfgate-noise", "runner": "r1", "suites": {)"), "r1/noise.json:1:"));
}

BOOST_AUTO_TEST_CASE(noise_json_refuses_what_it_cannot_vouch_for) {
  auto bad = [](const std::string& text) { return error_of([&] { (void)parse_noise(text, "n.json"); }); };
  const std::string head = R"({"schema": "perfgate-noise", "schema_version": 1, "runner": "r1", )";
  auto entry = [&](const std::string& suite, const std::string& bench, const std::string& metric, const std::string& e) {
    return head + R"("suites": {")" + suite + R"(": {"benchmarks": {")" + bench + R"(": {")" + metric + R"(": )" + e +
           "}}}}}";
  };
  BOOST_TEST(bad(entry("s", "B", "cpu_time", R"({"spread": 0.1, "n": 3})")) == "no error");
  // A typo would drop a field: refused at the key, after the text is known to be JSON.
  std::string typo = entry("s", "B", "cpu_time", R"({"spraed": 0.1, "n": 3})");
  BOOST_TEST(bad(typo) == "n.json:1:118: unknown key 'spraed' in a noise entry (docs/noise.md lists the keys of "
                          "schema_version 1)");
  BOOST_TEST(bad(head + R"("suites": {}, "sutes": {}})").find("n.json:1:81: unknown key 'sutes' in noise.json") == 0u,
             bad(head + R"("suites": {}, "sutes": {}})"));
  BOOST_TEST(bad(head + R"("suites": {}, "suites": {}})") == "n.json:1:81: duplicate key 'suites'");
  // Names: benchmark and metric by the naming rule, suites by the suite rule.
  BOOST_TEST(bad(entry("s", "BM\\u001b[8m", "cpu_time", R"({"spread": 0.1, "n": 3})")) ==
             "n.json:1:99: benchmark name 'BM\\x1b[8m' is not allowed: it contains the control character byte 0x1b");
  BOOST_TEST(bad(entry("s", "", "cpu_time", R"({"spread": 0.1, "n": 3})")) ==
             "n.json:1:99: benchmark name '' is not allowed: it is empty");
  BOOST_TEST(bad(entry("s", "B", "cpu\\ntime", R"({"spread": 0.1, "n": 3})")).find("metric name 'cpu\\ntime' is not allowed") !=
             std::string::npos);
  const std::string reserved = bad(entry("noise", "B", "cpu_time", R"({"spread": 0.1, "n": 3})"));
  BOOST_TEST(reserved.find("n.json:1:78: suite name 'noise' is not allowed: 'noise' is reserved") == 0u, reserved);
  BOOST_TEST(bad(R"({"schema": "perfgate-noise", "runner": ".x"})").find("n.json:1:40: runner id '.x' is not allowed") == 0u);
  BOOST_TEST(bad(R"({"schema": "perfgate-noise", "schema_version": 0, "runner": "r1"})") ==
             "n.json:1:48: schema_version 0 is not valid");
}

BOOST_AUTO_TEST_CASE(a_spread_too_large_to_write_back_is_refused) {
  // 1e303 read, then written as round(v * 1e6) / 1e6: "inf", which no JSON
  // reader takes back. Spreads are fractions: refused above 1e6.
  auto bad = [](const std::string& spread) {
    return error_of([&] {
      (void)parse_noise(R"({"schema": "perfgate-noise", "runner": "r1", "suites": {"s": {"benchmarks": {"B": {"t": {"spread": )" +
                            spread + R"(, "n": 3}}}}}})",
                        "n.json");
    });
  };
  BOOST_TEST(bad("1e303") == "n.json:1:100: spread 1e+303 is not a fraction from 0 to 1000000");
  BOOST_TEST(bad("1000000") == "no error");
  NoiseTable table = parse_noise(R"({"schema": "perfgate-noise", "runner": "r1", "suites": {"s": {"benchmarks": {"B": {"t": {"spread": 1000000, "n": 3}}}}}})",
                                 "n.json");
  const std::string text = write_noise(table);
  BOOST_TEST(write_noise(parse_noise(text, "again.json")) == text);
}

// --- policy keys ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(policy_keys_for_timing_and_noise) {
  Policy builtin = default_policy();
  BOOST_TEST(!builtin.defaults.timing.has_value());
  BOOST_TEST(builtin.defaults.noise_k == 3.0);
  BOOST_TEST(builtin.defaults.noise_ceiling == 0.5);

  auto p = parse_policy(R"({"defaults": {"timing": "judge", "noise_k": 2.5, "noise_ceiling": "40%"}})", "gate.json");
  BOOST_TEST((p.defaults.timing == TimingMode::judge));
  BOOST_TEST(p.defaults.noise_k == 2.5);
  BOOST_TEST(p.defaults.noise_ceiling == 0.4, boost::test_tools::tolerance(1e-12));
  BOOST_TEST((parse_policy(R"({"defaults": {"timing": "confirm"}})", "gate.json").defaults.timing ==
              TimingMode::confirm));
  BOOST_TEST(to_string(TimingMode::confirm) == "confirm");

  auto bad = [](const std::string& text) { return error_of([&] { (void)parse_policy(text, "gate.json"); }); };
  BOOST_TEST(contains(bad(R"({"defaults": {"timing": "strict"}})"), "gate.json:1:25: defaults.\"timing\": unknown "
                                                                  "timing 'strict'"));
  BOOST_TEST(contains(bad(R"({"defaults": {"noise_k": 0}})"), "out of range"));
  BOOST_TEST(contains(bad(R"({"defaults": {"noise_k": "3"}})"), "expected a number"));
  BOOST_TEST(contains(bad(R"({"defaults": {"noise_ceiling": "50ms"}})"), "expected a positive percentage"));
  BOOST_TEST(contains(bad(R"({"defaults": {"noise_ceiling": 0.5}})"), "expected a string"));
  BOOST_TEST(contains(bad(R"({"defaults": {"noise_kk": 3}})"), "did you mean 'noise_k'"));

  // What an unconfirmed suspect and a runner without baselines do.
  BOOST_TEST((builtin.defaults.unconfirmed == Unconfirmed::fail));
  BOOST_TEST((builtin.defaults.no_baseline == NoBaseline::pass));
  auto q = parse_policy(R"({"defaults": {"unconfirmed": "pass", "no_baseline": "fail"}})", "gate.json");
  BOOST_TEST((q.defaults.unconfirmed == Unconfirmed::pass));
  BOOST_TEST((q.defaults.no_baseline == NoBaseline::fail));
  BOOST_TEST(contains(bad(R"({"defaults": {"unconfirmed": "maybe"}})"), "unknown unconfirmed 'maybe'"));
  BOOST_TEST(contains(bad(R"({"defaults": {"no_baseline": "ignore"}})"), "unknown no_baseline 'ignore'"));
}

// --- in git ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(record_noise_merges_suites_and_commits_only_noise_json) {
  TempDir dir;
  fs::path repo = dir / "repo";
  init_repo(repo);
  write_file(repo / "README.md", "x\n");
  commit_all(repo, "initial");
  write_file(repo / "staged.txt", "keep me staged\n");
  git(repo, {"add", "staged.txt"});

  NoiseTable first;
  first.runner = "r1";
  first.suites["a"].runs = 5;
  first.suites["a"].benchmarks["BM_1"]["cpu_time"] = NoiseEntry{0.05, 5};
  first.suites["b"].benchmarks["BM_2"]["cpu_time"] = NoiseEntry{0.07, 5};
  auto r1 = record_noise(repo, first, true);
  BOOST_TEST(r1.written == fs::path("baselines/r1/noise.json"));
  BOOST_REQUIRE(r1.commit.has_value());
  BOOST_TEST(r1.commit->subject == "perfgate: calibrate the noise of runner r1");
  BOOST_TEST(git(repo, {"show", "--name-only", "--format=", "HEAD"}) == "baselines/r1/noise.json");
  BOOST_TEST(contains(git(repo, {"status", "--porcelain"}), "A  staged.txt"));
  BOOST_TEST(contains(r1.summary, "a: 1 benchmarks, 5 runs; noise median 5%, largest 5% (BM_1 cpu_time)"), r1.summary);

  // A later calibration of suite "a" only keeps "b".
  NoiseTable second;
  second.runner = "r1";
  second.suites["a"].benchmarks["BM_1"]["cpu_time"] = NoiseEntry{0.02, 3};
  auto r2 = record_noise(repo, second, false);
  BOOST_TEST(!r2.commit.has_value());
  NoiseTable on_disk = parse_noise(read_file(repo / "baselines/r1/noise.json"), "noise.json");
  BOOST_TEST(on_disk.find("a", "BM_1", "cpu_time")->spread == 0.02);
  BOOST_TEST(on_disk.find("b", "BM_2", "cpu_time")->spread == 0.07);

  // An unreadable file is not overwritten in silence.
  write_file(repo / "baselines/r1/noise.json", "{\"schema\": ");
  BOOST_TEST(contains(error_of([&] { (void)record_noise(repo, second, false); }), "delete it to calibrate afresh"));
  // Nor is another runner's.
  NoiseTable other = second;
  other.runner = "r2";
  write_file(repo / "baselines/r2/noise.json", write_noise(first));
  BOOST_TEST(contains(error_of([&] { (void)record_noise(repo, other, false); }), "names runner 'r1', not 'r2'"));
}

BOOST_AUTO_TEST_CASE(noise_json_at_the_ref_raises_thresholds_in_compare_against_ref) {
  TempDir dir;
  fs::path repo = dir / "repo";
  init_repo(repo);
  write_file(repo / "README.md", "x\n");
  commit_all(repo, "initial");

  std::mt19937_64 rng(7);
  auto bundle_at = [&](double centre) {
    RunBundle b;
    b.runner.id = "r1";
    b.source = "run.json";
    Suite s;
    s.name = "bench_demo";
    Benchmark bm;
    bm.name = "BM_A";
    bm.metrics.push_back(metric("cpu_time", normal_samples(rng, 10, centre, 0.01)));
    s.benchmarks.push_back(bm);
    b.suites.push_back(s);
    return b;
  };
  (void)update_baselines(repo, bundle_at(1000), Runner{"r1", {}}, {.allow_debug = false, .commit = true});
  NoiseTable t;
  t.runner = "r1";
  t.suites["bench_demo"].benchmarks["BM_A"]["cpu_time"] = NoiseEntry{0.061, 5};
  (void)record_noise(repo, t, true);

  BaselineAtRef at = load_baseline_at(repo, "HEAD", "r1");
  BOOST_REQUIRE(at.noise.has_value());
  BOOST_TEST(at.noise->source == "HEAD:baselines/r1/noise.json");
  BOOST_TEST(at.bundle.suites.size() == 1u);  // noise.json is not a suite

  RefCompareOptions ref;
  ref.repo = repo;
  ref.ref = "HEAD";
  ref.runner = "r1";
  // +15%: within 3 × 6.1%, so not a regression; +30% is one, and against a
  // stored baseline it is a suspect until a re-run decides (the built-in
  // timing "confirm"), failing meanwhile.
  Comparison within = compare_against_ref(bundle_at(1150), ref);
  BOOST_TEST(within.verdicts.front().threshold == "+10% (noise: 3 × 6.1% = 18.3%)");
  BOOST_TEST((within.verdicts.front().status != Status::regressed));
  BOOST_TEST((within.verdicts.front().status != Status::suspect));
  Comparison beyond = compare_against_ref(bundle_at(1300), ref);
  BOOST_TEST((beyond.verdicts.front().status == Status::suspect));
  BOOST_TEST(beyond.exit_code() == 1);
  BOOST_TEST((beyond.timing == TimingMode::confirm));

  // A noise.json that names another runner is refused, naming the file.
  NoiseTable wrong = t;
  wrong.runner = "r9";
  write_file(repo / "baselines/r1/noise.json", write_noise(wrong));
  commit_all(repo, "wrong runner");
  BOOST_TEST(contains(error_of([&] { (void)load_baseline_at(repo, "HEAD", "r1"); }),
                      "reading 'HEAD:baselines/r1/noise.json': it names runner 'r9', not 'r1'"));
}

BOOST_AUTO_TEST_CASE(calibrate_refuses_too_few_runs_before_running_anything) {
  CalibrateOptions options;
  options.runs = 2;
  options.run.build_dir = "/nonexistent";
  BOOST_TEST(contains(error_of([&] { (void)calibrate(default_policy(), options); }), "--runs 2 is too few"));
}

BOOST_AUTO_TEST_SUITE_END()
