// gate/src/judge/judging.cpp — pieces shared by the baseline and the A/B judges.
#include "judge/judging.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "gate/error.hpp"

namespace gate::detail {

Direction opposite(Direction d) {
  return d == Direction::lower_is_better ? Direction::higher_is_better : Direction::lower_is_better;
}

double relative_change(double baseline, double contender) {
  if (baseline == 0) return contender == 0 ? 0.0 : std::copysign(INFINITY, contender);
  return contender / baseline - 1.0;
}

std::optional<std::regex> compile_filter(const std::optional<std::string>& filter) {
  if (!filter) return std::nullopt;
  try {
    return std::regex(*filter, std::regex::ECMAScript | std::regex::optimize);
  } catch (const std::regex_error& e) {
    throw Error(fmt::format("bad --filter regex '{}': {}", *filter, e.what()));
  }
}

Verdict verdict_skeleton(const Policy& policy, std::string_view suite, std::string_view benchmark,
                         std::string_view metric) {
  Verdict v;
  v.suite = suite;
  v.benchmark = benchmark;
  v.metric = metric;
  if (!metric.empty()) {
    auto info = policy.describe(metric);
    v.direction = info.direction;
    v.kind = info.kind;
    v.unit = info.unit;
  }
  return v;
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

void sort_worst_first(std::vector<Verdict>& verdicts) {
  auto badness = [](const Verdict& v) -> double {
    if (!v.change) return -INFINITY;
    return v.direction == Direction::lower_is_better ? *v.change : -*v.change;
  };
  std::stable_sort(verdicts.begin(), verdicts.end(), [&](const Verdict& a, const Verdict& b) {
    if (a.status != b.status) return a.status < b.status;
    return badness(a) > badness(b);
  });
}

}  // namespace gate::detail
