// tests/programs/hang_bench.cpp — a Google Benchmark suite whose benchmark
// never ends, and leaves a child process behind that holds its output pipes:
// the gate must kill the whole process group when the timeout expires.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>

namespace {

void BM_Hang(benchmark::State& state) {
  std::fprintf(stderr, "hang_bench: about to hang\n");
  std::fflush(stderr);
  if (fork() == 0) {
    while (true) pause();
  }
  for (auto _ : state) {
    while (true) pause();
  }
}
BENCHMARK(BM_Hang);

}  // namespace

BENCHMARK_MAIN();
