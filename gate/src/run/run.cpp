// gate/src/run/run.cpp — `gate run`'s library side: runs each suite binary of
// the policy (timed, and under callgrind when asked), measures its size, and
// gathers everything, failures included, into one run bundle.
#include "gate/run/run.hpp"

#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <numeric>
#include <random>
#include <regex>
#include <sstream>
#include <system_error>

#include <fmt/core.h>

#include "gate/store/baseline_store.hpp"
#include "gate/run/binary_size.hpp"
#include "gate/run/optimisation.hpp"
#include "gate/formats/callgrind.hpp"
#include "gate/error.hpp"
#include "gate/formats/google_benchmark.hpp"
#include "gate/model/metrics.hpp"
#include "gate/store/runner.hpp"
#include "run/process.hpp"

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

  void notice(const std::string& text) {
    if (m_observer != nullptr) m_observer->notice(text);
  }

  /// Progress position of the passes that follow: step `index` of `count`.
  void set_position(std::size_t index, std::size_t count) {
    m_index = index;
    m_count = count;
  }

  /// The suite's results, or std::nullopt when the filter leaves it nothing to run.
  std::optional<Suite> run(const SuiteSpec& spec, std::size_t index, std::size_t count) {
    set_position(index, count);
    Suite suite;
    suite.name = spec.name;
    const nanoseconds timeout = m_options.timeout.value_or(spec.timeout);
    const Pass first = m_options.timed ? Pass::timing : Pass::callgrind;

    const std::filesystem::path binary = resolve(spec, m_options.build_dir);
    if (auto missing = missing_binary(spec, binary)) {
      start(spec.name, first, 0, std::nullopt);
      suite.failure = *missing + " — build it, or point --build-dir at the build directory";
      finish(spec.name, first, nanoseconds(0), *suite.failure);
      return suite;
    }
    suite.binary = size_of(spec, binary, spec.name);

    Listing listing = list(spec, binary, timeout);
    if (listing.failure) {
      start(spec.name, first, 0, std::nullopt);
      suite.failure = listing.failure;
      finish(spec.name, first, listing.elapsed, *suite.failure);
      return suite;
    }
    const std::optional<std::size_t> listed = listing.count;
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
    if (auto text = note_optimisation(suite, binary)) notice(*text);
    return suite;
  }

  /// A product binary's size: a Suite with `product` set and no benchmarks.
  Suite product(const BinarySpec& spec) {
    Suite suite;
    suite.name = spec.name;
    suite.product = true;
    std::filesystem::path path = spec.binary;
    if (path.is_relative()) path = m_options.build_dir / path;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      suite.failure = fmt::format("product binary '{}' not found: '{}' {} — build it, or point --build-dir at the "
                                  "build directory",
                                  spec.binary, path.string(),
                                  std::filesystem::exists(path, ec) ? "is not a regular file" : "does not exist");
      return suite;
    }
    try {
      suite.binary = measure_binary(path, spec.binary);
    } catch (const Error& e) {
      suite.failure = e.what();
    }
    return suite;
  }

  /// The suite's binary in `build_dir` (absolute paths as they are).
  static std::filesystem::path resolve(const SuiteSpec& spec, const std::filesystem::path& build_dir) {
    std::filesystem::path binary = spec.binary;
    if (binary.is_relative()) binary = build_dir / binary;
    return binary;
  }

  /// Why `binary` cannot be run ("binary 'x' not found: '/b/x' does not
  /// exist"), or std::nullopt when it is a regular file.
  static std::optional<std::string> missing_binary(const SuiteSpec& spec, const std::filesystem::path& binary) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(binary, ec)) return std::nullopt;
    return fmt::format("binary '{}' not found: '{}' {}", spec.binary, binary.string(),
                       std::filesystem::exists(binary, ec) ? "is not a regular file" : "does not exist");
  }

  /// The binary's size, or none with a notice when libelf cannot read it.
  std::optional<BinarySize> size_of(const SuiteSpec& spec, const std::filesystem::path& binary,
                                    const std::string& label) {
    try {
      return measure_binary(binary, spec.binary);
    } catch (const Error& e) {
      notice(fmt::format("suite '{}': no binary size: {}", label, e.what()));
    }
    return std::nullopt;
  }

  struct Listing {
    std::optional<std::size_t> count;   ///< benchmarks the filter leaves; unknown when listing failed
    std::optional<std::string> failure; ///< the listing outlived its timeout
    nanoseconds elapsed{0};
  };

  /// Listing first tells how many benchmarks will run (for the estimate)
  /// and whether the filter leaves any; a binary that cannot list is still
  /// run, so that its failure is recorded the way it happens. Only a listing
  /// that hangs fails the suite.
  Listing list(const SuiteSpec& spec, const std::filesystem::path& binary, nanoseconds timeout) {
    ProcessSpec p;
    p.argv = command(binary, spec, {"--benchmark_list_tests=true"});
    p.timeout = std::min(timeout, k_list_timeout);
    p.kill_grace = m_options.kill_grace;
    ProcessResult r = run_process(p);
    Listing out;
    out.elapsed = r.elapsed;
    if (r.ending == ProcessResult::Ending::timed_out) {
      out.failure = failure_text(
          fmt::format("listing its benchmarks (--benchmark_list_tests) {}", r.describe(p.timeout)), &r);
    } else if (r.succeeded()) {
      out.count = count_listed(r.out);
    }
    return out;
  }

  /// One round of a same-job A/B run: every benchmark of the suite once
  /// (one repetition, no interleaving, so that a benchmark sits at the same
  /// place in both builds' runs), the samples appended to `side` tagged
  /// with `round`. Returns the failure, empty when none. `label` names the
  /// step in progress displays ("bench_x: base, round 3/15").
  std::string ab_round(const SuiteSpec& spec, const std::filesystem::path& binary, nanoseconds timeout,
                       std::optional<std::size_t> listed, const std::string& label, int round, Suite& side) {
    TimedRun run = timed_run(spec, label, binary, timeout, listed, 1, false);
    if (run.outcome == Outcome::nothing_matched) return {};
    if (run.measured) append_round(side, std::move(*run.measured), round);
    return run.failure.value_or(std::string());
  }

  /// The instrumented pass of one build's side of an A/B run, after its
  /// rounds: the callgrind counters join the timed benchmarks.
  void ab_instrumented(const SuiteSpec& spec, const std::filesystem::path& binary, nanoseconds timeout,
                       std::optional<std::size_t> listed, Suite& side) {
    (void)instrumented_pass(spec, binary, timeout, listed, side);
  }

 private:
  std::vector<std::string> command(const std::filesystem::path& binary, const SuiteSpec& spec,
                                   const std::vector<std::string>& ours) const {
    std::vector<std::string> argv{binary.string()};
    // The policy's arguments come first so that ours, which the gate relies
    // on (output format and file), win when both name the same flag.
    argv.insert(argv.end(), spec.args.begin(), spec.args.end());
    argv.insert(argv.end(), ours.begin(), ours.end());
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
    TimedRun run = timed_run(spec, spec.name, binary, timeout, listed, m_repetitions, true);
    if (run.measured) {
      suite.context = std::move(run.measured->context);
      suite.benchmarks = std::move(run.measured->benchmarks);
      suite.complexity = std::move(run.measured->complexity);
    }
    if (run.failure) suite.failure = std::move(run.failure);
    return run.outcome;
  }

  struct TimedRun {
    Outcome outcome = Outcome::measured;
    std::optional<Suite> measured;       ///< the results file, when the run exited and wrote valid results
    std::optional<std::string> failure;  ///< what went wrong, with the tail of stderr
  };

  /// One timed run of the binary with `repetitions` repetitions per
  /// benchmark. Random interleaving spreads a benchmark's repetitions over
  /// the run; A/B rounds (one repetition) run without it.
  TimedRun timed_run(const SuiteSpec& spec, const std::string& label, const std::filesystem::path& binary,
                     nanoseconds timeout, std::optional<std::size_t> listed, int repetitions, bool interleave) {
    std::optional<nanoseconds> estimate;
    if (listed) {
      double seconds = static_cast<double>(*listed) * repetitions * min_time_of(spec.args) * m_calibration;
      estimate = std::chrono::duration_cast<nanoseconds>(std::chrono::duration<double>(seconds));
    }
    start(label, Pass::timing, listed.value_or(0), estimate);

    const auto out_file = m_work.path() / fmt::format("{}-{}.json", m_index, spec.name);
    std::vector<std::string> ours{"--benchmark_format=json", "--benchmark_out=" + out_file.string(),
                                  "--benchmark_out_format=json",
                                  fmt::format("--benchmark_repetitions={}", repetitions)};
    if (interleave) ours.emplace_back("--benchmark_enable_random_interleaving=true");
    ProcessResult r = run_pass(command(binary, spec, ours), timeout);

    TimedRun out;
    if (nothing_matched(r, out_file)) {
      finish(label, Pass::timing, r.elapsed, {});
      out.outcome = Outcome::nothing_matched;
      return out;
    }
    std::string what = r.succeeded() ? std::string() : r.describe(timeout);
    Suite measured;
    std::string bad_results = r.ending == ProcessResult::Ending::exited
                                  ? read_results(out_file, spec.binary, measured)
                                  : std::string();  // a killed run leaves a torn file: its failure says enough
    if (bad_results.empty() && r.ending == ProcessResult::Ending::exited) out.measured = std::move(measured);
    if (what.empty()) what = bad_results;
    if (!what.empty()) out.failure = failure_text(what, &r);
    std::error_code ec;
    std::filesystem::remove(out_file, ec);  // A/B runs write hundreds of these

    if (estimate && estimate->count() > 0 && !out.failure) {
      // Later estimates learn from this machine: Google Benchmark's own
      // iteration-count probing and slow benchmarks add to min_time.
      m_actual_total += std::chrono::duration<double>(r.elapsed).count();
      m_estimated_total += std::chrono::duration<double>(*estimate).count() / m_calibration;
      if (m_estimated_total > 0) m_calibration = m_actual_total / m_estimated_total;
    }
    finish(label, Pass::timing, r.elapsed, out.failure ? *out.failure : std::string());
    return out;
  }

  /// Appends one A/B round's results to a build's side: every sample gets
  /// its round, so that pairs are made by round whatever a benchmark did in
  /// the other rounds. The context is the first round's; complexity fits
  /// are kept from every round, each with its round; an error is kept from
  /// the first round that had it.
  static void append_round(Suite& side, Suite round_results, int round) {
    if (side.context.empty()) side.context = std::move(round_results.context);
    for (auto& fit : round_results.complexity) {
      fit.round = round;
      side.complexity.push_back(std::move(fit));
    }
    for (auto& b : round_results.benchmarks) {
      auto it = std::find_if(side.benchmarks.begin(), side.benchmarks.end(),
                             [&](const Benchmark& x) { return x.name == b.name; });
      if (it == side.benchmarks.end()) {
        Benchmark fresh;
        fresh.name = b.name;
        fresh.threads = b.threads;
        side.benchmarks.push_back(std::move(fresh));
        it = std::prev(side.benchmarks.end());
      }
      Benchmark& into = *it;
      into.label = b.label;
      into.iterations = b.iterations;
      into.repetitions += b.repetitions;
      if (b.error && !into.error) into.error = b.error;
      if (b.skipped && !into.skipped) into.skipped = b.skipped;
      for (auto& m : b.metrics) {
        Metric* target = into.metric(m.name);
        if (target == nullptr) {
          Metric fresh;
          fresh.name = m.name;
          fresh.unit = m.unit;
          fresh.direction = m.direction;
          fresh.kind = m.kind;
          into.metrics.push_back(std::move(fresh));
          target = &into.metrics.back();
        }
        for (double x : m.samples) {
          target->samples.push_back(x);
          target->rounds.push_back(round);
        }
      }
    }
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
      notice(fmt::format("suite '{}': instruction counts are unavailable — the binary made no callgrind dumps: link "
                         "it with perfgate::benchmark_main instead of benchmark::benchmark_main (find_package(perfgate))",
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
  if (policy.suites.empty() && (policy.binaries.empty() || !options.products)) {
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
    if (policy.find_suite(name) == nullptr && (!options.products || policy.find_binary(name) == nullptr)) {
      std::string names;
      for (const auto& s : policy.suites) names += (names.empty() ? "" : ", ") + s.name;
      if (options.products) {
        for (const auto& b : policy.binaries) names += (names.empty() ? "" : ", ") + b.name + " (product binary)";
      }
      throw Error(fmt::format("running suite '{}': the policy {} has no such suite (it has: {})", name, where, names));
    }
  }
  return chosen;
}

/// The product binaries to measure: all, or those named by --suite.
std::vector<const BinarySpec*> chosen_binaries(const Policy& policy, const RunOptions& options) {
  std::vector<const BinarySpec*> chosen;
  if (!options.products) return chosen;
  for (const auto& spec : policy.binaries) {
    if (options.suites.empty() ||
        std::find(options.suites.begin(), options.suites.end(), spec.name) != options.suites.end()) {
      chosen.push_back(&spec);
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

std::string find_valgrind() {
  auto valgrind = detail::find_program("valgrind");
  if (!valgrind) {
    throw Error("running suites under callgrind: valgrind is not installed (not in PATH) — install it "
                "(apt-get install valgrind) or run without --instrument");
  }
  return *valgrind;
}

std::string valgrind_version(const std::string& valgrind) {
  ProcessSpec p;
  p.argv = {valgrind, "--version"};
  p.timeout = std::chrono::seconds(30);
  ProcessResult r = run_process(p);
  std::string v = r.out.substr(0, r.out.find('\n'));
  return v.empty() ? std::string("valgrind, version unknown") : v;
}

/// The facts of where and when: runner, commit and ref.
void stamp(RunBundle& bundle, const RunOptions& options) {
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
  const auto products = chosen_binaries(policy, options);
  const int repetitions = choose_repetitions(policy, options, observer);
  check_filter(options.filter);
  (void)resolve_runner(options.runner);  // checks --runner / GATE_RUNNER now
  std::optional<std::string> valgrind;
  std::string version;
  if (options.instrument) {
    valgrind = find_valgrind();
    version = valgrind_version(*valgrind);
  }

  RunBundle bundle;
  bundle.time = iso8601_utc(std::chrono::system_clock::now());
  WorkDir work;
  SuiteRunner runner(options, repetitions, valgrind, version, work, observer);
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (auto suite = runner.run(*chosen[i], i, chosen.size())) bundle.suites.push_back(std::move(*suite));
  }
  const bool measured_benchmarks = !bundle.suites.empty();
  for (const BinarySpec* spec : products) bundle.suites.push_back(runner.product(*spec));

  if (!measured_benchmarks && !chosen.empty()) {
    // Only a filter can leave every suite out; a typo in it must not pass as
    // a run that measured nothing.
    throw Error(fmt::format("running suites: no benchmark of any suite matches the filter '{}'", options.filter));
  }
  stamp(bundle, options);
  return bundle;
}

namespace {

/// One build's side of one suite in an A/B run.
struct AbSide {
  std::filesystem::path binary;
  bool present = false;  ///< the build has the suite's binary
  std::optional<std::size_t> listed;
  Suite suite;
};

/// One suite of an A/B run: both sides and the schedule.
struct AbEntry {
  const SuiteSpec* spec = nullptr;
  AbSide base;
  AbSide head;
  bool active = true;   ///< still running rounds: no failure on either side yet
  bool base_starts = true;  ///< the side that runs first in odd rounds
  std::string first;    ///< 'b' or 'h' per round run
};

}  // namespace

RunBundle run_ab(const Policy& policy, const AbOptions& options, RunObserver* observer) {
  const RunOptions& run = options.run;
  if (!run.timed) throw Error("running an a/b pair: --instrument-only measures no time to pair — drop it, or use --instrument");
  if (options.base_build_dir.empty()) throw Error("running an a/b pair: no base build directory given");
  // Sizes are not paired: product binaries are measured by a plain run.
  RunOptions suites_only = run;
  suites_only.products = false;
  const auto chosen = chosen_suites(policy, suites_only);
  // Pairs need more rounds than unpaired repetitions: with 10 pairs the
  // signed-rank test's smallest p is 0.002, which the false discovery rate
  // control over a few dozen benchmarks pushes above alpha (measured: nothing
  // was caught, even at +100%). Without --repetitions, A/B runs at least
  // k_min_ab_rounds rounds.
  RunOptions paired = run;
  if (!paired.repetitions) paired.repetitions = std::max(policy.defaults.repetitions, k_min_ab_rounds);
  const int rounds = choose_repetitions(policy, paired, observer);
  check_filter(run.filter);
  (void)resolve_runner(run.runner);
  std::optional<std::string> valgrind;
  std::string version;
  if (run.instrument) {
    valgrind = find_valgrind();
    version = valgrind_version(*valgrind);
  }
  std::error_code ec;
  if (std::filesystem::equivalent(options.base_build_dir, run.build_dir, ec) && observer != nullptr) {
    observer->notice(fmt::format("base and head are the same build ('{}'): an A/A run, which measures the noise",
                                 run.build_dir.string()));
  }

  RunBundle bundle;
  bundle.time = iso8601_utc(std::chrono::system_clock::now());
  WorkDir work;
  SuiteRunner runner(run, 1, valgrind, version, work, observer);

  // Which build has which suite. A suite missing from the base build is new
  // in the head build (judged as new); missing from the head build it is a
  // failed suite, as in a plain run. A build that has none of the suites is
  // a wrong directory, refused before anything runs.
  std::vector<AbEntry> entries;
  std::size_t base_present = 0;
  std::size_t head_present = 0;
  for (const SuiteSpec* spec : chosen) {
    AbEntry e;
    e.spec = spec;
    e.base.binary = SuiteRunner::resolve(*spec, options.base_build_dir);
    e.head.binary = SuiteRunner::resolve(*spec, run.build_dir);
    e.base.present = !SuiteRunner::missing_binary(*spec, e.base.binary);
    e.head.present = !SuiteRunner::missing_binary(*spec, e.head.binary);
    e.base.suite.name = e.head.suite.name = spec->name;
    base_present += e.base.present ? 1 : 0;
    head_present += e.head.present ? 1 : 0;
    entries.push_back(std::move(e));
  }
  auto none_found = [&](const char* side, const std::filesystem::path& dir) {
    std::string looked;
    for (const SuiteSpec* spec : chosen) looked += (looked.empty() ? "" : ", ") + spec->binary;
    return Error(fmt::format("running an a/b pair: the {} build '{}' has none of the suite binaries ({}) — build it, "
                             "or check the directory",
                             side, dir.string(), looked));
  };
  if (base_present == 0) throw none_found("base", options.base_build_dir);
  if (head_present == 0) throw none_found("head", run.build_dir);

  const std::uint32_t seed = options.seed ? *options.seed : std::random_device{}();
  std::mt19937 rng(seed);
  for (auto& e : entries) {
    const nanoseconds timeout = run.timeout.value_or(e.spec->timeout);
    if (!e.head.present) {
      e.head.suite.failure = *SuiteRunner::missing_binary(*e.spec, e.head.binary) +
                             " in the head build — build it, or check the directory";
      e.active = false;
    } else if (!e.base.present) {
      runner.notice(fmt::format("suite '{}': {} in the base build: its benchmarks are new", e.spec->name,
                                *SuiteRunner::missing_binary(*e.spec, e.base.binary)));
    }
    for (auto [side, label] : {std::pair{&e.base, "base"}, std::pair{&e.head, "head"}}) {
      if (!side->present) continue;
      side->suite.binary = runner.size_of(*e.spec, side->binary, e.spec->name + " (" + label + ")");
      if (!e.active) continue;
      auto listing = runner.list(*e.spec, side->binary, timeout);
      if (listing.failure) {
        side->suite.failure = *listing.failure;
        e.active = false;
      }
      side->listed = listing.count;
    }
    // A filter that leaves a suite nothing in either build drops it, as in a plain run.
    const bool head_none = e.head.listed == std::optional<std::size_t>(0);
    const bool base_none = !e.base.present || e.base.listed == std::optional<std::size_t>(0);
    if (e.active && !run.filter.empty() && head_none && base_none) {
      runner.notice(fmt::format("suite '{}': no benchmark matches the filter '{}'; not run", e.spec->name, run.filter));
      e.spec = nullptr;
    }
    e.base_starts = (rng() & 1u) == 0;
  }
  std::erase_if(entries, [](const AbEntry& e) { return e.spec == nullptr; });
  if (entries.empty()) {
    throw Error(fmt::format("running an a/b pair: no benchmark of any suite matches the filter '{}'", run.filter));
  }

  // The schedule: in every round the suites in a fresh random order, and for
  // each suite both builds back to back, so that whatever the machine does
  // during those seconds it does to both halves of the pair. Which build goes
  // first alternates from round to round (starting at random per suite), so
  // that a warm cache or a frequency step after the first run favours each
  // build equally often.
  auto runs = [](const AbSide& side) { return side.present && side.listed != std::optional<std::size_t>(0); };
  std::size_t steps = 0;
  for (const auto& e : entries) {
    if (e.active) steps += static_cast<std::size_t>(rounds) * ((runs(e.base) ? 1 : 0) + (runs(e.head) ? 1 : 0));
  }
  std::size_t step = 0;
  std::vector<std::size_t> order(entries.size());
  std::iota(order.begin(), order.end(), 0);
  for (int round = 1; round <= rounds; ++round) {
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t i : order) {
      AbEntry& e = entries[i];
      if (!e.active) continue;
      const nanoseconds timeout = run.timeout.value_or(e.spec->timeout);
      const bool base_first = (round % 2 == 1) == e.base_starts;
      e.first += base_first && e.base.present ? 'b' : 'h';
      const std::array<std::pair<AbSide*, const char*>, 2> sides = {
          base_first ? std::pair{&e.base, "base"} : std::pair{&e.head, "head"},
          base_first ? std::pair{&e.head, "head"} : std::pair{&e.base, "base"}};
      for (auto [side, label] : sides) {
        if (!runs(*side)) continue;
        runner.set_position(step++, steps);
        std::string failure =
            runner.ab_round(*e.spec, side->binary, timeout, side->listed,
                            fmt::format("{}: {}, round {}/{}", e.spec->name, label, round, rounds), round, side->suite);
        if (!failure.empty()) {
          side->suite.failure = fmt::format("round {} of {}: {}", round, rounds, failure);
          e.active = false;  // the pairs of this suite are broken: it cannot be judged
          break;
        }
      }
    }
  }
  if (run.instrument) {
    std::size_t passes = 0;
    for (const auto& e : entries) passes += e.active ? (e.base.present ? 2 : 1) : 0;
    std::size_t pass = 0;
    for (auto& e : entries) {
      if (!e.active) continue;
      const nanoseconds timeout = run.timeout.value_or(e.spec->timeout);
      for (AbSide* side : {&e.base, &e.head}) {
        if (!side->present) continue;
        runner.set_position(pass++, passes);
        runner.ab_instrumented(*e.spec, side->binary, timeout, side->listed, side->suite);
      }
    }
  }

  AbRun ab;
  ab.base_build_dir = options.base_build_dir.string();
  ab.head_build_dir = run.build_dir.string();
  ab.rounds = rounds;
  ab.seed = seed;
  for (auto& e : entries) {
    if (!e.first.empty()) ab.first[e.spec->name] = e.first;
    if (e.base.present) ab.base_suites.push_back(std::move(e.base.suite));
    bundle.suites.push_back(std::move(e.head.suite));
  }
  bundle.ab = std::move(ab);
  stamp(bundle, run);
  return bundle;
}

std::vector<std::string> failed_suites(const RunBundle& bundle) {
  std::vector<std::string> failed;
  auto add = [&](const Suite& s, std::string_view side) {
    if (s.failure) failed.push_back(fmt::format("{}{}: {}", s.name, side, s.failure->substr(0, s.failure->find('\n'))));
  };
  for (const auto& s : bundle.suites) add(s, bundle.ab ? " (head build)" : "");
  if (bundle.ab) {
    for (const auto& s : bundle.ab->base_suites) add(s, " (base build)");
  }
  return failed;
}

}  // namespace gate
