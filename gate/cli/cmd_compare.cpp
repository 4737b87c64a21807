// gate/cli/cmd_compare.cpp — `gate compare`: the request from the command
// line, the comparison from the library (workflow/compare.hpp), the reports,
// and the exit code.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "gate/report/report.hpp"
#include "gate/run/run.hpp"
#include "gate/store/atomic_file.hpp"
#include "gate/workflow/compare.hpp"
#include "terminal.hpp"

namespace gate::cli {
namespace {

struct CompareArgs {
  std::vector<std::string> files;
  std::string policy;
  std::string format = "table";
  std::string metric;
  std::string filter;
  std::string markdown_out;
  std::string json_out;
  std::string junit_out;
  std::string baseline_ref;
  std::optional<std::string> runner;  // given but empty is refused, not ignored
  std::string repo = ".";
  bool allow_runner_mismatch = false;
  bool all = false;
  bool deterministic_only = false;
  std::string waivers_from;
  std::string confirm_with;  // base build directory
  std::string head_build = "build/release";
  std::optional<int> confirm_rounds;  // unset: the policy's ab.rounds, else the gate's
  std::string confirm_out;
};

int run_compare_command(const CompareArgs& a) {
  CompareRequest request;
  request.files.assign(a.files.begin(), a.files.end());
  if (!a.baseline_ref.empty()) request.baseline_ref = a.baseline_ref;
  request.repo = a.repo;
  request.runner = a.runner;
  if (!a.policy.empty()) request.policy = a.policy;
  request.allow_runner_mismatch = a.allow_runner_mismatch;
  if (!a.metric.empty()) request.options.metric = a.metric;
  if (!a.filter.empty()) request.options.filter = a.filter;
  request.options.deterministic_only = a.deterministic_only;
  if (!a.waivers_from.empty()) request.waivers_from = a.waivers_from;
  auto progress = make_progress_printer(stderr, is_live_terminal(stderr));
  if (!a.confirm_with.empty()) {
    ConfirmRequest confirm;
    confirm.base_build_dir = a.confirm_with;
    confirm.head_build_dir = a.head_build;
    confirm.rounds = a.confirm_rounds;
    if (!a.confirm_out.empty()) confirm.bundle_out = a.confirm_out;
    request.confirm = confirm;
    request.observer = progress.get();
  }
  const Comparison result = run_compare(request);

  ReportOptions report;
  report.show_all = a.all;
  report.color = a.format == "table" && wants_color();
  const std::string text = a.format == "json"       ? render_json(result)
                           : a.format == "markdown" ? render_markdown(result, report)
                                                    : render_table(result, report);
  fmt::print("{}", text);
  std::fflush(stdout);
  if (!a.markdown_out.empty()) write_file_atomically(a.markdown_out, render_markdown(result, report));
  if (!a.json_out.empty()) write_file_atomically(a.json_out, render_json(result));
  if (!a.junit_out.empty()) write_file_atomically(a.junit_out, render_junit(result));
  return result.exit_code();
}

}  // namespace

void add_compare(CLI::App& app, Action& action) {
  auto args = std::make_shared<CompareArgs>();
  auto* cmd = app.add_subcommand("compare", "judge a contender against a baseline; exit 0 passed, 1 failed, 2 could "
                                            "not judge");
  cmd->add_option("files", args->files,
                  "BASELINE.json CONTENDER.json, an A/B bundle of gate run --ab, or with --baseline-ref the "
                  "contenders only (Google Benchmark JSON or run bundles)")
      ->required();
  auto* ref = cmd->add_option("--baseline-ref", args->baseline_ref,
                              "judge against baselines/<runner>/ and gate.json as they are at this git ref (read "
                              "through libgit2)");
  cmd->add_option("--runner", args->runner, "runner id (default: the results' runner, GATE_RUNNER, or derived)");
  cmd->add_option("--repo", args->repo, "with --baseline-ref: inside the git repository (default: .)");
  cmd->add_flag("--allow-runner-mismatch", args->allow_runner_mismatch,
                "compare even when the fingerprints differ (every verdict says so)");
  cmd->add_option("--policy", args->policy,
                  "policy file (default: the ref's gate.json with --baseline-ref, else ./gate.json if present, else "
                  "built-in defaults)");
  cmd->add_option("--format", args->format, "output on stdout")->check(CLI::IsMember({"table", "markdown", "json"}));
  cmd->add_option("--metric", args->metric, "judge this metric instead of the policy's primary metric");
  cmd->add_option("--filter", args->filter, "only benchmarks whose name matches this regex");
  cmd->add_flag("--all", args->all, "list unchanged rows too, however many");
  cmd->add_flag("--deterministic-only", args->deterministic_only,
                "judge only instruction counts, allocations, sizes and targets: leave timing to a same-job A/B run "
                "(a hosted runner against baselines stored on another machine)");
  cmd->add_option("--markdown-out", args->markdown_out, "also write the Markdown report to this file");
  cmd->add_option("--json-out", args->json_out, "also write the JSON report to this file");
  cmd->add_option("--junit-out", args->junit_out,
                  "also write a JUnit XML report to this file (a test case per verdict, a failure per failing one)");
  cmd->add_option("--waivers-from", args->waivers_from,
                  "with --baseline-ref: accept the regressions that 'Perf-Accepted: <benchmark> <metric>: <reason>' "
                  "trailers name in the commits this ref brings over the base (a pull request's head)")
      ->needs(ref);
  auto* confirm_with = cmd->add_option("--confirm-with", args->confirm_with,
                                       "re-run the suspects from this base build against the head build, "
                                       "interleaved (A/B): a confirmed one is regressed, a cleared one noisy");
  cmd->add_option("--head-build", args->head_build, "with --confirm-with: the head build's directory")
      ->capture_default_str()
      ->needs(confirm_with);
  cmd->add_option("--confirm-rounds", args->confirm_rounds,
                  "with --confirm-with: A/B rounds of the re-run (default: the policy's ab.rounds, else the larger "
                  "of its repetitions and 15)")
      ->check(CLI::PositiveNumber)
      ->needs(confirm_with);
  cmd->add_option("--confirm-out", args->confirm_out, "with --confirm-with: also write the re-run's A/B bundle here")
      ->needs(confirm_with);
  cmd->callback([args, &action] { action = [args] { return run_compare_command(*args); }; });
}

}  // namespace gate::cli
