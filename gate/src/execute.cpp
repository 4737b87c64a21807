// gate/src/execute.cpp — `gate run`'s library side: runs each suite binary of
// the policy (timed, and under callgrind when asked), measures its size, and
// gathers everything, failures included, into one run bundle.
#include "gate/execute.hpp"

#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <regex>
#include <sstream>
#include <system_error>

#include <fmt/core.h>

#include "gate/baseline_store.hpp"
#include "gate/binary_size.hpp"
#include "gate/callgrind.hpp"
#include "gate/error.hpp"
#include "gate/ingest.hpp"
#include "gate/metrics.hpp"
#include "gate/runner.hpp"
#include "process.hpp"

namespace gate {
namespace {

using detail::ProcessResult;
using detail::ProcessSpec;
using detail::run_process;
using std::chrono::nanoseconds;

/// Lines of a failed suite's stderr kept in Suite::failure.
constexpr std::size_t k_stderr_lines = 20;
/// Listing a suite's benchmarks should take a moment; a binary that needs
/// longer is waited for up to its own timeout, never beyond this.
constexpr nanoseconds k_list_timeout = std::chrono::seconds(60);
/// Google Benchmark's default --benchmark_min_time (1.7.1), in seconds.
constexpr double k_default_min_time = 0.5;
/// Wall time of one repetition of one benchmark per second of min_time,
/// before a run has taught better: Google Benchmark probes the iteration
/// count from 1 upwards in every repetition and aims past min_time. Measured
/// with 1.7.1 on this project's machine: 2.8 to 3.1.
constexpr double k_initial_time_factor = 3.0;

/// A private working directory for one run: benchmark output files and
/// callgrind dumps. Removed with everything in it when the run ends.
class WorkDir {
 public:
  WorkDir() {
    std::error_code ec;
    auto base = std::filesystem::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string templ = (base / "gate-run-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) {
      throw Error(fmt::format("creating a working directory in '{}': {}", base.string(), std::strerror(errno)));
    }
    m_path = templ;
  }
  ~WorkDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// What happened, then the tail of stderr: what a person needs to start on
/// a failed suite without rerunning it.
std::string failure_text(const std::string& what, const ProcessResult* run) {
  if (run == nullptr) return what;
  std::string tail = detail::last_lines(run->err_tail, k_stderr_lines);
  if (tail.empty()) return what + "\n(nothing on stderr)";
  return fmt::format("{}\nstderr, last {} lines:\n{}", what, k_stderr_lines, tail);
}

/// --benchmark_min_time from the policy's arguments, in seconds, when it is
/// a plain number (1.7.1's form; 1.8's "10x" iteration counts are not time).
double min_time_of(const std::vector<std::string>& args) {
  double min_time = k_default_min_time;
  constexpr std::string_view flag = "--benchmark_min_time=";
  for (const auto& a : args) {
    if (a.rfind(flag, 0) != 0) continue;
    std::string_view v(a);
    v.remove_prefix(flag.size());
    if (!v.empty() && v.back() == 's') v.remove_suffix(1);
    double parsed = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), parsed);
    if (ec == std::errc() && ptr == v.data() + v.size() && parsed >= 0) min_time = parsed;
  }
  return min_time;
}

std::size_t count_listed(const std::string& out) {
  std::size_t n = 0;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) ++n;
  }
  return n;
}

/// The valgrind command line of the instrumented pass, up to the program.
std::vector<std::string> callgrind_command(const std::string& valgrind, const std::filesystem::path& out_dir) {
  return {valgrind,
          "--tool=callgrind",
          "--collect-atstart=no",
          "--cache-sim=yes",
          "--branch-sim=yes",
          fmt::format("--I1={}", k_callgrind_i1),
          fmt::format("--D1={}", k_callgrind_d1),
          fmt::format("--LL={}", k_callgrind_ll),
          fmt::format("--callgrind-out-file={}", (out_dir / "callgrind.out.%p").string())};
}

