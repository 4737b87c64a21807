// tests/metrics_test.cpp — metric knowledge by name.
#include <boost/test/unit_test.hpp>

#include "gate/model/metrics.hpp"

using gate::describe_metric;
using gate::Direction;
using gate::MetricKind;

BOOST_AUTO_TEST_SUITE(metrics)

BOOST_AUTO_TEST_CASE(times_are_noisy_and_lower_is_better) {
  for (auto name : {"real_time", "cpu_time"}) {
    auto info = describe_metric(name);
    BOOST_TEST((info.direction == Direction::lower_is_better));
    BOOST_TEST((info.kind == MetricKind::noisy));
    BOOST_TEST(info.unit == "ns");
  }
}

BOOST_AUTO_TEST_CASE(rates_are_higher_is_better) {
  for (auto name : {"items_per_second", "bytes_per_second", "queries_per_second"}) {
    BOOST_TEST((describe_metric(name).direction == Direction::higher_is_better));
    BOOST_TEST(describe_metric(name).unit == "1/s");
  }
}

BOOST_AUTO_TEST_CASE(allocation_and_callgrind_counts_are_deterministic) {
  for (auto name : {"allocs_per_iter", "max_bytes_used", "instructions", "l1d_misses", "est_cycles"}) {
    BOOST_TEST((describe_metric(name).kind == MetricKind::deterministic), name);
  }
  BOOST_TEST(describe_metric("max_bytes_used").unit == "B");
}

BOOST_AUTO_TEST_CASE(hardware_and_unknown_counters_are_noisy_lower) {
  for (auto name : {"hw_instructions", "hw_cycles", "widgets"}) {
    auto info = describe_metric(name);
    BOOST_TEST((info.kind == MetricKind::noisy), name);
    BOOST_TEST((info.direction == Direction::lower_is_better), name);
  }
}

BOOST_AUTO_TEST_SUITE_END()
