// components/sigma/src/primitives.cpp — the primitive registry and the LRU
// cache of name lookups in front of it.
#include "sigma/primitives.hpp"

#include <array>
#include <stdexcept>
#include <unordered_set>
#include <utility>

namespace perfgate::sigma {
namespace {

constexpr std::array<std::string_view, 16> k_existential = {
    "entity", "action",   "property", "relation", "quantity", "time",     "place",    "cause",
    "agent",  "object",   "state",    "event",    "negation", "question", "modality", "reference"};

constexpr std::array<std::string_view, 7> k_domains = {"code", "math", "logic", "data", "space", "social", "art"};

std::vector<Primitive> standard_primitives() {
  std::vector<Primitive> out;
  out.reserve(257);
  std::uint32_t glyph = 0;
  for (const std::string_view name : k_existential) {
    out.push_back({glyph++, std::string(name), PrimitiveTier::existential});
  }
  // 7 domains × 16 = 112 domain primitives: glyphs 16-127.
  for (const std::string_view domain : k_domains) {
    for (int i = 0; i < 16; ++i) {
      out.push_back({glyph++, std::string(domain) + "." + std::to_string(i), PrimitiveTier::domain});
    }
  }
  while (glyph < 256) {
    out.push_back({glyph, "learned." + std::to_string(glyph - 128), PrimitiveTier::learned});
    ++glyph;
  }
  out.push_back({1000, "sentence", PrimitiveTier::structural});
  return out;
}

}  // namespace

PrimitiveRegistry::PrimitiveRegistry(std::vector<Primitive> primitives) : m_primitives(std::move(primitives)) {
  std::unordered_set<std::string_view> names;
  std::unordered_set<std::uint32_t> glyphs;
  for (const Primitive& p : m_primitives) {
    if (p.name.empty()) {
      throw std::invalid_argument("building primitive registry: glyph " + std::to_string(p.glyph) +
                                  " has an empty name");
    }
    if (!names.insert(p.name).second) {
      throw std::invalid_argument("building primitive registry: name '" + p.name + "' is used twice");
    }
    if (!glyphs.insert(p.glyph).second) {
      throw std::invalid_argument("building primitive registry: glyph " + std::to_string(p.glyph) +
                                  " is used twice");
    }
  }
}

const PrimitiveRegistry& PrimitiveRegistry::standard() {
  static const PrimitiveRegistry registry(standard_primitives());
  return registry;
}

const Primitive* PrimitiveRegistry::find(std::string_view name) const noexcept {
  for (const Primitive& p : m_primitives) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

const Primitive* PrimitiveRegistry::find(std::uint32_t glyph) const noexcept {
  for (const Primitive& p : m_primitives) {
    if (p.glyph == glyph) {
      return &p;
    }
  }
  return nullptr;
}

PrimitiveCache::PrimitiveCache(const PrimitiveRegistry& registry, std::size_t capacity) : m_registry(&registry) {
  if (capacity == 0 || capacity >= npos) {
    throw std::invalid_argument("creating primitive cache: capacity " + std::to_string(capacity) +
                                " is not between 1 and 2^32 - 2");
  }
  m_slots.resize(capacity);
  m_index.reserve(capacity + 1);  // + 1: an eviction adds the new key before it drops the old
}

void PrimitiveCache::unlink(std::uint32_t s) noexcept {
  Slot& slot = m_slots[s];
  (slot.prev != npos ? m_slots[slot.prev].next : m_head) = slot.next;
  (slot.next != npos ? m_slots[slot.next].prev : m_tail) = slot.prev;
  slot.prev = npos;
  slot.next = npos;
}

void PrimitiveCache::push_front(std::uint32_t s) noexcept {
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

const Primitive* PrimitiveCache::resolve(std::string_view name) {
  if (const auto it = m_index.find(name); it != m_index.end()) {
    ++m_hits;
    const std::uint32_t s = it->second;
    if (s != m_head) {
      unlink(s);
      push_front(s);
    }
    return m_slots[s].primitive;
  }
  ++m_misses;
  const Primitive* found = m_registry->find(name);
  if (found == nullptr) {
    return nullptr;
  }
  std::uint32_t s = 0;
  if (m_used < m_slots.size()) {
    s = m_used;
    m_index.emplace(found->name, s);
    ++m_used;
  } else {
    // Full: the least recently used entry gives up its slot. The map's
    // emplace may throw, so it goes first and the victim is dropped after.
    s = m_tail;
    m_index.emplace(found->name, s);
    m_index.erase(m_slots[s].primitive->name);
    unlink(s);
  }
  m_slots[s].primitive = found;
  push_front(s);
  return found;
}

double PrimitiveCache::hit_rate() const noexcept {
  const std::uint64_t lookups = m_hits + m_misses;
  return lookups == 0 ? 0.0 : static_cast<double>(m_hits) / static_cast<double>(lookups);
}

void PrimitiveCache::clear() noexcept {
  m_index.clear();
  for (Slot& slot : m_slots) {
    slot = Slot{};
  }
  m_used = 0;
  m_head = npos;
  m_tail = npos;
  m_hits = 0;
  m_misses = 0;
}

}  // namespace perfgate::sigma