/// The whole environment of the instrumented pass. Callgrind's simulated
/// caches and branch predictor see every address and every branch, so the
/// counts move with the stack's position (which the size of the environment
/// sets) and with whatever code ran before the measured loop. A fixed,
/// small environment keeps the layout the same from one shell or CI job to
/// the next, and LD_BIND_NOW=1 resolves every dynamic symbol at start-up,
/// so that the first benchmark does not pay the lazy binding of the
/// functions it shares with the others (about 6,600 instructions with
/// Google Benchmark 1.7.1 on Debian 12) — which would make its counts
/// depend on the filter and the order.
std::vector<std::string> instrumented_environment() {
  std::vector<std::string> env;
  const char* path = std::getenv("PATH");
  env.push_back(std::string("PATH=") + (path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin"));
  for (const char* keep : {"LD_LIBRARY_PATH", "VALGRIND_LIB"}) {
    if (const char* v = std::getenv(keep)) env.push_back(std::string(keep) + "=" + v);
  }
  env.emplace_back("LD_BIND_NOW=1");
  env.emplace_back("LC_ALL=C");
  return env;
}

/// Drops what a one-iteration run under valgrind cannot tell: times,
/// rates and every other noisy metric, aggregates and complexity fits.
void keep_deterministic_only(Suite& suite) {
  for (auto& b : suite.benchmarks) {
    std::erase_if(b.metrics, [](const Metric& m) { return m.kind != MetricKind::deterministic; });
    b.aggregates.clear();
  }
  suite.complexity.clear();
}

class SuiteRunner {
 public:
  SuiteRunner(const RunOptions& options, int repetitions, std::optional<std::string> valgrind,
              std::string valgrind_version, const WorkDir& work, RunObserver* observer)
      : m_options(options),
        m_repetitions(repetitions),
        m_valgrind(std::move(valgrind)),
        m_valgrind_version(std::move(valgrind_version)),
        m_work(work),
        m_observer(observer) {}

  /// The suite's results, or std::nullopt when the filter leaves it nothing to run.
  std::optional<Suite> run(const SuiteSpec& spec, std::size_t index, std::size_t count) {
    m_index = index;
    m_count = count;
    Suite suite;
    suite.name = spec.name;
    const nanoseconds timeout = m_options.timeout.value_or(spec.timeout);

    std::filesystem::path binary = spec.binary;
    if (binary.is_relative()) binary = m_options.build_dir / binary;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(binary, ec)) {
      const Pass first = m_options.timed ? Pass::timing : Pass::callgrind;
      start(spec.name, first, 0, std::nullopt);
      suite.failure = fmt::format(
          "binary '{}' not found: '{}' {} — build it, or point --build-dir at the build directory", spec.binary,
          binary.string(), std::filesystem::exists(binary, ec) ? "is not a regular file" : "does not exist");
      finish(spec.name, first, nanoseconds(0), *suite.failure);
      return suite;
    }

    try {
      suite.binary = measure_binary(binary, spec.binary);
    } catch (const Error& e) {
      notice(fmt::format("suite '{}': no binary size: {}", spec.name, e.what()));
    }

    // Listing first tells how many benchmarks will run (for the estimate)
    // and whether the filter leaves any; a binary that cannot list is still
    // run, so that its failure is recorded the way it happens.
    std::optional<std::size_t> listed;
    {
      ProcessSpec list;
      list.argv = command(binary, spec, {"--benchmark_list_tests=true"});
      list.timeout = std::min(timeout, k_list_timeout);
      list.kill_grace = m_options.kill_grace;
      ProcessResult r = run_process(list);
      if (r.ending == ProcessResult::Ending::timed_out) {
        const Pass first = m_options.timed ? Pass::timing : Pass::callgrind;
        start(spec.name, first, 0, std::nullopt);
        suite.failure = failure_text(
            fmt::format("listing its benchmarks (--benchmark_list_tests) {}", r.describe(list.timeout)), &r);
        finish(spec.name, first, r.elapsed, *suite.failure);
        return suite;
      }
      if (r.succeeded()) listed = count_listed(r.out);
    }
    if (listed && *listed == 0 && !m_options.filter.empty()) {
      notice(fmt::format("suite '{}': no benchmark matches the filter '{}'; not run", spec.name, m_options.filter));
      return std::nullopt;
    }

    Outcome outcome = Outcome::measured;
    if (m_options.timed) outcome = timed_pass(spec, binary, timeout, listed, suite);
    // A suite that already failed is not run again under valgrind: it would
    // fail the same way, fifty times slower.
    if (outcome == Outcome::measured && m_options.instrument && !suite.failure) {
      outcome = instrumented_pass(spec, binary, timeout, listed, suite);
    }
    if (outcome == Outcome::nothing_matched) {
      notice(fmt::format("suite '{}': no benchmark matches the filter '{}'; not run", spec.name, m_options.filter));
      return std::nullopt;
    }
    return suite;
  }

 private:
  std::vector<std::string> command(const std::filesystem::path& binary, const SuiteSpec& spec,
                                   std::initializer_list<std::string> ours) const {
    std::vector<std::string> argv{binary.string()};
    // The policy's arguments come first so that ours, which the gate relies
    // on (output format and file), win when both name the same flag.
    argv.insert(argv.end(), spec.args.begin(), spec.args.end());
    argv.insert(argv.end(), ours);
    if (!m_options.filter.empty()) argv.push_back("--benchmark_filter=" + m_options.filter);
    return argv;
  }

  ProcessResult run_pass(std::vector<std::string> argv, nanoseconds timeout,
                         std::optional<std::vector<std::string>> env = std::nullopt) {
    ProcessSpec p;
    p.argv = std::move(argv);
    p.env = std::move(env);
    p.timeout = timeout;
    p.kill_grace = m_options.kill_grace;
    p.keep_stdout = false;
    if (m_observer != nullptr) p.on_tick = [this](nanoseconds elapsed) { m_observer->pass_running(elapsed); };
    return run_process(p);
  }

  /// Reads the --benchmark_out file into `into`; returns the failure, empty when none.
  std::string read_results(const std::filesystem::path& out_file, const std::string& source, Suite& into) {
    std::error_code ec;
    if (!std::filesystem::exists(out_file, ec)) return "wrote no results (no --benchmark_out file)";
    std::string text = read_text_file(out_file);
    try {
      into = read_google_benchmark(text, source);
    } catch (const Error& e) {
      return fmt::format("wrote invalid results: {}", e.what());
    }
    return {};
  }

  enum class Outcome { measured, nothing_matched };

  /// Google Benchmark leaves an empty file and says so on stderr when the
  /// filter matches nothing; the listing catches most such cases earlier.
  [[nodiscard]] bool nothing_matched(const ProcessResult& r, const std::filesystem::path& out_file) const {
    std::error_code ec;
    return r.succeeded() && !m_options.filter.empty() && std::filesystem::file_size(out_file, ec) == 0 && !ec &&
           r.err_tail.find("Failed to match any benchmarks") != std::string::npos;
  }

  Outcome timed_pass(const SuiteSpec& spec, const std::filesystem::path& binary, nanoseconds timeout,
                     std::optional<std::size_t> listed, Suite& suite) {
    std::optional<nanoseconds> estimate;
    if (listed) {
      double seconds = static_cast<double>(*listed) * m_repetitions * min_time_of(spec.args) * m_calibration;
      estimate = std::chrono::duration_cast<nanoseconds>(std::chrono::duration<double>(seconds));
    }
    start(spec.name, Pass::timing, listed.value_or(0), estimate);

    const auto out_file = m_work.path() / fmt::format("{}-{}.json", m_index, spec.name);
    ProcessResult r = run_pass(command(binary, spec,
                                       {"--benchmark_format=json", "--benchmark_out=" + out_file.string(),
                                        "--benchmark_out_format=json",
                                        fmt::format("--benchmark_repetitions={}", m_repetitions),
                                        "--benchmark_enable_random_interleaving=true"}),
                               timeout);

    if (nothing_matched(r, out_file)) {
      finish(spec.name, Pass::timing, r.elapsed, {});
      return Outcome::nothing_matched;
    }
    std::string what = r.succeeded() ? std::string() : r.describe(timeout);
    Suite measured;
    std::string bad_results = r.ending == ProcessResult::Ending::exited
                                  ? read_results(out_file, spec.binary, measured)
                                  : std::string();  // a killed run leaves a torn file: its failure says enough
    if (bad_results.empty() && r.ending == ProcessResult::Ending::exited) {
      suite.context = std::move(measured.context);
      suite.benchmarks = std::move(measured.benchmarks);
      suite.complexity = std::move(measured.complexity);
    }
    if (what.empty()) what = bad_results;
    if (!what.empty()) suite.failure = failure_text(what, &r);

    if (estimate && estimate->count() > 0 && !suite.failure) {
      // Later estimates learn from this machine: Google Benchmark's own
      // iteration-count probing and slow benchmarks add to min_time.
      m_actual_total += std::chrono::duration<double>(r.elapsed).count();
      m_estimated_total += std::chrono::duration<double>(*estimate).count() / m_calibration;
      if (m_estimated_total > 0) m_calibration = m_actual_total / m_estimated_total;
    }
    finish(spec.name, Pass::timing, r.elapsed, suite.failure ? *suite.failure : std::string());
    return Outcome::measured;
  }

  Outcome instrumented_pass(const SuiteSpec& spec, const std::filesystem::path& binary, nanoseconds timeout,
                            std::optional<std::size_t> listed, Suite& suite) {
    start(spec.name, Pass::callgrind, listed.value_or(0), std::nullopt);
    const auto dir = m_work.path() / fmt::format("{}-{}-callgrind", m_index, spec.name);
    std::filesystem::create_directories(dir);
    const auto out_file = dir / "results.json";

    std::vector<std::string> argv = callgrind_command(*m_valgrind, dir);
    auto program = command(binary, spec,
                           {"--benchmark_format=json", "--benchmark_out=" + out_file.string(),
                            "--benchmark_out_format=json", "--benchmark_min_time=0",
                            "--benchmark_repetitions=1"});
    argv.insert(argv.end(), program.begin(), program.end());
    ProcessResult r = run_pass(std::move(argv), timeout, instrumented_environment());
    if (nothing_matched(r, out_file)) {
      finish(spec.name, Pass::callgrind, r.elapsed, {});
      return Outcome::nothing_matched;
    }

    std::string what;
    Suite measured;
    if (!r.succeeded()) {
      what = "the run under callgrind " + r.describe(timeout);
    } else {
      what = read_results(out_file, spec.binary + " (under callgrind)", measured);
    }
    std::vector<CallgrindCounters> counters;
    if (what.empty()) {
      try {
        counters = read_callgrind_dir(dir);
      } catch (const Error& e) {
        what = fmt::format("under callgrind: {}", e.what());
      }
    }

    if (!what.empty()) {
      std::string text = failure_text(what, &r);
      suite.failure = suite.failure ? *suite.failure + "\n" + text : text;
      suite.context[std::string(k_instrumentation_context)] = "unavailable: the instrumented run failed";
    } else if (counters.empty()) {
      suite.context[std::string(k_instrumentation_context)] =
          "unavailable: the binary made no callgrind dumps (not built with the perfgate harness)";
      notice(fmt::format("suite '{}': instruction counts are unavailable — the binary made no callgrind dumps "
                         "(it is not built with the perfgate benchmark harness)",
                         spec.name));
      if (!m_options.timed) adopt(suite, std::move(measured));
    } else {
      const auto known = measured_names(measured);
      if (!m_options.timed) adopt(suite, std::move(measured));
      merge(spec.name, counters, known, suite);
      suite.context[std::string(k_instrumentation_context)] =
          fmt::format("callgrind ({}) --I1={} --D1={} --LL={}, one iteration per benchmark", m_valgrind_version,
                      k_callgrind_i1, k_callgrind_d1, k_callgrind_ll);
    }
    finish(spec.name, Pass::callgrind, r.elapsed, what.empty() ? std::string() : failure_text(what, &r));
    return Outcome::measured;
  }

  /// Without a timed pass the instrumented run's own results give the
  /// benchmarks (names, errors, allocation counts), minus its times.
  static void adopt(Suite& suite, Suite measured) {
    keep_deterministic_only(measured);
    auto instrumentation = suite.context.find(std::string(k_instrumentation_context));
    std::optional<std::string> kept;
    if (instrumentation != suite.context.end()) kept = instrumentation->second;
    suite.context = std::move(measured.context);
    if (kept) suite.context[std::string(k_instrumentation_context)] = *kept;
    suite.benchmarks = std::move(measured.benchmarks);
  }

  static std::vector<std::string> measured_names(const Suite& suite) {
    std::vector<std::string> names;
    for (const auto& b : suite.benchmarks) names.push_back(b.name);
    return names;
  }

  void merge(const std::string& suite_name, const std::vector<CallgrindCounters>& counters,
             const std::vector<std::string>& known, Suite& suite) {
    for (const auto& c : counters) {
      Benchmark* target = nullptr;
      for (auto& b : suite.benchmarks) {
        if (b.name == c.benchmark) target = &b;
      }
      if (target == nullptr) {
        // A dump for a benchmark that the instrumented run did not report
        // (a label the harness could not name) cannot be placed.
        if (std::find(known.begin(), known.end(), c.benchmark) == known.end()) {
          notice(fmt::format("suite '{}': callgrind dump '{}' names no benchmark of the run; ignored", suite_name,
                             c.benchmark));
          continue;
        }
        Benchmark b;
        b.name = c.benchmark;
        b.iterations = c.iterations;
        b.repetitions = 1;
        suite.benchmarks.push_back(std::move(b));
        target = &suite.benchmarks.back();
      }
      for (const auto& [name, value] : c.metrics) {
        MetricInfo info = describe_metric(name);
        Metric m;
        m.name = name;
        m.unit = info.unit;
        m.direction = info.direction;
        m.kind = MetricKind::deterministic;
        m.samples = {value};
        if (Metric* existing = target->metric(name)) {
          *existing = std::move(m);
        } else {
          target->metrics.push_back(std::move(m));
        }
      }
    }
  }

  void start(const std::string& suite, Pass pass, std::size_t benchmarks, std::optional<nanoseconds> estimate) {
    if (m_observer != nullptr) m_observer->pass_started(m_index, m_count, suite, pass, benchmarks, estimate);
  }
  void finish(const std::string& suite, Pass pass, nanoseconds elapsed, const std::string& failure) {
    if (m_observer != nullptr) m_observer->pass_finished(m_index, m_count, suite, pass, elapsed, failure);
  }
  void notice(const std::string& text) {
    if (m_observer != nullptr) m_observer->notice(text);
  }

  const RunOptions& m_options;
  int m_repetitions;
  std::optional<std::string> m_valgrind;
  std::string m_valgrind_version;
  const WorkDir& m_work;
  RunObserver* m_observer;
  std::size_t m_index = 0;
  std::size_t m_count = 0;
  double m_calibration = k_initial_time_factor;  ///< measured time per estimated second
  double m_actual_total = 0;
  double m_estimated_total = 0;
};

std::vector<const SuiteSpec*> chosen_suites(const Policy& policy, const RunOptions& options) {
  const std::string where = policy.source.empty() ? std::string("the built-in policy") : "'" + policy.source + "'";
  if (policy.suites.empty()) {
    throw Error(fmt::format("running suites: the policy {} names no suites — add a \"suites\" list to it", where));
  }
  std::vector<const SuiteSpec*> chosen;
  if (options.suites.empty()) {
    for (const auto& s : policy.suites) chosen.push_back(&s);
    return chosen;
  }
  for (const auto& spec : policy.suites) {
    if (std::find(options.suites.begin(), options.suites.end(), spec.name) != options.suites.end()) {
      chosen.push_back(&spec);
    }
  }
  for (const auto& name : options.suites) {
    if (policy.find_suite(name) == nullptr) {
      std::string names;
      for (const auto& s : policy.suites) names += (names.empty() ? "" : ", ") + s.name;
      throw Error(fmt::format("running suite '{}': the policy {} has no such suite (it has: {})", name, where, names));
    }
  }
  return chosen;
}

int choose_repetitions(const Policy& policy, const RunOptions& options, RunObserver* observer) {
  if (options.repetitions) {
    if (*options.repetitions < 1) {
      throw Error(fmt::format("running suites: --repetitions {} — at least 1 is needed", *options.repetitions));
    }
    if (*options.repetitions < k_min_repetitions && observer != nullptr) {
      observer->notice(fmt::format("{} repetitions per benchmark are fewer than {}: the test of a timing change is "
                                   "weaker, and changes of 10% may go unseen",
                                   *options.repetitions, k_min_repetitions));
    }
    return *options.repetitions;
  }
  const int n = policy.defaults.repetitions;
  if (n < k_min_repetitions) {
    throw Error(fmt::format("running suites: the policy asks for {} repetitions, fewer than {} weaken the test — "
                            "raise defaults.repetitions, or pass --repetitions {} to accept that",
                            n, k_min_repetitions, n));
  }
  return n;
}

void check_filter(const std::string& filter) {
  if (filter.empty()) return;
  // Google Benchmark reads a leading '-' as "all but"; the rest is a POSIX
  // extended regular expression.
  std::string_view re = filter;
  if (re.front() == '-') re.remove_prefix(1);
  try {
    std::regex check{std::string(re), std::regex::extended};
  } catch (const std::regex_error& e) {
    throw Error(fmt::format("running suites: bad --filter '{}': {}", filter, e.what()));
  }
}

std::string valgrind_version(const std::string& valgrind) {
  ProcessSpec p;
  p.argv = {valgrind, "--version"};
  p.timeout = std::chrono::seconds(30);
  ProcessResult r = run_process(p);
  std::string v = r.out.substr(0, r.out.find('\n'));
  return v.empty() ? std::string("valgrind, version unknown") : v;
}

}  // namespace

