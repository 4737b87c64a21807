// gate/cli/cmd_baseline.cpp — `gate baseline update`: records results as this
// runner's baselines (baselines/<runner>/), optionally as one commit.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <optional>

#include "commands.hpp"
#include "gate/workflow/compare.hpp"
#include "gate/workflow/merge.hpp"
#include "gate/workflow/record.hpp"
#include "gate/store/runner.hpp"
#include "gate/formats/google_benchmark.hpp"

namespace gate::cli {
namespace {

struct UpdateArgs {
  std::vector<std::string> files;
  std::optional<std::string> runner;  // given but empty is refused, not ignored
  std::string repo = ".";
  bool commit = false;
  bool allow_debug = false;
};

int run_update(const UpdateArgs& a) {
  std::vector<RunBundle> parts;
  for (const auto& f : a.files) parts.push_back(read_results(f));
  RunBundle contender = merge_results(parts);
  Runner runner = contender_runner(contender, a.runner);
  BaselineUpdateResult r = update_baselines(a.repo, contender, runner, {.allow_debug = a.allow_debug, .commit = a.commit});
  fmt::print("recorded baselines of runner {}:\n{}\n", r.runner.id, r.summary);
  for (const auto& p : r.written) fmt::print("  wrote {}\n", p.string());
  if (a.commit) {
    if (r.commit) {
      fmt::print("committed {} {}\n", r.commit->sha.substr(0, 12), r.commit->subject);
    } else {
      fmt::print("nothing to commit: the baselines were already up to date\n");
    }
  } else {
    fmt::print("not committed: review with git diff, then commit (or run again with --commit)\n");
  }
  return 0;
}

}  // namespace

void add_baseline(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("baseline", "record and manage baselines in baselines/<runner>/");
  cmd->require_subcommand(1);
  auto args = std::make_shared<UpdateArgs>();
  auto* update = cmd->add_subcommand("update", "write results as this runner's baselines (atomic per file)");
  update->add_option("files", args->files, "run bundles or Google Benchmark JSON files")->required();
  update->add_option("--runner", args->runner, "runner id (default: GATE_RUNNER, else derived from the fingerprint)");
  update->add_option("--repo", args->repo, "inside the git repository to write to (default: .)");
  update->add_flag("--commit", args->commit, "make one commit of the written files, listing what changed");
  update->add_flag("--allow-debug", args->allow_debug, "record results of a debug build");
  update->callback([args, &action] { action = [args] { return run_update(*args); }; });
}

}  // namespace gate::cli
