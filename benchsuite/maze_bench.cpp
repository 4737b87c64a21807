// benchsuite/maze_bench.cpp — maze, the constraint cache: hit, miss and
// eviction by cache size (guide targets: hit < 1 µs, eviction constant in the
// cache's size), keying an IR (serialise + xxh3), concurrent access, and the
// orchestrator in front of it all, cached and uncached (guide target:
// uncached compilation < 50 ms).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "braid/compile.hpp"
#include "braid/generate.hpp"
#include "perfgate/harness.hpp"
#include "maze/cache_key.hpp"
#include "maze/compiled.hpp"
#include "maze/concurrent_cache.hpp"
#include "maze/lru_cache.hpp"
#include "maze/orchestrator.hpp"

namespace {

using perfgate::maze::CacheKey;
using perfgate::maze::CachedConstraint;
using perfgate::maze::compile_constraint;
using perfgate::maze::ConcurrentCache;
using perfgate::maze::hash_bytes;
using perfgate::maze::key_of;
using perfgate::maze::LruCache;
using perfgate::maze::Orchestrator;

constexpr std::uint64_t k_seed = 42;
void cache_sizes(benchmark::internal::Benchmark* b) {
  for (const int n : {10, 100, 1000, 10000}) {
    b->Arg(n);
  }
}

// Real keys: xxh3 (or the injected slow hash) of distinct strings.
std::vector<CacheKey> make_keys(std::size_t n, std::size_t offset = 0) {
  std::vector<CacheKey> keys;
  keys.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    keys.push_back(hash_bytes("constraint-set-" + std::to_string(offset + i)));
  }
  return keys;
}

// A key that no cache holds: cheap to make inside the loop, spread like a hash.
CacheKey fresh_key(std::uint64_t i) noexcept {
  std::uint64_t z = i + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return {z ^ (z >> 31), i};
}

// The compiled constraint of a typical 10-constraint set, shared by all entries.
CachedConstraint typical_value() {
  return std::make_shared<const perfgate::maze::CompiledConstraint>(
      compile_constraint(perfgate::braid::compile(perfgate::braid::generate_constraints(10, k_seed))));
}

LruCache full_cache(const std::vector<CacheKey>& keys, const CachedConstraint& value) {
  LruCache cache(keys.size());
  for (const CacheKey& k : keys) {
    cache.insert(k, value);
  }
  return cache;
}

// A lookup that finds its entry (and makes it the most recent). The guide's
// "cache hit latency" target: under 1 µs.
void BM_MazeHit(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto keys = make_keys(n);
  LruCache cache = full_cache(keys, typical_value());
  std::size_t i = 0;
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      CachedConstraint hit = cache.find(keys[i]);
      benchmark::DoNotOptimize(hit.get());
      i = i + 1 == n ? 0 : i + 1;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MazeHit)->Apply(cache_sizes);

// The guide's "cache miss" path: a failed lookup, compiling the IR, and
// inserting the result into the full cache (which evicts one entry).
void BM_MazeMiss(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  LruCache cache = full_cache(make_keys(n), typical_value());
  const auto ir = perfgate::braid::compile(perfgate::braid::generate_constraints(10, k_seed));
  std::uint64_t next = n;
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      const CacheKey k = fresh_key(next++);
      if (CachedConstraint hit = cache.find(k)) {
        benchmark::DoNotOptimize(hit.get());
      } else {
        cache.insert(k, std::make_shared<const perfgate::maze::CompiledConstraint>(compile_constraint(ir)));
      }
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MazeMiss)->Apply(cache_sizes);

// Inserting a new key into a full cache: one eviction per iteration. O(1) in
// the cache's size; built with GATE_INJECT=lru_scan the fit turns to N.
void BM_MazeEvict(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const CachedConstraint value = typical_value();
  LruCache cache = full_cache(make_keys(n), value);
  std::uint64_t next = n;
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      auto evicted = cache.insert(fresh_key(next++), value);
      benchmark::DoNotOptimize(evicted);
    }
  }
  state.SetComplexityN(state.range(0));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MazeEvict)->Apply(cache_sizes)->Complexity();

