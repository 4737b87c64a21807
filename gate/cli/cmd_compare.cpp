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

#include "commands.hpp"
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

int run_compare(const CompareArgs& a) {
  if (a.files.size() != 2) {
    throw Error(fmt::format("compare takes a baseline and a contender file, {} given", a.files.size()));
  }
  Policy policy = policy_for(a);
  RunBundle baseline = read_results(a.files[0]);
  RunBundle contender = read_results(a.files[1]);
  CompareOptions options;
  if (!a.metric.empty()) options.metric = a.metric;
  if (!a.filter.empty()) options.filter = a.filter;
  Comparison result = compare(baseline, contender, policy, options);

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
  cmd->add_option("files", args->files, "BASELINE.json CONTENDER.json (Google Benchmark JSON or run bundles)")
      ->required();
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
