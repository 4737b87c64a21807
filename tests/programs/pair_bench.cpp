// tests/programs/pair_bench.cpp — a real Google Benchmark suite for the A/B
// pairing tests: two plain benchmarks and a family with a complexity fit,
// which a round paired benchmark by benchmark must run together.
#include <benchmark/benchmark.h>
#include <sched.h>

#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

namespace {

// The CPUs this process may run on, as its label ("cpus 0,1"): what
// `gate run --ab --pin` set shows in the bundle.
std::string allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return "cpus unknown";
  std::string list;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (CPU_ISSET(c, &set)) list += (list.empty() ? "" : ",") + std::to_string(c);
  }
  return "cpus " + list;
}

void BM_Mix(benchmark::State& state) {
  std::uint64_t x = 1;
  for (auto _ : state) {
    x = x * 2862933555777941757u + 3037000493u;
    benchmark::DoNotOptimize(x);
  }
  state.SetLabel(allowed_cpus());
}
BENCHMARK(BM_Mix)->MinTime(0.002);

void BM_Twice(benchmark::State& state) {
  std::uint64_t x = 3;
  for (auto _ : state) {
    x = (x * 6364136223846793005u + 1442695040888963407u) ^ (x >> 7);
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_Twice)->MinTime(0.002);

void BM_Scan(benchmark::State& state) {
  std::vector<std::uint32_t> v(static_cast<std::size_t>(state.range(0)), 1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(std::accumulate(v.begin(), v.end(), std::uint64_t{0}));
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_Scan)->RangeMultiplier(4)->Range(64, 4096)->Complexity(benchmark::oN)->MinTime(0.002);

}  // namespace

BENCHMARK_MAIN();
