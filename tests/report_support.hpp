// tests/report_support.hpp — reading the gate's JSON report in CLI tests.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "test_support.hpp"

namespace gate::test {

/// stdout of `gate compare --format json` as JSON; fails the test (showing
/// stdout and stderr) when it is not JSON.
nlohmann::json json_report(const RunResult& r);

/// The verdicts of a JSON report that fail the gate.
std::vector<nlohmann::json> failing_verdicts(const nlohmann::json& report);

}  // namespace gate::test
