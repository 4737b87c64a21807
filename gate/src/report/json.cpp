// gate/src/report/json.cpp — the comparison as JSON for machines. The schema
// is documented in docs/json-report.md and versioned by k_json_report_version.
#include <nlohmann/json.hpp>

#include <cmath>

#include "gate/model/metrics.hpp"
#include "gate/report/report.hpp"
#include "report/format.hpp"

namespace gate {
namespace {

nlohmann::ordered_json optional_number(const std::optional<double>& x) {
  // JSON has no infinity: an infinite change (from a zero baseline) is a string.
  if (!x) return nullptr;
  if (std::isinf(*x)) return *x > 0 ? "+inf" : "-inf";
  return *x;
}

}  // namespace

std::string render_json(const Comparison& c) {
  using nlohmann::ordered_json;
  ordered_json j;
  j["schema"] = "perfgate-comparison";
  j["schema_version"] = k_json_report_version;
  j["outcome"] = c.exit_code() == 0 ? "passed" : c.exit_code() == 1 ? "failed" : "could not judge";
  j["exit_code"] = c.exit_code();
  j["baseline"] = {{"source", c.baseline_source},
                   {"commit", c.baseline_commit},
                   {"runner", c.runner},
                   {"found", c.baseline_found}};
  j["contender"] = {{"source", c.contender_source}, {"commit", c.contender_commit}};
  j["policy"] = c.policy_source;
  j["alpha"] = c.alpha;
  j["notices"] = c.notices;
  j["suite_failures"] = c.suite_failures;
  ordered_json counts = ordered_json::object();
  auto n = c.counts();
  for (std::size_t i = 0; i < n.size(); ++i) counts[std::string(to_string(static_cast<Status>(i)))] = n[i];
  j["counts"] = counts;
  ordered_json verdicts = ordered_json::array();
  for (const auto& v : c.verdicts) {
    ordered_json o;
    o["suite"] = v.suite;
    o["benchmark"] = v.benchmark;
    o["metric"] = v.metric;
    o["status"] = to_string(v.status);
    o["fails_gate"] = fails_gate(v);
    o["needs_confirmation"] = v.needs_confirmation;
    o["statistic"] = v.statistic;
    o["test"] = v.test;
    o["kind"] = to_string(v.kind);
    o["direction"] = to_string(v.direction);
    o["unit"] = v.unit;
    if (!v.baseline_text.empty() || !v.contender_text.empty()) {
      o["baseline"] = v.baseline_text;
      o["contender"] = v.contender_text;
    } else {
      o["baseline"] = optional_number(v.baseline);
      o["contender"] = optional_number(v.contender);
    }
    o["change"] = optional_number(v.change);
    o["threshold"] = v.threshold;
    o["p_value"] = optional_number(v.p_value);
    o["q_value"] = optional_number(v.q_value);
    o["n_baseline"] = v.n_baseline;
    o["n_contender"] = v.n_contender;
    o["baseline_spread"] = optional_number(v.baseline_spread);
    o["note"] = v.note;
    verdicts.push_back(std::move(o));
  }
  j["verdicts"] = std::move(verdicts);
  return j.dump(2) + "\n";
}

}  // namespace gate
