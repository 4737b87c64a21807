// gate/src/run/process.cpp — fork/exec of one child with pipes, a deadline and a
// process group that is killed as a whole.
#include "run/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <utility>

#include <fmt/core.h>

#include "gate/error.hpp"

extern char** environ;

namespace gate::detail {
namespace {

using Clock = std::chrono::steady_clock;

std::string lower_first(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

std::string errno_text(int e) { return lower_first(std::strerror(e)); }

/// A file descriptor closed when it goes.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : m_fd(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
  }
  [[nodiscard]] int get() const { return m_fd; }
  void reset() noexcept {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
  }

 private:
  int m_fd = -1;
};

struct Pipe {
  Fd read;
  Fd write;
};

Pipe make_pipe() {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
    throw Error(fmt::format("starting a child process: cannot create a pipe: {}", errno_text(errno)));
  }
  return {Fd(fds[0]), Fd(fds[1])};
}

std::string format_seconds(std::chrono::nanoseconds d) {
  double s = std::chrono::duration<double>(d).count();
  if (s == static_cast<double>(static_cast<long long>(s))) return fmt::format("{} s", static_cast<long long>(s));
  return fmt::format("{:.3g} s", s);
}

}  // namespace

// The PATH look-up is done before fork, so that the child only calls execve.
std::optional<std::string> find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path_env = std::getenv("PATH");
  std::string_view path = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    auto colon = path.find(':');
    std::string dir(path.substr(0, colon));
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate)) return candidate;
    if (colon == std::string_view::npos) break;
    path.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

std::string ProcessResult::describe(std::chrono::nanoseconds timeout) const {
  switch (ending) {
    case Ending::exited:
      return fmt::format("exited with status {}", exit_code);
    case Ending::signalled: {
      const char* abbrev = ::sigabbrev_np(signal);
      const char* text = ::strsignal(signal);
      return fmt::format("died of signal {} (SIG{}: {})", signal, abbrev != nullptr ? abbrev : "?",
                         text != nullptr ? lower_first(text) : std::string("unknown"));
    }
    case Ending::timed_out:
      return fmt::format("timed out after {} and was killed", format_seconds(timeout));
    case Ending::failed_to_start:
      return fmt::format("could not be started: {}", start_error);
  }
  return "ended in an unknown way";
}

std::string last_lines(std::string_view text, std::size_t max_lines) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::size_t start = text.size();
  std::size_t lines = 0;
  while (start > 0 && lines < max_lines) {
    auto nl = text.rfind('\n', start - 1);
    if (nl == std::string_view::npos) {
      start = 0;
      break;
    }
    ++lines;
    if (lines == max_lines) {
      start = nl + 1;
      break;
    }
    start = nl;
  }
  return std::string(text.substr(start));
}

