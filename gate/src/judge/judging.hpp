// gate/src/judge/judging.hpp — what the two judges (compare.cpp against a baseline,
// ab.cpp on same-job pairs) share: the change, direction flips, the --filter
// regex, a verdict's skeleton from the policy, and the worst-first order.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "gate/judge/compare.hpp"
#include "gate/policy/policy.hpp"

namespace gate::detail {

/// The other direction: "worse" for one is "better" for the other.
[[nodiscard]] Direction opposite(Direction d);

/// contender / baseline − 1; ±infinity from a zero baseline (0 when both are 0).
[[nodiscard]] double relative_change(double baseline, double contender);

/// The --filter regex (ECMAScript), or none; a bad one is gate::Error.
[[nodiscard]] std::optional<std::regex> compile_filter(const std::optional<std::string>& filter);

/// A verdict naming suite, benchmark and metric, with the metric's direction,
/// kind and unit from the policy (none when `metric` is empty).
[[nodiscard]] Verdict verdict_skeleton(const Policy& policy, std::string_view suite, std::string_view benchmark,
                                       std::string_view metric);

/// The rank of a complexity class in the order Google Benchmark fits them,
/// best first: "(1)" 0, "lgN" 1, "N" 2, "NlgN" 3, "N^2" 4, "N^3" 5; -1 for
/// "f(N)" (a user's function, not comparable) and anything else.
[[nodiscard]] int complexity_rank(std::string_view big_o);

/// A class as people write it: "N^2" → "O(N^2)", Google Benchmark's "(1)" → "O(1)".
[[nodiscard]] std::string big_o_text(std::string_view big_o);

/// Orders verdicts worst first: by status, then by how much worse.
void sort_worst_first(std::vector<Verdict>& verdicts);

}  // namespace gate::detail
