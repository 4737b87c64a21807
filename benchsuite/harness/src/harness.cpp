// benchsuite/harness/src/harness.cpp — MeasuredScope and the suites' main.
#include "perfgate/harness.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>

#include "callgrind.hpp"
#include "instance_names.hpp"
#include "perfgate/harness/memory_manager.hpp"
#include "run_dumps.hpp"

namespace perfgate::harness {
namespace {

// Hardware counts under valgrind would count the simulator, not our code.
bool hw_counters_enabled() {
  return !callgrind::running_on_valgrind() && hw_counter_status().available;
}

std::string hw_counters_context() {
  if (callgrind::running_on_valgrind()) {
    return "unsupported: running under valgrind";
  }
  const HwCounterStatus& status = hw_counter_status();
  return status.available ? "available" : "unsupported: " + status.reason;
}

// --- the resident set per benchmark --------------------------------------------
//
// Linux keeps a process's peak resident set (VmHWM in /proc/self/status) and
// lets the process reset it to the current resident set by writing "5" to
// /proc/self/clear_refs (since Linux 4.0). Reset before a benchmark's loop and
// read after it, VmHWM is that benchmark's peak, setup that is still resident
// included. Where the reset is refused or has no effect (an old kernel, a
// read-only /proc), reading VmHWM would give the whole process's peak so far:
// a wrong number for every benchmark after the largest. Then nothing is
// reported, and the context and one line on stderr say why.
//
// The reset also lowers what the kernel reports to the parent when the
// process ends (wait4's ru_maxrss, the gate's peak_rss of the whole suite):
// the kernel keeps one high-water mark. So the harness notes the mark before
// every reset, and before the suite exits brings the resident set back up to
// the largest mark it noted, for a moment, so that the kernel's account of
// the process's peak is whole again (page granularity).

// A field of /proc/self/status in bytes ("VmHWM:	  1528 kB"); -1 when absent.
long long status_bytes(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::size_t n = std::strlen(field);
  while (std::getline(in, line)) {
    if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':') {
      return std::atoll(line.c_str() + n + 1) * 1024;
    }
  }
  return -1;
}

// The largest VmHWM noted before a reset: the process's peak so far.
long long& process_peak() {
  static long long peak = 0;
  return peak;
}

void note_process_peak() { process_peak() = std::max(process_peak(), status_bytes("VmHWM")); }

// Touches enough fresh pages that the resident set reaches the noted peak,
// then gives them back: the kernel's high-water mark is the process's again.
void restore_process_peak() {
  const long long hwm = status_bytes("VmHWM");
  const long long rss = status_bytes("VmRSS");
  if (hwm < 0 || rss < 0 || process_peak() <= hwm) {
    return;
  }
  const long page = ::sysconf(_SC_PAGESIZE) > 0 ? ::sysconf(_SC_PAGESIZE) : 4096;
  const auto bytes = static_cast<std::size_t>(process_peak() - rss);
  void* block = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (block == MAP_FAILED) {
    return;
  }
  auto* bytes_of = static_cast<volatile char*>(block);
  for (std::size_t i = 0; i < bytes; i += static_cast<std::size_t>(page)) {
    bytes_of[i] = 1;
  }
  ::munmap(block, bytes);
}

// Empty when the reset worked, else why not.
std::string reset_peak_rss() {
  const int fd = ::open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    return std::string("cannot open /proc/self/clear_refs: ") + std::strerror(errno);
  }
  const bool written = ::write(fd, "5", 1) == 1;
  const int error = errno;
  ::close(fd);
  if (!written) {
    return std::string("cannot write /proc/self/clear_refs: ") + std::strerror(error);
  }
  return {};
}

struct RssStatus {
  bool available = false;
  std::string reason;  // why not, when not
};

