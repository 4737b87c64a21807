// components/sigma/include/sigma/primitives.hpp — the semantic primitives a
// tree's glyphs stand for, the registry that defines them, and the cache that
// resolves a primitive by name in O(1) instead of searching the registry
// (seed 004's FastPrimitiveCache, with the hit rate it tracks).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace perfgate::sigma {

/// The registry's tiers: a handful of existential primitives every tree uses,
/// domain primitives, primitives learned from a corpus, and structural ones
/// (the root of a sentence).
enum class PrimitiveTier : std::uint8_t { existential, domain, learned, structural };

struct Primitive {
  std::uint32_t glyph = 0;  ///< the code a tree node carries (Node::glyph)
  std::string name;         ///< what a parser produces: "entity", "code.3", "sentence"
  PrimitiveTier tier = PrimitiveTier::existential;
};

/// The primitives known, in definition order. Lookups search the list, O(n)
/// in the number of primitives: the registry search the cache exists to avoid.
class PrimitiveRegistry {
 public:
  /// Throws std::invalid_argument for an empty name, or a name or glyph used twice.
  explicit PrimitiveRegistry(std::vector<Primitive> primitives);

  /// The standard set: 256 primitives — glyphs 0-15 existential, 16-127
  /// domain, 128-255 learned — and "sentence" (glyph 1000, the root of every
  /// sample_tree). Built once; lives for the whole program.
  [[nodiscard]] static const PrimitiveRegistry& standard();

  /// The primitive named `name`, or nullptr. Linear search.
  [[nodiscard]] const Primitive* find(std::string_view name) const noexcept;
  /// The primitive with `glyph`, or nullptr. Linear search.
  [[nodiscard]] const Primitive* find(std::uint32_t glyph) const noexcept;

  [[nodiscard]] std::size_t size() const noexcept { return m_primitives.size(); }
  [[nodiscard]] const Primitive& operator[](std::size_t i) const noexcept { return m_primitives[i]; }

 private:
  std::vector<Primitive> m_primitives;
};

/// Resolves primitive names through a bounded cache in front of a registry:
/// a hit is one hash lookup; a miss searches the registry and keeps the
/// answer, evicting the least recently used entry when full (O(1)). Counts
/// hits and misses. Names the registry does not know are misses and are not
/// cached. The registry must outlive the cache. Not thread-safe: one per encoder.
class PrimitiveCache {
 public:
  /// Throws std::invalid_argument unless 1 <= capacity < 2^32 - 1. Storage for
  /// `capacity` entries is reserved up front.
  explicit PrimitiveCache(const PrimitiveRegistry& registry, std::size_t capacity = 512);

  /// The primitive named `name`, or nullptr when the registry has none.
  [[nodiscard]] const Primitive* resolve(std::string_view name);

  [[nodiscard]] std::uint64_t hits() const noexcept { return m_hits; }
  [[nodiscard]] std::uint64_t misses() const noexcept { return m_misses; }
  /// hits / (hits + misses); 0 before the first lookup.
  [[nodiscard]] double hit_rate() const noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return m_index.size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return m_slots.size(); }

  /// Forgets every entry and both counts (a new encoding session).
  void clear() noexcept;

 private:
  static constexpr std::uint32_t npos = UINT32_MAX;

  struct Slot {
    const Primitive* primitive = nullptr;
    std::uint32_t prev = npos;  // towards the most recent
    std::uint32_t next = npos;  // towards the least recent
  };

  void unlink(std::uint32_t s) noexcept;
  void push_front(std::uint32_t s) noexcept;

  const PrimitiveRegistry* m_registry;
  std::vector<Slot> m_slots;
  std::uint32_t m_used = 0;  // slots handed out so far
  // Keys view the registry's names, which outlive the cache.
  std::unordered_map<std::string_view, std::uint32_t> m_index;
  std::uint32_t m_head = npos;
  std::uint32_t m_tail = npos;
  std::uint64_t m_hits = 0;
  std::uint64_t m_misses = 0;
};

}  // namespace perfgate::sigma
