// tests/execute_test.cpp — `gate run`'s measuring side: child processes with
// timeouts, real suites that work, crash, hang or print garbage, the
// instrumented pass under a real valgrind, and the CLI's exit codes.
#include <boost/test/unit_test.hpp>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "run/process.hpp"
#include "gate/formats/bundle.hpp"
#include "gate/error.hpp"
#include "gate/run/run.hpp"
#include "gate/policy/policy.hpp"
#include "test_programs.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using gate::detail::ProcessResult;
using gate::detail::ProcessSpec;
using gate::detail::run_process;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// Records what run_suites() tells its observer.
class Recorder final : public gate::RunObserver {
 public:
  void pass_started(std::size_t index, std::size_t count, std::string_view suite, gate::Pass pass, std::size_t,
                    std::optional<std::chrono::nanoseconds>) override {
    events.push_back(fmt_event("start", index, count, suite, pass));
  }
  void pass_finished(std::size_t index, std::size_t count, std::string_view suite, gate::Pass pass,
                     std::chrono::nanoseconds, std::string_view failure) override {
    events.push_back(fmt_event(failure.empty() ? "done" : "failed", index, count, suite, pass));
  }
  void notice(std::string_view text) override {
    // What a plain binary shows of its optimisation depends on the preset
    // these programs were built in; adopt_test.cpp tests it on real builds.
    const bool build_note = contains(std::string(text), "its build type cannot be known") ||
                            contains(std::string(text), "is an unoptimised build");
    (build_note ? build_notes : notices).emplace_back(text);
  }

  std::vector<std::string> events;
  std::vector<std::string> notices;
  std::vector<std::string> build_notes;

 private:
  static std::string fmt_event(const char* what, std::size_t index, std::size_t count, std::string_view suite,
                               gate::Pass pass) {
    return std::string(what) + " " + std::to_string(index + 1) + "/" + std::to_string(count) + " " +
           std::string(suite) + " " + std::string(gate::to_string(pass));
  }
};

/// A suite entry of gate.json. Tiny min_time: the tests check what is
/// recorded, not how precisely.
std::string suite_json(const std::string& name, const std::string& binary, const std::string& timeout = "60s") {
  return R"({"name": ")" + name + R"(", "binary": ")" + binary +
         R"(", "args": ["--benchmark_min_time=0.001"], "timeout": ")" + timeout + R"("})";
}

gate::Policy policy_of(const std::vector<std::string>& suites) {
  std::string text = R"({"suites": [)";
  for (std::size_t i = 0; i < suites.size(); ++i) text += (i == 0 ? "" : ", ") + suites[i];
  text += "]}";
  return gate::parse_policy(text, "test-gate.json");
}

const gate::Metric* metric_of(const gate::Suite& suite, const std::string& benchmark, const std::string& metric) {
  const gate::Benchmark* b = suite.find(benchmark);
  return b == nullptr ? nullptr : b->metric(metric);
}

bool process_alive(pid_t pid) { return ::kill(pid, 0) == 0; }

/// The suite's benchmarks, without the one that holds its process's peak_rss.
std::size_t benchmarks_of(const gate::Suite& suite) {
  return static_cast<std::size_t>(std::count_if(suite.benchmarks.begin(), suite.benchmarks.end(),
                                                [](const gate::Benchmark& b) { return b.name != "(process)"; }));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(execute)

// --- child processes -------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_child_gives_all_of_stdout_the_tail_of_stderr_and_its_status) {
  ProcessSpec spec;
  // 1 MiB on stdout, 200 numbered lines on stderr, status 3.
  spec.argv = {"/bin/sh", "-c",
               "head -c 1048576 /dev/zero; i=1; while [ $i -le 200 ]; do echo \"err $i\" >&2; i=$((i+1)); done; "
               "exit 3"};
  spec.stderr_tail_bytes = 100;
  ProcessResult r = run_process(spec);
  BOOST_TEST((r.ending == ProcessResult::Ending::exited));
  BOOST_TEST(r.exit_code == 3);
  BOOST_TEST(!r.succeeded());
  BOOST_TEST(r.out.size() == 1048576u);
  BOOST_TEST(r.err_tail.size() == 100u);
  BOOST_TEST(r.err_truncated);
  BOOST_TEST(contains(r.err_tail, "err 200\n"));
  BOOST_TEST(!contains(r.err_tail, "err 100\n"));
  BOOST_TEST(r.describe(1s) == "exited with status 3");
}

