// gate/src/judge/targets.cpp — absolute targets ("p95 < 10ms", "> 50 items
// per second"), checked on the contender alone on every run.
#include <fmt/core.h>

#include "judge/judging.hpp"

namespace gate::detail {

std::vector<Verdict> judge_targets(const Policy& policy, std::string_view suite, const Benchmark& cont,
                                   const BenchmarkRules& rules, const std::string& primary) {
  std::vector<Verdict> out;
  for (const auto& t : rules.targets) {
    std::string metric = t.metric.empty() ? primary : t.metric;
    Verdict v = make_verdict(policy, Scope::benchmark, suite, cont.name, metric);
    v.threshold = t.text;
    v.statistic = t.statistic;
    v.test = Test::target;
    const Metric* m = cont.metric(metric);
    if (m == nullptr || m->samples.empty()) {
      v.status = Status::target_missed;
      v.add_note(fmt::format("metric '{}' not measured: the target cannot be checked", metric));
      out.push_back(std::move(v));
      continue;
    }
    v.n_contender = m->samples.size();
    v.contender = value_of(t.statistic, m->samples);
    v.status = t.met(*v.contender) ? Status::target_met : Status::target_missed;
    if (m->samples.size() < 10 && t.statistic.kind == StatisticKind::percentile) {
      v.add_note(fmt::format("{} of only {} samples", to_string(t.statistic), m->samples.size()));
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace gate::detail
