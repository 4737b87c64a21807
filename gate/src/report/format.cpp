// gate/src/report/format.cpp — formatting shared by the reports.
#include "report/format.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "gate/judge/ab.hpp"
#include "gate/model/units.hpp"

namespace gate::detail {
namespace {

std::string format_value(const Verdict& v, const std::optional<double>& value, const std::string& text) {
  if (!text.empty()) return text;
  if (!value) return "";
  return format_quantity(*value, v.unit);
}

}  // namespace

std::string format_baseline(const Verdict& v) { return format_value(v, v.baseline, v.baseline_text); }
std::string format_contender(const Verdict& v) { return format_value(v, v.contender, v.contender_text); }

std::string format_change(const Verdict& v) {
  if (!v.change) return "";
  if (std::isinf(*v.change)) return *v.change > 0 ? "+inf" : "-inf";
  return fmt::format("{:+.1f}%", *v.change * 100);
}

std::string format_p(const std::optional<double>& p) {
  if (!p) return "";
  if (*p >= 0.001) return fmt::format("{:.3f}", *p);
  return fmt::format("{:.1e}", *p);
}

std::string format_n(const Verdict& v) {
  if (v.n_baseline == 0 && v.n_contender == 0) return "";
  return fmt::format("{}/{}", v.n_baseline, v.n_contender);
}

std::vector<std::pair<std::string, std::string>> header_facts(const Comparison& c) {
  std::vector<std::pair<std::string, std::string>> facts;
  std::string base = c.baseline_source;
  if (!c.baseline_commit.empty()) base += fmt::format(" @ {}", c.baseline_commit.substr(0, 12));
  facts.emplace_back("baseline", base);
  facts.emplace_back("runner", c.runner.empty() ? "not recorded (plain Google Benchmark files)" : c.runner);
  std::string cont = c.contender_source;
  if (!c.contender_commit.empty()) cont += fmt::format(" @ {}", c.contender_commit.substr(0, 12));
  facts.emplace_back("contender", cont);
  facts.emplace_back("policy", c.policy_source);
  // The tests that were used: a same-job a/b run pairs its samples; a
  // results file with aggregates only has no samples to rank.
  const bool paired = std::any_of(c.verdicts.begin(), c.verdicts.end(), [](const Verdict& v) { return v.test == k_ab_test; });
  const bool welch = std::any_of(c.verdicts.begin(), c.verdicts.end(),
                                 [](const Verdict& v) { return v.test.starts_with("welch"); });
  const std::string noisy = paired ? "median ratio head/base of the a/b pairs, two-sided Wilcoxon signed-rank test"
                                   : std::string("median, two-sided Mann-Whitney U") +
                                         (welch ? " (Welch t on means where only aggregates were recorded)" : "");
  facts.emplace_back("statistics", fmt::format("noisy metrics: {}, Benjamini-Hochberg q < {}; deterministic metrics: "
                                               "exact against the limit",
                                               noisy, c.alpha));
  return facts;
}

std::string summary_counts(const Comparison& c) {
  auto counts = c.counts();
  std::string out;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) continue;
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", counts[i], to_string(static_cast<Status>(i)));
  }
  return out.empty() ? "nothing compared" : out;
}

std::string_view outcome(const Comparison& c) {
  switch (c.exit_code()) {
    case 0: return "PASSED";
    case 1: return "FAILED";
    default: return "COULD NOT JUDGE";
  }
}

}  // namespace gate::detail
