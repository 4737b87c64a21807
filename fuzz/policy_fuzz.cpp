// fuzz/policy_fuzz.cpp — libFuzzer target: any bytes as gate.json, through the
// policy reader and then rule resolution for the suites, binaries and
// benchmark names the policy itself holds. A finding is a sanitizer report,
// an exception other than gate::Error (what users saw as "internal error"),
// an error that is not one located line, or a policy that resolves to rules
// without a limit on their primary metric.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "gate/error.hpp"
#include "gate/policy/policy.hpp"

namespace {

using gate::fuzz::finding;

constexpr std::string_view k_source = "fuzz.json";

void check_error(const gate::Error& e) { gate::fuzz::check_error(e, k_source); }

void resolve(const gate::Policy& policy) {
  std::vector<std::string> suites = {"", "bench_clew", "s"};
  std::vector<std::string> benchmarks = {"", "BM_A", "BM_Sort/1024/threads:4", "BM_Extract/small"};
  // Names the input chose itself, so that its own patterns get matched.
  for (const auto& s : policy.suites) {
    suites.push_back(s.name);
    benchmarks.push_back(s.binary);
    benchmarks.insert(benchmarks.end(), s.args.begin(), s.args.end());
  }
  for (const auto& b : policy.binaries) suites.push_back(b.name);
  for (const auto& suite : suites) {
    for (const auto& benchmark : benchmarks) {
      try {
        gate::BenchmarkRules rules = policy.rules_for(suite, benchmark);
        auto primary = rules.limits.find(rules.primary_metric);
        if (primary == rules.limits.end()) finding("no limit on the primary metric", rules.primary_metric);
        gate::Direction direction = policy.describe(rules.primary_metric).direction;
        (void)primary->second.exceeded(100, 111, direction);
        (void)primary->second.allowed(100, direction);
        for (const auto& target : rules.targets) (void)target.met(1.0);
      } catch (const gate::Error& e) {
        check_error(e);
      }
    }
    (void)policy.size_budget_for(suite);
    (void)policy.find_suite(suite);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  gate::Policy policy;
  try {
    policy = gate::parse_policy(text, std::string(k_source));
  } catch (const gate::Error& e) {
    check_error(e);
    return 0;
  }
  // Reading is deterministic: the same text, the same policy.
  gate::Policy again = gate::parse_policy(text, std::string(k_source));
  if (again.rule_count() != policy.rule_count() || again.suites.size() != policy.suites.size()) {
    finding("a second read differs", text);
  }
  resolve(policy);
  return 0;
}
