// tests/cli_ab_test.cpp — same-job A/B and confirm-before-fail end to end:
// `gate run --ab` then `gate compare BUNDLE`, and `gate compare
// --baseline-ref --confirm-with` against a stored baseline that makes a
// benchmark look slower than it is, on real Google Benchmark binaries.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <sched.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "git_support.hpp"
#include "test_programs.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
namespace programs = gate::test::programs;
using gate::test::commit_all;
using gate::test::init_repo;
using gate::test::read_file;
using gate::test::run_gate;
using gate::test::TempDir;
using gate::test::write_file;
using nlohmann::json;

using gate::test::GitEnvironment;
BOOST_TEST_GLOBAL_FIXTURE(GitEnvironment);

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The report's statistics line for an A/B run with these settings.
std::string fmt_rounds(int rounds, const std::string& run_time, const std::string& pairing, int cpu) {
  return "(" + std::to_string(rounds) + " rounds of " + run_time + ", base and head builds interleaved " + pairing +
         ", all on CPU " + std::to_string(cpu) + ")";
}

// The suite "prog" is the binary "bench" of a build directory; a short
// min_time keeps a round to a fraction of a second.
const char* k_policy = R"({
  "suites": [{"name": "prog", "binary": "bench", "args": ["--benchmark_min_time=0.01"], "timeout": "60s"}]
})";

// A build directory holding `program` as its suite binary "bench".
fs::path build(const TempDir& dir, const std::string& name, const char* program) {
  fs::path b = dir / name;
  fs::create_directories(b);
  fs::copy_file(program, b / "bench");
  return b;
}

json parse(const gate::test::RunResult& r) {
  try {
    return json::parse(r.out);
  } catch (const json::exception& e) {
    BOOST_FAIL("stdout is not JSON: " << e.what() << "\nstdout: " << r.out << "\nstderr: " << r.err);
  }
  return {};
}

const json* verdict(const json& report, const std::string& benchmark, const std::string& metric = "cpu_time") {
  for (const auto& v : report["verdicts"]) {
    if (v["benchmark"] == benchmark && v["metric"] == metric) return &v;
  }
  return nullptr;
}

std::vector<std::string> failing(const json& report) {
  std::vector<std::string> out;
  for (const auto& v : report["verdicts"]) {
    if (v["fails_gate"].get<bool>()) out.push_back(v["benchmark"].get<std::string>() + " " + v["metric"].get<std::string>());
  }
  return out;
}

// The BM_Sum/512 entry of a SUITE object (of a bundle or a baseline file).
json& sum512(json& suite) {
  for (auto& b : suite["benchmarks"]) {
    if (b["name"] == "BM_Sum/512") return b;
  }
  BOOST_FAIL("no BM_Sum/512 in the suite");
  throw std::logic_error("unreachable");
}

// Replaces BM_Sum/512's cpu_time and real_time samples in `to` by nine values
// within ±0.8% of `factor` × their median in `from`. Smooth samples make the
// first step's verdict a clean suspect, whatever this shared machine does to
// nine repetitions (a wide spread or two clusters would make it "noisy", a
// busy minute while recording the baseline would hide the change, and then
// there would be nothing to confirm); the confirmation measures afresh anyway.
void smooth_sum512(json& to, json& from, double factor) {
  for (const char* m : {"cpu_time", "real_time"}) {
    auto values = sum512(from)["metrics"][m]["samples"].get<std::vector<double>>();
    BOOST_REQUIRE(!values.empty());
    std::sort(values.begin(), values.end());
    const double mid = values[values.size() / 2];
    json smooth = json::array();
    for (int i = 0; i < 9; ++i) smooth.push_back(factor * mid * (1.0 + 0.002 * (i - 4)));
    sum512(to)["metrics"][m]["samples"] = smooth;
  }
}

