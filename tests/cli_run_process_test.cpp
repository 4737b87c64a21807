// tests/cli_run_process_test.cpp — `gate run` and the processes of its suites:
// nothing a suite starts outlives the run (not even in a new session, not on
// a timeout, not when the gate itself is killed), timeouts out of range are
// refused, and a suite that reports benchmarks its listing does not name fails.
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_programs.hpp"
#include "test_support.hpp"

using gate::test::run_gate;
using gate::test::TempDir;
using gate::test::write_file;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// A process that runs: /proc/<pid>/stat exists and does not say zombie (a
/// zombie whose parent is a container's init may stay unreaped; it runs nothing).
bool running(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return false;
  const auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

/// Waits up to `limit` for every pid to stop running; returns those still running.
std::vector<pid_t> still_running(const std::vector<pid_t>& pids, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  std::vector<pid_t> alive;
  do {
    alive.clear();
    for (pid_t p : pids) {
      if (running(p)) alive.push_back(p);
    }
    if (alive.empty()) break;
    std::this_thread::sleep_for(20ms);
  } while (std::chrono::steady_clock::now() < until);
  for (pid_t p : alive) ::kill(p, SIGKILL);  // leave nothing behind, even when the test fails
  return alive;
}

std::vector<pid_t> read_pids(const std::filesystem::path& file) {
  std::vector<pid_t> pids;
  std::ifstream in(file);
  long p = 0;
  while (in >> p) pids.push_back(static_cast<pid_t>(p));
  return pids;
}

/// A suite that starts a process in a new session (setsid: out of the
/// suite's process group), writes that process's pid and its own to
/// `pids`, and then runs `program` (a real Google Benchmark suite). The
/// listing run (--benchmark_list_tests) starts nothing.
std::filesystem::path escaping_suite(const TempDir& dir, const std::string& program, const std::filesystem::path& pids) {
  const auto script = dir / "escaping_suite.sh";
  write_file(script, "#!/bin/sh\n"
                     "case \"$*\" in *--benchmark_list_tests*) exec '" + program + "' \"$@\" ;; esac\n"
                     "setsid sh -c 'echo $$ >> \"" + pids.string() + "\"; exec sleep 300' &\n"
                     "echo $$ >> '" + pids.string() + "'\n"
                     "exec '" + program + "' \"$@\"\n");
  ::chmod(script.c_str(), 0755);
  return script;
}

std::string policy_for(const TempDir& dir, const std::filesystem::path& binary) {
  const auto policy = dir / "gate.json";
  write_file(policy, json{{"suites", json::array({json{{"name", "prog"},
                                                        {"binary", binary.string()},
                                                        {"args", json::array({"--benchmark_min_time=0.001"})}}})}}
                         .dump());
  return policy.string();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_run_process)

BOOST_AUTO_TEST_CASE(a_process_a_suite_starts_in_a_new_session_does_not_outlive_the_run) {
  TempDir dir;
  const auto pids = dir / "pids";
  const auto suite = escaping_suite(dir, gate::test::programs::good_bench, pids);
  auto r = run_gate({"run", "--policy", policy_for(dir, suite), "--out", (dir / "run.json").string(),
                     "--repetitions", "2"});
  BOOST_TEST(r.exit_code == 0, r.err);
  const auto started = read_pids(pids);
  BOOST_TEST_REQUIRE(started.size() >= 1u, "the suite started nothing: " << r.err);
  // Already gone when the gate returns: not a moment later.
  BOOST_TEST(still_running(started, 0ms).empty());
}

BOOST_AUTO_TEST_CASE(on_a_timeout_the_suite_and_everything_it_started_are_killed) {
  TempDir dir;
  const auto pids = dir / "pids";
  const auto suite = escaping_suite(dir, gate::test::programs::hang_bench, pids);
  const auto start = std::chrono::steady_clock::now();
  auto r = run_gate({"run", "--policy", policy_for(dir, suite), "--out", (dir / "run.json").string(),
                     "--repetitions", "2", "--timeout", "1"});
  BOOST_TEST((std::chrono::steady_clock::now() - start < 20s));
  BOOST_TEST(r.exit_code == 2, r.err);
  BOOST_TEST(contains(r.err, "timed out after 1 s and was killed"), r.err);
  const auto started = read_pids(pids);
  BOOST_TEST_REQUIRE(started.size() == 2u, "expected the suite's pid and its escaped child's: " << r.err);
  BOOST_TEST(still_running(started, 0ms).empty());
}

BOOST_AUTO_TEST_CASE(when_the_gate_is_killed_the_suite_and_everything_it_started_die_too) {
  TempDir dir;
  const auto pids = dir / "pids";
  const auto suite = escaping_suite(dir, gate::test::programs::hang_bench, pids);
  const std::string policy = policy_for(dir, suite);
  const std::string out = (dir / "run.json").string();
  const char* gate = std::getenv("GATE_BIN");
  BOOST_TEST_REQUIRE(gate != nullptr);
  std::vector<std::string> args = {gate, "run", "--policy", policy, "--out", out, "--repetitions", "2"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  BOOST_TEST_REQUIRE(pid >= 0);
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    ::execv(gate, argv.data());
    ::_exit(127);
  }
  // The suite hangs once it has told both pids.
  for (int i = 0; i < 500 && read_pids(pids).size() < 2; ++i) std::this_thread::sleep_for(20ms);
  std::this_thread::sleep_for(200ms);
  const auto started = read_pids(pids);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  BOOST_TEST_REQUIRE(started.size() == 2u);
  BOOST_TEST(still_running(started, 3000ms).empty());
}

BOOST_AUTO_TEST_CASE(a_timeout_out_of_range_is_refused_in_one_line) {
  TempDir dir;
  const std::string policy = policy_for(dir, gate::test::programs::good_bench);
  for (const char* timeout : {"inf", "nan", "0", "-1", "1e999", "604801"}) {
    auto r = run_gate({"run", "--policy", policy, "--out", (dir / "run.json").string(), "--timeout=" + std::string(timeout)});
    BOOST_TEST(r.exit_code == 2, timeout << ": " << r.err);
    BOOST_TEST(r.first_err_line().rfind("gate: error: running suites: --timeout ", 0) == 0u, r.err);
    BOOST_TEST(contains(r.err, "is out of range"), r.err);
    BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1, r.err);
    BOOST_TEST(!std::filesystem::exists(dir / "run.json"));
  }
}

