// gate/src/run/command_runner.cpp — product commands timed like benchmarks:
// rounds across commands, cold and warm runs, exit statuses held to one value.
#include "run/command_runner.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <system_error>

#include <fmt/core.h>

#include "gate/model/metrics.hpp"
#include "run/process.hpp"

namespace gate::detail {
namespace {

using std::chrono::nanoseconds;

/// One command's state across the rounds.
struct Timed {
  const CommandSpec* spec = nullptr;
  std::string program;              ///< run[0] resolved; empty when it was not found
  std::filesystem::path stdin_file;  ///< empty: /dev/null
  std::optional<int> expected;      ///< the first run's exit status, which every run must have
  bool active = true;               ///< no failure yet
  Suite suite;
};

/// Drops the executable's pages from the page cache, so that the cold run
/// reads it again: what a first start after installing or rebuilding sees,
/// as far as a process without root can make it so. Pages another process
/// maps (the gate's own binary while it runs, the C library) stay; the
/// shared libraries are not dropped. Returns why it could not, or empty.
std::string drop_from_page_cache(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::strerror(errno);
  // Dirty pages (a binary linked moments ago) cannot be dropped until written.
  ::fdatasync(fd);
  const int rc = ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
  return rc == 0 ? std::string() : std::strerror(rc);
}

Metric metric_of(std::string_view name, double sample) {
  const MetricInfo info = describe_metric(name);
  Metric m;
  m.name = std::string(name);
  m.unit = info.unit;
  m.direction = info.direction;
  m.kind = info.kind;
  m.samples = {sample};
  return m;
}

/// Adds one run's figures as a sample of `benchmark`.
void record(Suite& suite, std::string_view suffix, const ProcessResult& r) {
  const std::string name = suite.name + std::string(suffix);
  Benchmark* b = nullptr;
  for (auto& x : suite.benchmarks) {
    if (x.name == name) b = &x;
  }
  if (b == nullptr) {
    suite.benchmarks.emplace_back();
    b = &suite.benchmarks.back();
    b->name = name;
    b->iterations = 1;
  }
  ++b->repetitions;
  // Wall time from the guard's fork to the command's end: the start-up a
  // user waits for, exec and dynamic loading included. CPU time is user +
  // system of the command and the children it waited for (wait4).
  const double cpu = static_cast<double>(std::chrono::duration_cast<nanoseconds>(r.user_cpu + r.system_cpu).count());
  std::vector<Metric> figures{metric_of("real_time", static_cast<double>(r.elapsed.count())), metric_of("cpu_time", cpu)};
  if (r.peak_rss_bytes) figures.push_back(metric_of(k_process_metric, static_cast<double>(*r.peak_rss_bytes)));
  for (auto& f : figures) {
    if (Metric* m = b->metric(f.name)) {
      m->samples.push_back(f.samples.front());
    } else {
      b->metrics.push_back(std::move(f));
    }
  }
}

/// Resolves run[0]: a name without '/' from PATH, a relative path against
/// the build directory (as a suite's binary), an absolute one as it is.
std::optional<std::string> resolve_program(const std::string& program, const std::filesystem::path& build_dir) {
  if (program.find('/') == std::string::npos) return find_program(program);
  std::filesystem::path p = program;
  if (p.is_relative()) p = build_dir / p;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec)) return std::nullopt;
  return p.string();
}

}  // namespace

