// tests/power_test.cpp — what the gate catches and what it stays quiet on, on
// generated pairs of Google Benchmark files (benchsuite/tools/gen_pair) judged
// by the built gate as a user runs it: a large regression in a large suite is
// never missed, pure noise never fails, and where the repetitions cannot
// support a verdict the report says so. scripts/stats-check measures the same
// over a grid; docs/statistics.md has its tables.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "report_support.hpp"
#include "test_support.hpp"

using gate::test::run;
using gate::test::run_gate;
using json = nlohmann::json;

namespace {

struct Pair {
  gate::test::TempDir dir;
  std::string baseline;
  std::string contender;
  std::set<std::string> changed;
};

// gen_pair BASE CONT --benchmarks N --repetitions R --seed S --noise CV
// [--changed K --change X]: the changed benchmarks are listed in a file.
std::unique_ptr<Pair> generate(int benchmarks, int repetitions, unsigned seed, double noise, int changed = 0,
                               double change = 0) {
  const char* gen = std::getenv("GATE_GEN_PAIR");
  BOOST_REQUIRE_MESSAGE(gen != nullptr && *gen != '\0', "GATE_GEN_PAIR is not set: build with the benchsuite");
  auto p = std::make_unique<Pair>();
  p->baseline = (p->dir / "base.json").string();
  p->contender = (p->dir / "cont.json").string();
  std::vector<std::string> args = {gen,           p->baseline,        p->contender,
                                   "--benchmarks", std::to_string(benchmarks), "--repetitions",
                                   std::to_string(repetitions), "--seed", std::to_string(seed),
                                   "--noise",      std::to_string(noise)};
  const std::string list = (p->dir / "changed.txt").string();
  if (changed > 0) {
    for (const std::string& a : {std::string("--changed"), std::to_string(changed), std::string("--change"),
                                 std::to_string(change), std::string("--list-changed"), list}) {
      args.push_back(a);
    }
  }
  auto g = run(args);
  BOOST_REQUIRE_MESSAGE(g.exit_code == 0, g.err);
  if (changed > 0) {
    std::istringstream names(gate::test::read_file(list));
    for (std::string line; std::getline(names, line);) {
      if (!line.empty()) p->changed.insert(line);
    }
    BOOST_REQUIRE(p->changed.size() == static_cast<std::size_t>(changed));
  }
  return p;
}

struct Judged {
  int exit_code = -1;
  std::set<std::string> failing;
  json report;
};

Judged judge(const Pair& p) {
  gate::test::TempDir cwd;  // no gate.json: the built-in policy
  auto r = run_gate({"compare", p.baseline, p.contender, "--format", "json"}, cwd.path());
  Judged j;
  j.exit_code = r.exit_code;
  j.report = gate::test::json_report(r);
  for (const auto& v : gate::test::failing_verdicts(j.report)) j.failing.insert(v["benchmark"].get<std::string>());
  return j;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(power)

// Issue 13's table: with 10 repetitions, 2% noise and 5,000 benchmarks, a
// lone +50% regression used to pass (q = 0.46).
BOOST_AUTO_TEST_CASE(a_lone_regression_among_five_thousand_is_caught_and_named_alone) {
  for (unsigned seed = 1; seed <= 6; ++seed) {
    auto p = generate(5000, 10, seed, 0.02, 1, 0.5);
    Judged j = judge(*p);
    BOOST_TEST(j.exit_code == 1, "seed " << seed);
    BOOST_TEST(j.failing == p->changed, "seed " << seed);
  }
}

BOOST_AUTO_TEST_CASE(five_regressions_of_thirty_percent_are_all_named) {
  for (unsigned seed = 1; seed <= 4; ++seed) {
    auto p = generate(5000, 10, 100 + seed, 0.02, 5, 0.3);
    Judged j = judge(*p);
    BOOST_TEST(j.exit_code == 1, "seed " << seed);
    BOOST_TEST(j.failing == p->changed, "seed " << seed);
  }
}

// The other half of the promise: thousands of benchmarks of pure noise never
// fail a pull request.
BOOST_AUTO_TEST_CASE(pure_noise_among_five_thousand_never_fails) {
  for (double noise : {0.03, 0.05, 0.10}) {
    for (unsigned seed = 1; seed <= 20; ++seed) {
      auto p = generate(5000, 10, 1000 + seed, noise);
      Judged j = judge(*p);
      BOOST_TEST(j.exit_code == 0, "noise " << noise << ", seed " << seed);
      BOOST_TEST(j.failing.empty(), "noise " << noise << ", seed " << seed);
    }
  }
}

// 5 repetitions among 100 tests cannot reach what a lone regression needs:
// the gate says so once, with the repetitions that would, and never calls
// those benchmarks unchanged.
BOOST_AUTO_TEST_CASE(where_the_repetitions_cannot_see_the_report_says_so) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    auto p = generate(100, 5, 200 + seed, 0.02, 3, 0.5);
    Judged j = judge(*p);
    std::string notices = j.report["notices"].dump();
    const bool caught = j.failing == p->changed;
    const bool said = notices.find("cannot see: 100 of 100 timing tests can never be significant") != std::string::npos &&
                      notices.find("7 repetitions a side would") != std::string::npos;
    BOOST_TEST((caught || said), "seed " << seed << ": " << notices);
    BOOST_TEST(j.report["counts"]["unchanged"] == 0, "seed " << seed);
  }
}

BOOST_AUTO_TEST_SUITE_END()
