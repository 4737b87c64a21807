// gate/src/judge/derived.cpp — metrics derived from two benchmarks of a
// suite (policy "derived"): the ratio of their samples, repetition by
// repetition, as a benchmark of its own that the walk judges like any other.
#include <fmt/core.h>

#include <unordered_map>

#include "gate/model/metrics.hpp"
#include "judge/judging.hpp"

namespace gate::detail {

std::optional<Benchmark> derive(const DerivedSpec& spec, const Suite& suite, const Policy& policy, std::string& why) {
  const Benchmark* num = suite.find(spec.numerator);
  const Benchmark* den = suite.find(spec.denominator);
  if (num == nullptr || den == nullptr || num->error || den->error || num->skipped || den->skipped) return std::nullopt;
  const Metric* nm = num->metric(spec.of);
  const Metric* dm = den->metric(spec.of);
  if (nm == nullptr || dm == nullptr || nm->samples.empty() || dm->samples.empty()) {
    why = fmt::format("'{}' needs '{}' of both '{}' and '{}'", spec.name, spec.of, spec.numerator, spec.denominator);
    return std::nullopt;
  }
  Metric m = make_metric(spec.metric, policy.describe(spec.metric));
  m.from_aggregates = nm->from_aggregates || dm->from_aggregates;
  auto add = [&](double n, double d, int round) -> bool {
    if (!(d > 0) || !(n >= 0)) {
      why = fmt::format("'{}': a sample of '{}' is {} — a ratio needs positive denominators", spec.name,
                        spec.denominator, d);
      return false;
    }
    m.samples.push_back(n / d);
    if (round > 0) m.rounds.push_back(round);
    return true;
  };
  // Same-job A/B sides carry their rounds: numerator and denominator of one
  // round belong together. Otherwise repetition i with repetition i.
  if (!nm->rounds.empty() && !dm->rounds.empty()) {
    std::unordered_map<int, double> by_round;
    for (std::size_t i = 0; i < dm->rounds.size() && i < dm->samples.size(); ++i) by_round[dm->rounds[i]] = dm->samples[i];
    for (std::size_t i = 0; i < nm->rounds.size() && i < nm->samples.size(); ++i) {
      auto it = by_round.find(nm->rounds[i]);
      if (it != by_round.end() && !add(nm->samples[i], it->second, nm->rounds[i])) return std::nullopt;
    }
  } else {
    const std::size_t n = std::min(nm->samples.size(), dm->samples.size());
    for (std::size_t i = 0; i < n; ++i) {
      if (!add(nm->samples[i], dm->samples[i], 0)) return std::nullopt;
    }
  }
  if (m.samples.empty()) return std::nullopt;
  Benchmark b;
  b.name = spec.name;
  b.threads = std::max(num->threads, den->threads);
  b.repetitions = static_cast<int>(m.samples.size());
  b.metrics.push_back(std::move(m));
  return b;
}

}  // namespace gate::detail
