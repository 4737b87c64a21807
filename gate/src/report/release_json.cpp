// gate/src/report/release_json.cpp — the release report as JSON for other
// tools to draw their own: the rows of each runner, every series with its
// points' commits, and the change points. Schema in docs/report.md,
// versioned by k_release_json_version.
#include <nlohmann/json.hpp>

#include <cmath>

#include "gate/model/metrics.hpp"
#include "gate/report/release.hpp"
#include "report/release_rows.hpp"

namespace gate {
namespace {

using nlohmann::ordered_json;

// JSON has no infinity or NaN: such a number is null.
ordered_json number(double x) { return std::isfinite(x) ? ordered_json(x) : ordered_json(nullptr); }
ordered_json number(const std::optional<double>& x) { return x ? number(*x) : ordered_json(nullptr); }

ordered_json commit_json(const ReleaseCommit& c) {
  return {{"sha", c.sha}, {"subject", c.subject}, {"time", c.time}};
}

ordered_json row_json(const detail::ReleaseRow& r) {
  const Verdict* v = r.change != nullptr ? r.change : r.target;
  ordered_json j = {{"suite", r.suite},
                    {"name", v != nullptr ? v->name : r.name},
                    {"scope", v != nullptr ? std::string(to_string(v->scope)) : "benchmark"},
                    {"metric", r.metric},
                    {"unit", v != nullptr ? v->unit : ""},
                    {"status", to_string(r.status)},
                    {"fails", r.fails}};
  if (r.change != nullptr) {
    const Verdict& c = *r.change;
    j["from"] = number(c.baseline);
    j["to"] = number(c.contender);
    j["change"] = number(c.change);
    j["statistic"] = to_string(c.statistic);
    j["limit"] = c.threshold;
    j["p_value"] = number(c.p_value);
    j["q_value"] = number(c.q_value);
    j["n_from"] = c.n_baseline;
    j["n_to"] = c.n_contender;
    j["notes"] = c.notes;
  }
  if (r.target != nullptr) {
    j["target"] = {{"text", r.target_text},
                   {"status", to_string(r.target->status)},
                   {"value", number(r.target->contender)},
                   {"margin", number(r.margin)},
                   {"near", r.near_target}};
  }
  return j;
}

ordered_json runner_json(const ReleaseReport& report, const ReleaseRunner& runner) {
  const detail::ReleaseView view = detail::build_release_view(runner);
  ordered_json j;
  j["runner"] = runner.runner;
  j["headline"] = view.headline;
  j["history_error"] = runner.history_error ? ordered_json(*runner.history_error) : ordered_json(nullptr);
  j["notices"] = runner.comparison.notices;
  ordered_json rows = ordered_json::array();
  for (const auto& r : view.rows) rows.push_back(row_json(r));
  j["rows"] = std::move(rows);
  ordered_json resources = ordered_json::array();
  for (const auto& r : view.resources) resources.push_back(row_json(r));
  j["resources"] = std::move(resources);
  ordered_json commits = ordered_json::array();
  for (const auto& c : runner.commits) commits.push_back(commit_json(c));
  j["commits"] = std::move(commits);
  j["blobs_read"] = runner.blobs_read;
  ordered_json series = ordered_json::array();
  for (const auto& s : runner.series) {
    ordered_json points = ordered_json::array();
    for (std::size_t i = 0; i < s.values.size(); ++i) points.push_back({s.commits[i], number(s.values[i])});
    series.push_back({{"suite", s.suite},
                      {"benchmark", s.benchmark},
                      {"metric", s.metric},
                      {"unit", s.unit},
                      {"direction", to_string(s.direction)},
                      {"kind", to_string(s.kind)},
                      {"primary", s.primary},
                      {"target", number(s.target)},
                      {"target_text", s.target_text},
                      {"points", std::move(points)}});
  }
  j["series"] = std::move(series);
  ordered_json cps = ordered_json::array();
  for (const auto& cp : runner.change_points) {
    const auto& s = runner.series[cp.series];
    cps.push_back({{"series", cp.series},
                   {"suite", s.suite},
                   {"benchmark", s.benchmark},
                   {"metric", s.metric},
                   {"commit", commit_json(runner.commits[cp.commit])},
                   {"commit_index", cp.commit},
                   {"point", cp.point},
                   {"before", number(cp.level_before)},
                   {"after", number(cp.level_after)},
                   {"change", number(cp.change)},
                   {"p_value", number(cp.p_value)},
                   {"worse", cp.worse}});
  }
  j["change_points"] = std::move(cps);
  ordered_json checklist = ordered_json::array();
  for (const auto& [done, text] : detail::release_checklist(report, runner, view)) {
    checklist.push_back({{"done", done}, {"item", text}});
  }
  j["checklist"] = std::move(checklist);
  return j;
}

}  // namespace

std::string render_release_json(const ReleaseReport& report) {
  ordered_json j;
  j["schema"] = "perfgate-release-report";
  j["version"] = k_release_json_version;
  j["from"] = commit_json(report.from_commit);
  j["from"]["ref"] = report.from;
  j["to"] = commit_json(report.to_commit);
  j["to"]["ref"] = report.to;
  j["policy"] = report.policy_source;
  j["method"] = report.method;
  j["exit_code"] = report.exit_code();
  j["notices"] = report.notices;
  ordered_json runners = ordered_json::array();
  for (const auto& r : report.runners) runners.push_back(runner_json(report, r));
  j["runners"] = std::move(runners);
  // Names and subjects may hold bytes that are not UTF-8: replaced, never thrown on.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace gate
