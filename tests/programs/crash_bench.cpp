// tests/programs/crash_bench.cpp — a Google Benchmark suite whose benchmark
// dies of SIGSEGV after 30 lines on stderr (the gate keeps the last 20).
#include <benchmark/benchmark.h>

#include <csignal>
#include <cstdio>

namespace {

void BM_Crash(benchmark::State& state) {
  for (int i = 1; i <= 30; ++i) std::fprintf(stderr, "crash_bench: stderr line %d\n", i);
  for (auto _ : state) {
    std::raise(SIGSEGV);
  }
}
BENCHMARK(BM_Crash);

}  // namespace

BENCHMARK_MAIN();
