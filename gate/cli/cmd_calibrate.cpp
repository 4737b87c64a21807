// gate/cli/cmd_calibrate.cpp — `gate calibrate`: runs the policy's suites
// several times on this runner (A/A) and records each benchmark's noise in
// baselines/<runner>/noise.json.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "terminal.hpp"
#include "gate/error.hpp"
#include "gate/run/run.hpp"
#include "gate/workflow/calibrate.hpp"
#include "gate/policy/policy.hpp"

namespace gate::cli {
namespace {

struct CalibrateArgs {
  std::string policy;
  std::string build_dir = "build/release";
  int runs = 5;
  std::optional<int> repetitions;
  std::vector<std::string> suites;
  std::optional<std::string> runner;
  std::string repo = ".";
  bool commit = false;
  bool allow_debug = false;
};

int run_calibrate(const CalibrateArgs& a) {
  Policy policy =
      find_policy(a.policy.empty() ? std::nullopt : std::optional<std::filesystem::path>(a.policy), PolicyFallback::required);
  CalibrateOptions options;
  options.run.build_dir = a.build_dir;
  options.run.repetitions = a.repetitions;
  options.run.suites = a.suites;
  options.run.runner = a.runner;
  options.run.repo_dir = a.repo;
  options.runs = a.runs;
  options.commit = a.commit;
  options.allow_debug = a.allow_debug;
  options.repo = a.repo;

  auto progress = make_progress_printer(stderr, is_live_terminal(stderr));
  CalibrationResult r = calibrate(policy, options, progress.get());
  fmt::print("calibrated the noise of runner {} ({}):\n{}\n", r.table.runner, k_noise_statistic, r.summary);
  fmt::print("  wrote {}\n", r.written.string());
  if (a.commit) {
    if (r.commit) {
      fmt::print("committed {} {}\n", r.commit->sha.substr(0, 12), r.commit->subject);
    } else {
      fmt::print("nothing to commit: noise.json was already up to date\n");
    }
  } else {
    fmt::print("not committed: review with git diff, then commit (or run again with --commit)\n");
  }
  return 0;
}

}  // namespace

void add_calibrate(CLI::App& app, Action& action) {
  auto args = std::make_shared<CalibrateArgs>();
  auto* cmd = app.add_subcommand("calibrate", "run the suites several times on this runner (A/A) and record each "
                                              "benchmark's noise in baselines/<runner>/noise.json");
  cmd->add_option("--policy", args->policy, "policy file naming the suites (default: ./gate.json)");
  cmd->add_option("--build-dir", args->build_dir, "directory the suites' binary paths are relative to")
      ->capture_default_str();
  cmd->add_option("--runs", args->runs, "A/A runs of every suite (at least 3)")->capture_default_str();
  cmd->add_option("--repetitions", args->repetitions, "repetitions per benchmark in each run (default: the policy's)");
  cmd->add_option("--suite", args->suites, "only this suite of the policy; repeatable (other suites' noise is kept)");
  cmd->add_option("--runner", args->runner, "runner id (default: GATE_RUNNER, else derived)");
  cmd->add_option("--repo", args->repo, "inside the git repository to write to (default: .)");
  cmd->add_flag("--commit", args->commit, "commit noise.json (and nothing else)");
  cmd->add_flag("--allow-debug", args->allow_debug, "calibrate a debug build");
  cmd->callback([args, &action] { action = [args] { return run_calibrate(*args); }; });
}

}  // namespace gate::cli
