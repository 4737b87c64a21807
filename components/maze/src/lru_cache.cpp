// components/maze/src/lru_cache.cpp — the LRU cache.
#include "maze/lru_cache.hpp"

#include <stdexcept>
#include <utility>

namespace perfgate::maze {

LruCache::LruCache(std::size_t capacity) : m_capacity(capacity) {
  if (capacity == 0 || capacity >= npos) {
    throw std::invalid_argument("creating constraint cache: capacity " + std::to_string(capacity) +
                                " is not between 1 and 2^32 - 2");
  }
  // The map never rehashes once full, so a lookup's cost does not jump.
  m_index.reserve(capacity + 1);  // + 1: insert adds the new key before it drops the victim
  // Nor does the slot array reallocate: how many allocations an insertion
  // makes must not depend on which keys came before (the allocation counts
  // of the benchmarks are judged exactly).
  m_slots.reserve(capacity);
}

void LruCache::unlink(std::uint32_t s) noexcept {
  Slot& slot = m_slots[s];
  if (slot.prev != npos) {
    m_slots[slot.prev].next = slot.next;
  } else {
    m_head = slot.next;
  }
  if (slot.next != npos) {
    m_slots[slot.next].prev = slot.prev;
  } else {
    m_tail = slot.prev;
  }
  slot.prev = npos;
  slot.next = npos;
}

void LruCache::push_front(std::uint32_t s) noexcept {
  Slot& slot = m_slots[s];
  slot.prev = npos;
  slot.next = m_head;
  if (m_head != npos) {
    m_slots[m_head].prev = s;
  }
  m_head = s;
  if (m_tail == npos) {
    m_tail = s;
  }
}

void LruCache::touch(std::uint32_t s) noexcept {
  m_slots[s].last_used = ++m_clock;
  if (m_head != s) {
    unlink(s);
    push_front(s);
  }
}

#if defined(GATE_INJECT_LRU_SCAN)

// The regression the gate must catch: find the oldest entry by looking at
// every slot. Stamps are unique and increase with every use, so this is the
// list's tail, found in O(n) instead of O(1).
std::uint32_t LruCache::victim() const noexcept {
  std::uint32_t oldest = npos;
  std::uint64_t oldest_stamp = UINT64_MAX;
  for (std::uint32_t s = 0; s < m_slots.size(); ++s) {
    const std::uint64_t stamp = m_slots[s].last_used;
    if (stamp != 0 && stamp < oldest_stamp) {
      oldest_stamp = stamp;
      oldest = s;
    }
  }
  return oldest;
}

#else

std::uint32_t LruCache::victim() const noexcept { return m_tail; }

#endif

CachedConstraint LruCache::find(const CacheKey& key) {
#if defined(GATE_INJECT_EXTRA_ALLOC)
  // The regression the gate must catch: one needless heap allocation per
  // lookup (a copy of the key). The volatile store keeps the compiler from
  // eliding the new/delete pair.
  const auto probe = std::make_unique<CacheKey>(key);
  CacheKey* volatile sink = probe.get();
  (void)sink;
#endif
  const auto it = m_index.find(key);
  if (it == m_index.end()) {
    return nullptr;
  }
  touch(it->second);
  return m_slots[it->second].value;
}

bool LruCache::contains(const CacheKey& key) const { return m_index.contains(key); }

std::optional<CacheKey> LruCache::insert(const CacheKey& key, CachedConstraint value) {
  if (const auto it = m_index.find(key); it != m_index.end()) {
    m_slots[it->second].value = std::move(value);
    touch(it->second);
    return std::nullopt;
  }
  // The map's emplace is the one step that can throw (it allocates a node), so
  // it goes first: if it fails, the cache is as it was.
  std::optional<CacheKey> evicted;
  std::uint32_t s = npos;
  if (m_index.size() == m_capacity) {
    // Reuse the victim's slot in place: no free-list round trip.
    s = victim();
    m_index.emplace(key, s);
    evicted = m_slots[s].key;
    m_index.erase(m_slots[s].key);
    unlink(s);
    ++m_evictions;
  } else if (!m_free.empty()) {
    s = m_free.back();
    m_index.emplace(key, s);
    m_free.pop_back();
  } else {
    m_slots.emplace_back();
    s = static_cast<std::uint32_t>(m_slots.size() - 1);
    try {
      m_index.emplace(key, s);
    } catch (...) {
      m_slots.pop_back();
      throw;
    }
  }
  Slot& slot = m_slots[s];
  slot.key = key;
  slot.value = std::move(value);
  slot.last_used = ++m_clock;
  push_front(s);
  return evicted;
}

bool LruCache::erase(const CacheKey& key) {
  const auto it = m_index.find(key);
  if (it == m_index.end()) {
    return false;
  }
  const std::uint32_t s = it->second;
  m_index.erase(it);
  unlink(s);
  m_slots[s].value.reset();
  m_slots[s].last_used = 0;
  m_free.push_back(s);
  return true;
}

void LruCache::clear() {
  m_index.clear();
  m_slots.clear();
  m_free.clear();
  m_head = npos;
  m_tail = npos;
}

std::vector<CacheKey> LruCache::keys_by_recency() const {
  std::vector<CacheKey> keys;
  keys.reserve(size());
  for (std::uint32_t s = m_head; s != npos; s = m_slots[s].next) {
    keys.push_back(m_slots[s].key);
  }
  return keys;
}

}  // namespace perfgate::maze
