// gate/src/policy/fit.hpp — which absolute values fit which metric: a limit of
// "+5MB" on a time, or a target of "< 10ms" on a rate, cannot be judged.
#pragma once

#include <string>
#include <string_view>

#include "gate/model/metrics.hpp"
#include "gate/model/units.hpp"
#include "gate/policy/limit.hpp"
#include "gate/policy/target.hpp"

namespace gate::detail {

/// Whether a value written as `written` can bound a metric whose unit is
/// `metric_unit`. A bare number fits bytes and rates (it is in their base
/// unit already) but not times, where "30" could be any of four units.
[[nodiscard]] bool fits(Dimension written, std::string_view metric_unit);

/// "a time", "bytes", "a rate", "a percentage", "a plain count".
[[nodiscard]] std::string dimension_phrase(Dimension d);

/// Empty when the limit's absolute part (if any) fits `metric`, else why not:
/// "'+5MB' is bytes, but 'real_time' is a time (ns)".
[[nodiscard]] std::string limit_misfit(const Limit& limit, std::string_view metric, const MetricInfo& info);

/// Empty when the target's bound fits `metric`, else why not.
[[nodiscard]] std::string target_misfit(const Target& target, std::string_view metric, const MetricInfo& info);

}  // namespace gate::detail
