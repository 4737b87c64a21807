// gate/include/gate/model/shard.hpp — one of n deterministic parts of a run
// (`gate run --shard i/n`): which benchmarks it runs, and its name.
#pragma once

#include <string>
#include <string_view>

namespace gate {

/// Shard `index` of `count` (1 ≤ index ≤ count).
struct Shard {
  int index = 1;
  int count = 1;

  friend bool operator==(const Shard&, const Shard&) = default;
};

/// "2/3" into Shard{2, 3}. Throws gate::Error "--shard '<text>': ..." when
/// it is not "i/n" with 1 ≤ i ≤ n ≤ 10000.
[[nodiscard]] Shard parse_shard(std::string_view text);

/// "2/3".
[[nodiscard]] std::string to_string(const Shard& shard);

/// Whether `benchmark` belongs to `shard`: the 64-bit FNV-1a hash of its full
/// name, modulo the count, is the index − 1. The same name falls in the same
/// shard on every machine and in every suite order, and each name in exactly
/// one of the count shards.
[[nodiscard]] bool in_shard(std::string_view benchmark, const Shard& shard);

}  // namespace gate