ProcessResult run_process(const ProcessSpec& spec) {
  ProcessResult result;
  if (spec.argv.empty()) {
    result.start_error = "no program given";
    return result;
  }
  auto program = find_program(spec.argv[0]);
  if (!program) {
    result.start_error = fmt::format("'{}' not found in PATH", spec.argv[0]);
    return result;
  }

  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls are allowed in the child.
  std::vector<std::string> args = spec.argv;
  std::vector<char*> argp;
  argp.reserve(args.size() + 1);
  for (auto& a : args) argp.push_back(a.data());
  argp.push_back(nullptr);
  std::string cwd = spec.cwd.string();
  std::vector<std::string> env_strings = spec.env.value_or(std::vector<std::string>{});
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  char** child_env = spec.env ? envp.data() : environ;
  Pipe out = make_pipe();
  Pipe err = make_pipe();
  Pipe exec_status = make_pipe();  // carries errno when execve fails; EOF on success
  Fd devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (devnull.get() < 0) throw Error(fmt::format("starting '{}': cannot open /dev/null: {}", spec.argv[0], errno_text(errno)));
  const pid_t parent = ::getpid();

  const auto start = Clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) throw Error(fmt::format("starting '{}': fork failed: {}", spec.argv[0], errno_text(errno)));
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::signal(s, SIG_DFL);
    ::dup2(devnull.get(), STDIN_FILENO);
    ::dup2(out.write.get(), STDOUT_FILENO);
    ::dup2(err.write.get(), STDERR_FILENO);
    int e = 0;
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) {
      e = errno;
    } else {
      ::execve(program->c_str(), argp.data(), child_env);
      e = errno;
    }
    [[maybe_unused]] auto n = ::write(exec_status.write.get(), &e, sizeof e);
    ::_exit(127);
  }
  // Both sides set the group, so that a kill right after fork reaches it.
  ::setpgid(pid, pid);
  out.write.reset();
  err.write.reset();
  exec_status.write.reset();

  int exec_errno = 0;
  ssize_t got = 0;
  do {
    got = ::read(exec_status.read.get(), &exec_errno, sizeof exec_errno);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.ending = ProcessResult::Ending::failed_to_start;
    result.start_error = (!cwd.empty() ? fmt::format("in '{}': ", cwd) : std::string()) + errno_text(exec_errno);
    result.elapsed = Clock::now() - start;
    return result;
  }

  std::array<pollfd, 2> fds{{{out.read.get(), POLLIN, 0}, {err.read.get(), POLLIN, 0}}};
  std::string err_buffer;
  std::array<char, 65536> buf{};
  const auto deadline = start + spec.timeout;
  // Plain values with flags rather than std::optional: GCC's -O2 flow
  // analysis reports optional time points as maybe uninitialised.
  Clock::time_point kill_at{};      // SIGKILL after SIGTERM's grace
  bool kill_pending = false;
  Clock::time_point drain_until{};  // the child is gone; stop waiting for its pipes then
  bool draining = false;
  bool timed_out = false;
  bool exited = false;
  auto next_tick = start + spec.tick_interval;

  while (fds[0].fd >= 0 || fds[1].fd >= 0 || !exited) {
    auto now = Clock::now();
    if (!exited && !timed_out && now >= deadline) {
      timed_out = true;
      ::kill(-pid, SIGTERM);
      kill_at = now + spec.kill_grace;
      kill_pending = true;
    }
    if (kill_pending && now >= kill_at) {
      ::kill(-pid, SIGKILL);
      kill_pending = false;
    }
    if (!exited) {
      // WNOWAIT leaves the child a zombie, so its pid (the group's id) cannot
      // be reused before the group is killed below.
      siginfo_t info{};
      if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) {
        exited = true;
        ::kill(-pid, SIGKILL);
        drain_until = now + spec.kill_grace;
        draining = true;
      }
    }
    if (draining && now >= drain_until) break;  // something outside the group holds the pipes
    if (spec.on_tick && now >= next_tick) {
      spec.on_tick(std::chrono::duration_cast<std::chrono::nanoseconds>(now - start));
      next_tick = now + spec.tick_interval;
    }

    // Wake for output, for the deadline, for the next tick, and at least
    // every 100 ms to notice an exit whose pipes stay open.
    auto wake = now + std::chrono::milliseconds(100);
    if (!timed_out) wake = std::min(wake, deadline);
    if (kill_pending) wake = std::min(wake, kill_at);
    if (spec.on_tick) wake = std::min(wake, next_tick);
    if (fds[0].fd < 0 && fds[1].fd < 0) {
      // Only the exit is awaited: it is seen by waitid on the next turn.
      wake = std::min(wake, now + std::chrono::milliseconds(5));
    }
    auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
    int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(wait_ms, 0)));
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      ssize_t n = ::read(fds[i].fd, buf.data(), buf.size());
      if (n > 0) {
        if (i == 0) {
          if (spec.keep_stdout) result.out.append(buf.data(), static_cast<std::size_t>(n));
        } else {
          err_buffer.append(buf.data(), static_cast<std::size_t>(n));
          if (err_buffer.size() > 2 * spec.stderr_tail_bytes + buf.size()) {
            err_buffer.erase(0, err_buffer.size() - spec.stderr_tail_bytes);
            result.err_truncated = true;
          }
        }
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        fds[i].fd = -1;  // closed below with its Fd
      }
    }
  }

  if (!exited) ::kill(-pid, SIGKILL);  // left the loop early: do not wait for a child that may hang
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.elapsed = Clock::now() - start;
  if (err_buffer.size() > spec.stderr_tail_bytes) {
    err_buffer.erase(0, err_buffer.size() - spec.stderr_tail_bytes);
    result.err_truncated = true;
  }
  result.err_tail = std::move(err_buffer);
  if (timed_out) {
    result.ending = ProcessResult::Ending::timed_out;
  } else if (WIFEXITED(status)) {
    result.ending = ProcessResult::Ending::exited;
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.ending = ProcessResult::Ending::signalled;
    result.signal = WTERMSIG(status);
  }
  return result;
}

}  // namespace gate::detail
