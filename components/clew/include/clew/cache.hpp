// components/clew/include/clew/cache.hpp — extraction results cached by a
// hash of the file's name and content (xxh3, 128 bits).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "clew/extract.hpp"

namespace perfgate::clew {

/// A content-addressed cache in front of extract(). A hit costs one hash of
/// the content and one map lookup, no allocation. When full, the oldest
/// insertion is evicted. Not thread-safe: one cache per thread.
class Cache {
 public:
  /// `capacity` entries at most; 0 is treated as 1.
  explicit Cache(std::size_t capacity = 256);

  /// The constraints of `source` as extract(source, file_name) gives them:
  /// from the cache when the same name and content were extracted before,
  /// else extracted now and kept. The result stays valid after eviction.
  [[nodiscard]] std::shared_ptr<const Constraints> extract(std::string_view source,
                                                           std::string_view file_name = "<source>");

  [[nodiscard]] std::uint64_t hits() const noexcept { return m_hits; }
  [[nodiscard]] std::uint64_t misses() const noexcept { return m_misses; }
  [[nodiscard]] std::size_t size() const noexcept { return m_entries.size(); }
  void clear();

 private:
  struct Key {
    std::uint64_t low = 0;
    std::uint64_t high = 0;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept { return static_cast<std::size_t>(k.low); }
  };
  static Key key_of(std::string_view source, std::string_view file_name) noexcept;

  std::size_t m_capacity;
  std::unordered_map<Key, std::shared_ptr<const Constraints>, KeyHash> m_entries;
  std::deque<Key> m_insertion_order;
  std::uint64_t m_hits = 0;
  std::uint64_t m_misses = 0;
};

}  // namespace perfgate::clew