// A repository whose main branch holds gate.json and runner r1's baseline of
// suite prog, recorded from `base`; flatter() then edits it as if an unusually
// quiet day had recorded BM_Sum/512 at 60% of the head run's time, by a build
// of different code (another text hash, so that nothing treats the code as
// unchanged).
struct FlatteringBaseline {
  explicit FlatteringBaseline(const fs::path& base) {
    init_repo(repo);
    write_file(repo / "gate.json", k_policy);
    commit_all(repo, "policy");
    auto run = run_gate({"run", "--policy", (repo / "gate.json").string(), "--build-dir", base.string(), "--out",
                         (dir / "base-run.json").string(), "--repetitions", "9", "--runner", "r1"});
    BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.err);
    auto update = run_gate({"baseline", "update", (dir / "base-run.json").string(), "--runner", "r1", "--commit",
                            "--repo", repo.string()});
    BOOST_REQUIRE_MESSAGE(update.exit_code == 0, update.err);
  }

  // Smooths BM_Sum/512 in the head run `run` and sets the baseline's to 60%
  // of it, committed on main.
  void flatter(const fs::path& run) const {
    json head = json::parse(read_file(run));
    json original = head;
    smooth_sum512(head["suites"][0], original["suites"][0], 1.0);
    write_file(run, head.dump(2) + "\n");
    const fs::path file = repo / "baselines/r1/prog.json";
    json baseline = json::parse(read_file(file));
    smooth_sum512(baseline["suite"], original["suites"][0], 0.6);
    baseline["suite"]["binary"]["text_hash"] = "feedfacefeedface";
    write_file(file, baseline.dump(2) + "\n");
    commit_all(repo, "a flattering baseline");
  }

  // `gate compare --baseline-ref main RUN` with the extra arguments, as CI runs it.
  gate::test::RunResult compare(const fs::path& run, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"compare", "--baseline-ref", "main", "--repo", repo.string(), run.string(),
                                  "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_gate(args, repo, {"GATE_RUNNER=r1"});
  }

  TempDir dir;
  fs::path repo = dir / "repo";
};

