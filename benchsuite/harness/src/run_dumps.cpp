// benchsuite/harness/src/run_dumps.cpp — collecting Google Benchmark's
// allocation-counting run under callgrind for benchmarks without a
// MeasuredScope. Everything here happens on the main thread: Google Benchmark
// runs instances one after the other, runs the allocation-counting run and
// thread 0 of every run there, and reports there.
#include "run_dumps.hpp"

#include <algorithm>

#include "callgrind.hpp"

namespace perfgate::harness {
namespace {

bool g_scope_dumped = false;  // a MeasuredScope dumped the running instance
bool g_collected = false;     // its allocation-counting run was collected

}  // namespace

void note_scope_dump() noexcept { g_scope_dumped = true; }

std::int64_t counting_run_iterations(std::int64_t iterations, std::int64_t threads) noexcept {
  const std::int64_t per_thread = threads > 1 ? iterations / threads : iterations;
  return std::min<std::int64_t>(16, per_thread);
}

void dump_reported_run(const std::string& name, std::int64_t counting_iterations) noexcept {
  if (g_collected && !g_scope_dumped && counting_iterations > 0) {
    const std::string label = name + " iterations=" + std::to_string(counting_iterations);
    callgrind::dump(label.c_str());
  }
  g_scope_dumped = false;
  g_collected = false;
}

void CollectingMemoryManager::Start() {
  m_counting.Start();
  // Started last and stopped first, so that as little of the harness as
  // possible is counted. Each run zeroes what came before: with several
  // repetitions the dump holds the last repetition's counting run.
  m_collecting = !g_scope_dumped;
  if (m_collecting) {
    callgrind::begin_collection();
    g_collected = true;
  }
}

void CollectingMemoryManager::Stop(Result& result) {
  if (m_collecting) {
    callgrind::end_collection();
    m_collecting = false;
  }
  m_counting.Stop(result);
}

void CollectingMemoryManager::Stop(Result* result) {
  if (result != nullptr) {
    Stop(*result);
  }
}

}  // namespace perfgate::harness
