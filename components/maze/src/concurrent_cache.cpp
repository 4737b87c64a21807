// components/maze/src/concurrent_cache.cpp — the sharded cache.
#include "maze/concurrent_cache.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace perfgate::maze {

ConcurrentCache::ConcurrentCache(std::size_t capacity, std::size_t shards) : m_capacity(capacity) {
  if (capacity == 0 || shards == 0 || shards > capacity) {
    throw std::invalid_argument("creating concurrent constraint cache: capacity " + std::to_string(capacity) +
                                " and shards " + std::to_string(shards) + " need 1 <= shards <= capacity");
  }
  const std::size_t per_shard = (capacity + shards - 1) / shards;
  m_shards.reserve(shards);
  for (std::size_t i = 0; i < shards; ++i) {
    m_shards.push_back(std::make_unique<Shard>(per_shard));
  }
}

CachedConstraint ConcurrentCache::find(const CacheKey& key) {
  Shard& s = shard_of(key);
  const std::lock_guard lock(s.mutex);
  return s.cache.find(key);
}

bool ConcurrentCache::insert(const CacheKey& key, CachedConstraint value) {
  Shard& s = shard_of(key);
  const std::lock_guard lock(s.mutex);
  return s.cache.insert(key, std::move(value)).has_value();
}

std::size_t ConcurrentCache::size() const {
  std::size_t n = 0;
  for (const auto& s : m_shards) {
    const std::lock_guard lock(s->mutex);
    n += s->cache.size();
  }
  return n;
}

}  // namespace perfgate::maze