// Tried once: 8 MiB mapped, touched and unmapped leave VmHWM at least that
// far above VmRSS; a reset that works brings it back down.
RssStatus probe_peak_rss() {
  if (status_bytes("VmHWM") < 0 || status_bytes("VmRSS") < 0) {
    return {false, "/proc/self/status has no VmHWM or VmRSS"};
  }
  process_peak() = status_bytes("VmHWM");  // start-up's peak; the probe's own pages are not the suite's
  constexpr std::size_t k_probe = 8u << 20;
  void* block = ::mmap(nullptr, k_probe, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (block == MAP_FAILED) {
    return {false, "cannot map memory to probe the reset"};
  }
  std::memset(block, 1, k_probe);
  ::munmap(block, k_probe);
  if (std::string why = reset_peak_rss(); !why.empty()) {
    return {false, why};
  }
  const long long hwm = status_bytes("VmHWM");
  const long long rss = status_bytes("VmRSS");
  if (hwm < 0 || rss < 0 || hwm >= rss + static_cast<long long>(k_probe) / 2) {
    return {false, "writing 5 to /proc/self/clear_refs does not reset VmHWM on this kernel"};
  }
  return {true, {}};
}

RssStatus& rss_status() {
  static RssStatus status;  // set by run_main; off for suites with their own main
  return status;
}

// The same reading of a boolean flag value as Google Benchmark's own.
bool is_truthy(std::string_view value) {
  if (value.size() == 1) {
    const char c = value[0];
    return std::isalnum(static_cast<unsigned char>(c)) != 0 && c != '0' && c != 'f' && c != 'F' && c != 'n' &&
           c != 'N';
  }
  std::string lower;
  for (char c : value) {
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return lower.empty() || !(lower == "false" || lower == "no" || lower == "off");
}

// The few benchmark flags the harness must know before Google Benchmark
// consumes them; the library keeps its parsed flags to itself.
struct Flags {
  std::string format = "console";
  bool tabular = false;
  bool list_tests = false;
  bool interleaving = false;
};

Flags scan_flags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value_of = [&arg](std::string_view name, std::string_view& value) {
      if (arg.substr(0, name.size()) != name) {
        return false;
      }
      const std::string_view rest = arg.substr(name.size());
      if (rest.empty()) {
        value = "";
        return true;
      }
      if (rest[0] != '=') {
        return false;
      }
      value = rest.substr(1);
      return true;
    };
    std::string_view value;
    if (value_of("--benchmark_format", value)) {
      flags.format = value;
    } else if (value_of("--benchmark_counters_tabular", value)) {
      flags.tabular = is_truthy(value);
    } else if (value_of("--benchmark_list_tests", value)) {
      flags.list_tests = is_truthy(value);
    } else if (value_of("--benchmark_enable_random_interleaving", value)) {
      flags.interleaving = is_truthy(value);
    }
  }
  return flags;
}

// Under callgrind the harness supplies the display reporter (to follow which
// instance runs), so it builds the one the flags ask for. Colour is off: an
// instrumented run's output is read by programs.
std::unique_ptr<benchmark::BenchmarkReporter> make_display_reporter(const Flags& flags) {
  if (flags.format == "json") {
    return std::make_unique<benchmark::JSONReporter>();
  }
  if (flags.format == "csv") {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    return std::make_unique<benchmark::CSVReporter>();
#pragma GCC diagnostic pop
  }
  return std::make_unique<benchmark::ConsoleReporter>(flags.tabular ? benchmark::ConsoleReporter::OO_Tabular
                                                                    : benchmark::ConsoleReporter::OO_None);
}

}  // namespace

MeasuredScope::MeasuredScope(benchmark::State& state) : m_state(state) {
  // Google Benchmark's allocation-counting run repeats the benchmark once per
  // repetition. There the scope only confines the count to the loop; timing
  // or dumping it again would add a second dump per run.
  if (allocation_counting_active()) {
    if (m_state.thread_index() == 0) {
      m_alloc_region = true;
      begin_counted_region();
    }
    return;
  }
  // Before callgrind collects: none of this is the loop's. Under valgrind
  // the resident set is the simulator's, and rss_status() is never set.
  if (m_state.thread_index() == 0 && rss_status().available && !callgrind::running_on_valgrind()) {
    note_process_peak();
    m_rss = reset_peak_rss().empty();
  }
  if (m_state.thread_index() == 0 && callgrind::running_on_valgrind()) {
    callgrind::begin_collection();
    m_callgrind = true;
  }
  // Started last so that as little of the harness as possible is counted.
  if (hw_counters_enabled()) {
    m_hw = m_perf.start();
  }
}

