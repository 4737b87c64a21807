// components/maze/src/orchestrator.cpp — cached compilation.
#include "maze/orchestrator.hpp"

#include <memory>

namespace perfgate::maze {

Orchestrator::Orchestrator(std::size_t capacity, std::size_t shards) : m_cache(capacity, shards) {}

CachedConstraint Orchestrator::compile(const braid::Ir& ir) {
  const CacheKey key = key_of(ir);
  if (CachedConstraint hit = m_cache.find(key)) {
    m_hits.fetch_add(1, std::memory_order_relaxed);
    return hit;
  }
  m_misses.fetch_add(1, std::memory_order_relaxed);
  // Compiled outside any lock: it is the slow part, and other threads keep
  // using the shard meanwhile.
  auto compiled = std::make_shared<const CompiledConstraint>(compile_constraint(ir));
  m_cache.insert(key, compiled);
  return compiled;
}

CacheStats Orchestrator::stats() const noexcept {
  return {m_hits.load(std::memory_order_relaxed), m_misses.load(std::memory_order_relaxed)};
}

}  // namespace perfgate::maze
