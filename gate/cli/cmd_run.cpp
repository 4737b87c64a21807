// gate/cli/cmd_run.cpp — `gate run`: runs the policy's suites (or, with --ab,
// two builds' suites interleaved), writes the run bundle, and exits 2 naming
// the suites that could not be measured.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "commands.hpp"
#include "gate/formats/callgrind_profile.hpp"
#include "gate/model/shard.hpp"
#include "terminal.hpp"
#include "gate/store/atomic_file.hpp"
#include "gate/formats/bundle.hpp"
#include "gate/error.hpp"
#include "gate/run/run.hpp"
#include "gate/policy/policy.hpp"

namespace gate::cli {
namespace {

struct RunArgs {
  std::string policy;
  std::string build_dir = "build/release";
  std::string out = "gate-run.json";
  std::optional<int> repetitions;
  std::string filter;
  std::vector<std::string> suites;
  bool instrument = false;
  bool instrument_only = false;
  std::optional<double> timeout_seconds;
  std::optional<std::string> runner;
  std::vector<std::string> ab;  // BASE_BUILD_DIR HEAD_BUILD_DIR
  std::optional<std::uint32_t> seed;
  std::string pair;  // with --ab: what each build runs back to back; empty: the policy's
  std::string pin;                 // with --ab: the one CPU every benchmark runs on, or "last"
  std::optional<double> min_time;  // with --ab: --benchmark_min_time of every suite, in seconds
  std::string shard;  // i/n
};


/// --pin: a CPU number, "last", or "none".
int parse_cpu(const std::string& text) {
  if (text == "last") return k_last_cpu;
  if (text == "none") return k_no_cpu;
  int cpu = -1;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), cpu);
  if (ec != std::errc() || ptr != text.data() + text.size() || cpu < 0 || cpu > 1023) {
    throw Error(fmt::format("--pin '{}': expected a CPU number (0 to 1023), 'last' or 'none'", text));
  }
  return cpu;
}

int run_run(const RunArgs& a) {
  Policy policy =
      find_policy(a.policy.empty() ? std::nullopt : std::optional<std::filesystem::path>(a.policy), PolicyFallback::required);
  RunOptions options;
  options.build_dir = a.build_dir;
  options.repetitions = a.repetitions;
  options.filter = a.filter;
  options.suites = a.suites;
  options.instrument = a.instrument || a.instrument_only;
  options.timed = !a.instrument_only;
  // The callgrind profiles are kept beside the bundle: run.json → run.profiles/.
  if (options.instrument) options.profiles_dir = profiles_dir_of(a.out);
  options.runner = a.runner;
  if (!a.shard.empty()) options.shard = parse_shard(a.shard);
  if (a.timeout_seconds) options.timeout = timeout_from_seconds(*a.timeout_seconds);

  // The output's directory is made before the suites run, so that a bad
  // --out is found in a second rather than after the benchmarks.
  const std::filesystem::path out = a.out;
  if (out.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(out.parent_path(), ec);
    if (ec) throw Error(fmt::format("writing '{}': cannot create its directory: {}", a.out, ec.message()));
  }

  auto progress = make_progress_printer(stderr, is_live_terminal(stderr));
  RunBundle bundle;
  if (a.ab.empty()) {
    bundle = run_suites(policy, options, progress.get());
  } else {
    AbOptions ab;
    ab.run = options;
    ab.run.build_dir = a.ab[1];
    ab.base_build_dir = a.ab[0];
    ab.seed = a.seed;
    if (!a.pair.empty()) ab.pairing = a.pair == "suite" ? AbPairing::suite : AbPairing::benchmark;
    if (!a.pin.empty()) ab.cpu = parse_cpu(a.pin);
    ab.min_time = a.min_time;
    bundle = run_ab(policy, ab, progress.get());
  }
  write_file_atomically(out, write_bundle(bundle));

  const auto failed = failed_suites(bundle);
  const auto products = static_cast<std::size_t>(
      std::count_if(bundle.suites.begin(), bundle.suites.end(), [](const Suite& s) { return s.product; }));
  const std::size_t suites = bundle.suites.size() - products;
  fmt::print(stderr, "gate: wrote '{}': {} suite{}{} measured{} on runner '{}'{}\n", a.out, suites, suites == 1 ? "" : "s",
             products == 0 ? std::string()
                           : fmt::format(" and {} product binar{}", products, products == 1 ? "y" : "ies"),
             bundle.ab ? fmt::format(" from two builds, {} rounds a/b (judge it: gate compare {})", bundle.ab->rounds, a.out)
                       : std::string(),
             bundle.runner.id, failed.empty() ? "" : fmt::format(", {} failed", failed.size()));
  if (failed.empty()) return 0;
  for (const auto& f : failed) fmt::print(stderr, "gate: error: suite {}\n", f);
  fmt::print(stderr, "gate: error: {} of {} suites could not be measured — the results cannot be judged; their stderr "
                     "is kept in '{}'\n",
             failed.size(), bundle.suites.size(), a.out);
  return 2;
}

}  // namespace

