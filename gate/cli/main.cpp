// gate/cli/main.cpp — the gate command: parses the subcommand, runs it, and
// maps trouble to one line on stderr and exit code 2.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <exception>

#include "commands.hpp"
#include "gate/error.hpp"
#include "gate/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"perfgate: stops performance regressions before they merge", "gate"};
  app.set_version_flag("--version", gate::k_version);
  app.require_subcommand(1);
  gate::cli::Action action;
  gate::cli::add_compare(app, action);
  gate::cli::add_baseline(app, action);
  gate::cli::add_merge(app, action);
  gate::cli::add_runner(app, action);
  gate::cli::add_run(app, action);
  gate::cli::add_calibrate(app, action);
  gate::cli::add_report(app, action);
  gate::cli::add_explain(app, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "gate: error: {} (see gate --help)\n", e.what());
    return 2;
  }

  try {
    return action();
  } catch (const gate::Error& e) {
    fmt::print(stderr, "gate: error: {}\n", e.what());
  } catch (const std::exception& e) {
    fmt::print(stderr, "gate: error: internal error: {}\n", e.what());
  }
  return 2;
}
