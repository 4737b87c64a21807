// tests/programs/shard_bench.cpp — a real Google Benchmark suite of eight
// short benchmarks (BM_Shard/0 to BM_Shard/7) for the sharding tests: enough
// names for every shard of a split to hold some. The GATE_OTHER_CODE build
// has other code (another .text hash) and the same names.
#include <benchmark/benchmark.h>

#include <cstdint>

namespace {

void BM_Shard(benchmark::State& state) {
  std::uint64_t x = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) {
#ifdef GATE_OTHER_CODE
    x = x * 6364136223846793005u + 1442695040888963407u;
#else
    x = x * 2862933555777941757u + 3037000493u;
#endif
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_Shard)->DenseRange(0, 7)->MinTime(0.001);

}  // namespace

BENCHMARK_MAIN();
