// gate/src/report/release_rows.cpp — one runner of a release report turned
// into the headline, rows and sections every release renderer shows.
#include "report/release_rows.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <tuple>

#include "gate/model/units.hpp"
#include "report/rows.hpp"

namespace gate {

int ReleaseReport::exit_code() const {
  int code = 0;
  for (const auto& r : runners) {
    if (r.history_error) return 2;
    code = std::max(code, r.comparison.exit_code());
  }
  return code;
}

namespace detail {
namespace {

// Sizes and memory: what the caro guides call resource usage.
bool is_resource(const Verdict& v) {
  if (v.scope == Scope::binary) return true;
  return v.unit == "B" || v.metric.find("alloc") != std::string::npos;
}

std::string value_text(const Verdict& v, const std::optional<double>& x, const std::string& text) {
  if (!text.empty()) return text;
  return x ? format_quantity(*x, v.unit) : "";
}

// The target a verdict checked, found again in the policy for its bound.
std::optional<double> target_margin(const Comparison& c, const Verdict& v) {
  if (v.scope != Scope::benchmark || !v.contender) return std::nullopt;
  const BenchmarkRules rules = c.policy.rules_for(v.suite, v.name);
  for (const auto& t : rules.targets) {
    const std::string& metric = t.metric.empty() ? rules.primary_metric : t.metric;
    if (metric != v.metric || t.text != v.threshold || to_string(t.statistic) != to_string(v.statistic)) continue;
    if (t.bound == 0) return std::nullopt;
    const double headroom = t.op == Target::Op::lt || t.op == Target::Op::le ? t.bound - *v.contender
                                                                                : *v.contender - t.bound;
    return headroom / std::abs(t.bound);
  }
  return std::nullopt;
}

// A metric that could not be judged (failed) is not listed as a regression:
// the headline and the notices say so, and its row says why.
bool is_regression(Status s) {
  return s == Status::regressed || s == Status::suspect || s == Status::missing || s == Status::budget_exceeded;
}

std::string headline(const ReleaseRunner& runner, const ReleaseView& view) {
  const Comparison& c = runner.comparison;
  if (runner.history_error || c.exit_code() == 2) {
    std::string why;
    if (c.exit_code() == 2) why = "the two ends could not be judged";
    if (runner.history_error) why += std::string(why.empty() ? "" : "; ") + "the history could not be read";
    return "COULD NOT JUDGE: " + why;
  }
  if (c.exit_code() == 1) {
    std::map<Status, std::size_t> failing;
    for (const auto& v : c.verdicts) {
      if (c.fails(v)) ++failing[v.status];
    }
    std::string what;
    for (const auto& [status, n] : failing) {
      std::string name(to_string(status));
      if (status == Status::target_missed) name = n == 1 ? "target missed" : "targets missed";
      what += fmt::format("{}{} {}", what.empty() ? "" : ", ", n, name);
    }
    return "FAIL: " + what;
  }
  std::string out = view.targets_total > 0 ? fmt::format("PASS: all {} targets met", view.targets_total)
                                           : std::string("PASS: no regressions (no targets set)");
  if (view.targets_total > 0 && view.regressions.empty()) out += ", no regressions";
  return out;
}

}  // namespace

std::string short_sha(const std::string& sha) { return sha.substr(0, 12); }

std::string format_date(std::int64_t time) {
  auto t = static_cast<std::time_t>(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string series_name(const ReleaseSeries& s, bool with_suite) {
  return fmt::format("{}{} {}", with_suite ? s.suite + ":" : "", s.benchmark, s.metric);
}

std::string sparkline(const ReleaseSeries& series, std::size_t width) {
  static constexpr const char* k_blocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  const auto& v = series.values;
  if (v.empty()) return "";
  std::vector<double> points;
  if (v.size() <= width) {
    points = v;
  } else {
    for (std::size_t i = 0; i < width; ++i) points.push_back(v[i * (v.size() - 1) / (width - 1)]);
  }
  const auto [lo, hi] = std::minmax_element(points.begin(), points.end());
  std::string out;
  for (double x : points) {
    const double f = *hi > *lo ? (x - *lo) / (*hi - *lo) : 0.5;
    out += k_blocks[std::clamp(static_cast<int>(std::lround(f * 7)), 0, 7)];
  }
  return out;
}

ReleaseView build_release_view(const ReleaseRunner& runner) {
  const Comparison& c = runner.comparison;
  ReleaseView view;
  const bool several_suites = std::any_of(c.verdicts.begin(), c.verdicts.end(),
                                          [&](const Verdict& v) { return v.suite != c.verdicts.front().suite; });
  // One row per (suite, name, metric): the change and the target side by
  // side, as a release table reads. Verdicts come worst first, so rows do.
  std::map<std::tuple<std::string, std::string, std::string, bool>, std::size_t> index;
  std::vector<ReleaseRow> all;
  for (const auto& v : c.verdicts) {
    const auto key = std::tuple{v.suite, v.name, v.metric, v.scope == Scope::binary};
    auto [it, fresh] = index.try_emplace(key, all.size());
    if (fresh) {
      ReleaseRow row;
      row.suite = v.suite;
      row.metric = v.metric;
      switch (v.scope) {
        case Scope::suite: row.name = v.suite; break;
        case Scope::binary: row.name = v.name; break;
        case Scope::benchmark: row.name = several_suites ? v.suite + ":" + v.name : v.name; break;
      }
      row.status = v.status;
      row.resource = is_resource(v);
      all.push_back(std::move(row));
    }
    ReleaseRow& row = all[it->second];
    row.status = std::min(row.status, v.status);
    row.fails = row.fails || c.fails(v);
    if (v.test == Test::target) {
      row.target = &v;
      row.target_text = fmt::format("{} {}", to_string(v.statistic), v.threshold);
      row.margin = target_margin(c, v);
      if (row.margin) {
        row.margin_text = *row.margin >= 0 ? fmt::format("{:.0f}% inside", *row.margin * 100)
                                           : fmt::format("{:.0f}% over", -*row.margin * 100);
      }
      row.near_target = v.status == Status::target_met && row.margin && *row.margin < 0.10;
      ++view.targets_total;
      if (v.status == Status::target_missed) ++view.targets_missed;
      if (row.to.empty()) row.to = value_text(v, v.contender, v.contender_text);
    } else {
      row.change = &v;
      row.from = value_text(v, v.baseline, v.baseline_text);
      row.to = value_text(v, v.contender, v.contender_text);
      row.change_text = v.change ? format_change(*v.change) : "";
      row.p = v.p_value ? format_p(*v.p_value) : "";
      row.statistic = to_string(v.statistic);
      row.limit = v.threshold;
      row.n = format_n(v);
      // A size's budget is its threshold: shown as the row's target.
      if (row.target_text.empty() && v.scope == Scope::binary) row.target_text = v.threshold;
    }
  }
  for (auto& row : all) (row.resource ? view.resources : view.rows).push_back(std::move(row));
  for (const auto* list : {&view.rows, &view.resources}) {
    for (const auto& row : *list) {
      if (row.status == Status::improved) view.improvements.push_back(&row);
      if (is_regression(row.status)) view.regressions.push_back(&row);
      if (row.target && (row.target->status == Status::target_missed || row.near_target)) view.targets.push_back(&row);
    }
  }
  for (std::size_t i = 0; i < runner.series.size(); ++i) {
    const auto& s = runner.series[i];
    if (s.primary || !s.change_points.empty() || s.target) view.charted.push_back(i);
  }
  view.headline = headline(runner, view);
  return view;
}

std::vector<std::pair<bool, std::string>> release_checklist(const ReleaseReport& report, const ReleaseRunner& runner,
                                                            const ReleaseView& view) {
  std::vector<std::pair<bool, std::string>> out;
  out.emplace_back(runner.comparison.baseline_found,
                   runner.comparison.baseline_found
                       ? fmt::format("Compared with the previous release ({})", report.from)
                       : fmt::format("Compare with the previous release: {} has no baselines for this runner",
                                     report.from));
  out.emplace_back(view.targets_missed == 0,
                   view.targets_total == 0 ? std::string("Verify all targets (none are set in the policy)")
                   : view.targets_missed == 0
                       ? fmt::format("All {} targets verified", view.targets_total)
                       : fmt::format("Verify all targets: {} of {} missed", view.targets_missed, view.targets_total));
  out.emplace_back(view.regressions.empty(),
                   view.regressions.empty()
                       ? std::string("No regressions to profile")
                       : fmt::format("Profile the {} regression{}", view.regressions.size(),
                                     view.regressions.size() == 1 ? "" : "s"));
  std::size_t worse = 0;
  for (const auto& cp : runner.change_points) worse += cp.worse ? 1 : 0;
  out.emplace_back(worse == 0, worse == 0 ? std::string("No change point for the worse in the history")
                                          : fmt::format("Review the {} change point{} for the worse and their commits",
                                                        worse, worse == 1 ? "" : "s"));
  out.emplace_back(!runner.history_error, runner.history_error ? std::string("Fetch the history between the releases")
                                                               : fmt::format("History read: {} commits of baselines",
                                                                             runner.commits.size()));
  return out;
}

}  // namespace detail
}  // namespace gate
