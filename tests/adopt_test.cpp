// tests/adopt_test.cpp — adopting perfgate from an installed prefix, as
// another repository would: this build installed into a fresh temporary
// prefix, the example project (examples/checksum) configured against it with
// find_package(perfgate), and the installed gate run on it end to end —
// instruction counts, a baseline committed to a throwaway git repository, a
// code change caught and an unchanged rebuild passed. Also what the same
// suite gives as a plain Google Benchmark binary (a note on what to link, the
// build type it cannot know, an unoptimised build refused as a baseline),
// one runner id with and without the harness, and the build type a suite
// records when its build chose none.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "git_support.hpp"
#include "report_support.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using gate::test::commit_all;
using gate::test::git;
using gate::test::init_repo;
using gate::test::read_file;
using gate::test::RunResult;
using gate::test::TempDir;
using gate::test::write_file;
using nlohmann::json;

namespace {

// ccache's cache, found before GitEnvironment gives the process a private
// HOME (ccache looks for it under HOME): the example's builds reuse objects
// from one test run to the next.
std::string find_ccache_dir() {
  if (const char* dir = std::getenv("CCACHE_DIR"); dir != nullptr && *dir != '\0') return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
    return (fs::path(xdg) / "ccache").string();
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return {};
  std::error_code ec;
  if (fs::is_directory(fs::path(home) / ".ccache", ec)) return (fs::path(home) / ".ccache").string();
  return (fs::path(home) / ".cache" / "ccache").string();
}
const std::string g_ccache_dir = find_ccache_dir();

struct Environment {
  gate::test::GitEnvironment git;
};

// A build with sanitizers installs a harness that a plain consumer cannot
// link, and valgrind cannot run what it builds.
constexpr bool k_sanitized = GATE_SANITIZED;

// Printed for CTest: the test is reported as skipped (SKIP_REGULAR_EXPRESSION).
bool skip_if_sanitized() {
  if (!k_sanitized) return false;
  static const bool said = [] {
    std::cout << "perfgate-test-skipped: this build has sanitizers (GATE_SANITIZE): its harness cannot be installed "
                 "for a plain consumer and valgrind cannot run its binaries; run the release preset\n";
    return true;
  }();
  return said;
}

std::string shown(const RunResult& r) { return "exit " + std::to_string(r.exit_code) + "\nstdout:\n" + r.out + "\nstderr:\n" + r.err; }

/// This build, installed once per process into a fresh prefix.
struct Installed {
  TempDir dir;
  fs::path prefix = dir / "prefix";
  fs::path gate = prefix / "bin" / "gate";
  std::string manifest;  ///< what `cmake --install` reported, one line a file
};

const Installed& installed() {
  static const std::unique_ptr<Installed> once = [] {
    auto p = std::make_unique<Installed>();
    auto r = gate::test::run({GATE_CMAKE, "--install", GATE_BUILD_DIR, "--prefix", p->prefix.string()});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "cmake --install failed: " << shown(r));
    p->manifest = r.out;
    return p;
  }();
  return *once;
}

/// Environment of the example's builds.
std::vector<std::string> build_env() {
  std::vector<std::string> env;
  if (!g_ccache_dir.empty()) env.push_back("CCACHE_DIR=" + g_ccache_dir);
  return env;
}

