// gate/src/run/command_runner.hpp — timing the policy's product commands
// ("commands"): rounds interleaved across commands, a cold and a warm run of
// each per round, every run's wall time, CPU time and peak resident set, and
// the exit status every run must share. Private to run/.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
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
/// page cache first, posix_fadvise; a notice when mincore finds some still
/// resident), CommandSpec::warmup unrecorded runs, then its warm run.
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

/// Whether a run with `filter` (Google Benchmark's --benchmark_filter: a
/// POSIX extended regular expression, "-" in front for "all but"; empty:
/// everything) runs the command: when it selects either of its benchmarks.
[[nodiscard]] bool command_selected(const CommandSpec& spec, const std::string& filter);

/// Both builds' sides of the commands of an A/B run.
struct CommandPairs {
  std::vector<Suite> head;                   ///< one per command, in the order given
  std::vector<Suite> base;                   ///< those the base build has the program of
  std::map<std::string, std::string> first;  ///< command → 'b' or 'h' per round run: the build that ran first
};

/// The commands of a same-job A/B run: for each of `rounds` rounds, each
/// command (in the rotated order of run_commands) runs its round — cold,
/// warm-up, warm — from both builds back to back, the build that starts
/// alternating from round to round (starting at random, from `rng`); every
/// sample carries its round. run[0] is resolved in each build directory (a
/// name from PATH is the same program on both sides: an A/A pair). A
/// program the base build lacks is new (a notice; the head side runs); one
/// the head build lacks fails its head suite. A failed run fails that
/// side, and the command runs no further rounds: its pairs are broken.
/// `cpu`: the one CPU every run of both builds runs on (--pin, ab.cpu),
/// as the suites' benchmarks do; none: any.
[[nodiscard]] CommandPairs run_commands_ab(const std::vector<const CommandSpec*>& commands, int rounds,
                                           const std::filesystem::path& base_build_dir, const RunOptions& options,
                                           const WorkDir& work, RunObserver* observer, std::size_t position,
                                           std::size_t count, std::mt19937& rng, std::optional<int> cpu);

}  // namespace gate::detail