// Keying: the IR's canonical bytes hashed into a CacheKey, as every request
// pays before it can look anything up. GATE_INJECT=slow_hash makes this slower.
void BM_MazeKey(benchmark::State& state) {
  const auto ir = perfgate::braid::compile(
      perfgate::braid::generate_constraints(static_cast<std::size_t>(state.range(0)), k_seed));
  const auto bytes = static_cast<std::int64_t>(perfgate::braid::canonical(ir).size());
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      const CacheKey k = key_of(ir);
      benchmark::DoNotOptimize(k);
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["canonical_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_MazeKey)->Arg(10)->Arg(50)->Arg(500);

// The hash alone, over a buffer of range(0) bytes.
void BM_MazeHashBytes(benchmark::State& state) {
  std::string bytes(static_cast<std::size_t>(state.range(0)), '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<char>((i * 131 + 7) & 0xFF);
  }
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      const CacheKey k = hash_bytes(bytes);
      benchmark::DoNotOptimize(k);
    }
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_MazeHashBytes)->Arg(64)->Arg(4096);

// The orchestrator's front door for an IR it has compiled before: keying
// (canonical bytes + xxh3) and a cache hit, what a repeated request pays.
// By constraint count, as the guide's orchestration benchmark.
void BM_MazeOrchestrateHit(benchmark::State& state) {
  const auto ir = perfgate::braid::compile(
      perfgate::braid::generate_constraints(static_cast<std::size_t>(state.range(0)), k_seed));
  Orchestrator maze;
  (void)maze.compile(ir);
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      CachedConstraint c = maze.compile(ir);
      benchmark::DoNotOptimize(c.get());
    }
  }
  if (maze.stats().misses != 1) {
    state.SkipWithError("the orchestrator missed an IR it had compiled");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MazeOrchestrateHit)->Arg(10)->Arg(50)->Arg(500);

// Uncached compilation through the orchestrator, the guide's "constraint
// compilation < 50 ms (uncached)": keying, a failed lookup, compiling the IR
// into its grammar, and inserting it (evicting). Two IRs of range(0)
// constraints take turns in a one-entry cache, so every call misses.
void BM_MazeOrchestrateMiss(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const perfgate::braid::Ir irs[2] = {perfgate::braid::compile(perfgate::braid::generate_constraints(n, k_seed)),
                                      perfgate::braid::compile(perfgate::braid::generate_constraints(n, k_seed + 1))};
  Orchestrator maze(1, 1);
  std::size_t turn = 0;
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      CachedConstraint c = maze.compile(irs[turn]);
      benchmark::DoNotOptimize(c.get());
      turn ^= 1U;
    }
  }
  if (maze.stats().hits != 0) {
    state.SkipWithError("the orchestrator hit: the benchmark no longer measures uncached compilation");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MazeOrchestrateMiss)->Arg(10)->Arg(50)->Arg(500);

// Many threads on one sharded cache (16 shards, 4096 entries): 90% lookups of
// 1,000 hot keys (hits), 10% inserts of new keys (each evicts). Real time:
// items_per_second is the throughput of all threads together.
std::unique_ptr<ConcurrentCache> g_shared;
std::vector<CacheKey> g_hot;

void BM_MazeConcurrent(benchmark::State& state) {
  if (state.thread_index() == 0) {
    const CachedConstraint value = typical_value();
    g_shared = std::make_unique<ConcurrentCache>(4096, 16);
    g_hot = make_keys(1000);
    for (const CacheKey& k : g_hot) {
      g_shared->insert(k, value);
    }
  }
  const CachedConstraint value = typical_value();
  // Each thread its own sequence; new keys are disjoint between threads.
  std::uint64_t rng = 0x2545F4914F6CDD1DULL * static_cast<std::uint64_t>(state.thread_index() + 1);
  std::uint64_t next = (static_cast<std::uint64_t>(state.thread_index()) + 1) << 40;
  {
    perfgate::harness::MeasuredScope scope(state);
    // Google Benchmark starts the threads' loops together, after thread 0's
    // setup above: the shared cache exists by the first iteration.
    for (auto _ : state) {
      rng ^= rng << 13;
      rng ^= rng >> 7;
      rng ^= rng << 17;
      if (rng % 10 == 0) {
        g_shared->insert(fresh_key(next++), value);
      } else {
        CachedConstraint hit = g_shared->find(g_hot[rng % g_hot.size()]);
        benchmark::DoNotOptimize(hit.get());
      }
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    // Safe: every thread has left the loop (Google Benchmark waits for all).
    g_shared.reset();
  }
}
BENCHMARK(BM_MazeConcurrent)->Threads(1)->Threads(2)->Threads(4)->Threads(8)->UseRealTime();

}  // namespace

PERFGATE_BENCHMARK_MAIN()
