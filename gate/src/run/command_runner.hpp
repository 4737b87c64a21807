// gate/src/run/command_runner.hpp — timing the policy's product commands
// ("commands"): rounds interleaved across commands, a cold and a warm run of
// each per round, every run's wall time, CPU time and peak resident set, and
// the exit status every run must share. Private to run/.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <vector>

#include "gate/model/run_bundle.hpp"
#include "gate/policy/policy.hpp"
#include "gate/run/run.hpp"
#include "run/suite_runner.hpp"

namespace gate::detail {

/// The benchmark of a command's suite that holds the first run of each
/// round, and the one that holds the run after the warm-up runs.
inline constexpr std::string_view k_cold_suffix = "/cold";
inline constexpr std::string_view k_warm_suffix = "/warm";

/// Runs `commands`, each for its CommandSpec::runs rounds (or `rounds` for
/// all when set: --repetitions), and returns one Suite per command, in
/// the order given, each with Suite::command set and the benchmarks
/// "<name>/cold" and "<name>/warm" (real_time, cpu_time, peak_rss; one
/// sample per round). A round runs every command once, in an order rotated
/// from round to round (so that no command always follows the same one);
/// each command runs its cold run (its executable's pages dropped from the
/// page cache first, posix_fadvise), CommandSpec::warmup unrecorded runs,
/// then its warm run.
///
/// A command whose program is missing, that is killed by a signal, times
/// out, cannot be started, or exits with another status than its first run
/// did has Suite::failure set to what happened, in which round and run,
/// with the tail of its stderr, and runs no further rounds: its samples so
/// far are kept. A status other than CommandSpec::expect_exit, the same in
/// every run, is recorded (CommandRun::exit_code) with a notice: the
/// comparison fails it. `work`
/// holds the stdin text files; `position` and `count` place the commands,
/// one step, in the progress display.
[[nodiscard]] std::vector<Suite> run_commands(const std::vector<const CommandSpec*>& commands, std::optional<int> rounds,
                                              const RunOptions& options, const WorkDir& work, RunObserver* observer,
                                              std::size_t position, std::size_t count);

}  // namespace gate::detail
