// components/maze/include/maze/concurrent_cache.hpp — the constraint cache for
// many threads: LRU caches in shards, each behind its own mutex.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "maze/cache_key.hpp"
#include "maze/lru_cache.hpp"

namespace perfgate::maze {

/// A thread-safe constraint cache. Why shards and not one mutex around one
/// LruCache: every find() writes (it moves the entry to the front), so a
/// reader-writer lock would not help, and under one mutex all threads queue on
/// every lookup. A key picks its shard by its high hash word (the shard's map
/// uses the low word), so keys spread evenly and threads rarely meet.
/// The price: recency is per shard, so eviction is LRU within a shard only
/// (approximately LRU overall), and each shard holds capacity / shards
/// entries, rounded up. With shards = 1 it is an exact LRU behind one mutex.
class ConcurrentCache {
 public:
  /// Throws std::invalid_argument if capacity or shards is 0, or shards > capacity.
  explicit ConcurrentCache(std::size_t capacity, std::size_t shards = 16);

  /// As LruCache::find, under the shard's lock.
  [[nodiscard]] CachedConstraint find(const CacheKey& key);
  /// As LruCache::insert, under the shard's lock; returns whether an entry was evicted.
  bool insert(const CacheKey& key, CachedConstraint value);
  /// Entries held now (locks each shard in turn: a snapshot under concurrent use).
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t capacity() const noexcept { return m_capacity; }
  [[nodiscard]] std::size_t shards() const noexcept { return m_shards.size(); }

 private:
  // A cache line each, so two threads on neighbouring shards do not bounce
  // one line between cores.
  struct alignas(64) Shard {
    explicit Shard(std::size_t capacity) : cache(capacity) {}
    mutable std::mutex mutex;
    LruCache cache;
  };

  Shard& shard_of(const CacheKey& key) noexcept { return *m_shards[key.high % m_shards.size()]; }

  std::size_t m_capacity;
  std::vector<std::unique_ptr<Shard>> m_shards;
};

}  // namespace perfgate::maze