MeasuredScope::~MeasuredScope() {
  if (m_alloc_region) {
    end_counted_region();
    return;
  }
  if (m_hw) {
    if (const auto counts = m_perf.stop(); counts && !m_state.error_occurred()) {
      // Summed over threads, divided by all threads' iterations: per iteration.
      auto per_iteration = [](std::uint64_t v) {
        return benchmark::Counter(static_cast<double>(v), benchmark::Counter::kAvgIterations);
      };
      m_state.counters["hw_instructions"] = per_iteration(counts->instructions);
      m_state.counters["hw_cycles"] = per_iteration(counts->cycles);
      m_state.counters["hw_branch_misses"] = per_iteration(counts->branch_misses);
      m_state.counters["hw_cache_misses"] = per_iteration(counts->cache_misses);
    }
  }
  if (m_callgrind) {
    callgrind::end_collection();
    // Built after collection stopped, so the label costs the dump nothing.
    const std::string* name = current_instance_name();
    const std::string label =
        (name != nullptr ? *name : std::string("unknown")) + " iterations=" + std::to_string(m_state.iterations());
    callgrind::dump(label.c_str());
    note_scope_dump();
  }
  if (m_rss && !m_state.error_occurred()) {
    const long long peak = status_bytes("VmHWM");
    const long long steady = status_bytes("VmRSS");
    if (peak >= 0 && steady >= 0) {
      m_state.counters["peak_rss"] = benchmark::Counter(static_cast<double>(peak));
      m_state.counters["steady_rss"] = benchmark::Counter(static_cast<double>(steady));
    }
  }
}

namespace {

// CMake passes no optimisation flag at all when a build chose no build type;
// such code is judged like a Debug build, which is what it is.
std::string build_type_context(const BuildInfo& build) {
  const std::string_view type = build.build_type != nullptr ? build.build_type : "";
  if (!type.empty()) {
    return std::string(type);
  }
  return build.optimized ? "none" : "Debug";
}

}  // namespace

#if defined(PERFGATE_KEEP_FREED_MEMORY_MAPPED)
// Google Benchmark 1.7 keeps each repetition's MemoryManager::Result in a
// std::vector and gives the repetition's report a pointer into it; the next
// repetition's push_back may reallocate the vector, so every report but the
// last points into freed memory when the reporter reads it (fixed in 1.8,
// which stores the result by value). Reading a freed block gives garbage
// (the gate's ingest keeps only the last repetition's memory figures); when
// glibc has handed the top of the heap back to the system, the read faults.
// Measured here: bench_maze died of SIGSEGV in 6 of 40 runs with ten
// interleaved repetitions, and in 0 of 40 with trimming off. So the heap is
// never trimmed: freed memory stays mapped for the life of the process.
namespace {
void keep_freed_memory_mapped() noexcept { (void)mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max()); }
}  // namespace
#endif

int run_main(int argc, char** argv, const BuildInfo& build) {
#if defined(PERFGATE_KEEP_FREED_MEMORY_MAPPED)
  keep_freed_memory_mapped();
#endif
  const Flags flags = scan_flags(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  const std::string_view inject = build.gate_inject != nullptr ? build.gate_inject : "";
  benchmark::AddCustomContext("build_type", build_type_context(build));
  benchmark::AddCustomContext("compiler", build.compiler != nullptr ? build.compiler : "unknown");
  benchmark::AddCustomContext("gate_inject", inject.empty() ? "none" : std::string(inject));
  benchmark::AddCustomContext("hw_counters", hw_counters_context());
  if (callgrind::running_on_valgrind()) {
    benchmark::AddCustomContext("peak_rss", "unsupported: running under valgrind");
  } else if (!flags.list_tests) {
    rss_status() = probe_peak_rss();
    if (rss_status().available) {
      benchmark::AddCustomContext("peak_rss", "per benchmark: VmHWM reset through /proc/self/clear_refs");
    } else {
      benchmark::AddCustomContext("peak_rss", "unsupported: " + rss_status().reason);
      std::cerr << argv[0] << ": note: no peak_rss per benchmark: " << rss_status().reason << "\n";
    }
  }

  // Under callgrind the memory manager also collects the benchmarks that
  // have no MeasuredScope (run_dumps.hpp).
  CountingMemoryManager counting;
  CollectingMemoryManager collecting;
  const bool instrumented = callgrind::running_on_valgrind() && !flags.list_tests;
  benchmark::RegisterMemoryManager(instrumented ? static_cast<benchmark::MemoryManager*>(&collecting) : &counting);
  if (instrumented) {
    if (flags.interleaving) {
      std::cerr << argv[0]
                << ": error: running under callgrind with '--benchmark_enable_random_interleaving': dumps are named by "
                   "run order, which interleaving breaks\n";
      benchmark::RegisterMemoryManager(nullptr);
      return 1;
    }
    set_instance_order(list_instance_names(argv[0]));
    InstanceTrackingReporter reporter(make_display_reporter(flags));
    benchmark::RunSpecifiedBenchmarks(&reporter);
    set_instance_order({});
  } else {
    benchmark::RunSpecifiedBenchmarks();
    if (rss_status().available) {
      restore_process_peak();
    }
  }
  benchmark::RegisterMemoryManager(nullptr);
  benchmark::Shutdown();
  return 0;
}

}  // namespace perfgate::harness
