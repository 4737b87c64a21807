// components/maze/include/maze/lru_cache.hpp — the constraint cache: least
// recently used eviction in O(1), from a hash map and an intrusive list.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "maze/cache_key.hpp"
#include "maze/compiled.hpp"

namespace perfgate::maze {

/// A cached value: shared, so a reader keeps it alive even if it is evicted
/// while in use.
using CachedConstraint = std::shared_ptr<const CompiledConstraint>;

/// A fixed-capacity map from CacheKey to CachedConstraint that evicts the
/// least recently used entry when full. find() and insert() cost O(1): the
/// map points into a slab of slots that are linked, most recent first, by
/// index (an intrusive doubly-linked list), so eviction unlinks the tail.
/// Built with GATE_INJECT=lru_scan, eviction instead scans every slot for the
/// oldest use stamp (the guide's starting point, O(n)); it picks the same
/// victim. Not thread-safe: see ConcurrentCache.
class LruCache {
 public:
  /// Throws std::invalid_argument unless 1 <= capacity < 2^32 - 1. Slots are
  /// allocated as entries arrive, not up front.
  explicit LruCache(std::size_t capacity);

  /// The value under `key`, now the most recently used; nullptr on a miss.
  [[nodiscard]] CachedConstraint find(const CacheKey& key);
  /// Whether `key` is cached; does not change recency.
  [[nodiscard]] bool contains(const CacheKey& key) const;
  /// Stores `value` under `key` as the most recently used entry, replacing a
  /// value already there. When the cache is full and `key` is new, evicts the
  /// least recently used entry first and returns its key.
  std::optional<CacheKey> insert(const CacheKey& key, CachedConstraint value);
  /// Removes `key`; returns whether it was there.
  bool erase(const CacheKey& key);
  void clear();

  [[nodiscard]] std::size_t size() const noexcept { return m_index.size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return m_capacity; }
  /// Entries evicted since construction.
  [[nodiscard]] std::uint64_t evictions() const noexcept { return m_evictions; }
  /// The keys from most to least recently used. O(n); for tests and tools.
  [[nodiscard]] std::vector<CacheKey> keys_by_recency() const;

 private:
  static constexpr std::uint32_t npos = UINT32_MAX;

  struct Slot {
    CacheKey key;
    CachedConstraint value;
    std::uint32_t prev = npos;  // towards the most recent
    std::uint32_t next = npos;  // towards the least recent
    std::uint64_t last_used = 0;  // stamp for the lru_scan injection; 0 = free slot
  };

  void unlink(std::uint32_t slot) noexcept;
  void push_front(std::uint32_t slot) noexcept;
  void touch(std::uint32_t slot) noexcept;
  [[nodiscard]] std::uint32_t victim() const noexcept;

  std::size_t m_capacity;
  std::vector<Slot> m_slots;
  std::vector<std::uint32_t> m_free;
  std::unordered_map<CacheKey, std::uint32_t, CacheKeyHash> m_index;
  std::uint32_t m_head = npos;  // most recently used
  std::uint32_t m_tail = npos;  // least recently used
  std::uint64_t m_clock = 0;
  std::uint64_t m_evictions = 0;
};

}  // namespace perfgate::maze
