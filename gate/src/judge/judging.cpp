// gate/src/judge/judging.cpp — small pieces every part of the judge uses.
#include "judge/judging.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "gate/error.hpp"
#include "gate/stats/stats.hpp"

namespace gate::detail {

Direction opposite(Direction d) {
  return d == Direction::lower_is_better ? Direction::higher_is_better : Direction::lower_is_better;
}

double relative_change(double baseline, double contender) {
  if (baseline == 0) return contender == 0 ? 0.0 : std::copysign(INFINITY, contender);
  return contender / baseline - 1.0;
}

double worse_fraction(double baseline, double contender, Direction direction) {
  double worse = Limit::worse_change(baseline, contender, direction);
  if (baseline == 0) return worse > 0 ? INFINITY : 0.0;
  return worse / std::fabs(baseline);
}

std::optional<std::regex> compile_filter(const std::optional<std::string>& filter) {
  if (!filter) return std::nullopt;
  try {
    return std::regex(*filter, std::regex::ECMAScript | std::regex::optimize);
  } catch (const std::regex_error& e) {
    throw Error(fmt::format("bad --filter regex '{}': {}", *filter, e.what()));
  }
}

Verdict make_verdict(const Policy& policy, Scope scope, std::string_view suite, std::string_view name,
                     std::string_view metric) {
  Verdict v;
  v.scope = scope;
  v.suite = suite;
  v.name = name;
  v.metric = metric;
  if (!metric.empty()) {
    auto info = policy.describe(metric);
    v.direction = info.direction;
    v.kind = info.kind;
    v.unit = info.unit;
  }
  return v;
}

double value_of(const Statistic& statistic, std::span<const double> samples) {
  switch (statistic.kind) {
    case StatisticKind::mean: return stats::mean(samples);
    case StatisticKind::min: return stats::min(samples);
    case StatisticKind::max: return stats::max(samples);
    case StatisticKind::percentile: return stats::percentile(samples, statistic.percentile);
    default: return stats::median(samples);
  }
}

std::string big_o_text(std::string_view big_o) {
  if (big_o.size() >= 2 && big_o.front() == '(' && big_o.back() == ')') return "O" + std::string(big_o);
  return "O(" + std::string(big_o) + ")";
}

int complexity_rank(std::string_view big_o) {
  static constexpr std::array<std::string_view, 6> order = {"(1)", "lgN", "N", "NlgN", "N^2", "N^3"};
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i] == big_o) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace gate::detail