std::string_view to_string(Pass pass) { return pass == Pass::timing ? "timing" : "callgrind"; }

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec);
}

RunBundle run_suites(const Policy& policy, const RunOptions& options, RunObserver* observer) {
  // Everything that can be refused is refused before the first suite runs:
  // a bad argument found after ten minutes of benchmarks wastes them.
  if (!options.timed && !options.instrument) throw Error("running suites: neither the timed nor the instrumented pass was asked for");
  const auto chosen = chosen_suites(policy, options);
  const int repetitions = choose_repetitions(policy, options, observer);
  check_filter(options.filter);
  (void)resolve_runner(options.runner);  // checks --runner / GATE_RUNNER now
  std::optional<std::string> valgrind;
  std::string version;
  if (options.instrument) {
    valgrind = detail::find_program("valgrind");
    if (!valgrind) {
      throw Error("running suites under callgrind: valgrind is not installed (not in PATH) — install it "
                  "(apt-get install valgrind) or run without --instrument");
    }
    version = valgrind_version(*valgrind);
  }

  RunBundle bundle;
  bundle.time = iso8601_utc(std::chrono::system_clock::now());
  WorkDir work;
  SuiteRunner runner(options, repetitions, valgrind, version, work, observer);
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (auto suite = runner.run(*chosen[i], i, chosen.size())) bundle.suites.push_back(std::move(*suite));
  }

  if (bundle.suites.empty()) {
    // Only a filter can leave every suite out; a typo in it must not pass as
    // a run that measured nothing.
    throw Error(fmt::format("running suites: no benchmark of any suite matches the filter '{}'", options.filter));
  }

  // The runner's fingerprint includes the compiler and build type that
  // Google Benchmark's context reports: taken from the first suite that has one.
  std::map<std::string, std::string> context;
  for (const auto& s : bundle.suites) {
    if (!s.context.empty()) {
      context = s.context;
      break;
    }
  }
  bundle.runner = resolve_runner(options.runner, context);

  if (!options.repo_dir.empty()) {
    try {
      if (auto head = head_commit(options.repo_dir)) bundle.commit = head->sha;
    } catch (const Error&) {
      // Not inside a git repository: results without a commit are still results.
    }
  }
  // The branch or tag being measured is known to CI; locally HEAD's sha is enough.
  for (const char* var : {"GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME"}) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') {
      bundle.ref = v;
      break;
    }
  }
  return bundle;
}

std::vector<std::string> failed_suites(const RunBundle& bundle) {
  std::vector<std::string> failed;
  for (const auto& s : bundle.suites) {
    if (s.failure) failed.push_back(fmt::format("{}: {}", s.name, s.failure->substr(0, s.failure->find('\n'))));
  }
  return failed;
}

}  // namespace gate
