// gate/cli/cmd_compare.cpp — `gate compare`: a contender against a baseline,
// verdicts as a table, Markdown or JSON, and the exit code of the gate.
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
#include "gate/baseline.hpp"
#include "gate/compare.hpp"
#include "gate/error.hpp"
#include "gate/ingest.hpp"
#include "gate/policy.hpp"
#include "gate/report.hpp"

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
  std::string baseline_ref;
  std::optional<std::string> runner;  // given but empty is refused, not ignored
  std::string repo = ".";
  bool allow_runner_mismatch = false;
  bool all = false;
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

Comparison judge(const CompareArgs& a) {
  CompareOptions options;
  if (!a.metric.empty()) options.metric = a.metric;
  if (!a.filter.empty()) options.filter = a.filter;
  if (!a.baseline_ref.empty()) {
    std::vector<RunBundle> parts;
    for (const auto& f : a.files) parts.push_back(read_results(f));
    RefCompareOptions ref;
    ref.repo = a.repo;
    ref.ref = a.baseline_ref;
    ref.runner = a.runner;
    if (!a.policy.empty()) ref.policy = a.policy;
    ref.allow_runner_mismatch = a.allow_runner_mismatch;
    return compare_against_ref(merge_results(parts), ref, options);
  }
  if (a.files.size() != 2) {
    throw Error(fmt::format("compare takes a baseline and a contender file (or --baseline-ref REF and contenders), "
                            "{} given",
                            a.files.size()));
  }
  Policy policy = policy_for(a);
  RunBundle baseline = read_results(a.files[0]);
  RunBundle contender = read_results(a.files[1]);
  return compare(baseline, contender, policy, options);
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
  return result.exit_code();
}

}  // namespace

void add_compare(CLI::App& app, Action& action) {
  auto args = std::make_shared<CompareArgs>();
  auto* cmd = app.add_subcommand("compare", "judge a contender against a baseline; exit 0 passed, 1 failed, 2 could "
                                            "not judge");
  cmd->add_option("files", args->files,
                  "BASELINE.json CONTENDER.json, or with --baseline-ref the contenders only (Google Benchmark JSON or "
                  "run bundles)")
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
  cmd->callback([args, &action] { action = [args] { return run_compare(*args); }; });
}

}  // namespace gate::cli
