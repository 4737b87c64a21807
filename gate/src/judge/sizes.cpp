// gate/src/judge/sizes.cpp — binary sizes against the policy's budgets: an
// absolute maximum and growth against the baseline, for the file and for
// the sections a budget names. Sizes are deterministic: judged exactly.
#include <fmt/core.h>

#include <algorithm>

#include "gate/model/units.hpp"
#include "judge/judging.hpp"

namespace gate::detail {
namespace {

std::optional<double> section(const BinarySize& b, const std::string& name) {
  for (const auto& s : b.sections) {
    if (s.name == name) return static_cast<double>(s.size);
  }
  return std::nullopt;
}

// "grew 6.0 MB (file): .data +6.0 MB, .text +1.2 kB" — which sections to look at.
std::string largest_growth(const BinarySize& before, const BinarySize& now) {
  std::vector<std::pair<double, std::string>> grown;
  for (const auto& s : now.sections) {
    double delta = static_cast<double>(s.size) - section(before, s.name).value_or(0);
    if (delta > 0) grown.emplace_back(delta, s.name);
  }
  std::sort(grown.rbegin(), grown.rend());
  std::string out = fmt::format(
      "grew {} (file)",
      format_quantity(static_cast<double>(now.file_size) - static_cast<double>(before.file_size), "B"));
  for (std::size_t i = 0; i < grown.size() && i < 3; ++i) {
    out += fmt::format("{} {} +{}", i == 0 ? ":" : ",", grown[i].second, format_quantity(grown[i].first, "B"));
  }
  return out;
}

}  // namespace

std::vector<Verdict> judge_sizes(const Policy& policy, const Suite* base, const Suite& cont) {
  std::vector<Verdict> out;
  if (!cont.binary) return out;
  auto budget = policy.size_budget_for(cont.name);
  if (!budget) return out;
  const BinarySize& now = *cont.binary;
  const BinarySize* before = base != nullptr && base->binary ? &*base->binary : nullptr;

  auto size_verdict = [&](const std::string& metric, std::optional<double> was, double is) {
    Verdict v = make_verdict(policy, Scope::binary, cont.name, cont.name, metric);
    v.kind = MetricKind::deterministic;
    v.direction = Direction::lower_is_better;
    v.unit = "B";
    v.statistic = Statistic{StatisticKind::bytes};
    v.test = Test::exact;
    v.baseline = was;
    v.contender = is;
    if (was) v.change = relative_change(*was, is);
    return v;
  };
  auto judge = [&](const std::string& metric, std::optional<double> was, double is, const std::optional<double>& max,
                   const std::string& max_text, const std::optional<Limit>& growth) {
    if (max) {
      Verdict v = size_verdict(metric, was, is);
      v.threshold = "< " + max_text;
      v.status = is > *max ? Status::budget_exceeded : Status::unchanged;
      out.push_back(std::move(v));
    }
    if (growth && was) {
      Verdict v = size_verdict(metric, was, is);
      v.threshold = growth->text;
      if (growth->exceeded(*was, is, Direction::lower_is_better)) {
        v.status = Status::budget_exceeded;
        if (metric == "size") v.add_note(largest_growth(*before, now));
      } else {
        v.status = is < *was ? Status::improved : Status::unchanged;
      }
      out.push_back(std::move(v));
    }
  };
  std::optional<double> was_file =
      before != nullptr ? std::optional<double>(static_cast<double>(before->file_size)) : std::nullopt;
  judge("size", was_file, static_cast<double>(now.file_size), budget->max, budget->max_text, budget->growth);
  for (const auto& [name, sb] : budget->sections) {
    auto is = section(now, name);
    if (!is) continue;
    judge("size:" + name, before != nullptr ? section(*before, name) : std::nullopt, *is, sb.max, sb.max_text,
          sb.growth);
  }
  return out;
}

}  // namespace gate::detail
