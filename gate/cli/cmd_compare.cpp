// gate/cli/cmd_compare.cpp — placeholder
#include <CLI/CLI.hpp>
#include "commands.hpp"
namespace gate::cli {
void add_compare(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("compare", "compare a contender with a baseline");
  cmd->callback([&action] { action = [] { return 2; }; });
}
}  // namespace gate::cli
