// gate/src/model/metrics.cpp — metric knowledge by name.
#include "gate/model/metrics.hpp"

#include <array>
#include <utility>

namespace gate {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

constexpr std::array<std::string_view, 8> k_memory = {"allocs_per_iter", "max_bytes_used", "total_allocated_bytes",
                                                      "net_heap_growth", "peak_bytes",     "allocations",
                                                      "peak_rss",        "steady_rss"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  for (auto n : names) {
    if (n == name) return true;
  }
  return false;
}

}  // namespace

MetricInfo describe_metric(std::string_view name) {
  if (name == "real_time" || name == "cpu_time") {
    return {Direction::lower_is_better, MetricKind::noisy, "ns"};
  }
  if (ends_with(name, "_per_second") || ends_with(name, "_rate")) {
    return {Direction::higher_is_better, MetricKind::noisy, "1/s"};
  }
  if (contains(k_memory, name)) {
    bool bytes = ends_with(name, "bytes") || ends_with(name, "bytes_used") || ends_with(name, "_rss") ||
                 name == "net_heap_growth";
    return {Direction::lower_is_better, MetricKind::deterministic, bytes ? "B" : ""};
  }
  if (is_callgrind_metric(name)) {
    return {Direction::lower_is_better, MetricKind::deterministic, ""};
  }
  return {Direction::lower_is_better, MetricKind::noisy, ""};
}

bool is_callgrind_metric(std::string_view name) {
  for (auto n : k_callgrind_metrics) {
    if (n == name) return true;
  }
  return false;
}

std::string_view to_string(Direction d) { return d == Direction::lower_is_better ? "lower" : "higher"; }
std::string_view to_string(MetricKind k) { return k == MetricKind::noisy ? "noisy" : "deterministic"; }

Metric make_metric(std::string_view name, MetricInfo info) {
  Metric m;
  m.name = std::string(name);
  m.unit = std::move(info.unit);
  m.direction = info.direction;
  m.kind = info.kind;
  return m;
}

Metric make_metric(std::string_view name) { return make_metric(name, describe_metric(name)); }

}  // namespace gate