/// Configures `source` into `build` against the installed prefix, the way
/// docs/adopt.md tells a user to, with the same compiler and generator as
/// this build, and builds it.
void build_example(const fs::path& source, const fs::path& build, const std::vector<std::string>& cache_args) {
  std::vector<std::string> configure{GATE_CMAKE, "-S", source.string(), "-B", build.string(),
                                     "-G", GATE_GENERATOR, "-DCMAKE_MAKE_PROGRAM=" GATE_MAKE_PROGRAM,
                                     "-DCMAKE_CXX_COMPILER=" GATE_CXX_COMPILER,
                                     "-DCMAKE_PREFIX_PATH=" + installed().prefix.string()};
  if (std::string launcher = GATE_CXX_LAUNCHER; !launcher.empty()) {
    configure.push_back("-DCMAKE_CXX_COMPILER_LAUNCHER=" + launcher);
  }
  configure.insert(configure.end(), cache_args.begin(), cache_args.end());
  auto c = gate::test::run(configure, {}, build_env());
  BOOST_REQUIRE_MESSAGE(c.exit_code == 0, "configuring the example failed: " << shown(c));
  auto b = gate::test::run({GATE_CMAKE, "--build", build.string(), "--clean-first"}, {}, build_env());
  BOOST_REQUIRE_MESSAGE(b.exit_code == 0, "building the example failed: " << shown(b));
}

