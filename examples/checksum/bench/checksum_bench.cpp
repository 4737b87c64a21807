// bench/checksum_bench.cpp — the checksum suite: plain Google Benchmark, no
// main of its own (CMakeLists.txt links perfgate::benchmark_main).
#include <benchmark/benchmark.h>

#include <string>

#include "checksum/checksum.hpp"

namespace {

// Deterministic input: the same bytes on every run and every machine.
std::string make_input(std::size_t size) {
  std::string data(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    data[i] = static_cast<char>('a' + i % 26);
  }
  return data;
}

void BM_Fnv1a(benchmark::State& state) {
  const std::string data = make_input(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(checksum::fnv1a(data));
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Fnv1a)->Arg(64)->Arg(4096);

void BM_Adler32(benchmark::State& state) {
  const std::string data = make_input(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(checksum::adler32(data));
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Adler32)->Arg(4096);

}  // namespace
