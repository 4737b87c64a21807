// gate/src/policy/suggest.hpp — "did you mean": the nearest known word to a
// misspelt key, metric or statistic of gate.json, for its messages.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gate::detail {

/// Levenshtein distance (insertions, deletions, substitutions; one each).
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

/// " — did you mean 'threshold'?" for the candidate nearest to `word`, when
/// it is within max(2, |word| / 3) edits; else "". Ties go to the earlier
/// candidate.
[[nodiscard]] std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

inline std::string did_you_mean(std::string_view word, std::initializer_list<std::string_view> candidates) {
  return did_you_mean(word, std::span<const std::string_view>(candidates.begin(), candidates.size()));
}

}  // namespace gate::detail
