// gate/src/workflow/release_report.cpp — a release report put together: the
// two refs' baselines judged against each other, the history between them
// walked once, every distinct baseline file parsed once, one series of
// medians per benchmark and metric, and its change points.
#include "gate/workflow/release_report.hpp"

#include <fmt/core.h>

#include <map>
#include <memory>
#include <tuple>
#include <unordered_map>

#include "gate/error.hpp"
#include "gate/formats/bundle.hpp"
#include "gate/judge/judge.hpp"
#include "gate/model/names.hpp"
#include "gate/stats/change_points.hpp"
#include "gate/stats/stats.hpp"
#include "gate/store/baseline_store.hpp"
#include "gate/store/history.hpp"
#include "gate/store/runner.hpp"
#include "gate/workflow/compare.hpp"

namespace gate {
namespace {

// A step of a timing metric smaller than this is not shown: on 200-point
// series of 2% noise the method's few false alarms are steps of 2–4%
// (docs/report.md), and a release manager cannot act on them.
constexpr double k_noisy_min_step = 0.05;

ReleaseCommit release_commit(const CommitInfo& c) { return ReleaseCommit{c.sha, c.subject, c.time}; }

stats::ChangePointOptions options_for(MetricKind kind) {
  stats::ChangePointOptions o;
  if (kind == MetricKind::noisy) o.min_magnitude = k_noisy_min_step;
  return o;
}

std::string method_text() {
  const stats::ChangePointOptions o;
  return fmt::format(
      "E-divisive means (Matteson & James 2014) as Apache Otava finds change points: windows of {} points, candidates "
      "kept at p ≤ {} and confirmed at p ≤ {} by a two-sided Mann-Whitney test of the segments on each side, at "
      "least {} points a segment; steps of timing metrics of {:.0f}% or less are not shown. A step is attributed to "
      "the commit whose point starts the new level; a series has one point per commit that re-recorded its suite",
      o.window, o.weak_p_value, o.max_p_value, o.min_segment, k_noisy_min_step * 100);
}

// The runners to report: the one asked for, every one at `to`, or the only one there.
std::vector<std::string> choose_runners(const ReleaseReportRequest& r) {
  auto given = given_runner_id(r.runner);
  if (given && !r.all_runners) return {given->first};
  const RefSnapshot snap = read_baselines_at(r.repo, r.to, given ? given->first : "none");
  if (snap.runners.empty()) {
    throw Error(fmt::format("reporting from '{}' to '{}': there are no baselines at '{}' (no {}/ directory)", r.from,
                            r.to, r.to, k_baselines_dir));
  }
  if (r.all_runners || snap.runners.size() == 1) return snap.runners;
  std::string names;
  for (const auto& n : snap.runners) names += (names.empty() ? "" : ", ") + n;
  throw Error(fmt::format("reporting from '{}' to '{}': '{}' has baselines of several runners ({}) — choose one with "
                          "--runner ID or report them all with --all-runners",
                          r.from, r.to, r.to, names));
}

// Both refs' baselines of one runner, read once: for the two-ref table and
// as the first and last points of the history.
struct Ends {
  BaselineAtRef from;
  BaselineAtRef to;
};

Ends load_ends(const ReleaseReportRequest& r, const std::string& runner) {
  Ends e{load_baseline_at(r.repo, r.from, runner, r.policy), load_baseline_at(r.repo, r.to, runner, r.policy)};
  if (!e.from.found && !e.to.found) {
    std::string names;
    for (const auto& n : e.to.runners) names += (names.empty() ? "" : ", ") + n;
    throw Error(fmt::format("reporting from '{}' to '{}': no baselines for runner '{}' at either ref (runners at "
                            "'{}': {})",
                            r.from, r.to, runner, r.to, names.empty() ? "none" : names));
  }
  return e;
}

Comparison compare_ends(const ReleaseReportRequest& r, const std::string& runner, const Ends& ends) {
  const BaselineAtRef& from = ends.from;
  const BaselineAtRef& to = ends.to;
  CompareOptions options;
  if (to.noise) options.noise = std::make_shared<const NoiseTable>(*to.noise);
  options.later_metrics_are_new = true;  // a metric first measured after `from` (instructions, say) is new
  Comparison c = compare(from.bundle, to.bundle, to.policy, options);
  c.runner = runner;
  c.baseline_source = from.bundle.source;
  c.contender_source = to.bundle.source;
  c.baseline_commit = from.commit.sha;
  c.contender_commit = to.commit.sha;
  c.baseline_found = from.found;
  // Both ends are stored baselines, recorded at different times, and no
  // re-run can confirm a release's timing after the fact: the change is
  // judged as it stands, and the report says so.
  c.notices.insert(c.notices.begin(),
                   fmt::format("both ends are stored baselines of runner '{}', recorded at different times: timing "
                               "changes are judged as they stand, without a same-job re-run",
                               runner));
  if (!from.found) {
    c.notices.insert(c.notices.begin(), fmt::format("no baselines for runner '{}' at '{}': every benchmark is new",
                                                    runner, r.from));
  }
  if (!to.found) {
    c.notices.insert(c.notices.begin(), fmt::format("no baselines for runner '{}' at '{}': every benchmark is missing",
                                                    runner, r.to));
  }
  return c;
}

using SeriesKey = std::tuple<std::string, std::string, std::string>;  // suite, benchmark, metric

// The series and change points of one runner's history.
void read_history(const BaselineHistory& history, const Policy& policy, const Ends& ends, ReleaseRunner& out) {
  for (const auto& c : history.commits()) out.commits.push_back(release_commit(c.commit));

  // Each suite file's updates: the commit and the blob of each.
  std::map<std::string, std::vector<std::pair<std::size_t, std::string>>> updates;
  for (const auto& c : history.commits()) {
    for (const auto& f : c.files) {
      if (is_suite_baseline_file(f.name)) updates.try_emplace(f.name);
    }
  }
  for (auto& [name, list] : updates) {
    for (std::size_t i : history.updates_of(name)) {
      for (const auto& f : history.commits()[i].files) {
        if (f.name == name) list.emplace_back(i, f.blob);
      }
    }
  }

  // Every distinct blob parsed once; of each only its medians are kept.
  std::map<SeriesKey, ReleaseSeries> series;
  std::unordered_map<std::string, std::vector<std::pair<ReleaseSeries*, double>>> medians;  // blob → values
  std::map<std::pair<std::string, std::string>, BenchmarkRules> rules;
  auto take = [&](const std::string& blob, const Suite& parsed) {
    auto& values = medians[blob];
    const std::string& suite = parsed.name;
    for (const auto& b : parsed.benchmarks) {
      auto r = rules.find({suite, b.name});
      if (r == rules.end()) r = rules.emplace(std::pair{suite, b.name}, policy.rules_for(suite, b.name)).first;
      for (const auto& m : b.metrics) {
        if (m.samples.empty()) continue;
        auto [it, fresh] = series.try_emplace(SeriesKey{suite, b.name, m.name});
        ReleaseSeries& s = it->second;
        if (fresh) {
          const MetricInfo info = policy.describe(m.name);
          s.suite = suite;
          s.benchmark = b.name;
          s.metric = m.name;
          s.unit = m.unit.empty() ? info.unit : m.unit;
          s.direction = info.direction;
          s.kind = info.kind;
          s.primary = m.name == r->second.primary_metric;
          for (const auto& t : r->second.targets) {
            if ((t.metric.empty() ? r->second.primary_metric : t.metric) != m.name) continue;
            s.target = t.bound;
            s.target_text = fmt::format("{} {}", to_string(t.statistic), t.text);
            break;
          }
        }
        values.emplace_back(&s, stats::median(m.samples));
      }
    }
  };
  // The files of the two ends were read for the table: their suites are
  // taken from there, and only the blobs in between are read here, so that
  // each blob is read and parsed once.
  std::unordered_map<std::string, const Suite*> known;
  auto remember = [&](const HistoryCommit& c, const RunBundle& bundle) {
    for (const auto& f : c.files) {
      const auto name = suite_of_baseline_file(f.name);
      if (!name) continue;
      for (const auto& suite : bundle.suites) {
        if (suite.name == *name) known.emplace(f.blob, &suite);
      }
    }
  };
  remember(history.commits().front(), ends.from.bundle);
  remember(history.commits().back(), ends.to.bundle);  // nothing changed the directory after it up to `to`
  for (const auto& [blob, suite] : known) take(blob, *suite);
  std::unordered_map<std::string, std::string> first_commit;  // blob → the commit that names it in messages
  for (const auto& c : history.commits()) {
    for (const auto& f : c.files) first_commit.try_emplace(f.blob, c.commit.sha);
  }
  history.for_each_blob(
      [&](const HistoryFile& f, std::string_view text) {
        const std::string source =
            fmt::format("{}:{}/{}/{}", first_commit[f.blob].substr(0, 12), k_baselines_dir, history.runner(), f.name);
        take(f.blob, parse_baseline(text, source).suite);
      },
      [&](const HistoryFile& f) { return is_suite_baseline_file(f.name) && !known.contains(f.blob); });
  // A file whose suite name differs from its file name still counts by the
  // file: its updates are the file's.
  for (const auto& [name, list] : updates) {
    for (const auto& [commit, blob] : list) {
      auto it = medians.find(blob);
      if (it == medians.end()) continue;
      for (const auto& [s, value] : it->second) {
        s->commits.push_back(commit);
        s->values.push_back(value);
      }
    }
  }

  for (auto& [key, s] : series) {
    const std::size_t index = out.series.size();
    for (const auto& cp : stats::find_change_points(s.values, options_for(s.kind))) {
      ReleaseChangePoint p;
      p.series = index;
      p.point = cp.index;
      p.commit = s.commits[cp.index];
      p.level_before = cp.level_before;
      p.level_after = cp.level_after;
      p.change = cp.change;
      p.p_value = cp.p_value;
      p.worse = s.direction == Direction::lower_is_better ? cp.change > 0 : cp.change < 0;
      out.change_points.push_back(p);
    }
    out.series.push_back(std::move(s));
  }
  std::stable_sort(out.change_points.begin(), out.change_points.end(),
                   [](const ReleaseChangePoint& a, const ReleaseChangePoint& b) { return a.commit < b.commit; });
  for (std::size_t i = 0; i < out.change_points.size(); ++i) {
    out.series[out.change_points[i].series].change_points.push_back(i);
  }
}

}  // namespace

ReleaseReport build_release_report(const ReleaseReportRequest& request) {
  ReleaseReport out;
  out.from = request.from;
  out.to = request.to;
  out.from_commit = release_commit(resolve_commit(request.repo, request.from));
  out.to_commit = release_commit(resolve_commit(request.repo, request.to));
  out.method = method_text();
  for (const std::string& runner : choose_runners(request)) {
    ReleaseRunner r;
    r.runner = runner;
    Ends ends = load_ends(request, runner);
    r.comparison = compare_ends(request, runner, ends);
    if (out.policy_source.empty()) out.policy_source = r.comparison.policy_source;
    std::optional<BaselineHistory> history;
    try {
      history.emplace(BaselineHistory::walk(request.repo, request.from, request.to, runner));
    } catch (const Error& e) {
      // The two-ref table needs no history: it is still reported, and the
      // report says what is missing and how to fetch it.
      r.history_error = e.what();
    }
    if (history) {
      read_history(*history, r.comparison.policy, ends, r);
      r.blobs_read = history->counters().blobs_read;
    }
    out.runners.push_back(std::move(r));
  }
  return out;
}

}  // namespace gate