std::vector<Suite> run_commands(const std::vector<const CommandSpec*>& commands, std::optional<int> rounds,
                                const RunOptions& options, const WorkDir& work, RunObserver* observer,
                                std::size_t position, std::size_t count) {
  std::vector<Timed> timed;
  std::string failures;
  auto fail = [&](Timed& t, const std::string& what, const ProcessResult* run) {
    t.suite.failure = failure_text(what, run);
    t.active = false;
    failures += fmt::format("{}{}: {}", failures.empty() ? "" : "; ", t.spec->name, what);
  };
  for (const CommandSpec* spec : commands) {
    Timed t;
    t.spec = spec;
    t.suite.name = spec->name;
    t.suite.command = CommandRun{spec->run, 0};
    timed.push_back(std::move(t));
  }
  if (observer != nullptr) {
    observer->pass_started(position, count, fmt::format("{} command{}", commands.size(), commands.size() == 1 ? "" : "s"),
                           Pass::timing, 2 * commands.size(), std::nullopt);
  }
  const auto started = std::chrono::steady_clock::now();
  for (Timed& t : timed) {
    auto program = resolve_program(t.spec->run.front(), options.build_dir);
    if (!program) {
      fail(t, fmt::format("program '{}' not found{} — build it, or point --build-dir at the build directory",
                          t.spec->run.front(),
                          t.spec->run.front().find('/') == std::string::npos
                              ? std::string(" in PATH")
                              : fmt::format(": '{}' is not a file", (options.build_dir / t.spec->run.front()).string())),
           nullptr);
      continue;
    }
    t.program = *program;
    if (t.spec->stdin_text) {
      t.stdin_file = work.path() / (t.spec->name + ".stdin");
      std::ofstream out(t.stdin_file, std::ios::binary);
      out << *t.spec->stdin_text;
      if (!out.flush()) fail(t, fmt::format("cannot write its stdin to '{}'", t.stdin_file.string()), nullptr);
    } else if (t.spec->stdin_file) {
      t.stdin_file = *t.spec->stdin_file;
    }
  }

  int most = 0;
  for (const Timed& t : timed) most = std::max(most, rounds.value_or(t.spec->runs));
  std::string not_dropped;
  for (int round = 1; round <= most; ++round) {
    for (std::size_t k = 0; k < timed.size(); ++k) {
      // Round r starts with command r mod n: each command is preceded by
      // each other one in turn, and the position in the round moves.
      Timed& t = timed[(k + static_cast<std::size_t>(round - 1)) % timed.size()];
      const int of = rounds.value_or(t.spec->runs);
      if (!t.active || round > of) continue;
      const int runs = 2 + t.spec->warmup;
      for (int run = 1; run <= runs && t.active; ++run) {
        if (run == 1) {
          if (std::string why = drop_from_page_cache(t.program); !why.empty() && not_dropped.empty()) {
            not_dropped = fmt::format("command '{}': its executable could not be dropped from the page cache ({}); "
                                      "its cold runs start with it cached",
                                      t.spec->name, why);
          }
        }
        ProcessSpec p;
        p.argv = t.spec->run;
        p.argv.front() = t.program;
        p.stdin_file = t.stdin_file;
        p.timeout = t.spec->timeout;
        p.kill_grace = options.kill_grace;
        p.keep_stdout = false;
        if (observer != nullptr) {
          p.on_tick = [&](nanoseconds) {
            observer->pass_running(std::chrono::steady_clock::now() - started);
          };
        }
        const ProcessResult r = run_process(p);
        const std::string where = fmt::format("round {} of {}, run {} of {}", round, of, run, runs);
        if (r.ending != ProcessResult::Ending::exited) {
          fail(t, fmt::format("{}: {}", where, r.describe(p.timeout)), &r);
          break;
        }
        if (!t.expected) {
          t.expected = r.exit_code;
          if (t.spec->expect_exit && r.exit_code != *t.spec->expect_exit && observer != nullptr) {
            observer->notice(fmt::format("command '{}' exited with status {}, but the policy expects {} "
                                         "(expect_exit): gate compare fails it",
                                         t.spec->name, r.exit_code, *t.spec->expect_exit));
          }
        }
        if (r.exit_code != *t.expected) {
          fail(t,
               fmt::format("{}: exited with status {}, but its first run exited with {} — a command whose status "
                           "changes from run to run cannot be timed",
                           where, r.exit_code, *t.expected),
               &r);
          break;
        }
        t.suite.command->exit_code = r.exit_code;
        if (run == 1) record(t.suite, k_cold_suffix, r);
        if (run == runs) record(t.suite, k_warm_suffix, r);
      }
    }
  }
  if (!not_dropped.empty() && observer != nullptr) observer->notice(not_dropped);
  if (observer != nullptr) {
    observer->pass_finished(position, count, fmt::format("{} command{}", commands.size(), commands.size() == 1 ? "" : "s"),
                            Pass::timing, std::chrono::steady_clock::now() - started, failures);
  }
  std::vector<Suite> out;
  for (auto& t : timed) out.push_back(std::move(t.suite));
  return out;
}

}  // namespace gate::detail