// `gate run` of the head build into `out`, as the pull request's job does;
// then the baseline flatters BM_Sum/512 (FlatteringBaseline::flatter).
fs::path head_run(const FlatteringBaseline& f, const fs::path& head, const std::string& out) {
  auto r = run_gate({"run", "--policy", (f.repo / "gate.json").string(), "--build-dir", head.string(), "--out",
                     (f.dir / out).string(), "--repetitions", "9", "--runner", "r1"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  f.flatter(f.dir / out);
  return f.dir / out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_ab)

BOOST_AUTO_TEST_CASE(run_ab_then_compare_catches_the_slower_build_and_passes_the_same_build) {
  TempDir dir;
  write_file(dir / "gate.json", k_policy);
  fs::path base = build(dir, "base", programs::good_bench);
  fs::path slower = build(dir, "slower", programs::good_bench_slower);

  auto run = run_gate({"run", "--policy", (dir / "gate.json").string(), "--ab", base.string(), slower.string(),
                       "--repetitions", "10", "--out", (dir / "ab.json").string()});
  BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.err);
  BOOST_TEST(contains(run.err, "from two builds, 10 rounds a/b"), run.err);
  // The bundle holds both builds, sizes and text hashes included.
  json bundle = json::parse(read_file(dir / "ab.json"));
  BOOST_TEST(bundle["ab"]["rounds"] == 10);
  BOOST_TEST(bundle["ab"]["first"]["prog"].get<std::string>().size() == 10u);
  BOOST_TEST(!bundle["ab"]["base_suites"][0]["binary"]["text_hash"].get<std::string>().empty());
  BOOST_TEST(!bundle["suites"][0]["binary"]["text_hash"].get<std::string>().empty());

  auto judged = run_gate({"compare", (dir / "ab.json").string(), "--policy", (dir / "gate.json").string(), "--format",
                          "json"});
  BOOST_TEST(judged.exit_code == 1, judged.out);
  json report = parse(judged);
  BOOST_TEST(failing(report) == (std::vector<std::string>{"BM_Sum/512 cpu_time"}), judged.out);
  const json* v = verdict(report, "BM_Sum/512");
  BOOST_REQUIRE(v != nullptr);
  BOOST_TEST((*v)["test"] == "wilcoxon signed-rank beyond the limit (paired a/b)");
  BOOST_TEST((*v)["statistic"] == "median ratio");
  BOOST_TEST((*v)["change"].get<double>() > 0.2, (*v)["change"]);

  // The table says how it judged.
  auto table = run_gate({"compare", (dir / "ab.json").string(), "--policy", (dir / "gate.json").string()});
  BOOST_TEST(contains(table.out, "statistics: noisy metrics: median ratio head/base of the same-job a/b pairs (10 "
                                 "rounds, base and head builds interleaved suite by suite), one-sided "
                                 "Wilcoxon signed-rank test"),
             table.out);
  BOOST_TEST(!contains(table.out, "Mann-Whitney"), table.out);

  // A/A: the same build twice passes.
  auto same = run_gate({"run", "--policy", (dir / "gate.json").string(), "--ab", base.string(), base.string(),
                        "--repetitions", "10", "--out", (dir / "aa.json").string()});
  BOOST_REQUIRE_MESSAGE(same.exit_code == 0, same.err);
  BOOST_TEST(contains(same.err, "an A/A run"), same.err);
  auto aa = run_gate({"compare", (dir / "aa.json").string(), "--policy", (dir / "gate.json").string(), "--format",
                      "json"});
  BOOST_TEST(aa.exit_code == 0, aa.out);
}

// Paired benchmark by benchmark (--pair benchmark), every benchmark still gets a
// sample in every round from both builds, the complexity family runs
// together and is fitted in every round, and the bundle and the report say
// how the pairs were made; --pair suite (the default) runs whole suites.
BOOST_AUTO_TEST_CASE(pairs_are_made_benchmark_by_benchmark_unless_asked_for_suites) {
  TempDir dir;
  write_file(dir / "gate.json", R"({"suites": [{"name": "pairs", "binary": "bench", "timeout": "60s"}]})");
  fs::path base = build(dir, "base", programs::pair_bench);
  fs::path head = build(dir, "head", programs::pair_bench);
  auto run = run_gate({"run", "--policy", (dir / "gate.json").string(), "--ab", base.string(), head.string(),
                       "--repetitions", "4", "--seed", "7", "--pair", "benchmark", "--out",
                       (dir / "ab.json").string()});
  BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.err);
  // Rounds after the first run one benchmark (or the family) at a time.
  // (MinTime in the program puts "/min_time:0.002" into every name, and into
  // the family's name that Google Benchmark gives the complexity fit.)
  BOOST_TEST(contains(run.err, "pairs: base, round 2/4, BM_Mix/min_time:0.002 (timing)"), run.err);
  BOOST_TEST(contains(run.err, "pairs: head, round 3/4, BM_Scan/64/min_time:0.002 and 3 more"), run.err);
  BOOST_TEST(!contains(run.err, "round 2/4, BM_Scan/256"), run.err);
  json bundle = json::parse(read_file(dir / "ab.json"));
  BOOST_TEST(bundle["ab"]["pairing"] == "benchmark");
  BOOST_TEST(bundle["ab"]["first"]["pairs"].get<std::string>().size() == 4u);
  for (const json* side : {&bundle["suites"][0], &bundle["ab"]["base_suites"][0]}) {
    std::vector<std::string> names;
    for (const auto& b : (*side)["benchmarks"]) {
      const std::string name = b["name"];
      names.push_back(name);
      if (name == "(process)") continue;
      BOOST_TEST(b["metrics"]["cpu_time"]["rounds"] == json({1, 2, 3, 4}), name << ": " << b["metrics"]["cpu_time"]);
    }
    std::sort(names.begin(), names.end());
    const std::vector<std::string> expected = {
        "(process)",                      "BM_Mix/min_time:0.002",        "BM_Scan/1024/min_time:0.002",
        "BM_Scan/256/min_time:0.002",     "BM_Scan/4096/min_time:0.002",  "BM_Scan/64/min_time:0.002",
        "BM_Twice/min_time:0.002"};
    BOOST_TEST(names == expected, boost::test_tools::per_element());
    std::vector<int> fitted;
    for (const auto& fit : (*side)["complexity"]) fitted.push_back(fit["round"].get<int>());
    BOOST_TEST(fitted == (std::vector<int>{1, 2, 3, 4}), (*side)["complexity"]);
  }
  auto table = run_gate({"compare", (dir / "ab.json").string(), "--policy", (dir / "gate.json").string()});
  BOOST_TEST(contains(table.out, "(4 rounds, base and head builds interleaved benchmark by benchmark)"), table.out);

  auto whole = run_gate({"run", "--policy", (dir / "gate.json").string(), "--ab", base.string(), head.string(),
                         "--repetitions", "3", "--out", (dir / "suite.json").string()});
  BOOST_REQUIRE_MESSAGE(whole.exit_code == 0, whole.err);
  BOOST_TEST(!contains(whole.err, "round 2/3, BM_"), whole.err);
  json by_suite = json::parse(read_file(dir / "suite.json"));
  BOOST_TEST(by_suite["ab"]["pairing"] == "suite");
  auto suite_table = run_gate({"compare", (dir / "suite.json").string(), "--policy", (dir / "gate.json").string()});
  BOOST_TEST(contains(suite_table.out, "(3 rounds, base and head builds interleaved suite by suite)"), suite_table.out);

  auto bad = run_gate({"run", "--policy", (dir / "gate.json").string(), "--ab", base.string(), head.string(),
                       "--pair", "round"});
  BOOST_TEST(bad.exit_code == 2, bad.err);
}

