// gate/include/gate/model/statistic.hpp — which statistic of a metric's
// samples a target bounds or a verdict compares, as a value rather than as
// display text: the judge computes it, the reports print it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gate {

/// The kinds of statistic a verdict or a target can name.
enum class StatisticKind {
  none,                ///< nothing was compared (a failed or missing benchmark)
  median,              ///< the median of the repetitions
  mean,                ///< the arithmetic mean of the repetitions
  min,                 ///< the smallest repetition
  max,                 ///< the largest repetition
  percentile,          ///< a percentile of the repetitions (Statistic::percentile), type 7
  median_ratio,        ///< same-job A/B: the median of the per-round ratios head/base
  mean_of_aggregates,  ///< a file with aggregates only: the reported mean
  value,               ///< a deterministic count: the median of the (identical) repetitions
  bytes,               ///< a binary's or a section's size
  big_o,               ///< a complexity class
};

/// A statistic: its kind and, for a percentile, which one.
struct Statistic {
  StatisticKind kind = StatisticKind::none;
  double percentile = 0;  ///< kind percentile only: 90 for p90, in (0, 100)

  friend bool operator==(const Statistic&, const Statistic&) = default;
};

/// As people write it: "median", "mean", "min", "max", "p95", "median ratio",
/// "mean (aggregates)", "value", "bytes", "big_o"; "" for none.
[[nodiscard]] std::string to_string(const Statistic& s);

/// The statistics a target may bound, as gate.json writes them: "median",
/// "mean", "min", "max", "p50" (read as the median), "p90", "p95", "p99".
/// std::nullopt for anything else.
[[nodiscard]] std::optional<Statistic> parse_target_statistic(std::string_view text);

/// The names parse_target_statistic() accepts, for messages and suggestions.
inline constexpr std::string_view k_target_statistics[] = {"median", "mean", "min", "max",
                                                           "p50",    "p90",  "p95", "p99"};

}  // namespace gate
