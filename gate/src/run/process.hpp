// gate/src/run/process.hpp — running one child program with a time limit: its
// whole stdout, the tail of its stderr, how it ended, and no stray
// descendants left behind.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
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
  /// A file read as the child's stdin; empty: /dev/null.
  std::filesystem::path stdin_file;
  /// The child's whole environment ("NAME=value"); unset: the gate's own.
  std::optional<std::vector<std::string>> env;
  /// The one CPU the child runs on (its affinity, set before it starts, and
  /// inherited by its threads and children); unset: the CPUs the gate may use.
  std::optional<int> cpu;
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
  /// From the child's start to its end (measured beside it, so that the
  /// gate's own work does not add to it).
  std::chrono::nanoseconds elapsed{0};
  /// The child's peak resident set in bytes (wait4's ru_maxrss: the largest
  /// of the child and of the descendants it waited for); unset when the
  /// kernel gave none.
  std::optional<std::uint64_t> peak_rss_bytes;
  std::chrono::microseconds user_cpu{0};    ///< CPU time in user mode, the child and its waited-for descendants
  std::chrono::microseconds system_cpu{0};  ///< CPU time in the kernel, likewise

  /// True when the child exited with status 0.
  [[nodiscard]] bool succeeded() const { return ending == Ending::exited && exit_code == 0; }
  /// "exited with status 3", "killed by signal 11 (SIGSEGV)", "timed out
  /// after 2 s and was killed", "could not be started: <why>".
  [[nodiscard]] std::string describe(std::chrono::nanoseconds timeout) const;
};

/// Runs the child in a process group of its own, stdin from /dev/null (or
/// spec.stdin_file),
/// stdout and stderr into pipes, and waits for it. The child runs under a
/// guard process, its subreaper (PR_SET_CHILD_SUBREAPER): when the child
/// ends or is killed, its group and every descendant still alive — even one
/// that left the group with setsid — are killed and reaped before this
/// returns, so that nothing keeps running or holds the pipes open. When the
/// gate itself ends or is killed, even with SIGKILL, the guard sees its
/// lifeline pipe close and does the same. Never throws for the child's
/// behaviour; throws gate::Error only when the gate itself cannot create
/// pipes or fork.
[[nodiscard]] ProcessResult run_process(const ProcessSpec& spec);

/// The executable `name` would run: itself when it contains a '/', else the
/// first executable of that name in PATH; std::nullopt when there is none.
[[nodiscard]] std::optional<std::string> find_program(const std::string& name);

/// The last `max_lines` lines of `text` (without a trailing empty line).
[[nodiscard]] std::string last_lines(std::string_view text, std::size_t max_lines);

}  // namespace gate::detail
