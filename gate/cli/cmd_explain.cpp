// gate/cli/cmd_explain.cpp — `gate explain`: where one benchmark's
// instructions went between two runs, function by function.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <memory>
#include <string>

#include "commands.hpp"
#include "gate/report/profile_diff.hpp"
#include "gate/workflow/explain.hpp"

namespace gate::cli {
namespace {

struct ExplainArgs {
  std::string baseline;
  std::string contender;
  ExplainOptions options;
  std::size_t top = 0;
};

int run_explain(const ExplainArgs& a) {
  const Explanation e = explain(a.baseline, a.contender, a.options);
  fmt::print("baseline   {}\ncontender  {}\n", e.baseline_profile.string(), e.contender_profile.string());
  fmt::print("{}", render_profile_diff(e.diff, a.top));
  return 0;
}

}  // namespace

void add_explain(CLI::App& app, Action& action) {
  auto args = std::make_shared<ExplainArgs>();
  auto* cmd = app.add_subcommand(
      "explain", "compare one benchmark's callgrind profiles function by function (from gate run --instrument)");
  cmd->add_option("baseline", args->baseline, "run bundle (its .profiles folder), profiles folder or profile file")
      ->required();
  cmd->add_option("contender", args->contender, "the same for the contender")->required();
  cmd->add_option("--benchmark", args->options.benchmark, "the benchmark's full name, as in the report");
  cmd->add_option("--suite", args->options.suite, "the suite, when the name is in more than one");
  cmd->add_option("--event", args->options.event, "callgrind event to compare (default Ir: instructions)");
  cmd->add_option("--top", args->top, "show only the N largest changes per section (default: all)");
  cmd->callback([args, &action] { action = [args] { return run_explain(*args); }; });
}

}  // namespace gate::cli