void add_run(CLI::App& app, Action& action) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "run the policy's benchmark suites and write a run bundle; exit 0 measured, "
                                        "2 a suite failed");
  cmd->add_option("--policy", args->policy, "policy file naming the suites (default: ./gate.json)");
  auto* build_dir = cmd->add_option("--build-dir", args->build_dir, "directory the suites' binary paths are relative to")
                        ->capture_default_str();
  cmd->add_option("--out", args->out, "run bundle to write")->capture_default_str();
  cmd->add_option("--repetitions", args->repetitions,
                  "repetitions per benchmark (default: the policy's; fewer than 9 weaken the test)");
  cmd->add_option("--filter", args->filter, "only benchmarks matching this regex (Google Benchmark's filter)");
  cmd->add_option("--suite", args->suites, "only this suite of the policy; repeatable");
  cmd->add_flag("--instrument", args->instrument,
                "also run each suite under callgrind for deterministic counters (instructions, misses, est_cycles)");
  auto* instrument_only = cmd->add_flag("--instrument-only", args->instrument_only, "only the callgrind pass: no timing");
  cmd->add_option("--timeout", args->timeout_seconds, "seconds each suite binary may run (default: the policy's)");
  cmd->add_option("--runner", args->runner, "runner id to record (default: GATE_RUNNER, else derived)");
  auto* ab = cmd->add_option("--ab", args->ab,
                  "same-job A/B: run every suite from the base and the head build, interleaved round by round "
                  "(--repetitions rounds); judge the bundle with gate compare BUNDLE")
      ->expected(2)
      ->type_name("BASE_BUILD_DIR HEAD_BUILD_DIR")
      ->excludes(build_dir)
      ->excludes(instrument_only);
  cmd->add_option("--shard", args->shard,
                  "run shard i of n: the benchmarks whose name hashes to i (docs/sharding.md), with --ab from both "
                  "builds; join the n bundles with gate merge")
      ->type_name("I/N");
  cmd->add_option("--seed", args->seed, "with --ab: seed of the schedule (suite order, which build starts), to replay it")
      ->needs(ab);
  cmd->add_option("--pair", args->pair,
                  "with --ab: what each build runs back to back in a round — suite or benchmark (each benchmark, a "
                  "complexity family together, after a first round of whole suites); default: the policy's ab.pair, "
                  "else suite")
      ->check(CLI::IsMember({"benchmark", "suite"}))
      ->needs(ab);
  cmd->add_option("--pin", args->pin,
                  "with --ab: run every benchmark of both builds on this one CPU (a number, or last: the "
                  "highest-numbered the gate may use), so that the two runs of a pair share it; none: not pinned "
                  "(default: the policy's ab.cpu, else none)")
      ->type_name("CPU|last|none")
      ->needs(ab);
  cmd->add_option("--min-time", args->min_time,
                  "with --ab: --benchmark_min_time of every suite in the rounds, in seconds: more, shorter rounds "
                  "(default: the policy's ab.min_time, else the suites' arguments)")
      ->type_name("SEC")
      ->needs(ab);
  cmd->callback([args, &action] { action = [args] { return run_run(*args); }; });
}

}  // namespace gate::cli
