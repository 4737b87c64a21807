// gate/include/gate/policy/target.hpp — a target: an absolute bound on a
// statistic of a metric ("p95 < 10ms"), and whether a value meets it.
#pragma once

#include <string>
#include <string_view>

#include "gate/model/statistic.hpp"
#include "gate/model/units.hpp"

namespace gate {

/// An absolute bound on a statistic of a metric ("p95 < 10ms").
struct Target {
  enum class Op { lt, le, gt, ge };

  std::string metric;     ///< empty: the primary metric of the benchmark
  Statistic statistic;    ///< median, mean, min, max, p90, p95 or p99 ("p50" reads as the median)
  Op op = Op::lt;
  double bound = 0;                        ///< in the metric's base unit
  Dimension dimension = Dimension::count;  ///< what `bound` was written as
  std::string text;                        ///< the bound as written, trimmed: "< 10ms" — what a report shows
  std::string origin;                      ///< where it was set: "gate.json:14:20"

  /// Whether `value` (the statistic, in the metric's base unit) satisfies
  /// the bound. NaN never does.
  [[nodiscard]] bool met(double value) const;
};

/// Parses a target value ("< 10ms", ">= 1M/s") for a key ("p95",
/// "real_time", "real_time.p95"). Throws gate::Error on bad text; whether the
/// key names a known metric and the bound fits it is checked by the policy.
[[nodiscard]] Target parse_target(std::string_view key, std::string_view value);

}  // namespace gate
