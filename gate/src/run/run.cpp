// gate/src/run/run.cpp — `gate run`'s library side: runs each suite binary of
// the policy (timed, and under callgrind when asked), times its product
// commands, measures its sizes, and gathers everything, failures included,
// into one run bundle. Same-job A/B runs are in ab_run.cpp, one suite's
// passes in suite_runner.cpp, the commands in command_runner.cpp.
#include "gate/run/run.hpp"

#include <ctime>

#include <fmt/core.h>

#include "gate/error.hpp"
#include "gate/store/runner.hpp"
#include "run/command_runner.hpp"
#include "run/run_setup.hpp"
#include "run/suite_runner.hpp"

namespace gate {

using detail::SuiteRunner;
using detail::Valgrind;
using detail::WorkDir;

std::string_view to_string(Pass pass) { return pass == Pass::timing ? "timing" : "callgrind"; }

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec);
}

std::chrono::nanoseconds timeout_from_seconds(double seconds) {
  const double max = static_cast<double>(k_max_timeout.count());
  if (!(seconds > 0) || !(seconds <= max)) {
    throw Error(fmt::format("running suites: --timeout {} is out of range — give the seconds a suite may run, more "
                            "than 0 and at most {} (a week)",
                            seconds, k_max_timeout.count()));
  }
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(seconds));
}

RunBundle run_suites(const Policy& policy, const RunOptions& options, RunObserver* observer) {
  // Everything that can be refused is refused before the first suite runs:
  // a bad argument found after ten minutes of benchmarks wastes them.
  if (!options.timed && !options.instrument) throw Error("running suites: neither the timed nor the instrumented pass was asked for");
  const auto chosen = detail::chosen_suites(policy, options);
  const auto products = detail::chosen_binaries(policy, options);
  const int repetitions = detail::choose_repetitions(policy, options, observer);
  detail::check_timeout(options.timeout);
  detail::check_filter(options.filter);
  (void)resolve_runner(options.runner);  // checks --runner / GATE_RUNNER now
  std::optional<Valgrind> valgrind;
  if (options.instrument) valgrind = detail::find_valgrind();

  RunBundle bundle;
  bundle.time = iso8601_utc(std::chrono::system_clock::now());
  WorkDir work;
  // Commands are timed whole: a filter runs those it selects a benchmark
  // of; a shard, those whose name falls in it.
  std::vector<const CommandSpec*> commands;
  for (const CommandSpec* c : detail::chosen_commands(policy, options)) {
    if (options.shard && !in_shard(c->name, *options.shard)) continue;
    if (!detail::command_selected(*c, options.filter)) continue;
    commands.push_back(c);
  }
  const std::size_t steps = chosen.size() + (commands.empty() ? 0 : 1);
  SuiteRunner runner(options, repetitions, valgrind, work, observer);
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (auto suite = runner.run(*chosen[i], i, steps)) bundle.suites.push_back(std::move(*suite));
  }
  const bool measured_benchmarks = !bundle.suites.empty() || !commands.empty();
  if (!commands.empty()) {
    for (Suite& s : detail::run_commands(commands, options.repetitions, options, work, observer, chosen.size(), steps)) {
      bundle.suites.push_back(std::move(s));
    }
  }
  for (const BinarySpec* spec : products) bundle.suites.push_back(runner.product(*spec));

  // A shard may hold no benchmark of any suite (more shards than
  // benchmarks); it is still one of the n parts that gate merge expects.
  if (!measured_benchmarks && !chosen.empty() && !options.shard) {
    // Only a filter can leave every suite out; a typo in it must not pass as
    // a run that measured nothing.
    throw Error(fmt::format("running suites: no benchmark of any suite matches the filter '{}'", options.filter));
  }
  detail::stamp(bundle, options);
  bundle.shard = options.shard;
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