// The label BM_Mix of pair_bench gives itself: the CPUs it may run on.
std::string cpus_label(const json& suite) {
  for (const auto& b : suite["benchmarks"]) {
    if (b["name"] == "BM_Mix/min_time:0.002") return b.value("label", std::string());
  }
  return "(no BM_Mix)";
}

// The highest-numbered CPU this process may use: "last".
int last_allowed_cpu() {
  cpu_set_t set;
  CPU_ZERO(&set);
  BOOST_REQUIRE(sched_getaffinity(0, sizeof set, &set) == 0);
  int last = -1;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (CPU_ISSET(c, &set)) last = c;
  }
  return last;
}

// gate.json's "ab" section sets how an A/B run measures when the command
// line does not: rounds, pairing, the one CPU every benchmark of both builds
// runs on (the benchmark itself sees it), and min_time; the bundle and the
// report say so. --pin, --pair, --repetitions and --min-time override it, and
// a CPU the gate may not use is refused before anything runs.
BOOST_AUTO_TEST_CASE(the_policy_ab_section_pins_both_builds_to_one_cpu_and_the_report_says_so) {
  TempDir dir;
  write_file(dir / "gate.json", R"({
  "suites": [{"name": "pairs", "binary": "bench", "timeout": "60s"}],
  "ab": {"rounds": 15, "pair": "benchmark", "cpu": "last", "min_time": "5ms"}
})");
  fs::path base = build(dir, "base", programs::pair_bench);
  fs::path head = build(dir, "head", programs::pair_bench);
  const int last = last_allowed_cpu();
  auto run = run_gate({"run", "--policy", (dir / "gate.json").string(), "--ab", base.string(), head.string(), "--out",
                       (dir / "ab.json").string()});
  BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.err);
  BOOST_TEST(contains(run.err, "pairs: head, round 15/15, BM_"), run.err);
  json bundle = json::parse(read_file(dir / "ab.json"));
  BOOST_TEST(bundle["ab"]["rounds"] == 15);
  BOOST_TEST(bundle["ab"]["pairing"] == "benchmark");
  BOOST_TEST(bundle["ab"]["cpu"] == last);
  BOOST_TEST(bundle["ab"]["min_time"].get<double>() == 0.005);
  BOOST_TEST(cpus_label(bundle["suites"][0]) == "cpus " + std::to_string(last));
  BOOST_TEST(cpus_label(bundle["ab"]["base_suites"][0]) == "cpus " + std::to_string(last));
  auto table = run_gate({"compare", (dir / "ab.json").string(), "--policy", (dir / "gate.json").string()});
  BOOST_TEST(contains(table.out, fmt_rounds(15, "5 ms", "benchmark by benchmark", last)), table.out);
  auto report = parse(run_gate({"compare", (dir / "ab.json").string(), "--policy", (dir / "gate.json").string(),
                                "--format", "json"}));
  BOOST_TEST(report["ab"]["cpu"] == last);
  BOOST_TEST(report["ab"]["min_time"].get<double>() == 0.005);

  // The command line wins: CPU 0, whole suites, 3 rounds.
  auto cli = run_gate({"run", "--policy", (dir / "gate.json").string(), "--ab", base.string(), head.string(), "--pin",
                       "0", "--pair", "suite", "--repetitions", "3", "--min-time", "0.004", "--out",
                       (dir / "cli.json").string()});
  BOOST_REQUIRE_MESSAGE(cli.exit_code == 0, cli.err);
  json pinned = json::parse(read_file(dir / "cli.json"));
  BOOST_TEST(pinned["ab"]["cpu"] == 0);
  BOOST_TEST(pinned["ab"]["pairing"] == "suite");
  BOOST_TEST(pinned["ab"]["rounds"] == 3);
  BOOST_TEST(pinned["ab"]["min_time"].get<double>() == 0.004);
  BOOST_TEST(cpus_label(pinned["suites"][0]) == "cpus 0");

  // Not pinned: the benchmark may use every CPU the gate may.
  write_file(dir / "free.json", R"({"suites": [{"name": "pairs", "binary": "bench", "timeout": "60s"}]})");
  auto free = run_gate({"run", "--policy", (dir / "free.json").string(), "--ab", base.string(), head.string(),
                        "--repetitions", "2", "--out", (dir / "free-ab.json").string()});
  BOOST_REQUIRE_MESSAGE(free.exit_code == 0, free.err);
  json unpinned = json::parse(read_file(dir / "free-ab.json"));
  BOOST_TEST(!unpinned["ab"].contains("cpu"));
  if (last > 0) BOOST_TEST(cpus_label(unpinned["suites"][0]) != "cpus " + std::to_string(last));

  // --pin none undoes the policy's pin.
  auto unpin = run_gate({"run", "--policy", (dir / "gate.json").string(), "--ab", base.string(), head.string(), "--pin",
                         "none", "--pair", "suite", "--repetitions", "2", "--out", (dir / "unpin.json").string()});
  BOOST_REQUIRE_MESSAGE(unpin.exit_code == 0, unpin.err);
  BOOST_TEST(!json::parse(read_file(dir / "unpin.json"))["ab"].contains("cpu"));

  auto not_allowed = run_gate({"run", "--policy", (dir / "gate.json").string(), "--ab", base.string(), head.string(),
                               "--pin", "1023", "--out", (dir / "x.json").string()});
  BOOST_TEST(not_allowed.exit_code == 2);
  BOOST_TEST(not_allowed.first_err_line().rfind("gate: error: running an a/b pair: --pin 1023: not a CPU this gate may "
                                                "use (it may use 0",
                                                0) == 0u,
             not_allowed.err);
  BOOST_TEST(!fs::exists(dir / "x.json"));
  auto not_a_cpu = run_gate({"run", "--policy", (dir / "gate.json").string(), "--ab", base.string(), head.string(),
                             "--pin", "first"});
  BOOST_TEST(not_a_cpu.exit_code == 2);
  BOOST_TEST(not_a_cpu.first_err_line() == "gate: error: --pin 'first': expected a CPU number (0 to 1023), 'last' or 'none'",
             not_a_cpu.err);
  auto no_time = run_gate({"run", "--policy", (dir / "gate.json").string(), "--ab", base.string(), head.string(),
                           "--min-time", "0"});
  BOOST_TEST(no_time.exit_code == 2);
  BOOST_TEST(contains(no_time.first_err_line(), "--min-time 0: expected seconds above 0 and at most 60"), no_time.err);
}