BOOST_AUTO_TEST_CASE(a_crash_is_told_by_its_signal) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "kill -SEGV $$"};
  ProcessResult r = run_process(spec);
  BOOST_TEST((r.ending == ProcessResult::Ending::signalled));
  BOOST_TEST(r.signal == SIGSEGV);
  BOOST_TEST(contains(r.describe(1s), "died of signal 11 (SIGSEGV"), r.describe(1s));
}

BOOST_AUTO_TEST_CASE(a_program_that_cannot_start_says_why) {
  ProcessSpec spec;
  spec.argv = {"/nonexistent/bench"};
  ProcessResult r = run_process(spec);
  BOOST_TEST((r.ending == ProcessResult::Ending::failed_to_start));
  BOOST_TEST(r.describe(1s) == "could not be started: no such file or directory");

  spec.argv = {"no-such-program-for-gate-tests"};
  r = run_process(spec);
  BOOST_TEST((r.ending == ProcessResult::Ending::failed_to_start));
  BOOST_TEST(contains(r.start_error, "not found in PATH"));
}

BOOST_AUTO_TEST_CASE(a_timeout_kills_the_whole_process_group) {
  ProcessSpec spec;
  // The shell starts a grandchild, tells its pid, and waits: both must die.
  spec.argv = {"/bin/sh", "-c", "sleep 60 & echo $!; wait"};
  spec.timeout = 500ms;
  const auto start = std::chrono::steady_clock::now();
  ProcessResult r = run_process(spec);
  const auto took = std::chrono::steady_clock::now() - start;
  BOOST_TEST((r.ending == ProcessResult::Ending::timed_out));
  BOOST_TEST(r.describe(spec.timeout) == "timed out after 0.5 s and was killed");
  BOOST_TEST((took < 5s));
  const pid_t grandchild = std::stoi(r.out);
  // Killed with the group; init reaps it a moment later.
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = !process_alive(grandchild);
    if (!gone) std::this_thread::sleep_for(20ms);
  }
  BOOST_TEST(gone);
}

BOOST_AUTO_TEST_CASE(a_child_that_ignores_sigterm_gets_sigkill_after_the_grace) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "trap '' TERM; sleep 60"};
  spec.timeout = 300ms;
  spec.kill_grace = 300ms;
  int ticks = 0;
  spec.on_tick = [&](std::chrono::nanoseconds) { ++ticks; };
  spec.tick_interval = 50ms;
  const auto start = std::chrono::steady_clock::now();
  ProcessResult r = run_process(spec);
  const auto took = std::chrono::steady_clock::now() - start;
  BOOST_TEST((r.ending == ProcessResult::Ending::timed_out));
  BOOST_TEST((took >= 600ms));
  BOOST_TEST((took < 5s));
  BOOST_TEST(ticks >= 5);
}

BOOST_AUTO_TEST_CASE(last_lines_keeps_the_end) {
  BOOST_TEST(gate::detail::last_lines("a\nb\nc\n", 2) == "b\nc");
  BOOST_TEST(gate::detail::last_lines("a\nb\nc", 5) == "a\nb\nc");
  BOOST_TEST(gate::detail::last_lines("", 3) == "");
  BOOST_TEST(gate::detail::last_lines("only", 1) == "only");
}

// --- suites ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_real_suite_gives_its_benchmarks_repetitions_and_binary_size) {
  const fs::path good = gate::test::programs::good_bench;
  // A relative binary path is looked up in the build directory.
  gate::Policy policy = policy_of({suite_json("good", good.filename().string())});
  gate::RunOptions options;
  options.build_dir = good.parent_path();
  options.repo_dir.clear();
  Recorder recorder;
  gate::RunBundle bundle = gate::run_suites(policy, options, &recorder);

  BOOST_TEST_REQUIRE(bundle.suites.size() == 1u);
  const gate::Suite& suite = bundle.suites[0];
  BOOST_TEST(suite.name == "good");
  BOOST_TEST(!suite.failure.has_value(), suite.failure.value_or(""));
  BOOST_TEST(benchmarks_of(suite) == 2u);
  for (const char* name : {"BM_Sum/64", "BM_Sum/512"}) {
    const gate::Metric* real = metric_of(suite, name, "real_time");
    BOOST_TEST_REQUIRE(real != nullptr, name);
    BOOST_TEST(real->samples.size() == 10u);  // the policy's default repetitions
    BOOST_TEST(metric_of(suite, name, "items_per_second") != nullptr);
    BOOST_TEST(metric_of(suite, name, "instructions") == nullptr);  // not instrumented
  }
  BOOST_TEST(suite.context.count("executable") == 1u);

  BOOST_TEST_REQUIRE(suite.binary.has_value());
  BOOST_TEST(suite.binary->path == good.filename().string());
  BOOST_TEST(suite.binary->file_size == fs::file_size(good));
  BOOST_TEST(!suite.binary->text_hash.empty());

  BOOST_TEST(!bundle.runner.id.empty());
  BOOST_TEST(bundle.time.size() == 20u);
  BOOST_TEST(bundle.time[10] == 'T');
  BOOST_TEST(bundle.time.back() == 'Z');
  BOOST_TEST(recorder.events == (std::vector<std::string>{"start 1/1 good timing", "done 1/1 good timing"}),
             boost::test_tools::per_element());
  BOOST_TEST(recorder.notices.empty());
  // A plain binary records no build type: the gate reads one from the binary.
  BOOST_TEST(suite.context.count("perfgate_optimisation") == 1u);
  BOOST_TEST(gate::failed_suites(bundle).empty());
}