/// The installed gate, run in `cwd`.
RunResult gate_at(const fs::path& cwd, const std::vector<std::string>& args) {
  std::vector<std::string> argv{installed().gate.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return gate::test::run(argv, cwd, {"NO_COLOR=1"});
}

/// A copy of the example as a git repository of its own, with one commit.
fs::path example_repo(const TempDir& dir) {
  const fs::path repo = dir / "checksum";
  fs::copy(GATE_EXAMPLE_DIR, repo, fs::copy_options::recursive);
  init_repo(repo);
  write_file(repo / ".gitignore", "/build*/\n");
  commit_all(repo, "checksum: a library and its suite");
  return repo;
}

/// The only suite of a run bundle.
json only_suite(const fs::path& bundle) {
  const json j = json::parse(read_file(bundle));
  BOOST_REQUIRE_EQUAL(j.at("suites").size(), 1u);
  return j.at("suites").at(0);
}

/// Benchmark name → its instruction count per iteration (absent: not there).
std::map<std::string, double> instructions(const json& suite) {
  std::map<std::string, double> found;
  for (const auto& b : suite.at("benchmarks")) {
    const auto& metrics = b.at("metrics");
    if (metrics.contains("instructions")) {
      found[b.at("name").get<std::string>()] = metrics.at("instructions").at("samples").at(0).get<double>();
    }
  }
  return found;
}

const std::set<std::string> k_benchmarks = {"BM_Fnv1a/64", "BM_Fnv1a/4096", "BM_Adler32/4096"};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(Environment);

BOOST_AUTO_TEST_SUITE(adopt)

BOOST_AUTO_TEST_CASE(install_puts_the_gate_the_harness_and_the_cmake_package_into_the_prefix) {
  if (skip_if_sanitized()) return;
  const Installed& in = installed();
  for (const char* file : {"bin/gate", "lib/libperfgate_harness.a", "include/perfgate/harness.hpp",
                           "include/perfgate/harness/memory_manager.hpp", "include/perfgate/harness/perf_counters.hpp",
                           "share/perfgate/benchmark_main.cpp", "lib/cmake/perfgate/perfgateConfig.cmake",
                           "lib/cmake/perfgate/perfgateConfigVersion.cmake", "lib/cmake/perfgate/perfgateTargets.cmake"}) {
    BOOST_TEST(fs::is_regular_file(in.prefix / file), file << " is not in the prefix; cmake --install said:\n" << in.manifest);
  }
  // valgrind's headers are needed to build the harness, not to use it.
  for (const char* header : {"harness.hpp", "harness/memory_manager.hpp", "harness/perf_counters.hpp"}) {
    BOOST_TEST(read_file(in.prefix / "include/perfgate" / header).find("<valgrind/") == std::string::npos, header);
  }
  auto version = gate_at(in.dir.path(), {"--version"});
  BOOST_TEST(version.exit_code == 0, shown(version));
  BOOST_TEST(version.out.find(GATE_VERSION) != std::string::npos, version.out);
}

BOOST_AUTO_TEST_CASE(the_example_is_gated_end_to_end_from_the_installed_prefix) {
  if (skip_if_sanitized()) return;
  TempDir dir;
  const fs::path repo = example_repo(dir);
  const fs::path build = repo / "build";
  build_example(repo, build, {"-DCMAKE_BUILD_TYPE=Release"});
  // find_package found this prefix, not another perfgate on the machine.
  BOOST_TEST(read_file(build / "CMakeCache.txt").find("perfgate_DIR:PATH=" + (installed().prefix / "lib/cmake/perfgate").string()) !=
             std::string::npos);

  // gate run --instrument: instruction counts per benchmark of a suite of
  // plain BENCHMARK functions.
  auto run = gate_at(repo, {"run", "--instrument", "--repetitions", "3", "--build-dir", build.string(), "--out",
                            (dir / "base.json").string()});
  BOOST_TEST_REQUIRE(run.exit_code == 0, shown(run));
  const json suite = only_suite(dir / "base.json");
  BOOST_TEST(suite.at("context").at("build_type").get<std::string>() == "Release");
  BOOST_TEST(suite.at("context").at("perfgate_instrumentation").get<std::string>().rfind("callgrind", 0) == 0);
  const auto counts = instructions(suite);
  BOOST_TEST(counts.size() == k_benchmarks.size());
  for (const auto& name : k_benchmarks) {
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST_REQUIRE(counts.count(name) == 1);
      BOOST_TEST(counts.at(name) > 0);
    }
  }
  // 4096 bytes cost more than 64.
  BOOST_TEST(counts.at("BM_Fnv1a/4096") > counts.at("BM_Fnv1a/64") + 4096);

  // gate baseline update --commit records them in the repository.
  auto update = gate_at(repo, {"baseline", "update", (dir / "base.json").string(), "--commit"});
  BOOST_TEST_REQUIRE(update.exit_code == 0, shown(update));
  BOOST_TEST(git(repo, {"log", "--format=%s", "-1"}).rfind("perfgate: update baselines of runner ", 0) == 0);
  const std::string runner = json::parse(read_file(dir / "base.json")).at("runner").at("id").get<std::string>();
  std::cout << "harness suite's run: runner " << runner << "\n";
  BOOST_TEST(fs::is_regular_file(repo / "baselines" / runner / "checksum_bench.json"));
  BOOST_TEST(git(repo, {"status", "--porcelain"}).empty());

  // An unchanged rebuild passes.
  build_example(repo, build, {});
  auto same = gate_at(repo, {"run", "--instrument", "--repetitions", "3", "--build-dir", build.string(), "--out",
                             (dir / "same.json").string()});
  BOOST_TEST_REQUIRE(same.exit_code == 0, shown(same));
  BOOST_TEST(instructions(only_suite(dir / "same.json")) == counts);
  auto pass = gate_at(repo, {"compare", "--baseline-ref", "main", (dir / "same.json").string(), "--format", "json"});
  BOOST_TEST(pass.exit_code == 0, shown(pass));

  // A pull request that adds work to FNV-1a's loop is caught, by name.
  git(repo, {"checkout", "-q", "-b", "more-mixing"});
  std::string source = read_file(repo / "src/checksum.cpp");
  const std::string anchor = "    hash *= 16777619U;\n";
  const auto at = source.find(anchor);
  BOOST_TEST_REQUIRE(at != std::string::npos, "examples/checksum/src/checksum.cpp no longer has: " << anchor);
  source.insert(at + anchor.size(), "    hash ^= hash >> 15;\n");
  write_file(repo / "src/checksum.cpp", source);
  commit_all(repo, "checksum: mix FNV-1a's bits once more per byte");
  build_example(repo, build, {});
  auto head = gate_at(repo, {"run", "--instrument", "--repetitions", "3", "--build-dir", build.string(), "--out",
                             (dir / "head.json").string()});
  BOOST_TEST_REQUIRE(head.exit_code == 0, shown(head));
  auto fail = gate_at(repo, {"compare", "--baseline-ref", "main", (dir / "head.json").string(), "--format", "json"});
  BOOST_TEST(fail.exit_code == 1, shown(fail));
  std::set<std::string> regressed;
  for (const auto& v : gate::test::failing_verdicts(gate::test::json_report(fail))) {
    BOOST_TEST(v.at("metric").get<std::string>() == "instructions", v.dump());
    regressed.insert(v.at("benchmark").get<std::string>());
  }
  BOOST_TEST((regressed == std::set<std::string>{"BM_Fnv1a/64", "BM_Fnv1a/4096"}));
  // The table a person reads names them too.
  auto table = gate_at(repo, {"compare", "--baseline-ref", "main", (dir / "head.json").string()});
  BOOST_TEST(table.exit_code == 1);
  BOOST_TEST(table.out.find("regressed  BM_Fnv1a/4096") != std::string::npos, table.out);
}

