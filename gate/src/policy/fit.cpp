// gate/src/policy/fit.cpp — which absolute values fit which metric.
#include "policy/fit.hpp"

#include <fmt/format.h>

namespace gate::detail {
namespace {

std::string unit_phrase(std::string_view unit) {
  switch (dimension_of_unit(unit)) {
    case Dimension::time: return "a time (ns)";
    case Dimension::bytes: return "a size in bytes";
    case Dimension::rate: return "a rate (1/s)";
    case Dimension::percent: return "a percentage";
    case Dimension::count: break;
  }
  return "a plain count";
}

}  // namespace

bool fits(Dimension written, std::string_view metric_unit) {
  switch (dimension_of_unit(metric_unit)) {
    case Dimension::time: return written == Dimension::time;
    case Dimension::bytes: return written == Dimension::bytes || written == Dimension::count;
    case Dimension::rate: return written == Dimension::rate || written == Dimension::count;
    case Dimension::percent: return written == Dimension::percent;
    case Dimension::count: return written == Dimension::count;
  }
  return false;
}

std::string dimension_phrase(Dimension d) {
  switch (d) {
    case Dimension::time: return "a time";
    case Dimension::bytes: return "bytes";
    case Dimension::rate: return "a rate";
    case Dimension::percent: return "a percentage";
    case Dimension::count: break;
  }
  return "a plain count";
}

std::string limit_misfit(const Limit& limit, std::string_view metric, const MetricInfo& info) {
  if (!limit.absolute || fits(limit.absolute_dimension, info.unit)) return {};
  return fmt::format("'{}' is {}, but '{}' is {}", limit.text, dimension_phrase(limit.absolute_dimension), metric,
                     unit_phrase(info.unit));
}

std::string target_misfit(const Target& target, std::string_view metric, const MetricInfo& info) {
  if (fits(target.dimension, info.unit)) return {};
  return fmt::format("'{}' is {}, but '{}' is {}", target.text, dimension_phrase(target.dimension), metric,
                     unit_phrase(info.unit));
}

}  // namespace gate::detail