BOOST_AUTO_TEST_CASE(failing_suites_are_recorded_and_the_others_kept) {
  gate::Policy policy = policy_of({
      suite_json("crash", gate::test::programs::crash_bench),
      suite_json("good", gate::test::programs::good_bench),
      suite_json("hang", gate::test::programs::hang_bench, "2s"),
      suite_json("garbage", gate::test::programs::garbage_bench),
      suite_json("missing", "no/such/bench"),
  });
  gate::RunOptions options;
  options.repetitions = 9;
  options.kill_grace = 1s;
  options.repo_dir.clear();
  Recorder recorder;
  const auto start = std::chrono::steady_clock::now();
  gate::RunBundle bundle = gate::run_suites(policy, options, &recorder);
  BOOST_TEST((std::chrono::steady_clock::now() - start < 30s));

  BOOST_TEST_REQUIRE(bundle.suites.size() == 5u);
  const gate::Suite* good = bundle.find("good");
  BOOST_TEST_REQUIRE(good != nullptr);
  BOOST_TEST(!good->failure.has_value());
  BOOST_TEST(benchmarks_of(*good) == 2u);
  BOOST_TEST(metric_of(*good, "BM_Sum/64", "real_time")->samples.size() == 9u);

  const std::string crash = bundle.find("crash")->failure.value_or("");
  BOOST_TEST(contains(crash, "died of signal 11 (SIGSEGV"), crash);
  BOOST_TEST(contains(crash, "crash_bench: stderr line 30"), crash);
  BOOST_TEST(contains(crash, "crash_bench: stderr line 11\n"), crash);
  BOOST_TEST(!contains(crash, "crash_bench: stderr line 10\n"), crash);  // the last 20 lines only
  BOOST_TEST(bundle.find("crash")->binary.has_value());

  const std::string hang = bundle.find("hang")->failure.value_or("");
  BOOST_TEST(contains(hang, "timed out after 2 s and was killed"), hang);
  BOOST_TEST(contains(hang, "hang_bench: about to hang"), hang);

  const std::string garbage = bundle.find("garbage")->failure.value_or("");
  BOOST_TEST(contains(garbage, "wrote invalid results"), garbage);
  BOOST_TEST(contains(garbage, "garbage_bench: writing garbage"), garbage);

  const std::string missing = bundle.find("missing")->failure.value_or("");
  BOOST_TEST(contains(missing, "binary 'no/such/bench' not found"), missing);
  BOOST_TEST(!bundle.find("missing")->binary.has_value());

  auto failed = gate::failed_suites(bundle);
  BOOST_TEST(failed.size() == 4u);
  BOOST_TEST(contains(failed[0], "crash: died of signal 11"), failed[0]);
  BOOST_TEST(std::count(recorder.events.begin(), recorder.events.end(), "failed 3/5 hang timing") == 1);
}

BOOST_AUTO_TEST_CASE(refusals_come_before_anything_runs) {
  gate::Policy policy = policy_of({suite_json("good", gate::test::programs::good_bench)});
  auto error_of = [&](const gate::RunOptions& options) -> std::string {
    try {
      (void)gate::run_suites(policy, options);
    } catch (const gate::Error& e) {
      return e.what();
    }
    return "no error";
  };
  gate::RunOptions options;
  options.suites = {"nope"};
  BOOST_TEST(error_of(options) == "running suite 'nope': the policy 'test-gate.json' has no such suite (it has: good)");

  options = {};
  options.filter = "BM_(";
  BOOST_TEST(contains(error_of(options), "bad --filter 'BM_('"));

  options = {};
  options.repetitions = 0;
  BOOST_TEST(contains(error_of(options), "--repetitions 0"));

  options = {};
  options.runner = "../etc";
  BOOST_TEST(contains(error_of(options), "../etc"));

  gate::Policy none = gate::parse_policy("{}", "empty.json");
  try {
    (void)gate::run_suites(none, {});
    BOOST_FAIL("expected an error");
  } catch (const gate::Error& e) {
    BOOST_TEST(contains(e.what(), "names no suites"), e.what());
  }
}

