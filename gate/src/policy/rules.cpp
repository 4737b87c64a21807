// gate/src/policy/rules.cpp — which limits, targets and size budgets apply to
// one benchmark or binary: the defaults, then every matching rule or size
// entry in file order, the later one winning key by key.
#include <algorithm>

#include <fmt/format.h>

#include "gate/error.hpp"
#include "gate/policy/policy.hpp"
#include "formats/text_location.hpp"
#include "policy/compiled.hpp"
#include "policy/fit.hpp"

namespace gate {

using detail::limit_misfit;
using detail::target_misfit;

BenchmarkRules Policy::rules_for(std::string_view suite, std::string_view benchmark) const {
  BenchmarkRules out;
  out.primary_metric = defaults.primary_metric;
  out.limits = defaults.limits;
  const Limit* threshold = &defaults.threshold;
  std::string threshold_path = "defaults.\"threshold\"";
  std::vector<const detail::RuleTarget*> targets;
  if (m_compiled) {
    for (const auto& rule : m_compiled->rules) {
      if (!rule.matches(suite, benchmark)) continue;
      if (rule.primary_metric) out.primary_metric = *rule.primary_metric;
      if (rule.threshold) {
        threshold = &*rule.threshold;
        threshold_path = rule.path + ".\"threshold\"";
      }
      for (const auto& l : rule.limits) out.limits.insert_or_assign(l.metric, l.limit);
      for (const auto& t : rule.targets) {
        auto same = std::find_if(targets.begin(), targets.end(), [&](const detail::RuleTarget* seen) {
          return seen->target.metric == t.target.metric && seen->target.statistic == t.target.statistic;
        });
        if (same != targets.end())
          *same = &t;
        else
          targets.push_back(&t);
      }
    }
  }
  // A rule can change the primary metric of benchmarks that other rules give
  // thresholds or targets written for another metric: check the outcome.
  const std::string& primary = out.primary_metric;
  std::optional<MetricInfo> primary_info;
  auto info = [&]() -> const MetricInfo& {
    if (!primary_info) primary_info = describe(primary);
    return *primary_info;
  };
  if (out.limits.find(primary) == out.limits.end()) {
    if (threshold->absolute) {
      if (auto why = limit_misfit(*threshold, primary, info()); !why.empty()) {
        throw Error(detail::escape_for_message(fmt::format("{}: {}: cannot judge '{}' in suite '{}': {}",
                                                           threshold->origin, threshold_path, benchmark, suite, why)));
      }
    }
    out.limits.emplace(primary, *threshold);
  }
  out.targets.reserve(targets.size());
  for (const auto* t : targets) {
    if (t->target.metric.empty()) {
      if (auto why = target_misfit(t->target, primary, info()); !why.empty()) {
        throw Error(detail::escape_for_message(fmt::format("{}: {}: cannot judge '{}' in suite '{}': {}",
                                                           t->target.origin, t->path, benchmark, suite, why)));
      }
    }
    out.targets.push_back(t->target);
  }
  return out;
}

MetricInfo Policy::describe(std::string_view metric) const {
  MetricInfo info = describe_metric(metric);
  if (auto it = metrics.find(metric); it != metrics.end()) {
    if (it->second.direction) info.direction = *it->second.direction;
    if (it->second.kind) info.kind = *it->second.kind;
    if (it->second.unit) info.unit = *it->second.unit;
  }
  return info;
}

std::optional<SizeBudget> Policy::size_budget_for(std::string_view suite) const {
  SizeBudget budget;
  bool any = false;
  if (defaults.size_growth) {
    budget.growth = defaults.size_growth;
    any = true;
  }
  if (m_compiled) {
    for (const auto& entry : m_compiled->size) {
      if (!entry.glob.matches(suite)) continue;
      any = true;
      if (entry.max) {
        budget.max = entry.max;
        budget.max_text = entry.max_text;
      }
      if (entry.growth) budget.growth = entry.growth;
      for (const auto& [name, section] : entry.sections) {
        SectionBudget& merged = budget.sections[name];
        if (section.max) {
          merged.max = section.max;
          merged.max_text = section.max_text;
        }
        if (section.growth) merged.growth = section.growth;
      }
    }
  }
  if (!any) return std::nullopt;
  return budget;
}

const SuiteSpec* Policy::find_suite(std::string_view name) const {
  for (const auto& s : suites) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const BinarySpec* Policy::find_binary(std::string_view name) const {
  for (const auto& b : binaries) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

const CommandSpec* Policy::find_command(std::string_view name) const {
  for (const auto& c : commands) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::size_t Policy::rule_count() const { return m_compiled ? m_compiled->rules.size() : 0; }

std::string_view to_string(TimingMode mode) { return mode == TimingMode::judge ? "judge" : "confirm"; }
std::string_view to_string(Unconfirmed mode) { return mode == Unconfirmed::fail ? "fail" : "pass"; }

Policy default_policy() { return Policy{}; }

}  // namespace gate
