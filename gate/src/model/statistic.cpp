// gate/src/model/statistic.cpp — statistics by name.
#include "gate/model/statistic.hpp"

#include <fmt/core.h>

namespace gate {

std::string to_string(const Statistic& s) {
  switch (s.kind) {
    case StatisticKind::none: return "";
    case StatisticKind::median: return "median";
    case StatisticKind::mean: return "mean";
    case StatisticKind::min: return "min";
    case StatisticKind::max: return "max";
    case StatisticKind::percentile: return fmt::format("p{:g}", s.percentile);
    case StatisticKind::median_ratio: return "median ratio";
    case StatisticKind::mean_of_aggregates: return "mean (aggregates)";
    case StatisticKind::value: return "value";
    case StatisticKind::bytes: return "bytes";
    case StatisticKind::big_o: return "big_o";
  }
  return "";
}

std::optional<Statistic> parse_target_statistic(std::string_view text) {
  if (text == "median" || text == "p50") return Statistic{StatisticKind::median};
  if (text == "mean") return Statistic{StatisticKind::mean};
  if (text == "min") return Statistic{StatisticKind::min};
  if (text == "max") return Statistic{StatisticKind::max};
  if (text == "p90") return Statistic{StatisticKind::percentile, 90};
  if (text == "p95") return Statistic{StatisticKind::percentile, 95};
  if (text == "p99") return Statistic{StatisticKind::percentile, 99};
  return std::nullopt;
}

}  // namespace gate