BOOST_AUTO_TEST_CASE(few_repetitions_a_filter_and_a_filter_that_matches_nothing) {
  gate::Policy policy = policy_of({suite_json("good", gate::test::programs::good_bench),
                                   suite_json("plain", gate::test::programs::plain_bench)});
  gate::RunOptions options;
  options.repetitions = 3;
  options.filter = "BM_Sum/64";
  options.repo_dir.clear();
  Recorder recorder;
  gate::RunBundle bundle = gate::run_suites(policy, options, &recorder);
  // plain has no BM_Sum: left out, with a notice; good runs BM_Sum/64 only.
  BOOST_TEST_REQUIRE(bundle.suites.size() == 1u);
  BOOST_TEST(bundle.suites[0].name == "good");
  BOOST_TEST_REQUIRE(bundle.suites[0].benchmarks.size() == 1u);
  BOOST_TEST(metric_of(bundle.suites[0], "BM_Sum/64", "real_time")->samples.size() == 3u);
  BOOST_TEST_REQUIRE(recorder.notices.size() == 2u);
  BOOST_TEST(contains(recorder.notices[0], "3 repetitions per benchmark are fewer than 9"), recorder.notices[0]);
  BOOST_TEST(contains(recorder.notices[1], "suite 'plain': no benchmark matches the filter"), recorder.notices[1]);
}

// --- instrumented pass -------------------------------------------------------

BOOST_AUTO_TEST_CASE(instrumented_runs_of_the_same_binary_give_identical_counters) {
  gate::Policy policy = policy_of({suite_json("good", gate::test::programs::good_bench)});
  gate::RunOptions options;
  options.timed = false;
  options.instrument = true;
  options.repo_dir.clear();
  const auto start = std::chrono::steady_clock::now();
  gate::RunBundle first = gate::run_suites(policy, options);
  gate::RunBundle second = gate::run_suites(policy, options);
  BOOST_TEST((std::chrono::steady_clock::now() - start < 30s));

  const std::vector<std::string> metrics{"instructions", "l1i_misses", "l1d_misses", "lli_misses",
                                         "lld_misses",   "ll_misses",  "branch_misses", "est_cycles"};
  for (const auto* bundle : {&first, &second}) {
    BOOST_TEST_REQUIRE(bundle->suites.size() == 1u);
    const gate::Suite& s = bundle->suites[0];
    BOOST_TEST_REQUIRE(!s.failure.has_value(), s.failure.value_or(""));
    BOOST_TEST(benchmarks_of(s) == 2u);
    BOOST_TEST(s.context.at(std::string(gate::k_instrumentation_context)).rfind("callgrind (valgrind-", 0) == 0u);
    for (const auto& b : s.benchmarks) {
      // Only deterministic metrics: a one-iteration run under valgrind has no meaningful time.
      BOOST_TEST(b.metric("real_time") == nullptr);
      for (const auto& m : b.metrics) BOOST_TEST((m.kind == gate::MetricKind::deterministic), m.name);
    }
  }
  for (const char* name : {"BM_Sum/64", "BM_Sum/512"}) {
    for (const auto& m : metrics) {
      const gate::Metric* a = metric_of(first.suites[0], name, m);
      const gate::Metric* b = metric_of(second.suites[0], name, m);
      BOOST_TEST_REQUIRE(a != nullptr, name << " " << m);
      BOOST_TEST_REQUIRE(b != nullptr, name << " " << m);
      BOOST_TEST_REQUIRE(a->samples.size() == 1u);
      if (m == "instructions") {
        BOOST_TEST(a->samples == b->samples, name << " " << m);
      } else {
        // Callgrind's simulated caches and branch predictor start the loop
        // with the state left by the code before it, some of which depends
        // on the clock (Google Benchmark formats the date, the load average
        // and earlier benchmarks' times). Measured over 30 runs: the first
        // benchmark's l1i_misses and branch_misses move by 1-2 events.
        const double tolerance = std::max(3.0, 0.005 * a->samples[0]);
        BOOST_TEST(std::abs(a->samples[0] - b->samples[0]) <= tolerance, name << " " << m);
      }
    }
  }
  // The loop over 512 values costs more than the one over 64: at least an
  // instruction per added value.
  const double small = metric_of(first.suites[0], "BM_Sum/64", "instructions")->samples[0];
  const double large = metric_of(first.suites[0], "BM_Sum/512", "instructions")->samples[0];
  BOOST_TEST(small > 64.0);
  BOOST_TEST(large > small + 448);
}

