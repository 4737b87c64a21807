// gate/include/gate/policy/limit.hpp — a limit: the change in a metric's worse
// direction that a policy tolerates ("+5%", "+30ns", "+2% and +30ns"), and
// what exceeding it means.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gate/model/metrics.hpp"
#include "gate/model/units.hpp"

namespace gate {

/// A tolerated change in a metric's worse direction: relative ("+5%"),
/// absolute in the metric's base unit ("+30ns"), or both joined ("+2% and
/// +30ns": fail only when both are exceeded; "+10% or +5MB": fail when
/// either is). Signs in the text are ignored: the magnitude counts.
struct Limit {
  enum class Join { single, both, either };

  std::optional<double> relative;                   ///< fraction: 0.05 for "+5%"
  std::optional<double> absolute;                   ///< in the metric's base unit (ns, B, 1/s, count)
  Dimension absolute_dimension = Dimension::count;  ///< what `absolute` was written as
  Join join = Join::single;
  std::string text;    ///< as written, trimmed: "+2% and +30ns" — what a report shows
  std::string origin;  ///< where it was set: "gate.json:12:18", or "built-in default"

  /// The change from baseline to contender in the worse direction (positive
  /// = worse; contender - baseline when lower is better).
  [[nodiscard]] static double worse_change(double baseline, double contender, Direction direction);

  /// True when the contender is worse than the baseline by more than the
  /// limit allows. An improvement never exceeds. The relative change is
  /// taken against |baseline|; from a zero baseline any worsening counts as
  /// an infinite relative change. A change within 1e-9 (relative) of the
  /// limit is treated as equal to it, so "+0%" fails on any real increase
  /// but not on rounding. NaN in either value exceeds: bad input never passes.
  [[nodiscard]] bool exceeded(double baseline, double contender, Direction direction) const;

  /// The worst contender value that still passes, for reports ("allowed up
  /// to 110 ns"). A limit with neither part allows no change.
  [[nodiscard]] double allowed(double baseline, Direction direction) const;
};

/// Parses a limit ("+5%", "+30ns", "+2% and +30ns", "+10% or +5MB"). Throws
/// gate::Error ("bad limit '+5 parsecs': unknown unit 'parsecs' — ...").
/// Whether an absolute part fits a metric is checked by the policy, which
/// knows the metric.
[[nodiscard]] Limit parse_limit(std::string_view text);

/// parse_limit of a built-in value, with origin "built-in default".
[[nodiscard]] Limit builtin_limit(std::string_view text);

}  // namespace gate
