// benchsuite/harness/src/harness.cpp — MeasuredScope and the suites' main.
#include "perfgate/harness.hpp"

#include <malloc.h>

#include <cctype>
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
  }
  benchmark::RegisterMemoryManager(nullptr);
  benchmark::Shutdown();
  return 0;
}

}  // namespace perfgate::harness
