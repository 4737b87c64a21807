// benchsuite/sigma_bench.cpp — the semantic tree codec (guide targets: encode
// < 100 µs, decode < 300 µs, roundtrip < 150 µs, over 10,000 items/s, under
// 50 MB): encode, decode and roundtrip of sentence-like trees, deep trees,
// delta compression of a new version, the iterative walks, and resolving
// primitives through the cache (its hit rate as a counter) or the registry.
#include <cstdint>
#include <string_view>
#include <vector>

#include "perfgate/harness.hpp"
#include "sigma/buffer_pool.hpp"
#include "sigma/codec.hpp"
#include "sigma/delta.hpp"
#include "sigma/primitives.hpp"
#include "sigma/sample.hpp"
#include "sigma/tree.hpp"
#include "sigma/walker.hpp"

namespace {

namespace sigma = perfgate::sigma;

constexpr std::uint64_t k_seed = 2024;
// 64 nodes: a sentence-sized tree, the guide's unit ("item"); 1,024: a
// paragraph; 16,384: a document.
void tree_sizes(benchmark::internal::Benchmark* b) {
  for (const int n : {64, 1024, 16384}) {
    b->Arg(n);
  }
}

// Encodes one tree per iteration into a pooled buffer (no allocation once warm).
void BM_SigmaEncode(benchmark::State& state) {
  const sigma::Tree tree = sigma::sample_tree(k_seed, static_cast<std::size_t>(state.range(0)));
  sigma::BufferPool pool;
  std::size_t bytes = 0;
  {
    sigma::PooledBuffer warm = pool.acquire();
    sigma::encode(tree, warm.bytes());
  }
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      sigma::PooledBuffer out = pool.acquire();
      sigma::encode(tree, out.bytes());
      bytes = out.bytes().size();
      benchmark::DoNotOptimize(out.bytes().data());
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.counters["nodes"] = static_cast<double>(tree.size());
}
BENCHMARK(BM_SigmaEncode)->Apply(tree_sizes);

// Decodes one tree per iteration into a reused tree.
void BM_SigmaDecode(benchmark::State& state) {
  const std::vector<std::uint8_t> bytes =
      sigma::encode(sigma::sample_tree(k_seed, static_cast<std::size_t>(state.range(0))));
  sigma::Tree out;
  sigma::decode(bytes, out);
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      sigma::decode(bytes, out);
      benchmark::DoNotOptimize(out.size());
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
}
BENCHMARK(BM_SigmaDecode)->Apply(tree_sizes);

// Encode then decode, as a sender and a receiver would.
void BM_SigmaRoundtrip(benchmark::State& state) {
  const sigma::Tree tree = sigma::sample_tree(k_seed, static_cast<std::size_t>(state.range(0)));
  sigma::BufferPool pool;
  sigma::Tree out;
  std::size_t bytes = 0;
  {
    sigma::PooledBuffer warm = pool.acquire();
    sigma::encode(tree, warm.bytes());
    sigma::decode(warm.bytes(), out);
  }
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      sigma::PooledBuffer buf = pool.acquire();
      sigma::encode(tree, buf.bytes());
      sigma::decode(buf.bytes(), out);
      bytes = buf.bytes().size();
      benchmark::DoNotOptimize(out.size());
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_SigmaRoundtrip)->Apply(tree_sizes);

// A chain range(0) levels deep: no recursion anywhere, so depth costs what
// size costs.
void BM_SigmaRoundtripDeep(benchmark::State& state) {
  const sigma::Tree tree = sigma::chain_tree(static_cast<std::size_t>(state.range(0)));
  std::vector<std::uint8_t> buf;
  sigma::Tree out;
  sigma::encode(tree, buf);
  sigma::decode(buf, out);
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      sigma::encode(tree, buf);
      sigma::decode(buf, out);
      benchmark::DoNotOptimize(out.size());
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(buf.size()));
}
BENCHMARK(BM_SigmaRoundtripDeep)->Arg(1000)->Arg(100000);

