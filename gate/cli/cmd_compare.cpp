// gate/cli/cmd_compare.cpp — `gate compare`: a contender against a baseline
// (or an A/B bundle by its pairs), suspected timing regressions confirmed
// when asked, verdicts as a table, Markdown or JSON, and the exit code.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <optional>

#include "commands.hpp"
#include "gate/judge/judge.hpp"
#include "gate/workflow/compare.hpp"
#include "gate/workflow/merge.hpp"
#include "gate/workflow/record.hpp"
#include "gate/judge/judge.hpp"
#include "gate/workflow/confirm.hpp"
#include "gate/run/run.hpp"
#include "gate/error.hpp"
#include "gate/formats/google_benchmark.hpp"
#include "gate/policy/policy.hpp"
#include "gate/report/report.hpp"

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
  std::string confirm_with;  // base build directory
  std::string head_build = "build/release";
  int confirm_rounds = k_default_confirm_rounds;
  std::string confirm_out;
};

void write_output(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.flush();
  if (!out) throw Error(fmt::format("writing '{}': {}", path, std::strerror(errno)));
}

Policy policy_for(const CompareArgs& a) {
  if (!a.policy.empty()) return load_policy(a.policy);
  // A gate.json in the working directory is this project's policy, as a
  // .clang-format would be; the report names which policy was used.
  if (std::filesystem::exists("gate.json")) return load_policy("gate.json");
  return default_policy();
}

// The first step's comparison, then, with --confirm-with, the confirmation
// of its suspects with the same policy.
Comparison judge(const CompareArgs& a) {
  CompareOptions options;
  if (!a.metric.empty()) options.metric = a.metric;
  if (!a.filter.empty()) options.filter = a.filter;
  ConfirmOptions confirm_options;
  confirm_options.base_build_dir = a.confirm_with;
  confirm_options.head_build_dir = a.head_build;
  confirm_options.rounds = a.confirm_rounds;
  confirm_options.runner = a.runner;
  confirm_options.repo_dir = a.repo;
  if (!a.confirm_out.empty()) confirm_options.bundle_out = a.confirm_out;
  const char* term = std::getenv("TERM");
  auto progress = make_progress_printer(
      stderr, isatty(STDERR_FILENO) != 0 && (term == nullptr || std::strcmp(term, "dumb") != 0));
  confirm_options.observer = progress.get();
  const bool confirming = !a.confirm_with.empty();

  if (!a.baseline_ref.empty()) {
    std::vector<RunBundle> parts;
    for (const auto& f : a.files) parts.push_back(read_results(f));
    RefCompareOptions ref;
    ref.repo = a.repo;
    ref.ref = a.baseline_ref;
    ref.runner = a.runner;
    if (!a.policy.empty()) ref.policy = a.policy;
    ref.allow_runner_mismatch = a.allow_runner_mismatch;
    RunBundle contender = merge_results(parts);
    Comparison first = compare_against_ref(contender, ref, options);
    if (!confirming) return first;
    confirm_options.policy = policy_at_ref(contender, ref);
    return confirm(std::move(first), confirm_options);
  }
  if (a.files.size() == 1) {
    RunBundle bundle = read_results(a.files[0]);
    if (bundle.ab) {
      if (confirming) {
        throw Error(fmt::format("confirming '{}': an a/b run is judged by its own pairs — there is nothing to "
                                "confirm (drop --confirm-with)",
                                a.files[0]));
      }
      return compare_ab(bundle, policy_for(a), options);
    }
  }
  if (a.files.size() != 2) {
    throw Error(fmt::format("compare takes a baseline and a contender file, an a/b bundle of gate run --ab, or "
                            "--baseline-ref REF and contenders; {} given{}",
                            a.files.size(),
                            a.files.size() == 1 ? fmt::format(" ('{}' is not an a/b bundle)", a.files[0]) : ""));
  }
  Policy policy = policy_for(a);
  RunBundle baseline = read_results(a.files[0]);
  RunBundle contender = read_results(a.files[1]);
  // A baseline file was measured at another time: timing regressions against
  // it need confirmation, as against baselines/<runner>/ at a ref.
  options.stored_baseline = baseline.stored;
  Comparison first = compare(baseline, contender, policy, options);
  if (!confirming) return first;
  confirm_options.policy = policy;
  return confirm(std::move(first), confirm_options);
}

int run_compare(const CompareArgs& a) {
  Comparison result = judge(a);

  ReportOptions report;
  report.show_all = a.all;
  report.color = a.format == "table" && isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
  std::string text = a.format == "json"       ? render_json(result)
                     : a.format == "markdown" ? render_markdown(result, report)
                                              : render_table(result, report);
  fmt::print("{}", text);
  std::fflush(stdout);
  if (!a.markdown_out.empty()) write_output(a.markdown_out, render_markdown(result, report));
  if (!a.json_out.empty()) write_output(a.json_out, render_json(result));
  if (!a.junit_out.empty()) write_output(a.junit_out, render_junit(result));
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
  cmd->add_option("--baseline-ref", args->baseline_ref,
                  "judge against baselines/<runner>/ and gate.json as they are at this git ref (read through libgit2)");
  cmd->add_option("--runner", args->runner, "runner id (default: the results' runner, GATE_RUNNER, or derived)");
  cmd->add_option("--repo", args->repo, "with --baseline-ref: inside the git repository (default: .)");
  cmd->add_flag("--allow-runner-mismatch", args->allow_runner_mismatch,
                "compare even when the fingerprints differ (every verdict says so)");
  cmd->add_option("--policy", args->policy, "policy file (default: ./gate.json if present, else built-in defaults)");
  cmd->add_option("--format", args->format, "output on stdout")
      ->check(CLI::IsMember({"table", "markdown", "json"}));
  cmd->add_option("--metric", args->metric, "judge this metric instead of the policy's primary metric");
  cmd->add_option("--filter", args->filter, "only benchmarks whose name matches this regex");
  cmd->add_flag("--all", args->all, "list unchanged rows too, however many");
  cmd->add_option("--markdown-out", args->markdown_out, "also write the Markdown report to this file");
  cmd->add_option("--json-out", args->json_out, "also write the JSON report to this file");
  cmd->add_option("--junit-out", args->junit_out,
                  "also write a JUnit XML report to this file (a test case per verdict, a failure per failing one)");
  auto* confirm_with = cmd->add_option("--confirm-with", args->confirm_with,
                                       "re-run suspected timing regressions from this base build against the head "
                                       "build, interleaved (A/B), and fail only on those the pairs confirm");
  cmd->add_option("--head-build", args->head_build, "with --confirm-with: the head build's directory")
      ->capture_default_str()
      ->needs(confirm_with);
  cmd->add_option("--confirm-rounds", args->confirm_rounds, "with --confirm-with: A/B rounds of the re-run")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->needs(confirm_with);
  cmd->add_option("--confirm-out", args->confirm_out, "with --confirm-with: also write the re-run's A/B bundle here")
      ->needs(confirm_with);
  cmd->callback([args, &action] { action = [args] { return run_compare(*args); }; });
}

}  // namespace gate::cli
