// tests/model_builders.hpp — what the unit tests build in memory: metrics,
// benchmarks, suites and bundles (plain and A/B), samples with a known
// spread, and the verdict or error a test looks for. Written once, so that
// every suite builds its inputs the same way.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gate/judge/verdict.hpp"
#include "gate/model/run_bundle.hpp"

namespace gate::test {

/// A metric with its unit, direction and kind from describe_metric(); with
/// `with_rounds`, sample i is marked as measured in A/B round i + 1.
Metric metric(const std::string& name, std::vector<double> values, bool with_rounds = false);

/// A benchmark holding `metrics`, its repetitions those of the first metric.
Benchmark bench(const std::string& name, std::vector<Metric> metrics);

/// A suite of `benchmarks`.
Suite suite(std::vector<Benchmark> benchmarks, const std::string& name = "bench_demo");

/// A run bundle of one suite "bench_demo".
RunBundle bundle(std::vector<Benchmark> benchmarks, const std::string& source = "run.json");

/// A same-job A/B bundle: `head` as the bundle's suites, `base` as the base side.
RunBundle ab_bundle(Suite base, Suite head, int rounds);

/// `n` samples around `median` with a normal relative spread `cv`,
/// deterministic for a given seed.
std::vector<double> samples(double median, double cv, std::uint64_t seed, std::size_t n = 10);

/// The verdict of a benchmark's metric that is not a target, or nullptr.
const Verdict* find(const Comparison& c, const std::string& benchmark, const std::string& metric);

/// The target verdict of a benchmark's metric, or nullptr.
const Verdict* find_target(const Comparison& c, const std::string& benchmark, const std::string& metric);

/// The message of the gate::Error that `f` throws, or "no error".
std::string error_of(const std::function<void()>& f);

/// True when `text` holds `part`.
bool contains(const std::string& text, const std::string& part);

}  // namespace gate::test
