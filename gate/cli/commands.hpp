// gate/cli/commands.hpp — the subcommands. Each registers its options on the
// app and sets the action that runs when it is chosen; an action returns the
// exit code (0 passed, 1 gate failed, 2 could not judge) or throws gate::Error.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace gate::cli {

using Action = std::function<int()>;

void add_compare(CLI::App& app, Action& action);
void add_baseline(CLI::App& app, Action& action);
void add_merge(CLI::App& app, Action& action);
void add_runner(CLI::App& app, Action& action);
void add_run(CLI::App& app, Action& action);
void add_calibrate(CLI::App& app, Action& action);
void add_report(CLI::App& app, Action& action);
void add_explain(CLI::App& app, Action& action);

}  // namespace gate::cli