// The policy's product commands run on the pinned CPU too, both builds' runs
// of every round: a command that succeeds only where it may use that one CPU
// and no other exits 0 on both sides, and fails (status 1) when not pinned.
BOOST_AUTO_TEST_CASE(a_pin_holds_for_the_policys_commands_too) {
  TempDir dir;
  const int last = last_allowed_cpu();
  write_file(dir / "gate.json", R"({
  "commands": [{"name": "where", "run": ["/bin/grep", "-qE", "^Cpus_allowed_list:[[:space:]]*)" +
                                    std::to_string(last) + R"($", "/proc/self/status"],
                "runs": 3, "warmup": 0, "timeout": "10s"}],
  "ab": {"cpu": "last"}
})");
  fs::create_directories(dir / "base");
  fs::create_directories(dir / "head");
  auto run = run_gate({"run", "--policy", (dir / "gate.json").string(), "--ab", (dir / "base").string(),
                       (dir / "head").string(), "--repetitions", "3", "--out", (dir / "ab.json").string()});
  BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.err);
  json bundle = json::parse(read_file(dir / "ab.json"));
  BOOST_TEST(bundle["ab"]["cpu"] == last);
  BOOST_REQUIRE(bundle["suites"].size() == 1u);
  BOOST_REQUIRE(bundle["ab"]["base_suites"].size() == 1u);
  BOOST_TEST(bundle["suites"][0]["command"]["exit_code"] == 0, bundle["suites"][0].dump());
  BOOST_TEST(bundle["ab"]["base_suites"][0]["command"]["exit_code"] == 0);
  BOOST_TEST(bundle["suites"][0]["benchmarks"][0]["metrics"]["real_time"]["samples"].size() == 3u);

  auto free = run_gate({"run", "--policy", (dir / "gate.json").string(), "--ab", (dir / "base").string(),
                        (dir / "head").string(), "--repetitions", "3", "--pin", "none", "--out",
                        (dir / "free.json").string()});
  BOOST_REQUIRE_MESSAGE(free.exit_code == 0, free.err);
  json unpinned = json::parse(read_file(dir / "free.json"));
  if (last > 0) {  // with one CPU allowed, pinned and free are the same
    BOOST_TEST(unpinned["suites"][0]["command"]["exit_code"] == 1, unpinned["suites"][0].dump());
  }
}

