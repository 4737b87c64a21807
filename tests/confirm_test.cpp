// tests/confirm_test.cpp — confirm before fail: suspects of a first
// comparison re-run from two real builds of a Google Benchmark suite,
// interleaved, and decided by their pairs.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "gate/error.hpp"
#include "gate/formats/google_benchmark.hpp"
#include "gate/judge/judge.hpp"
#include "gate/policy/policy.hpp"
#include "gate/workflow/confirm.hpp"
#include "model_builders.hpp"
#include "test_programs.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace gate;
using gate::test::contains;
using gate::test::find;

namespace programs = gate::test::programs;

namespace {

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

Policy bench_policy(const std::string& rules = "[]") {
  return parse_policy(R"({"suites": [{"name": "prog", "binary": "bench", "args": ["--benchmark_min_time=0.01"],
                                      "timeout": "60s"}], "rules": )" +
                          rules + "}",
                      "confirm-gate.json");
}

// A first comparison with one suspect: BM_Sum/512's cpu_time 43% slower
// than a stored baseline.
Comparison one_suspect(const Policy& policy = bench_policy()) {
  Comparison first;
  first.baseline_source = "baselines/r1 @ main";
  first.policy = policy;
  first.timing = TimingMode::confirm;
  Verdict v;
  v.suite = "prog";
  v.name = "BM_Sum/512";
  v.metric = "cpu_time";
  v.status = Status::suspect;
  v.kind = MetricKind::noisy;
  v.statistic = Statistic{StatisticKind::median};
  v.test = Test::rank_beyond_limit;
  v.baseline = 700;
  v.contender = 1000;
  v.change = 1000.0 / 700 - 1;
  v.threshold = "+10%";
  v.p_value = 0.0001;
  v.q_value = 0.0002;
  first.verdicts.push_back(v);
  Verdict fine = v;
  fine.name = "BM_Sum/64";
  fine.status = Status::unchanged;
  fine.change = 0.01;
  first.verdicts.push_back(fine);
  return first;
}

