// gate/src/policy/target.cpp — the meaning of a target: parsing "p95 < 10ms",
// and whether a statistic meets it.
#include "gate/policy/target.hpp"

#include <fmt/format.h>

#include "gate/error.hpp"
#include "policy/text.hpp"

namespace gate {

using detail::trim;

bool Target::met(double value) const {
  switch (op) {
    case Op::lt:
      return value < bound;
    case Op::le:
      return value <= bound;
    case Op::gt:
      return value > bound;
    case Op::ge:
      return value >= bound;
  }
  return false;
}

Target parse_target(std::string_view key, std::string_view value) {
  Target t;
  std::string_view text = trim(value);
  t.text = std::string(text);
  std::string_view rest = text;
  if (rest.starts_with("<="))
    t.op = Target::Op::le, rest.remove_prefix(2);
  else if (rest.starts_with(">="))
    t.op = Target::Op::ge, rest.remove_prefix(2);
  else if (rest.starts_with("<"))
    t.op = Target::Op::lt, rest.remove_prefix(1);
  else if (rest.starts_with(">"))
    t.op = Target::Op::gt, rest.remove_prefix(1);
  else
    throw Error(fmt::format("bad target '{}': expected '<', '<=', '>' or '>=' before the bound", text));
  std::string why;
  auto parsed = try_parse_quantity(rest, why);
  if (!parsed) throw Error(fmt::format("bad target '{}': {}", text, why));
  Quantity q = *parsed;
  if (q.dim == Dimension::percent) {
    throw Error(fmt::format(
        "bad target '{}': a bound is absolute, such as '< 10ms' — a percentage is a change (a limit)", text));
  }
  t.bound = q.value;
  t.dimension = q.dim;

  key = trim(key);
  if (auto s = parse_target_statistic(key)) {
    t.statistic = *s;
  } else if (auto dot = key.rfind('.'); dot != std::string_view::npos) {
    t.metric = std::string(key.substr(0, dot));
    auto stat = parse_target_statistic(key.substr(dot + 1));
    if (!stat || t.metric.empty()) {
      throw Error(
          fmt::format("bad target key '{}': expected a statistic (median, mean, min, max, p50, p90, p95, p99), "
                      "a metric, or metric.statistic",
                      key));
    }
    t.statistic = *stat;
  } else {
    if (key.empty()) throw Error("bad target key '': expected a statistic or a metric");
    t.metric = std::string(key);
    t.statistic = Statistic{StatisticKind::median};
  }
  return t;
}

}  // namespace gate
