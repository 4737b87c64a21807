// gate/src/policy/limit.cpp — the meaning of a limit: parsing "+2% and +30ns",
// and whether a change from baseline to contender exceeds it.
#include "gate/policy/limit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "gate/error.hpp"
#include "policy/text.hpp"

namespace gate {
namespace {

Quantity parse_part(std::string_view whole, std::string_view part) {
  std::string why;
  auto q = try_parse_quantity(part, why);
  if (!q) throw Error(fmt::format("bad limit '{}': {}", whole, why));
  return *q;
}

}  // namespace

using detail::lower;
using detail::trim;

double Limit::worse_change(double baseline, double contender, Direction direction) {
  return direction == Direction::lower_is_better ? contender - baseline : baseline - contender;
}

bool Limit::exceeded(double baseline, double contender, Direction direction) const {
  if (std::isnan(baseline) || std::isnan(contender)) return true;
  double worse = worse_change(baseline, contender, direction);
  if (!(worse > 0)) return false;
  // The tolerance keeps "+0%" and exact absolute limits from failing on the
  // last bits of a division (allocations per iteration are a quotient).
  constexpr double k_tolerance = 1e-9;
  double base = std::fabs(baseline);
  bool relative_exceeded = false;
  bool absolute_exceeded = false;
  if (relative) {
    double change = base == 0 ? std::numeric_limits<double>::infinity() : worse / base;
    relative_exceeded = change > *relative + k_tolerance;
  }
  if (absolute) absolute_exceeded = worse > *absolute + k_tolerance * std::max(base, *absolute);
  switch (join) {
    case Join::both:
      return relative_exceeded && absolute_exceeded;
    case Join::either:
      return relative_exceeded || absolute_exceeded;
    case Join::single:
      break;
  }
  if (relative) return relative_exceeded;
  if (absolute) return absolute_exceeded;
  return true;  // a limit with no part tolerates nothing
}

double Limit::allowed(double baseline, Direction direction) const {
  std::optional<double> rel_margin;
  if (relative) rel_margin = *relative * std::fabs(baseline);
  double margin = 0;
  if (rel_margin && absolute) {
    margin = join == Join::either ? std::min(*rel_margin, *absolute) : std::max(*rel_margin, *absolute);
  } else if (rel_margin) {
    margin = *rel_margin;
  } else if (absolute) {
    margin = *absolute;
  }
  return direction == Direction::lower_is_better ? baseline + margin : baseline - margin;
}

Limit parse_limit(std::string_view text) {
  std::string_view whole = trim(text);
  if (whole.empty()) throw Error("bad limit '': empty — expected a change such as '+10%', '+30ns' or '+2% and +30ns'");
  if (whole.front() == '<' || whole.front() == '>') {
    throw Error(
        fmt::format("bad limit '{}': a bound is a target, not a limit — a limit is a change such as '+10%'", whole));
  }
  // Split on the words "and" / "or" (any case), which must stand apart.
  std::vector<std::string> parts(1);
  Limit limit;
  limit.text = std::string(whole);
  std::size_t i = 0;
  while (i < whole.size()) {
    while (i < whole.size() && (whole[i] == ' ' || whole[i] == '\t')) ++i;
    std::size_t start = i;
    while (i < whole.size() && whole[i] != ' ' && whole[i] != '\t') ++i;
    std::string_view word = whole.substr(start, i - start);
    if (word.empty()) break;
    std::string w = lower(word);
    if (w == "and" || w == "or") {
      if (limit.join != Limit::Join::single) {
        throw Error(fmt::format("bad limit '{}': at most two parts, joined by one 'and' or 'or'", whole));
      }
      if (parts.back().empty()) throw Error(fmt::format("bad limit '{}': '{}' needs a change on each side", whole, w));
      limit.join = w == "and" ? Limit::Join::both : Limit::Join::either;
      parts.emplace_back();
      continue;
    }
    if (!parts.back().empty()) parts.back() += ' ';
    parts.back() += word;
  }
  if (parts.back().empty()) {
    throw Error(fmt::format("bad limit '{}': '{}' needs a change on each side", whole,
                            limit.join == Limit::Join::both ? "and" : "or"));
  }
  for (const auto& part : parts) {
    Quantity q = parse_part(whole, part);
    double magnitude = std::fabs(q.value);
    if (q.dim == Dimension::percent) {
      if (limit.relative) {
        throw Error(
            fmt::format("bad limit '{}': both parts are relative — join a relative and an absolute change", whole));
      }
      limit.relative = magnitude;
    } else {
      if (limit.absolute) {
        throw Error(
            fmt::format("bad limit '{}': both parts are absolute — join a relative and an absolute change", whole));
      }
      limit.absolute = magnitude;
      limit.absolute_dimension = q.dim;
    }
  }
  return limit;
}

Limit builtin_limit(std::string_view text) {
  Limit limit = parse_limit(text);
  limit.origin = "built-in default";
  return limit;
}

}  // namespace gate