// --- the CLI -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(cli_exits_2_naming_failed_suites_and_keeps_the_good_results) {
  gate::test::TempDir dir;
  const fs::path good = gate::test::programs::good_bench;
  gate::test::write_file(dir / "gate.json",
                         "// suites for the test\n{\"suites\": [" + suite_json("good", good.filename().string()) + ", " +
                             suite_json("crash", gate::test::programs::crash_bench) + ", " +
                             suite_json("hang", gate::test::programs::hang_bench, "2s") + ", " +
                             suite_json("garbage", gate::test::programs::garbage_bench) + "]}");
  const fs::path out = dir / "out" / "run.json";
  auto r = gate::test::run_gate({"run", "--policy", (dir / "gate.json").string(), "--build-dir",
                                 good.parent_path().string(), "--out", out.string(), "--runner", "test-runner"},
                                dir.path());
  BOOST_TEST(r.exit_code == 2, r.err);
  BOOST_TEST(contains(r.err, "gate: error: suite crash: died of signal 11"), r.err);
  BOOST_TEST(contains(r.err, "gate: error: suite hang: timed out after 2 s"), r.err);
  BOOST_TEST(contains(r.err, "gate: error: suite garbage: wrote invalid results"), r.err);
  BOOST_TEST(contains(r.err, "3 of 4 suites could not be measured"), r.err);
  // Not a terminal: plain progress lines, one per start and end.
  BOOST_TEST(contains(r.err, "gate: [2/4] crash (timing) started: 1 benchmark"), r.err);
  BOOST_TEST(contains(r.err, "gate: [1/4] good (timing) done in "), r.err);
  BOOST_TEST(!contains(r.err, "\r"));

  gate::RunBundle bundle = gate::parse_bundle(gate::test::read_file(out), out.string());
  BOOST_TEST(bundle.runner.id == "test-runner");
  BOOST_TEST_REQUIRE(bundle.suites.size() == 4u);
  BOOST_TEST(benchmarks_of(*bundle.find("good")) == 2u);
  BOOST_TEST(!bundle.find("good")->failure.has_value());
  BOOST_TEST(bundle.find("good")->binary.has_value());
  BOOST_TEST(contains(bundle.find("crash")->failure.value_or(""), "crash_bench: stderr line 30"));
  BOOST_TEST(bundle.find("hang")->failure.has_value());
  BOOST_TEST(bundle.find("garbage")->failure.has_value());
}

BOOST_AUTO_TEST_CASE(cli_instrument_adds_counters_and_notes_a_binary_without_dumps) {
  gate::test::TempDir dir;
  gate::test::write_file(dir / "gate.json", "{\"suites\": [" + suite_json("good", gate::test::programs::good_bench) +
                                                ", " + suite_json("plain", gate::test::programs::plain_bench) + "]}");
  const fs::path out = dir / "run.json";
  auto r = gate::test::run_gate({"run", "--instrument", "--repetitions", "9", "--out", out.string()}, dir.path());
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.err, "gate: note: suite 'plain': instruction counts are unavailable"), r.err);
  BOOST_TEST(contains(r.err, "gate: [1/2] good (callgrind) done in"), r.err);

  gate::RunBundle bundle = gate::parse_bundle(gate::test::read_file(out), out.string());
  BOOST_TEST_REQUIRE(bundle.suites.size() == 2u);
  const gate::Suite& good = *bundle.find("good");
  BOOST_TEST(metric_of(good, "BM_Sum/64", "real_time")->samples.size() == 9u);
  BOOST_TEST(metric_of(good, "BM_Sum/64", "instructions")->samples.size() == 1u);
  BOOST_TEST((metric_of(good, "BM_Sum/512", "est_cycles")->kind == gate::MetricKind::deterministic));
  const gate::Suite& plain = *bundle.find("plain");
  BOOST_TEST(!plain.failure.has_value());
  BOOST_TEST(metric_of(plain, "BM_Concat", "real_time") != nullptr);
  BOOST_TEST(metric_of(plain, "BM_Concat", "instructions") == nullptr);
  BOOST_TEST(plain.context.at(std::string(gate::k_instrumentation_context)).rfind("unavailable:", 0) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
