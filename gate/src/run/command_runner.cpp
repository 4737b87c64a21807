// gate/src/run/command_runner.cpp — product commands timed like benchmarks:
// rounds across commands, cold and warm runs, exit statuses held to one value.
#include "run/command_runner.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <system_error>

#include <fmt/core.h>

#include "gate/model/metrics.hpp"
#include "run/process.hpp"

namespace gate::detail {
namespace {

using std::chrono::nanoseconds;

/// Drops the executable's pages from the page cache, so that the cold run
/// reads it again: what a first start after installing or rebuilding sees,
/// as far as a process without root can make it so. Pages another process
/// maps (the gate's own binary while it runs, the C library) stay, and so
/// does a file system that keeps files in memory (tmpfs); the shared
/// libraries are not dropped. Returns what stayed, when anything did
/// ("41% of its pages stayed cached"), or why it could not; else empty.
std::string drop_from_page_cache(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::strerror(errno);
  // Dirty pages (a binary linked moments ago) cannot be dropped until written.
  ::fdatasync(fd);
  std::string what;
  if (const int rc = ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED); rc != 0) {
    what = std::strerror(rc);
  } else if (struct stat st{}; ::fstat(fd, &st) == 0 && st.st_size > 0) {
    // mincore tells which pages are resident without touching them.
    const auto size = static_cast<std::size_t>(st.st_size);
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    if (map != MAP_FAILED) {
      const long page = ::sysconf(_SC_PAGESIZE);
      const std::size_t pages = (size + static_cast<std::size_t>(page) - 1) / static_cast<std::size_t>(page);
      std::vector<unsigned char> resident(pages);
      if (::mincore(map, size, resident.data()) == 0) {
        std::size_t stayed = 0;
        for (unsigned char r : resident) stayed += r & 1u;
        if (stayed > 0) what = fmt::format("{:.0f}% of its pages stayed cached", 100.0 * static_cast<double>(stayed) / static_cast<double>(pages));
      }
      ::munmap(map, size);
    }
  }
  ::close(fd);
  return what;
}

/// Adds one run's figures as a sample of `suite`'s benchmark "<suite><suffix>";
/// `round` > 0 tags the sample with its A/B round.
void record(Suite& suite, std::string_view suffix, const ProcessResult& r, int round) {
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
  std::vector<std::pair<std::string_view, double>> figures{
      {"real_time", static_cast<double>(r.elapsed.count())},
      {"cpu_time", static_cast<double>(std::chrono::duration_cast<nanoseconds>(r.user_cpu + r.system_cpu).count())}};
  if (r.peak_rss_bytes) figures.emplace_back(k_process_metric, static_cast<double>(*r.peak_rss_bytes));
  for (const auto& [metric, value] : figures) {
    Metric* m = b->metric(metric);
    if (m == nullptr) {
      b->metrics.push_back(make_metric(metric));
      m = &b->metrics.back();
    }
    m->samples.push_back(value);
    if (round > 0) m->rounds.push_back(round);
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


/// One build's side of one command: a plain run has one, an A/B run two.
struct Side {
  std::string program;                 ///< run[0] resolved; empty when it was not found
  std::optional<int> expected;         ///< the first run's exit status, which every run must have
  Suite suite;
};

/// One command's state across the rounds.
struct Timed {
  const CommandSpec* spec = nullptr;
  std::filesystem::path stdin_file;  ///< empty: /dev/null
  std::vector<Side> sides;           ///< one; or base, head
  bool active = true;                ///< no failure yet
  bool base_starts = true;           ///< A/B: the side that runs first in odd rounds
  std::string first;                 ///< A/B: 'b' or 'h' per round run
};

/// Runs the rounds' runs and keeps what the progress display needs.
class Timer {
 public:
  Timer(const RunOptions& options, RunObserver* observer, std::size_t position, std::size_t count, std::string label,
        std::optional<int> cpu = std::nullopt)
      : m_options(options),
        m_observer(observer),
        m_position(position),
        m_count(count),
        m_label(std::move(label)),
        m_cpu(cpu) {
    if (m_observer != nullptr) m_observer->pass_started(m_position, m_count, m_label, Pass::timing, 0, std::nullopt);
  }

  /// The command's entry with one side per build directory, its program
  /// resolved in each (a missing one is left empty), its stdin prepared.
  Timed prepare(const CommandSpec& spec, const std::vector<std::filesystem::path>& build_dirs, const WorkDir& work) {
    Timed t;
    t.spec = &spec;
    for (const auto& dir : build_dirs) {
      Side side;
      side.suite.name = spec.name;
      side.suite.command = CommandRun{spec.run, 0};
      side.program = resolve_program(spec.run.front(), dir).value_or(std::string());
      t.sides.push_back(std::move(side));
    }
    if (spec.stdin_text) {
      t.stdin_file = work.path() / (spec.name + ".stdin");
      std::ofstream out(t.stdin_file, std::ios::binary);
      out << *spec.stdin_text;
      if (!out.flush()) fail(t, t.sides.back(), fmt::format("cannot write its stdin to '{}'", t.stdin_file.string()), nullptr);
    } else if (spec.stdin_file) {
      t.stdin_file = *spec.stdin_file;
    }
    return t;
  }

  /// Why the side's program is missing, for its failure or a notice.
  static std::string missing(const Timed& t, const std::filesystem::path& build_dir) {
    const std::string& program = t.spec->run.front();
    return fmt::format("program '{}' not found{}", program,
                       program.find('/') == std::string::npos
                           ? std::string(" in PATH")
                           : fmt::format(": '{}' is not a file",
                                         std::filesystem::path(program).is_relative() ? (build_dir / program).string()
                                                                                     : program));
  }

  void fail(Timed& t, Side& side, const std::string& what, const ProcessResult* run) {
    side.suite.failure = failure_text(what, run);
    t.active = false;
    m_failures += fmt::format("{}{}: {}", m_failures.empty() ? "" : "; ", t.spec->name, what);
  }

  /// One round of one side: the cold run, the warm-up runs, the warm run.
  /// `tag`: the samples carry their round (A/B). False when a run failed.
  bool round(Timed& t, Side& side, int round, int of, bool tag) {
    const int runs = 2 + t.spec->warmup;
    for (int run = 1; run <= runs; ++run) {
      if (run == 1) {
        if (std::string why = drop_from_page_cache(side.program); !why.empty() && !m_not_dropped.contains(t.spec->name)) {
          m_not_dropped[t.spec->name] =
              fmt::format("command '{}': its executable '{}' could not be dropped from the page cache before its cold "
                          "run ({}: another process maps those pages, or the file system keeps files in memory); its "
                          "cold runs start partly cached",
                          t.spec->name, side.program, why);
        }
      }
      ProcessSpec p;
      p.argv = t.spec->run;
      p.argv.front() = side.program;
      p.stdin_file = t.stdin_file;
      p.timeout = t.spec->timeout;
      p.kill_grace = m_options.kill_grace;
      p.keep_stdout = false;
      p.cpu = m_cpu;
      if (m_observer != nullptr) {
        p.on_tick = [this](nanoseconds) { m_observer->pass_running(std::chrono::steady_clock::now() - m_started); };
      }
      const ProcessResult r = run_process(p);
      const std::string where = fmt::format("round {} of {}, run {} of {}", round, of, run, runs);
      if (r.ending != ProcessResult::Ending::exited) {
        fail(t, side, fmt::format("{}: {}", where, r.describe(p.timeout)), &r);
        return false;
      }
      if (!side.expected) {
        side.expected = r.exit_code;
        side.suite.command->exit_code = r.exit_code;
        if (t.spec->expect_exit && r.exit_code != *t.spec->expect_exit && m_observer != nullptr) {
          m_observer->notice(fmt::format("command '{}' exited with status {}, but the policy expects {} "
                                         "(expect_exit): gate compare fails it",
                                         t.spec->name, r.exit_code, *t.spec->expect_exit));
        }
      }
      if (r.exit_code != *side.expected) {
        fail(t, side,
             fmt::format("{}: exited with status {}, but its first run exited with {} — a command whose status "
                         "changes from run to run cannot be timed",
                         where, r.exit_code, *side.expected),
             &r);
        return false;
      }
      if (run == 1) record(side.suite, k_cold_suffix, r, tag ? round : 0);
      if (run == runs) record(side.suite, k_warm_suffix, r, tag ? round : 0);
    }
    return true;
  }

  void notice(const std::string& text) {
    if (m_observer != nullptr) m_observer->notice(text);
  }

  void finish() {
    for (const auto& [name, text] : m_not_dropped) notice(text);
    if (m_observer != nullptr) {
      m_observer->pass_finished(m_position, m_count, m_label, Pass::timing, std::chrono::steady_clock::now() - m_started,
                                m_failures);
    }
  }

 private:
  const RunOptions& m_options;
  RunObserver* m_observer;
  std::size_t m_position;
  std::size_t m_count;
  std::string m_label;
  std::optional<int> m_cpu;  ///< A/B with --pin: the CPU of every run
  std::string m_failures;
  std::map<std::string, std::string> m_not_dropped;  ///< command → why its cold runs were partly cached
  std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();
};

std::string label_of(std::size_t commands) { return fmt::format("{} command{}", commands, commands == 1 ? "" : "s"); }

}  // namespace

bool command_selected(const CommandSpec& spec, const std::string& filter) {
  if (filter.empty()) return true;
  // Google Benchmark's reading of --benchmark_filter: a leading '-' means
  // "all but", the rest is a POSIX extended regular expression searched in
  // the name (check_filter has refused a bad one before anything ran).
  const bool negate = filter.front() == '-';
  const std::regex re(negate ? filter.substr(1) : filter, std::regex::extended);
  const bool match = std::regex_search(spec.name + std::string(k_cold_suffix), re) ||
                     std::regex_search(spec.name + std::string(k_warm_suffix), re);
  return match != negate;
}

std::vector<Suite> run_commands(const std::vector<const CommandSpec*>& commands, std::optional<int> rounds,
                                const RunOptions& options, const WorkDir& work, RunObserver* observer,
                                std::size_t position, std::size_t count) {
  Timer timer(options, observer, position, count, label_of(commands.size()));
  std::vector<Timed> timed;
  int most = 0;
  for (const CommandSpec* spec : commands) {
    timed.push_back(timer.prepare(*spec, {options.build_dir}, work));
    Timed& t = timed.back();
    if (t.sides.front().program.empty()) {
      timer.fail(t, t.sides.front(),
                 Timer::missing(t, options.build_dir) + " — build it, or point --build-dir at the build directory",
                 nullptr);
    }
    most = std::max(most, rounds.value_or(spec->runs));
  }
  for (int round = 1; round <= most; ++round) {
    for (std::size_t k = 0; k < timed.size(); ++k) {
      // Round r starts with command r mod n: each command is preceded by
      // each other one in turn, and its place in the round moves.
      Timed& t = timed[(k + static_cast<std::size_t>(round - 1)) % timed.size()];
      const int of = rounds.value_or(t.spec->runs);
      if (t.active && round <= of) (void)timer.round(t, t.sides.front(), round, of, false);
    }
  }
  timer.finish();
  std::vector<Suite> out;
  for (auto& t : timed) out.push_back(std::move(t.sides.front().suite));
  return out;
}

CommandPairs run_commands_ab(const std::vector<const CommandSpec*>& commands, int rounds,
                             const std::filesystem::path& base_build_dir, const RunOptions& options,
                             const WorkDir& work, RunObserver* observer, std::size_t position, std::size_t count,
                             std::mt19937& rng, std::optional<int> cpu) {
  Timer timer(options, observer, position, count, label_of(commands.size()) + " a/b", cpu);
  std::vector<Timed> timed;
  for (const CommandSpec* spec : commands) {
    timed.push_back(timer.prepare(*spec, {base_build_dir, options.build_dir}, work));
    Timed& t = timed.back();
    if (t.sides[1].program.empty()) {
      timer.fail(t, t.sides[1], Timer::missing(t, options.build_dir) + " in the head build — build it, or check the directory",
                 nullptr);
    } else if (t.sides[0].program.empty()) {
      timer.notice(fmt::format("command '{}': {} in the base build: its benchmarks are new", spec->name,
                               Timer::missing(t, base_build_dir)));
    }
    t.base_starts = (rng() & 1u) == 0;
  }
  for (int round = 1; round <= rounds; ++round) {
    for (std::size_t k = 0; k < timed.size(); ++k) {
      Timed& t = timed[(k + static_cast<std::size_t>(round - 1)) % timed.size()];
      if (!t.active) continue;
      // The build that starts alternates from round to round, as for suites.
      const bool base_first = (round % 2 == 1) == t.base_starts;
      const bool base_runs = !t.sides[0].program.empty();
      t.first += base_first && base_runs ? 'b' : 'h';
      for (Side* side : base_first ? std::array{&t.sides[0], &t.sides[1]} : std::array{&t.sides[1], &t.sides[0]}) {
        if (side->program.empty()) continue;
        if (!timer.round(t, *side, round, rounds, true)) break;  // its pairs are broken: no further rounds
      }
    }
  }
  timer.finish();
  CommandPairs out;
  for (auto& t : timed) {
    if (!t.first.empty()) out.first[t.spec->name] = t.first;
    if (!t.sides[0].program.empty()) out.base.push_back(std::move(t.sides[0].suite));
    out.head.push_back(std::move(t.sides[1].suite));
  }
  return out;
}

}  // namespace gate::detail
