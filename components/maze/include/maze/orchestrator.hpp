// components/maze/include/maze/orchestrator.hpp — maze's front door: compiled
// constraints for an IR, from the cache when it has them.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "braid/ir.hpp"
#include "maze/concurrent_cache.hpp"

namespace perfgate::maze {

struct CacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
};

/// Compiles IRs to constraints with a cache in front. Thread-safe.
class Orchestrator {
 public:
  /// A cache of `capacity` entries in `shards` shards (see ConcurrentCache).
  explicit Orchestrator(std::size_t capacity = 1024, std::size_t shards = 16);

  /// The compiled constraint for `ir`: cached under key_of(ir), or compiled
  /// and cached on a miss. Two threads that miss the same IR at once may both
  /// compile it; the results are equal and the later insert wins. Throws what
  /// key_of and compile_constraint throw; the cache is then unchanged.
  [[nodiscard]] CachedConstraint compile(const braid::Ir& ir);

  [[nodiscard]] CacheStats stats() const noexcept;
  [[nodiscard]] const ConcurrentCache& cache() const noexcept { return m_cache; }

 private:
  ConcurrentCache m_cache;
  std::atomic<std::uint64_t> m_hits{0};
  std::atomic<std::uint64_t> m_misses{0};
};

}  // namespace perfgate::maze
