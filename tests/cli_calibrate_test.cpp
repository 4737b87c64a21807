// tests/cli_calibrate_test.cpp — `gate calibrate` end to end on a real Google
// Benchmark binary in a throwaway repository: noise.json written and
// committed, then read from the ref by `gate compare --baseline-ref`, which
// also sees that the suite's code is unchanged.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "git_support.hpp"
#include "report_support.hpp"
#include "test_programs.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using gate::test::commit_all;
using gate::test::git;
using gate::test::init_repo;
using gate::test::read_file;
using gate::test::run_gate;
using gate::test::TempDir;
using gate::test::write_file;
using nlohmann::json;

using gate::test::GitEnvironment;
BOOST_TEST_GLOBAL_FIXTURE(GitEnvironment);

namespace {

// A repository with one commit, and a policy (outside it) whose one suite is
// `binary`, with a tiny time budget per benchmark so that runs take a moment.
struct Project {
  explicit Project(const std::string& binary = gate::test::programs::good_bench) {
    init_repo(repo);
    write_file(repo / "README.md", "a project under the gate\n");
    commit_all(repo, "initial");
    write_file(policy, json{{"suites", json::array({json{{"name", "prog"},
                                                         {"binary", binary},
                                                         {"args", json::array({"--benchmark_min_time=0.002"})}}})}}
                           .dump());
  }
  TempDir dir;
  fs::path repo = dir / "repo";
  fs::path policy = dir / "gate.json";
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_calibrate)

BOOST_AUTO_TEST_CASE(calibrate_writes_and_commits_noise_json_which_compare_then_uses) {
  Project p;
  auto r = run_gate({"calibrate", "--policy", p.policy.string(), "--runs", "3", "--repetitions", "3", "--runner", "r1",
                     "--repo", p.repo.string(), "--commit"},
                    p.repo);
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  BOOST_TEST(r.out.find("calibrated the noise of runner r1") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("prog: 2 benchmarks, 3 runs × 3 repetitions; noise median") != std::string::npos, r.out);
  BOOST_TEST(r.err.find("calibration run 3 of 3") != std::string::npos, r.err);

  auto noise = json::parse(read_file(p.repo / "baselines/r1/noise.json"));
  BOOST_TEST(noise["schema"] == "perfgate-noise");
  BOOST_TEST(noise["runner"] == "r1");
  const json& suite = noise["suites"]["prog"];
  BOOST_TEST(suite["runs"] == 3);
  BOOST_TEST(suite["repetitions"] == 3);
  for (const char* bench : {"BM_Sum/64", "BM_Sum/512"}) {
    for (const char* m : {"cpu_time", "real_time", "items_per_second"}) {
      BOOST_REQUIRE_MESSAGE(suite["benchmarks"][bench].contains(m), bench << " " << m << ": " << noise.dump(1));
      BOOST_TEST(suite["benchmarks"][bench][m]["n"] == 3);
      double spread = suite["benchmarks"][bench][m]["spread"];
      BOOST_TEST(spread >= 0);
      BOOST_TEST(spread < 1.0);
    }
  }
  BOOST_TEST(git(p.repo, {"log", "--format=%s", "-1"}) == "perfgate: calibrate the noise of runner r1");
  BOOST_TEST(git(p.repo, {"status", "--porcelain"}).empty());

  // A baseline from one run, judged against another run of the same binary.
  auto base = run_gate({"run", "--policy", p.policy.string(), "--out", (p.dir / "base.json").string(),
                        "--repetitions", "9", "--runner", "r1"});
  BOOST_REQUIRE_MESSAGE(base.exit_code == 0, base.err);
  auto update = run_gate({"baseline", "update", (p.dir / "base.json").string(), "--runner", "r1", "--repo",
                          p.repo.string(), "--commit"});
  BOOST_REQUIRE_MESSAGE(update.exit_code == 0, update.err);
  auto head = run_gate({"run", "--policy", p.policy.string(), "--out", (p.dir / "head.json").string(),
                        "--repetitions", "9", "--runner", "r1"});
  BOOST_REQUIRE_MESSAGE(head.exit_code == 0, head.err);
  auto c = run_gate({"compare", "--baseline-ref", "HEAD", "--repo", p.repo.string(), (p.dir / "head.json").string(),
                     "--runner", "r1", "--format", "json"},
                    p.repo);
  // The same code cannot fail on timing: whatever this machine did meanwhile, it passes.
  BOOST_TEST(c.exit_code == 0, c.err << c.out);
  auto j = gate::test::json_report(c);
  std::string notices = j["notices"].dump();
  BOOST_TEST(notices.find("calibrated noise from HEAD:baselines/r1/noise.json (runner 'r1')") != std::string::npos,
             notices);
  BOOST_TEST(notices.find("code unchanged (identical .text) in prog") != std::string::npos, notices);
}

BOOST_AUTO_TEST_CASE(too_few_runs_and_a_crashing_suite_write_nothing) {
  Project p;
  auto few = run_gate({"calibrate", "--policy", p.policy.string(), "--runs", "2", "--runner", "r1", "--repo",
                       p.repo.string()});
  BOOST_TEST(few.exit_code == 2);
  BOOST_TEST(few.first_err_line() ==
                 "gate: error: calibrating: --runs 2 is too few — the spread of a median needs at least 3 runs",
             few.err);

  Project crashing(gate::test::programs::crash_bench);
  auto crash = run_gate({"calibrate", "--policy", crashing.policy.string(), "--runs", "3", "--repetitions", "1",
                         "--runner", "r1", "--repo", crashing.repo.string()});
  BOOST_TEST(crash.exit_code == 2);
  BOOST_TEST(crash.err.find("gate: error: calibrating (run 1 of 3): suite 'prog' failed to run") != std::string::npos,
             crash.err);
  BOOST_TEST(!fs::exists(crashing.repo / "baselines"));
}

BOOST_AUTO_TEST_SUITE_END()
