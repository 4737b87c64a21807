// tests/report_support.cpp — reading the gate's JSON report in CLI tests.
#include "report_support.hpp"

#include <boost/test/unit_test.hpp>

namespace gate::test {

nlohmann::json json_report(const RunResult& r) {
  try {
    return nlohmann::json::parse(r.out);
  } catch (const nlohmann::json::exception& e) {
    BOOST_FAIL("stdout is not JSON: " << e.what() << "\nstdout: " << r.out << "\nstderr: " << r.err);
  }
  return {};
}

std::vector<nlohmann::json> failing_verdicts(const nlohmann::json& report) {
  std::vector<nlohmann::json> out;
  for (const auto& v : report["verdicts"]) {
    if (v["fails_gate"].get<bool>()) out.push_back(v);
  }
  return out;
}

}  // namespace gate::test
