// tests/programs/alloc_bench.cpp — a suite on the perfgate harness whose one
// benchmark makes 64 MiB resident (allocated, touched, freed) and whose other
// benchmark, run after it, allocates nothing: the process's peak resident set
// and the first benchmark's are at least 64 MiB, the second's is not.
#include <cstddef>
#include <cstring>
#include <memory>

#include "perfgate/harness.hpp"

namespace {

constexpr std::size_t k_bytes = std::size_t{64} << 20;

void BM_Alloc64MiB(benchmark::State& state) {
  perfgate::harness::MeasuredScope scope(state);
  for (auto _ : state) {
    auto block = std::make_unique<char[]>(k_bytes);
    std::memset(block.get(), 1, k_bytes);  // resident only once touched
    benchmark::DoNotOptimize(block.get());
  }
}
BENCHMARK(BM_Alloc64MiB)->Iterations(2);

void BM_Small(benchmark::State& state) {
  perfgate::harness::MeasuredScope scope(state);
  int x = 0;
  for (auto _ : state) benchmark::DoNotOptimize(++x);
}
BENCHMARK(BM_Small)->Iterations(100);

}  // namespace

PERFGATE_BENCHMARK_MAIN();