ConfirmOptions options_for(const Builds& builds, int rounds) {
  ConfirmOptions options;
  options.base_build_dir = builds.base;
  options.head_build_dir = builds.head;
  options.rounds = rounds;
  options.repo_dir = "";
  options.bundle_out = builds.dir / "confirm.json";
  return options;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(confirm_suite)

BOOST_AUTO_TEST_CASE(an_unconfirmed_suspect_fails_and_a_confirmed_one_is_a_regression) {
  Comparison first = one_suspect();
  BOOST_TEST(first.exit_code() == 1);  // no confirmation has seen it: fails closed

  Builds builds(programs::good_bench_slower);
  Comparison c = confirm(first, options_for(builds, 12));
  BOOST_TEST(c.exit_code() == 1);
  const Verdict* v = find(c, "BM_Sum/512", "cpu_time");
  BOOST_REQUIRE(v != nullptr);
  BOOST_TEST(to_string(v->status) == "regressed");
  BOOST_TEST(contains(v->note(), "confirmed: paired a/b change +"), v->note());
  BOOST_TEST(contains(v->note(), "n=12)"), v->note());
  BOOST_TEST(*v->change == 1000.0 / 700 - 1);  // the first step's numbers stay
  // The second step's numbers, as values.
  BOOST_REQUIRE(v->confirmation.has_value());
  BOOST_TEST(to_string(v->confirmation->status) == "regressed");
  BOOST_TEST((v->confirmation->test == Test::signed_rank_beyond_limit));
  BOOST_TEST(v->confirmation->pairs == 12u);
  BOOST_TEST(*v->confirmation->change > 0.1);
  BOOST_TEST(contains(c.notices.at(0), "1 suspect re-run from '"), c.notices.at(0));
  BOOST_TEST(contains(c.notices.at(0), "12 rounds: 1 confirmed"), c.notices.at(0));
  // Only the suspect ran: BM_Sum/64 is not in the confirmation's bundle.
  RunBundle rerun = read_results(builds.dir / "confirm.json");
  BOOST_REQUIRE(rerun.ab.has_value());
  BOOST_TEST(rerun.suites.at(0).benchmarks.size() == 1u);
  BOOST_TEST(rerun.suites.at(0).benchmarks.at(0).name == "BM_Sum/512");
}

BOOST_AUTO_TEST_CASE(a_suspect_the_pairs_do_not_confirm_is_cleared_as_noisy) {
  Builds builds(programs::good_bench);  // the same code in both builds
  Comparison c = confirm(one_suspect(), options_for(builds, 10));
  const Verdict* v = find(c, "BM_Sum/512", "cpu_time");
  BOOST_REQUIRE(v != nullptr);
  BOOST_TEST(to_string(v->status) == "noisy");
  BOOST_TEST(contains(v->note(), "not confirmed: paired a/b change"), v->note());
  BOOST_REQUIRE(v->confirmation.has_value());
  BOOST_TEST(to_string(v->confirmation->status) != "regressed");
  BOOST_TEST(c.exit_code() == 0);
}

// The re-run judges targets too. A target on the suspect's own metric that
// the head build misses used to be taken for the re-run's comparison, and
// the suspect ended as "could not be confirmed: the re-run could not pair
// it: head build" — a real regression turned into exit 2.
BOOST_AUTO_TEST_CASE(a_target_on_the_same_metric_does_not_stand_in_for_the_pairs) {
  const Policy strict = bench_policy(R"([{"match": "BM_Sum/512", "p95": "< 1ns"}])");
  Builds slower(programs::good_bench_slower);
  Comparison c = confirm(one_suspect(strict), options_for(slower, 10));
  const Verdict* v = find(c, "BM_Sum/512", "cpu_time");
  BOOST_REQUIRE(v != nullptr);
  BOOST_TEST(to_string(v->status) == "regressed", v->note());
  BOOST_TEST(c.suite_failures.empty());
  BOOST_TEST(c.exit_code() == 1);

  Builds same(programs::good_bench);
  Comparison cleared = confirm(one_suspect(strict), options_for(same, 10));
  BOOST_TEST(to_string(find(cleared, "BM_Sum/512", "cpu_time")->status) == "noisy",
             find(cleared, "BM_Sum/512", "cpu_time")->note());
  BOOST_TEST(cleared.suite_failures.empty());
}

BOOST_AUTO_TEST_CASE(with_nothing_suspected_nothing_runs_and_an_unknown_suite_is_refused) {
  Comparison first = one_suspect();
  first.verdicts[0].status = Status::unchanged;
  ConfirmOptions options;
  options.base_build_dir = "/nonexistent/base";  // never looked at
  Comparison c = confirm(first, options);
  BOOST_TEST(c.notices.at(0) == "confirmation: no timing regression suspected, nothing re-run");
  BOOST_TEST(c.exit_code() == 0);

  // A regression already decided (deterministic, or judged at once) is final: nothing re-runs.
  Comparison det = one_suspect();
  det.verdicts[0].status = Status::regressed;
  det.verdicts[0].kind = MetricKind::deterministic;
  Comparison final_ = confirm(det, options);
  BOOST_TEST(final_.exit_code() == 1);
  BOOST_TEST(to_string(find(final_, "BM_Sum/512", "cpu_time")->status) == "regressed");

  // The confirmation runs what the comparison's own policy names.
  const Policy no_suites = parse_policy(R"({"defaults": {"threshold": "+5%"}})", "gate.json");
  BOOST_CHECK_EXCEPTION((void)confirm(one_suspect(no_suites), options), Error, [](const Error& e) {
    return contains(e.what(), "does not name suite 'prog', so its binary is unknown");
  });
}

BOOST_AUTO_TEST_CASE(a_complexity_suspect_reruns_its_whole_family) {
  const std::string f = exact_names_filter({"BM_Sum/64"}, {"BM_Evict"});
  BOOST_TEST(f == "^(BM_Sum/64|BM_Evict(/.*)?)$");
  std::regex re(f, std::regex::extended);
  for (const char* yes : {"BM_Evict", "BM_Evict/10", "BM_Evict/10000", "BM_Sum/64"}) {
    BOOST_TEST(std::regex_search(std::string(yes), re), yes);
  }
  for (const char* no : {"BM_Evicted/10", "BM_Evict_BigO", "BM_Sum/6"}) {
    BOOST_TEST(!std::regex_search(std::string(no), re), no);
  }
}

BOOST_AUTO_TEST_SUITE_END()
