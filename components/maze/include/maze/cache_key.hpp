// components/maze/include/maze/cache_key.hpp — the constraint cache's key: a
// 128-bit xxh3 hash of an IR's canonical bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "braid/ir.hpp"

namespace perfgate::maze {

/// 128 bits rather than the guide's 64: a cache returns the value stored under
/// a key without comparing the IRs, so a collision would hand out the wrong
/// compiled constraint. At 128 bits the chance is negligible (about n²/2^129
/// for n keys) and a lookup still compares two words.
struct CacheKey {
  std::uint64_t low = 0;
  std::uint64_t high = 0;

  friend bool operator==(const CacheKey&, const CacheKey&) = default;
};

/// For hash maps: the key is a hash already, its low word is enough.
struct CacheKeyHash {
  std::size_t operator()(const CacheKey& k) const noexcept { return static_cast<std::size_t>(k.low); }
};

/// Hashes `bytes` with XXH3-128. Built with GATE_INJECT=slow_hash it uses a
/// deliberately slow byte-at-a-time FNV-1a loop run eight times instead (the
/// guide's "DefaultHasher" starting point): different keys, same properties
/// the cache relies on (deterministic, equal bytes → equal keys).
[[nodiscard]] CacheKey hash_bytes(std::string_view bytes) noexcept;

/// The key of a compiled IR: hash_bytes(braid::canonical(ir)). Equal IRs give
/// equal keys. Throws what braid::canonical throws.
[[nodiscard]] CacheKey key_of(const braid::Ir& ir);

}  // namespace perfgate::maze
