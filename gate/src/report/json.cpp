// gate/src/report/json.cpp — the comparison as JSON for machines: every
// verdict with every input, in the order and with the outcome the other
// reports show. The schema is documented in docs/json-report.md and
// versioned by k_json_report_version.
#include <nlohmann/json.hpp>

#include <cmath>

#include "gate/model/metrics.hpp"
#include "gate/report/report.hpp"
#include "report/rows.hpp"

namespace gate {
namespace {

using nlohmann::ordered_json;

ordered_json optional_number(const std::optional<double>& x) {
  // JSON has no infinity: an infinite change (from a zero baseline) is a string.
  if (!x) return nullptr;
  if (std::isinf(*x)) return *x > 0 ? "+inf" : "-inf";
  return *x;
}

std::string_view outcome(int exit_code) {
  return exit_code == 0 ? "passed" : exit_code == 1 ? "failed" : "could not judge";
}

ordered_json verdict_json(const detail::Row& r) {
  const Verdict& v = *r.verdict;
  ordered_json o;
  o["scope"] = to_string(v.scope);
  o["suite"] = v.suite;
  o["benchmark"] = v.name;
  o["metric"] = v.metric;
  o["status"] = to_string(v.status);
  o["fails_gate"] = r.fails;
  o["statistic"] = to_string(v.statistic);
  o["test"] = to_string(v.test);
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
  o["spread"] = optional_number(v.spread);
  o["note"] = r.note;
  o["notes"] = v.notes;
  if (!v.functions.empty()) {
    ordered_json functions = ordered_json::array();
    for (const auto& f : v.functions) {
      functions.push_back({{"function", f.name},
                           {"file", f.file},
                           {"event", v.functions_event},
                           {"baseline_self", f.base_self},
                           {"contender_self", f.contender_self},
                           {"baseline_inclusive", f.base_inclusive},
                           {"contender_inclusive", f.contender_inclusive}});
    }
    o["functions"] = std::move(functions);
  }
  if (v.confirmation) {
    const Confirmation& c = *v.confirmation;
    o["confirmation"] = {{"status", to_string(c.status)},         {"test", to_string(c.test)},
                         {"change", optional_number(c.change)},   {"p_value", optional_number(c.p_value)},
                         {"q_value", optional_number(c.q_value)}, {"pairs", c.pairs},
                         {"detail", c.detail}};
  } else {
    o["confirmation"] = nullptr;
  }
  return o;
}

}  // namespace

std::string render_json(const Comparison& c) {
  const detail::Report report = detail::build_report(c);
  ordered_json j;
  j["schema"] = "perfgate-comparison";
  j["schema_version"] = k_json_report_version;
  j["outcome"] = outcome(c.exit_code());
  j["headline"] = report.headline;
  j["exit_code"] = c.exit_code();
  j["method"] = c.method == Method::paired ? "paired" : "unpaired";
  if (c.ab) {
    j["ab"] = {{"rounds", c.ab->rounds},
               {"base_build", c.ab->base_build_dir},
               {"head_build", c.ab->head_build_dir},
               {"pairing", to_string(c.ab->pairing)},
               {"cpu", c.ab->cpu ? ordered_json(*c.ab->cpu) : ordered_json(nullptr)},
               {"min_time", c.ab->min_time ? ordered_json(*c.ab->min_time) : ordered_json(nullptr)}};
  } else {
    j["ab"] = nullptr;
  }
  j["baseline"] = {{"source", c.baseline_source},
                   {"commit", c.baseline_commit},
                   {"runner", c.runner},
                   {"found", c.baseline_found}};
  j["contender"] = {{"source", c.contender_source}, {"commit", c.contender_commit}};
  j["policy"] = c.policy_source;
  j["alpha"] = c.alpha;
  j["timing"] = to_string(c.timing);
  j["unconfirmed"] = to_string(c.policy.defaults.unconfirmed);
  j["notices"] = c.notices;
  j["suite_failures"] = c.suite_failures;
  ordered_json counts = ordered_json::object();
  auto n = c.counts();
  for (std::size_t i = 0; i < n.size(); ++i) counts[std::string(to_string(static_cast<Status>(i)))] = n[i];
  j["counts"] = counts;
  j["suspects"] = n[static_cast<std::size_t>(Status::suspect)];
  ordered_json verdicts = ordered_json::array();
  for (const auto& r : report.rows) verdicts.push_back(verdict_json(r));
  j["verdicts"] = std::move(verdicts);
  return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace gate