BOOST_AUTO_TEST_CASE(a_plain_google_benchmark_binary_gets_no_instruction_counts) {
  if (skip_if_sanitized()) return;
  TempDir dir;
  const fs::path repo = example_repo(dir);
  const fs::path build = repo / "build-plain";
  build_example(repo, build, {"-DCMAKE_BUILD_TYPE=Release", "-DCHECKSUM_BENCHMARK_MAIN=benchmark::benchmark_main"});

  auto run = gate_at(repo, {"run", "--instrument", "--repetitions", "3", "--build-dir", build.string(), "--out",
                            (dir / "plain.json").string()});
  BOOST_TEST_REQUIRE(run.exit_code == 0, shown(run));
  // One line that says exactly what to link.
  BOOST_TEST(run.err.find("gate: note: suite 'checksum_bench': instruction counts are unavailable — the binary made "
                          "no callgrind dumps: link it with perfgate::benchmark_main instead of "
                          "benchmark::benchmark_main (find_package(perfgate))") != std::string::npos,
             run.err);
  // A Release build without -g shows nothing of its optimisation: recorded,
  // with a note that says so.
  BOOST_TEST(run.err.find("gate: note: suite 'checksum_bench': its build type cannot be known") != std::string::npos,
             run.err);
  const json suite = only_suite(dir / "plain.json");
  BOOST_TEST(instructions(suite).empty());
  BOOST_TEST(suite.at("context").at("perfgate_instrumentation").get<std::string>().rfind("unavailable: ", 0) == 0);
  BOOST_TEST(!suite.at("context").contains("build_type"));
  BOOST_TEST(suite.at("context").at("perfgate_optimisation").get<std::string>().rfind("unknown: ", 0) == 0);
  // Every benchmark, and the suite's process (its peak_rss).
  BOOST_TEST(suite.at("benchmarks").size() == k_benchmarks.size() + 1);
  auto update = gate_at(repo, {"baseline", "update", (dir / "plain.json").string(), "--commit"});
  BOOST_TEST(update.exit_code == 0, shown(update));

  // One runner id: the plain suite's run records the id `gate runner`
  // prints, and so does the harness suite's run of the same code.
  const std::string plain_id = json::parse(read_file(dir / "plain.json")).at("runner").at("id").get<std::string>();
  auto runner = gate_at(repo, {"runner", "--id"});
  BOOST_TEST(runner.exit_code == 0, shown(runner));
  BOOST_TEST(runner.out == plain_id + "\n");
  const fs::path harness_build = repo / "build-harness";
  build_example(repo, harness_build, {"-DCMAKE_BUILD_TYPE=Release"});
  auto harness = gate_at(repo, {"run", "--repetitions", "1", "--build-dir", harness_build.string(), "--out",
                                (dir / "harness.json").string()});
  BOOST_TEST_REQUIRE(harness.exit_code == 0, shown(harness));
  const json harness_bundle = json::parse(read_file(dir / "harness.json"));
  BOOST_TEST(harness_bundle.at("runner").at("id").get<std::string>() == plain_id);
  BOOST_TEST(harness_bundle.at("runner").at("fingerprint").at("build_type").get<std::string>() == "Release");
  // Its first run with the harness is judged against the plain suite's
  // baselines, not refused: the build fields they lack are unknown, not a
  // runner mismatch. (Metrics only the harness measures, such as
  // allocs_per_iter, have no baseline yet: docs/adopt.md says to record
  // baselines again once the adoption is merged.)
  auto judged = gate_at(repo, {"compare", "--baseline-ref", "main", (dir / "harness.json").string(), "--format", "json"});
  BOOST_TEST(judged.err.find("runner mismatch") == std::string::npos, judged.err);
  const json report = gate::test::json_report(judged);
  BOOST_TEST(report.at("baseline").at("found").get<bool>(), judged.out);
  BOOST_TEST(report.at("baseline").at("runner").get<std::string>() == plain_id);
}