// Delta compression: each iteration encodes the next version against the
// previous one, alternating between two versions that differ by 3 edits.
void BM_SigmaDeltaEncode(benchmark::State& state) {
  const sigma::Tree v1 = sigma::sample_tree(k_seed, static_cast<std::size_t>(state.range(0)));
  const sigma::Tree v2 = sigma::edited_tree(v1, k_seed + 1, 3);
  sigma::DeltaEncoder encoder;
  std::vector<std::uint8_t> out;
  encoder.encode(v1, out);
  encoder.encode(v2, out);
  encoder.encode(v1, out);
  bool second = true;
  std::size_t bytes = 0;
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      encoder.encode(second ? v2 : v1, out);
      bytes += out.size();
      second = !second;
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["delta_bytes"] = benchmark::Counter(static_cast<double>(bytes), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_SigmaDeltaEncode)->Arg(64)->Arg(1024);

// Applying those deltas on the receiving side.
void BM_SigmaDeltaApply(benchmark::State& state) {
  const sigma::Tree v1 = sigma::sample_tree(k_seed, static_cast<std::size_t>(state.range(0)));
  const sigma::Tree v2 = sigma::edited_tree(v1, k_seed + 1, 3);
  sigma::DeltaEncoder encoder;
  const auto full = encoder.encode(v1);
  const auto to_v2 = encoder.encode(v2);
  const auto to_v1 = encoder.encode(v1);
  sigma::DeltaDecoder decoder;
  decoder.apply(full);
  decoder.apply(to_v2);
  decoder.apply(to_v1);
  bool second = true;
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      const sigma::Tree& t = decoder.apply(second ? to_v2 : to_v1);
      second = !second;
      benchmark::DoNotOptimize(t.size());
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SigmaDeltaApply)->Arg(64)->Arg(1024);

// The iterative walks over a 16,384-node tree, nodes per second.
void BM_SigmaWalk(benchmark::State& state, bool depth_first) {
  const sigma::Tree tree = sigma::sample_tree(k_seed, 16384);
  sigma::TreeWalker walker;
  std::uint64_t sum = 0;
  walker.dfs(tree, [&](sigma::NodeId, std::uint32_t d) { sum += d; });
  walker.bfs(tree, [&](sigma::NodeId, std::uint32_t d) { sum += d; });
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      const auto visit = [&](sigma::NodeId id, std::uint32_t d) { sum += tree.node(id).glyph + d; };
      if (depth_first) {
        walker.dfs(tree, visit);
      } else {
        walker.bfs(tree, visit);
      }
      benchmark::DoNotOptimize(sum);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(tree.size()));
}
BENCHMARK_CAPTURE(BM_SigmaWalk, dfs, true);
BENCHMARK_CAPTURE(BM_SigmaWalk, bfs, false);

// A document as a parser hands it to the encoder: the primitive name of every
// node of 256 sentence-sized trees (64 nodes each, 16,384 names, 65 distinct
// primitives), in preorder.
std::vector<std::string_view> document_primitives() {
  const sigma::PrimitiveRegistry& registry = sigma::PrimitiveRegistry::standard();
  std::vector<std::string_view> names;
  sigma::TreeWalker walker;
  for (std::uint64_t seed = 0; seed < 256; ++seed) {
    const sigma::Tree tree = sigma::sample_tree(k_seed + seed, 64);
    walker.dfs(tree, [&](sigma::NodeId id, std::uint32_t) { names.push_back(registry.find(tree.node(id).glyph)->name); });
  }
  return names;
}

// The guide's FastPrimitiveCache: each iteration is one encoding session that
// resolves every primitive of the document through a cache of range(0)
// entries, starting empty. hit_ratio = hits / lookups of the session: the
// same in every iteration, so exact (deterministic). 512 is the guide's
// default size; 32 holds fewer primitives than the document uses, so LRU
// eviction decides what hits.
void BM_SigmaPrimitiveCache(benchmark::State& state) {
  const std::vector<std::string_view> names = document_primitives();
  sigma::PrimitiveCache cache(sigma::PrimitiveRegistry::standard(), static_cast<std::size_t>(state.range(0)));
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      cache.clear();
      for (const std::string_view name : names) {
        const sigma::Primitive* p = cache.resolve(name);
        benchmark::DoNotOptimize(p);
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(names.size()));
  state.counters["hit_ratio"] = cache.hit_rate();
}
BENCHMARK(BM_SigmaPrimitiveCache)->Arg(512)->Arg(32);

// The same document resolved by searching the registry for every name: the
// O(n) path the cache replaces.
void BM_SigmaPrimitiveRegistry(benchmark::State& state) {
  const std::vector<std::string_view> names = document_primitives();
  const sigma::PrimitiveRegistry& registry = sigma::PrimitiveRegistry::standard();
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      for (const std::string_view name : names) {
        const sigma::Primitive* p = registry.find(name);
        benchmark::DoNotOptimize(p);
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(names.size()));
}
BENCHMARK(BM_SigmaPrimitiveRegistry);

}  // namespace

PERFGATE_BENCHMARK_MAIN()
