// gate/src/run/process.cpp — fork/exec of one child with pipes, a deadline and a
// process group that is killed as a whole.
#include "run/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
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

/// What the guard tells the gate when the child has ended. Written in one
/// write(), well below PIPE_BUF, so it arrives whole.
struct GuardReport {
  int status = 0;           ///< the child's wait status
  long max_rss_kib = 0;     ///< ru_maxrss of the child (and the descendants it waited for)
  long long user_us = 0;
  long long system_us = 0;
  long long elapsed_ns = 0;  ///< from fork to the child's end, measured by the guard
};

/// What the child needs after fork, prepared before it: after fork only
/// async-signal-safe calls are allowed.
struct ChildSetup {
  const char* program = nullptr;
  char** argv = nullptr;
  char** env = nullptr;
  const char* cwd = nullptr;
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  int exec_status_fd = -1;
  int cpu = -1;  ///< the one CPU the child runs on; -1: any
};

/// Reads exactly `size` bytes; false on EOF or error before that.
bool read_whole(int fd, void* into, std::size_t size) {
  auto* p = static_cast<char*>(into);
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, p + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

/// Waits for `pid` and returns its wait status.
int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

long long nanoseconds_now() {
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<long long>(t.tv_sec) * 1000000000LL + t.tv_nsec;
}

/// Sends SIGKILL to every child of `self` (found by scanning /proc for
/// processes whose parent it is: /proc/<pid>/task/<tid>/children needs a
/// kernel option that not every kernel has). Returns how many it found.
/// Only raw system calls and the stack: it runs in a forked process.
int kill_children(pid_t self) {
  int found = 0;
  int dir = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return 0;
  alignas(8) char entries[8192];
  while (true) {
    long n = ::syscall(SYS_getdents64, dir, entries, sizeof entries);
    if (n <= 0) break;
    for (long off = 0; off < n;) {
      // struct linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
      unsigned short reclen = 0;
      std::memcpy(&reclen, entries + off + 16, sizeof reclen);
      const char* name = entries + off + 19;
      off += reclen;
      long pid = 0;
      bool digits = *name != '\0';
      for (const char* c = name; *c != '\0'; ++c) {
        if (*c < '0' || *c > '9') {
          digits = false;
          break;
        }
        pid = pid * 10 + (*c - '0');
      }
      if (!digits || pid == self) continue;
      char path[64] = "/proc/";
      std::size_t len = 6;
      for (const char* c = name; *c != '\0' && len < 50; ++c) path[len++] = *c;
      std::memcpy(path + len, "/stat", 6);
      int fd = ::open(path, O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;
      char stat[512];
      ssize_t got = ::read(fd, stat, sizeof stat - 1);
      ::close(fd);
      if (got <= 0) continue;
      stat[got] = '\0';
      // "pid (comm) state ppid ...": comm may hold anything, so the fields
      // are counted from the last ')'.
      const char* p = nullptr;
      for (ssize_t i = got - 1; i >= 0; --i) {
        if (stat[i] == ')') {
          p = stat + i;
          break;
        }
      }
      if (p == nullptr || p[1] != ' ' || p[2] == '\0' || p[3] != ' ') continue;
      long ppid = 0;
      for (const char* c = p + 4; *c >= '0' && *c <= '9'; ++c) ppid = ppid * 10 + (*c - '0');
      if (ppid != self) continue;
      ::kill(static_cast<pid_t>(pid), SIGKILL);
      ++found;
    }
  }
  ::close(dir);
  return found;
}

/// The guard: a process between the gate and the child that is the child's
/// subreaper (PR_SET_CHILD_SUBREAPER), so that whatever the child starts,
/// even in a new session or process group, becomes the guard's when its own
/// parent ends. When the child ends, or the gate goes (the lifeline pipe
/// reaches EOF: the gate exited, crashed or was killed with SIGKILL), the
/// guard kills the child's group and every process left in its tree, reaps
/// them, reports the child's status and resource use, and exits.
[[noreturn]] void run_guard(const ChildSetup& c, int lifeline, int report) {
  const pid_t self = ::getpid();
  // The gate's terminal signals are the gate's to act on; the guard cleans
  // up when the gate is gone. The child gets the default dispositions back.
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) ::signal(s, SIG_IGN);
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  sigset_t chld;
  ::sigemptyset(&chld);
  ::sigaddset(&chld, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &chld, nullptr);
  const int sigfd = ::signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);

  const long long started = nanoseconds_now();
  const pid_t pid = ::fork();
  if (pid < 0) ::_exit(127);  // the gate sees the report pipe close without a pid
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != self) ::_exit(127);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::signal(s, SIG_DFL);
    ::dup2(c.stdin_fd, STDIN_FILENO);
    ::dup2(c.stdout_fd, STDOUT_FILENO);
    ::dup2(c.stderr_fd, STDERR_FILENO);
    int e = 0;
    cpu_set_t one;
    CPU_ZERO(&one);
    if (c.cpu >= 0) CPU_SET(c.cpu, &one);
    if (c.cpu >= 0 && ::sched_setaffinity(0, sizeof one, &one) != 0) {
      e = -errno;  // negative: the affinity, not the start, failed
    } else if (c.cwd != nullptr && ::chdir(c.cwd) != 0) {
      e = errno;
    } else {
      ::execve(c.program, c.argv, c.env);
      e = errno;
    }
    [[maybe_unused]] auto n = ::write(c.exec_status_fd, &e, sizeof e);
    ::_exit(127);
  }
  // Both sides set the group, so that the gate can signal it as soon as it knows the pid.
  ::setpgid(pid, pid);
  // The guard keeps none of the child's ends: the gate sees EOF on them
  // when the child's tree has closed them.
  for (int fd : {c.stdin_fd, c.stdout_fd, c.stderr_fd, c.exec_status_fd}) ::close(fd);
  [[maybe_unused]] auto told = ::write(report, &pid, sizeof pid);

  bool gate_gone = false;
  while (true) {
    // WNOWAIT leaves the child a zombie, so that its pid (the group's id)
    // cannot be reused before the group is killed below.
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) break;
    // Orphans that end on their own while the child runs are reaped as they go.
    while (true) {
      siginfo_t other{};
      if (::waitid(P_ALL, 0, &other, WEXITED | WNOHANG | WNOWAIT) != 0 || other.si_pid == 0 || other.si_pid == pid) {
        break;
      }
      int ignored = 0;
      ::waitpid(other.si_pid, &ignored, 0);
    }
    pollfd fds[2] = {{lifeline, POLLIN, 0}, {sigfd, POLLIN, 0}};
    // Without a signalfd the guard looks every 10 ms.
    int ready = ::poll(fds, sigfd >= 0 ? 2 : 1, sigfd >= 0 ? -1 : 10);
    if (ready < 0 && errno != EINTR) break;
    if (ready > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      gate_gone = true;
      break;
    }
    if (sigfd >= 0 && ready > 0 && (fds[1].revents & POLLIN) != 0) {
      signalfd_siginfo drained[8];
      while (::read(sigfd, drained, sizeof drained) > 0) {
      }
    }
  }
  const long long ended = nanoseconds_now();
  ::kill(-pid, SIGKILL);
  GuardReport r;
  rusage usage{};
  while (::wait4(pid, &r.status, 0, &usage) < 0 && errno == EINTR) {
  }
  r.max_rss_kib = usage.ru_maxrss;
  r.user_us = static_cast<long long>(usage.ru_utime.tv_sec) * 1000000LL + usage.ru_utime.tv_usec;
  r.system_us = static_cast<long long>(usage.ru_stime.tv_sec) * 1000000LL + usage.ru_stime.tv_usec;
  r.elapsed_ns = ended - started;
  // Everything the child left behind: kill what is there, reap one, look
  // again (a killed process's own children are the guard's now), until the
  // guard has no children left.
  // Without /proc a child cannot be found; it is waited for 2 s at most.
  for (int misses = 0; misses < 200;) {
    const bool found = kill_children(self) > 0;
    int ignored = 0;
    const pid_t reaped = ::waitpid(-1, &ignored, found ? 0 : WNOHANG);
    if (reaped < 0 && errno == ECHILD) break;
    if (reaped == 0) {
      const timespec pause{0, 10 * 1000 * 1000};
      ::nanosleep(&pause, nullptr);
      ++misses;
    }
  }
  if (!gate_gone) {
    [[maybe_unused]] auto n = ::write(report, &r, sizeof r);
  }
  ::_exit(0);
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
  Pipe out = make_pipe();
  Pipe err = make_pipe();
  Pipe exec_status = make_pipe();  // carries errno when execve fails; EOF on success
  Pipe report = make_pipe();       // the guard's reports: the child's pid, then how it ended
  Pipe lifeline = make_pipe();     // held by the gate alone: EOF tells the guard that the gate is gone
  const std::string stdin_path = spec.stdin_file.empty() ? std::string("/dev/null") : spec.stdin_file.string();
  Fd devnull(::open(stdin_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (devnull.get() < 0) {
    if (spec.stdin_file.empty()) {
      throw Error(fmt::format("starting '{}': cannot open /dev/null: {}", spec.argv[0], errno_text(errno)));
    }
    result.start_error = fmt::format("cannot open its stdin '{}': {}", stdin_path, errno_text(errno));
    return result;
  }

  ChildSetup child;
  child.program = program->c_str();
  child.argv = argp.data();
  child.env = spec.env ? envp.data() : environ;
  child.cwd = cwd.empty() ? nullptr : cwd.c_str();
  child.stdin_fd = devnull.get();
  child.stdout_fd = out.write.get();
  child.stderr_fd = err.write.get();
  child.exec_status_fd = exec_status.write.get();
  if (spec.cpu) {
    if (*spec.cpu < 0 || *spec.cpu >= CPU_SETSIZE) {
      result.start_error = fmt::format("CPU {} does not exist (0 to {})", *spec.cpu, CPU_SETSIZE - 1);
      return result;
    }
    child.cpu = *spec.cpu;
  }

  const auto start = Clock::now();
  const pid_t guard = ::fork();
  if (guard < 0) throw Error(fmt::format("starting '{}': fork failed: {}", spec.argv[0], errno_text(errno)));
  if (guard == 0) {
    lifeline.write.reset();
    report.read.reset();
    run_guard(child, lifeline.read.get(), report.write.get());
  }
  out.write.reset();
  err.write.reset();
  exec_status.write.reset();
  report.write.reset();
  lifeline.read.reset();

  // The guard tells the child's pid first (it has made the child the leader
  // of its own group by then), or closes the pipe when it could not fork.
  pid_t pid = 0;
  if (!read_whole(report.read.get(), &pid, sizeof pid)) {
    wait_for(guard);
    throw Error(fmt::format("starting '{}': the guard process could not fork", spec.argv[0]));
  }

  int exec_errno = 0;
  ssize_t got = 0;
  do {
    got = ::read(exec_status.read.get(), &exec_errno, sizeof exec_errno);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    lifeline.write.reset();
    wait_for(guard);
    result.ending = ProcessResult::Ending::failed_to_start;
    result.start_error = exec_errno < 0 ? fmt::format("cannot run on CPU {}: {}", child.cpu, errno_text(-exec_errno))
                         : (!cwd.empty() ? fmt::format("in '{}': ", cwd) : std::string()) + errno_text(exec_errno);
    result.elapsed = Clock::now() - start;
    return result;
  }

  std::array<pollfd, 3> fds{
      {{out.read.get(), POLLIN, 0}, {err.read.get(), POLLIN, 0}, {report.read.get(), POLLIN, 0}}};
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
  GuardReport ended{};
  bool reported = false;
  auto next_tick = start + spec.tick_interval;

  while (fds[0].fd >= 0 || fds[1].fd >= 0 || !exited) {
    auto now = Clock::now();
    // Signals go to the child's group only until the guard reports the end:
    // after that the group's id may belong to someone else.
    if (!exited && !timed_out && now >= deadline) {
      timed_out = true;
      ::kill(-pid, SIGTERM);
      kill_at = now + spec.kill_grace;
      kill_pending = true;
    }
    if (!exited && kill_pending && now >= kill_at) {
      ::kill(-pid, SIGKILL);
      kill_pending = false;
    }
    if (draining && now >= drain_until) break;  // something outside the child's tree holds the pipes
    if (spec.on_tick && now >= next_tick) {
      spec.on_tick(std::chrono::duration_cast<std::chrono::nanoseconds>(now - start));
      next_tick = now + spec.tick_interval;
    }

    // Wake for output, for the guard's report, for the deadline and for the next tick.
    auto wake = now + std::chrono::milliseconds(100);
    if (!timed_out) wake = std::min(wake, deadline);
    if (kill_pending) wake = std::min(wake, kill_at);
    if (spec.on_tick) wake = std::min(wake, next_tick);
    if (draining) wake = std::min(wake, drain_until);
    auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
    int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(wait_ms, 0)));
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < 2; ++i) {
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
    if (fds[2].fd >= 0 && (fds[2].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      // The guard writes its report once, after the child and everything it
      // left behind are gone; EOF without one means the guard itself died.
      reported = read_whole(fds[2].fd, &ended, sizeof ended);
      fds[2].fd = -1;
      exited = true;
      drain_until = Clock::now() + spec.kill_grace;
      draining = true;
    }
  }

  if (!exited) ::kill(-pid, SIGKILL);  // left the loop early: do not wait for a child that may hang
  lifeline.write.reset();              // a guard still waiting sweeps up and ends
  const int guard_status = wait_for(guard);
  result.elapsed = Clock::now() - start;
  if (err_buffer.size() > spec.stderr_tail_bytes) {
    err_buffer.erase(0, err_buffer.size() - spec.stderr_tail_bytes);
    result.err_truncated = true;
  }
  result.err_tail = std::move(err_buffer);
  int status = ended.status;
  if (reported) {
    result.elapsed = std::chrono::nanoseconds(ended.elapsed_ns);
    if (ended.max_rss_kib > 0) result.peak_rss_bytes = static_cast<std::uint64_t>(ended.max_rss_kib) * 1024u;
    result.user_cpu = std::chrono::microseconds(ended.user_us);
    result.system_cpu = std::chrono::microseconds(ended.system_us);
  } else {
    // The guard was killed from outside, and the child with it (its parent-death signal).
    status = guard_status;
  }
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
