// gate/src/run/callgrind_pass.cpp — the instrumented pass: a suite binary under
// valgrind's callgrind with a fixed cache geometry and environment, one
// iteration per benchmark, the harness's dumps turned into deterministic
// metrics of the suite's benchmarks.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/core.h>

#include "gate/error.hpp"
#include "gate/formats/callgrind.hpp"
#include "gate/formats/callgrind_profile.hpp"
#include "gate/store/atomic_file.hpp"
#include "gate/model/metrics.hpp"
#include "run/suite_runner.hpp"

namespace gate::detail {
namespace {

using std::chrono::nanoseconds;

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

/// Without a timed pass the instrumented run's own results give the
/// benchmarks (names, errors, allocation counts), minus its times.
void adopt(Suite& suite, Suite measured) {
  keep_deterministic_only(measured);
  auto instrumentation = suite.context.find(std::string(k_instrumentation_context));
  std::optional<std::string> kept;
  if (instrumentation != suite.context.end()) kept = instrumentation->second;
  suite.context = std::move(measured.context);
  if (kept) suite.context[std::string(k_instrumentation_context)] = *kept;
  suite.benchmarks = std::move(measured.benchmarks);
}

std::vector<std::string> measured_names(const Suite& suite) {
  std::vector<std::string> names;
  for (const auto& b : suite.benchmarks) names.push_back(b.name);
  return names;
}

}  // namespace

Valgrind find_valgrind() {
  auto path = find_program("valgrind");
  if (!path) {
    throw Error("running suites under callgrind: valgrind is not installed (not in PATH) — install it "
                "(apt-get install valgrind) or run without --instrument");
  }
  ProcessSpec p;
  p.argv = {*path, "--version"};
  p.timeout = std::chrono::seconds(30);
  ProcessResult r = run_process(p);
  std::string v = r.out.substr(0, r.out.find('\n'));
  return {*path, v.empty() ? std::string("valgrind, version unknown") : v};
}

SuiteRunner::Outcome SuiteRunner::instrumented_pass(const SuiteSpec& spec, const std::filesystem::path& binary,
                                                    nanoseconds timeout, const Listed& listed,
                                                    Suite& suite) {
  start(spec.name, Pass::callgrind, listed ? listed->size() : 0, std::nullopt);
  const auto dir = m_work.path() / fmt::format("{}-{}-callgrind", m_index, spec.name);
  std::filesystem::create_directories(dir);
  const auto out_file = dir / "results.json";

  std::vector<std::string> argv = callgrind_command(m_valgrind->path, dir);
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
    if (!m_options.profiles_dir.empty()) keep_profiles(spec.name, dir);
    suite.context[std::string(k_instrumentation_context)] =
        fmt::format("callgrind ({}) --I1={} --D1={} --LL={}, one iteration per benchmark", m_valgrind->version,
                    k_callgrind_i1, k_callgrind_d1, k_callgrind_ll);
  }
  finish(spec.name, Pass::callgrind, r.elapsed, what.empty() ? std::string() : failure_text(what, &r));
  return Outcome::measured;
}

void SuiteRunner::keep_profiles(const std::string& suite_name, const std::filesystem::path& dumps) {
  // A profile that cannot be kept costs the explanation, not the
  // measurement: it is a notice, and the counters stand.
  const auto root = m_profile_side.empty() ? m_options.profiles_dir : m_options.profiles_dir / m_profile_side;
  const auto folder = root / suite_name;
  try {
    std::error_code ec;
    std::filesystem::remove_all(folder, ec);
    if (ec) throw Error(fmt::format("cannot clear '{}': {}", folder.string(), ec.message()));
    std::filesystem::create_directories(folder, ec);
    if (ec) throw Error(fmt::format("cannot create '{}': {}", folder.string(), ec.message()));
    for (const auto& d : harness_dumps(dumps)) {
      std::ifstream in(d.file, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      if (!in) throw Error(fmt::format("cannot read '{}'", d.file.string()));
      write_file_atomically(profile_path(root, suite_name, d.benchmark), gzip_compress(text.str()));
    }
  } catch (const Error& e) {
    notice(fmt::format("suite '{}': callgrind profiles not kept: {}", suite_name, e.what()));
  }
}

void SuiteRunner::merge(const std::string& suite_name, const std::vector<CallgrindCounters>& counters,
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
      Metric m = make_metric(name);
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

}  // namespace gate::detail
