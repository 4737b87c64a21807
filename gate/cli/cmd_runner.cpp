// gate/cli/cmd_runner.cpp — `gate runner`: the runner id this machine records
// and judges under — the one `gate run` writes into its bundle, with or
// without the harness — and the fingerprint it was derived from.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "gate/error.hpp"
#include "gate/formats/runner_file.hpp"
#include "gate/store/runner.hpp"

namespace gate::cli {
namespace {

struct RunnerArgs {
  std::optional<std::string> runner;
  std::vector<std::string> context;
  bool json = false;
  bool id_only = false;
};

int run_runner(const RunnerArgs& a) {
  std::map<std::string, std::string> context;
  for (const auto& item : a.context) {
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw Error(fmt::format("reading --context '{}': expected KEY=VALUE", item));
    }
    context[item.substr(0, eq)] = item.substr(eq + 1);
  }
  Runner runner = resolve_runner(a.runner, context);
  const auto given = given_runner_id(a.runner);
  if (a.json) {
    fmt::print("{}", runner_to_json(runner));
    return 0;
  }
  if (a.id_only) {
    fmt::print("{}\n", runner.id);
    return 0;
  }
  const std::string source = !given                                     ? "derived from the fingerprint"
                             : given->second == RunnerIdSource::flag ? "from --runner"
                                                                     : "from GATE_RUNNER";
  fmt::print("runner  {}  ({})\n", runner.id, source);
  std::size_t width = 0;
  for (const auto& [key, value] : runner.fingerprint) width = std::max(width, key.size());
  for (const auto& [key, value] : runner.fingerprint) fmt::print("  {:<{}}  {}\n", key, width, value);
  return 0;
}

}  // namespace

void add_runner(CLI::App& app, Action& action) {
  auto args = std::make_shared<RunnerArgs>();
  auto* cmd = app.add_subcommand("runner", "print this machine's runner id and the fingerprint it comes from");
  cmd->add_option("--runner", args->runner, "use this runner id instead of the derived one (also: GATE_RUNNER)");
  cmd->add_option("--context", args->context,
                  "KEY=VALUE of the benchmark context, as the harness records it (compiler, build_type): shown "
                  "in the fingerprint, the id stays the machine's; repeatable");
  auto* json = cmd->add_flag("--json", args->json, "print runner.json instead of a table");
  cmd->add_flag("--id", args->id_only, "print the id alone, for scripts")->excludes(json);
  cmd->callback([args, &action] { action = [args] { return run_runner(*args); }; });
}

}  // namespace gate::cli
