// gate/cli/cmd_report.cpp — `gate report`: a release performance report from
// one ref to another (workflow/release_report.hpp), written as Markdown,
// HTML and JSON, and the exit code.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <memory>
#include <optional>
#include <string>

#include "commands.hpp"
#include "gate/report/release.hpp"
#include "gate/store/atomic_file.hpp"
#include "gate/workflow/release_report.hpp"

namespace gate::cli {
namespace {

struct ReportArgs {
  std::string from;
  std::string to;
  std::optional<std::string> runner;
  bool all_runners = false;
  std::string policy;
  std::string repo = ".";
  std::string markdown_out;
  std::string html_out;
  std::string json_out;
};

int run_report_command(const ReportArgs& a) {
  ReleaseReportRequest request;
  request.repo = a.repo;
  request.from = a.from;
  request.to = a.to;
  request.runner = a.runner;
  request.all_runners = a.all_runners;
  if (!a.policy.empty()) request.policy = a.policy;
  const ReleaseReport report = build_release_report(request);

  const std::string markdown = render_release_markdown(report);
  fmt::print("{}", markdown);
  std::fflush(stdout);
  if (!a.markdown_out.empty()) write_file_atomically(a.markdown_out, markdown);
  if (!a.html_out.empty()) write_file_atomically(a.html_out, render_release_html(report));
  if (!a.json_out.empty()) write_file_atomically(a.json_out, render_release_json(report));
  // The reports are written; what kept the history out is said once more
  // where a script looks, with the fetch that fixes it.
  for (const auto& r : report.runners) {
    if (r.history_error) fmt::print(stderr, "gate: error: {}\n", *r.history_error);
  }
  return report.exit_code();
}

}  // namespace

void add_report(CLI::App& app, Action& action) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand("report", "a release performance report from one ref to another; exit 0 passed, "
                                           "1 a regression or missed target, 2 could not judge");
  cmd->add_option("--from", args->from, "the previous release: a tag, branch or commit")->required();
  cmd->add_option("--to", args->to, "this release: a tag, branch or commit")->required();
  auto* runner = cmd->add_option("--runner", args->runner,
                                 "runner id (default: GATE_RUNNER, else the one runner with baselines at --to)");
  cmd->add_flag("--all-runners", args->all_runners, "report every runner with baselines at --to")->excludes(runner);
  cmd->add_option("--policy", args->policy, "policy file (default: gate.json at --to, else built-in defaults)");
  cmd->add_option("--repo", args->repo, "inside the git repository (default: .)");
  cmd->add_option("--markdown-out", args->markdown_out, "also write the Markdown report to this file");
  cmd->add_option("--html-out", args->html_out, "write the report as one self-contained HTML file with charts");
  cmd->add_option("--json-out", args->json_out, "write the report as JSON (schema in docs/report.md)");
  cmd->callback([args, &action] { action = [args] { return run_report_command(*args); }; });
}

}  // namespace gate::cli