BOOST_AUTO_TEST_CASE(run_ab_usage_errors_exit_2_with_one_line) {
  TempDir dir;
  write_file(dir / "gate.json", k_policy);
  fs::path base = build(dir, "base", programs::good_bench);
  auto missing = run_gate({"run", "--policy", (dir / "gate.json").string(), "--ab", (dir / "nowhere").string(),
                           base.string(), "--out", (dir / "x.json").string()});
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(missing.first_err_line().rfind("gate: error: running an a/b pair: the base build '", 0) == 0u,
             missing.err);
  auto one = run_gate({"run", "--policy", (dir / "gate.json").string(), "--ab", base.string()});
  BOOST_TEST(one.exit_code == 2);
  auto plain = run_gate({"compare", (dir / "gate.json").string()});
  BOOST_TEST(plain.exit_code == 2);
}

BOOST_AUTO_TEST_CASE(a_suspect_the_base_build_does_not_confirm_passes_as_noisy) {
  TempDir builds;
  fs::path base = build(builds, "base", programs::good_bench);
  fs::path head = build(builds, "head", programs::good_bench);  // the pull request changed nothing
  FlatteringBaseline f(base);
  fs::path run = head_run(f, head, "run.json");

  // Against the stored baseline alone, BM_Sum/512 looks 67% slower.
  json first = parse(f.compare(run));
  const json* suspect = verdict(first, "BM_Sum/512");
  BOOST_REQUIRE(suspect != nullptr);
  BOOST_TEST((*suspect)["status"] == "suspect", first.dump(2));

  auto confirmed = f.compare(run, {"--confirm-with", base.string(), "--head-build", head.string(),
                                   "--confirm-rounds", "12"});
  BOOST_TEST(confirmed.exit_code == 0, confirmed.out + confirmed.err);
  json report = parse(confirmed);
  const json* v = verdict(report, "BM_Sum/512");
  BOOST_REQUIRE(v != nullptr);
  BOOST_TEST((*v)["status"] == "noisy");
  BOOST_TEST(contains((*v)["note"].get<std::string>(), "not confirmed: paired a/b change "), (*v)["note"]);
  BOOST_TEST(contains((*v)["note"].get<std::string>(), "n=12)"), (*v)["note"]);
  // The first step's numbers are still there.
  BOOST_TEST((*v)["change"].get<double>() > 0.2);
  std::string notice = report["notices"][0].get<std::string>();
  BOOST_TEST(contains(notice, "re-run from '" + base.string() + "' vs '" + head.string() + "', 12 rounds: 0 confirmed"),
             notice);
}

BOOST_AUTO_TEST_CASE(a_suspect_the_base_build_confirms_fails_the_gate) {
  TempDir builds;
  fs::path base = build(builds, "base", programs::good_bench);
  fs::path slower = build(builds, "slower", programs::good_bench_slower);
  FlatteringBaseline f(base);
  fs::path run = head_run(f, slower, "run.json");

  auto confirmed = f.compare(run, {"--confirm-with", base.string(), "--head-build", slower.string(),
                                   "--confirm-rounds", "12"});
  BOOST_TEST(confirmed.exit_code == 1, confirmed.out + confirmed.err);
  json report = parse(confirmed);
  BOOST_TEST(failing(report) == (std::vector<std::string>{"BM_Sum/512 cpu_time"}), confirmed.out);
  const json* v = verdict(report, "BM_Sum/512");
  BOOST_REQUIRE(v != nullptr);
  BOOST_TEST((*v)["status"] == "regressed");
  BOOST_TEST(contains((*v)["note"].get<std::string>(), "confirmed: paired a/b change +"), (*v)["note"]);
  BOOST_TEST(contains(report["notices"][0].get<std::string>(), "12 rounds: 1 confirmed"), report["notices"][0]);
}

BOOST_AUTO_TEST_SUITE_END()
