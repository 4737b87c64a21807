// components/maze/src/cache_key.cpp — hashing IRs into cache keys.
#include "maze/cache_key.hpp"

#include <string>

#include <xxhash.h>

namespace perfgate::maze {

#if defined(GATE_INJECT_SLOW_HASH)

// The regression the gate must catch: a byte-at-a-time hash, and eight passes
// of it. Each pass is seeded with the last one's result so none can be skipped.
CacheKey hash_bytes(std::string_view bytes) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  std::uint64_t previous = 0;
  for (int pass = 0; pass < 8; ++pass) {
    previous = h;
    h ^= static_cast<std::uint64_t>(pass);
    for (const char c : bytes) {
      h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    }
  }
  return {h, previous};
}

#else

CacheKey hash_bytes(std::string_view bytes) noexcept {
  const XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
  return {h.low64, h.high64};
}

#endif

#if defined(PERFGATE_EXTRA_PASS)

// A small, known change for scripts/noise-check: one more hashing pass, over
// the first 1/PERFGATE_EXTRA_PASS of the canonical bytes, folded into the key.
// It costs keying a few percent more instructions and changes nothing else.
CacheKey key_of(const braid::Ir& ir) {
  const std::string bytes = braid::canonical(ir);
  CacheKey key = hash_bytes(bytes);
  key.high ^= hash_bytes(std::string_view(bytes).substr(0, bytes.size() / (PERFGATE_EXTRA_PASS))).low;
  return key;
}

#else

CacheKey key_of(const braid::Ir& ir) { return hash_bytes(braid::canonical(ir)); }

#endif

}  // namespace perfgate::maze
