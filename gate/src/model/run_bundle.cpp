// gate/src/model/run_bundle.cpp — look-ups on the data model.
#include "gate/model/run_bundle.hpp"

#include <algorithm>

namespace gate {
namespace {

template <typename Range>
auto find_named(Range& range, std::string_view name) -> decltype(&*range.begin()) {
  auto it = std::find_if(range.begin(), range.end(), [&](const auto& x) { return x.name == name; });
  return it == range.end() ? nullptr : &*it;
}

}  // namespace

const Metric* Benchmark::metric(std::string_view metric_name) const { return find_named(metrics, metric_name); }
Metric* Benchmark::metric(std::string_view metric_name) { return find_named(metrics, metric_name); }
const Benchmark* Suite::find(std::string_view benchmark_name) const { return find_named(benchmarks, benchmark_name); }
const Suite* RunBundle::find(std::string_view suite_name) const { return find_named(suites, suite_name); }

std::string_view to_string(AbPairing pairing) {
  return pairing == AbPairing::benchmark ? "benchmark" : "suite";
}

}  // namespace gate
