// components/clew/src/cache.cpp — the content-hash cache in front of extract.
#include "clew/cache.hpp"

#include <xxhash.h>

#include <utility>

namespace perfgate::clew {

Cache::Cache(std::size_t capacity) : m_capacity(capacity == 0 ? 1 : capacity) {}

Cache::Key Cache::key_of(std::string_view source, std::string_view file_name) noexcept {
  // The name is part of the key because it is part of the result (origins).
  // 128 bits: a collision would return another file's constraints silently.
  const XXH64_hash_t seed = XXH3_64bits(file_name.data(), file_name.size());
  const XXH128_hash_t h = XXH3_128bits_withSeed(source.data(), source.size(), seed);
  return Key{h.low64, h.high64};
}

std::shared_ptr<const Constraints> Cache::extract(std::string_view source, std::string_view file_name) {
  const Key key = key_of(source, file_name);
  if (const auto it = m_entries.find(key); it != m_entries.end()) {
    ++m_hits;
    return it->second;
  }
  ++m_misses;
  auto result = std::make_shared<const Constraints>(clew::extract(source, file_name));
  if (m_entries.size() >= m_capacity) {
    m_entries.erase(m_insertion_order.front());
    m_insertion_order.pop_front();
  }
  m_entries.emplace(key, result);
  m_insertion_order.push_back(key);
  return result;
}

void Cache::clear() {
  m_entries.clear();
  m_insertion_order.clear();
}

}  // namespace perfgate::clew
