// tests/model_builders.cpp — in-memory inputs for the unit tests.
#include "model_builders.hpp"

#include <random>

#include "gate/error.hpp"
#include "gate/model/metrics.hpp"

namespace gate::test {

Metric metric(const std::string& name, std::vector<double> values, bool with_rounds) {
  Metric m = make_metric(name);
  m.samples = std::move(values);
  if (with_rounds) {
    for (std::size_t i = 0; i < m.samples.size(); ++i) m.rounds.push_back(static_cast<int>(i) + 1);
  }
  return m;
}

Benchmark bench(const std::string& name, std::vector<Metric> metrics) {
  Benchmark b;
  b.name = name;
  b.repetitions = static_cast<int>(metrics.empty() ? 0 : metrics.front().samples.size());
  b.metrics = std::move(metrics);
  return b;
}

Suite suite(std::vector<Benchmark> benchmarks, const std::string& name) {
  Suite s;
  s.name = name;
  s.benchmarks = std::move(benchmarks);
  return s;
}

RunBundle bundle(std::vector<Benchmark> benchmarks, const std::string& source) {
  RunBundle r;
  r.source = source;
  r.suites.push_back(suite(std::move(benchmarks)));
  return r;
}

RunBundle ab_bundle(Suite base, Suite head, int rounds) {
  RunBundle r;
  r.source = "ab.json";
  r.suites.push_back(std::move(head));
  AbRun ab;
  ab.base_build_dir = "build/base";
  ab.head_build_dir = "build/head";
  ab.rounds = rounds;
  ab.base_suites.push_back(std::move(base));
  r.ab = std::move(ab);
  return r;
}

std::vector<double> samples(double median, double cv, std::uint64_t seed, std::size_t n) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, cv);
  std::vector<double> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(median * (1.0 + noise(rng)));
  return out;
}

const Verdict* find(const Comparison& c, const std::string& benchmark, const std::string& metric) {
  for (const auto& v : c.verdicts) {
    if (v.name == benchmark && v.metric == metric && v.test != Test::target) return &v;
  }
  return nullptr;
}

const Verdict* find_target(const Comparison& c, const std::string& benchmark, const std::string& metric) {
  for (const auto& v : c.verdicts) {
    if (v.name == benchmark && v.metric == metric && v.test == Test::target) return &v;
  }
  return nullptr;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace gate::test