BOOST_AUTO_TEST_CASE(an_unoptimised_plain_google_benchmark_binary_is_refused_as_a_baseline) {
  if (skip_if_sanitized()) return;
  TempDir dir;
  const fs::path repo = example_repo(dir);
  const fs::path build = repo / "build-debug";
  build_example(repo, build, {"-DCMAKE_BUILD_TYPE=Debug", "-DCHECKSUM_BENCHMARK_MAIN=benchmark::benchmark_main"});
  auto run = gate_at(repo, {"run", "--repetitions", "1", "--build-dir", build.string(), "--out",
                            (dir / "debug.json").string()});
  BOOST_TEST_REQUIRE(run.exit_code == 0, shown(run));
  BOOST_TEST(run.err.find("gate: note: suite 'checksum_bench' is an unoptimised build: its debug information says it "
                          "was compiled by 'GNU C++") != std::string::npos,
             run.err);
  const json suite = only_suite(dir / "debug.json");
  BOOST_TEST(!suite.at("context").contains("build_type"));
  BOOST_TEST(suite.at("context").at("perfgate_optimisation").get<std::string>().rfind("unoptimised: ", 0) == 0);

  auto update = gate_at(repo, {"baseline", "update", (dir / "debug.json").string()});
  BOOST_TEST(update.exit_code == 2, shown(update));
  BOOST_TEST(update.first_err_line().find("suite 'checksum_bench' comes from an unoptimised build") != std::string::npos,
             update.err);
  BOOST_TEST(!fs::exists(repo / "baselines"));
  auto allowed = gate_at(repo, {"baseline", "update", (dir / "debug.json").string(), "--allow-debug"});
  BOOST_TEST(allowed.exit_code == 0, shown(allowed));
}

BOOST_AUTO_TEST_CASE(a_suite_built_without_a_build_type_is_recorded_as_debug_and_refused_as_a_baseline) {
  if (skip_if_sanitized()) return;
  TempDir dir;
  const fs::path repo = example_repo(dir);
  const fs::path build = repo / "build-none";
  // No CMAKE_BUILD_TYPE: CMake passes no -O flag at all. Perfgate itself was
  // built with one (Release or Debug); the suite records its own.
  build_example(repo, build, {"-DCMAKE_BUILD_TYPE="});
  auto run = gate_at(repo, {"run", "--instrument-only", "--build-dir", build.string(), "--out",
                            (dir / "none.json").string()});
  BOOST_TEST_REQUIRE(run.exit_code == 0, shown(run));
  BOOST_TEST(only_suite(dir / "none.json").at("context").at("build_type").get<std::string>() == "Debug");

  auto update = gate_at(repo, {"baseline", "update", (dir / "none.json").string()});
  BOOST_TEST(update.exit_code == 2, shown(update));
  BOOST_TEST(update.first_err_line().find("comes from a debug build") != std::string::npos, update.err);
  BOOST_TEST(!fs::exists(repo / "baselines"));
}

BOOST_AUTO_TEST_SUITE_END()
