// gate/src/policy/compiled.hpp — the parts of a Policy that are not plain
// values: its rules with their globs compiled, and its size entries, in file
// order. The reader builds them; rules.cpp resolves them for one benchmark.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gate/policy/policy.hpp"
#include "policy/glob.hpp"

namespace gate::detail {

struct RuleLimit {
  std::string metric;
  Limit limit;
};

struct RuleTarget {
  Target target;
  std::string path;  ///< rules[2]."p95", for messages raised while resolving
};

struct CompiledRule {
  std::string path;  ///< "rules[2]"
  std::vector<Glob> match;
  std::optional<Glob> suite;
  std::optional<std::string> primary_metric;
  std::optional<Limit> threshold;
  std::vector<RuleLimit> limits;
  std::vector<RuleTarget> targets;

  [[nodiscard]] bool matches(std::string_view suite_name, std::string_view benchmark) const {
    if (suite && !suite->matches(suite_name)) return false;
    return std::any_of(match.begin(), match.end(), [&](const Glob& g) { return g.matches(benchmark); });
  }
};

struct SizeEntry {
  Glob glob;
  std::optional<double> max;
  std::string max_text;
  std::optional<Limit> growth;
  std::map<std::string, SectionBudget> sections;
};

struct CompiledPolicy {
  std::vector<CompiledRule> rules;
  std::vector<SizeEntry> size;
};

}  // namespace gate::detail