BOOST_AUTO_TEST_CASE(a_suite_that_reports_benchmarks_its_listing_does_not_name_fails) {
  TempDir dir;
  // Lists BM_A, runs (and reports) BM_Sum/64 and BM_Sum/512.
  const auto script = dir / "liar.sh";
  write_file(script, std::string("#!/bin/sh\n"
                                 "case \"$*\" in *--benchmark_list_tests*) echo BM_A; exit 0 ;; esac\n"
                                 "exec '") +
                         gate::test::programs::good_bench + "' \"$@\"\n");
  ::chmod(script.c_str(), 0755);
  auto r = run_gate({"run", "--policy", policy_for(dir, script), "--out", (dir / "run.json").string(),
                     "--repetitions", "2"});
  BOOST_TEST(r.exit_code == 2, r.err);
  BOOST_TEST(contains(r.err, "gate: error: suite prog: reported benchmarks that its listing (--benchmark_list_tests) "
                             "does not name: 'BM_Sum/"),
             r.err);
  // What it measured is kept beside the failure.
  auto bundle = json::parse(gate::test::read_file(dir / "run.json"));
  BOOST_TEST(bundle["suites"][0].contains("failure"));
  std::size_t measured = 0;
  for (const auto& b : bundle["suites"][0]["benchmarks"]) measured += b["name"].get<std::string>().rfind("BM_Sum/", 0) == 0 ? 1 : 0;
  BOOST_TEST(measured == 2u);

  // The honest suite passes the same check.
  auto honest = run_gate({"run", "--policy", policy_for(dir, gate::test::programs::good_bench), "--out",
                          (dir / "honest.json").string(), "--repetitions", "2"});
  BOOST_TEST(honest.exit_code == 0, honest.err);
}

BOOST_AUTO_TEST_SUITE_END()
