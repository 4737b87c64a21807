// benchsuite/clew_bench.cpp — clew: constraint extraction by file size (guide
// target: < 10 ms per file) and the content-hash cache's hit and miss paths
// (guide: a hit orders of magnitude faster than extraction).
#include <string>
#include <vector>

#include "clew/cache.hpp"
#include "clew/extract.hpp"
#include "clew/generate.hpp"
#include "perfgate/harness.hpp"

namespace {

using perfgate::clew::Cache;
using perfgate::clew::extract;
using perfgate::clew::generate_source;

constexpr std::uint64_t k_seed = 7;

// The guide's three file sizes: ~50 B, ~5 KB, ~500 KB.
void BM_ClewExtract(benchmark::State& state, std::size_t bytes) {
  const std::string source = generate_source(bytes, k_seed);
  std::size_t constraints = 0;
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      auto cs = extract(source, "module.py");
      constraints = cs.size();
      benchmark::DoNotOptimize(cs.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(source.size()));
  state.SetItemsProcessed(state.iterations());  // files
  state.counters["constraints"] = static_cast<double>(constraints);
}
BENCHMARK_CAPTURE(BM_ClewExtract, small, 50);
BENCHMARK_CAPTURE(BM_ClewExtract, medium, 5'000);
BENCHMARK_CAPTURE(BM_ClewExtract, large, 500'000);

// A hit: hash the name and content, find the entry, share the result.
void BM_ClewCacheHit(benchmark::State& state, std::size_t bytes) {
  const std::string source = generate_source(bytes, k_seed);
  Cache cache(16);
  (void)cache.extract(source, "module.py");
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      auto cs = cache.extract(source, "module.py");
      benchmark::DoNotOptimize(cs.get());
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(source.size()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_ClewCacheHit, small, 50);
BENCHMARK_CAPTURE(BM_ClewCacheHit, medium, 5'000);
BENCHMARK_CAPTURE(BM_ClewCacheHit, large, 500'000);

// A miss: 32 different files cycled through a cache of 8, so every lookup
// hashes, extracts, evicts the oldest entry and inserts. Names differ too:
// small generated files may repeat their content.
void BM_ClewCacheMiss(benchmark::State& state, std::size_t bytes) {
  std::vector<std::string> sources;
  std::vector<std::string> names;
  for (std::uint64_t seed = 0; seed < 32; ++seed) {
    sources.push_back(generate_source(bytes, k_seed + seed));
    names.push_back("module" + std::to_string(seed) + ".py");
  }
  Cache cache(8);
  std::size_t next = 0;
  std::int64_t processed = 0;
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      const std::string& source = sources[next];
      auto cs = cache.extract(source, names[next]);
      next = (next + 1) % sources.size();
      processed += static_cast<std::int64_t>(source.size());
      benchmark::DoNotOptimize(cs.get());
    }
  }
  if (cache.hits() != 0) {
    state.SkipWithError("the miss benchmark hit the cache");
  }
  state.SetBytesProcessed(processed);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_ClewCacheMiss, small, 50);
BENCHMARK_CAPTURE(BM_ClewCacheMiss, medium, 5'000);

}  // namespace

PERFGATE_BENCHMARK_MAIN()
