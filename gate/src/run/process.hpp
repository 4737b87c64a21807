// gate/src/run/process.hpp — running one child program with a time limit: its
// whole stdout, the tail of its stderr, how it ended, and no stray
// descendants left behind.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gate::detail {

struct ProcessSpec {
  std::vector<std::string> argv;  ///< argv[0] is the program: a path, or a name looked up in PATH
  std::filesystem::path cwd;      ///< empty: the gate's own working directory
  /// The child's whole environment ("NAME=value"); unset: the gate's own.
  std::optional<std::vector<std::string>> env;
  /// The whole run. On expiry the child's process group gets SIGTERM, then
  /// SIGKILL after `kill_grace`.
  std::chrono::nanoseconds timeout = std::chrono::minutes(10);
  std::chrono::nanoseconds kill_grace = std::chrono::seconds(2);
  /// Bytes of stderr kept (the last ones). Stdout is kept whole: it may be
  /// the result.
  std::size_t stderr_tail_bytes = 64 * 1024;
  /// False: stdout is read and dropped (a benchmark's display output can be
  /// large and the results come from a file).
  bool keep_stdout = true;
  /// Called about every `tick_interval` while the child runs, with the
  /// elapsed time; for progress displays. May be empty.
  std::function<void(std::chrono::nanoseconds elapsed)> on_tick;
  std::chrono::nanoseconds tick_interval = std::chrono::milliseconds(250);
};

struct ProcessResult {
  enum class Ending {
    exited,          ///< exit_code holds the status
    signalled,       ///< died of `signal` (a crash, or killed from outside)
    timed_out,       ///< outlived the timeout and was killed
    failed_to_start  ///< could not be executed: start_error says why
  };
  Ending ending = Ending::failed_to_start;
  int exit_code = -1;
  int signal = 0;
  std::string out;         ///< all of stdout
  std::string err_tail;    ///< the last stderr_tail_bytes of stderr
  bool err_truncated = false;  ///< stderr was longer than what is kept
  std::string start_error;     ///< for failed_to_start: "no such file or directory"
  std::chrono::nanoseconds elapsed{0};

  /// True when the child exited with status 0.
  [[nodiscard]] bool succeeded() const { return ending == Ending::exited && exit_code == 0; }
  /// "exited with status 3", "killed by signal 11 (SIGSEGV)", "timed out
  /// after 2 s and was killed", "could not be started: <why>".
  [[nodiscard]] std::string describe(std::chrono::nanoseconds timeout) const;
};

/// Runs the child in a process group of its own, stdin from /dev/null,
/// stdout and stderr into pipes, and waits for it. Descendants still alive
/// when the child ends (or when it is killed) are killed with the group, so
/// that nothing keeps running or holds the pipes open. The child also dies
/// if the gate dies (PR_SET_PDEATHSIG). Never throws for the child's
/// behaviour; throws gate::Error only when the gate itself cannot create
/// pipes or fork.
[[nodiscard]] ProcessResult run_process(const ProcessSpec& spec);

/// The executable `name` would run: itself when it contains a '/', else the
/// first executable of that name in PATH; std::nullopt when there is none.
[[nodiscard]] std::optional<std::string> find_program(const std::string& name);

/// The last `max_lines` lines of `text` (without a trailing empty line).
[[nodiscard]] std::string last_lines(std::string_view text, std::size_t max_lines);

}  // namespace gate::detail
