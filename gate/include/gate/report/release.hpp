// gate/include/gate/report/release.hpp — a release performance report, from
// one ref to another, per runner: the two ends judged against each other,
// each benchmark's medians over the commits in between and the change points
// found in them; rendered as Markdown, one self-contained HTML file with
// inline SVG charts, and JSON (schema in docs/report.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gate/judge/verdict.hpp"

namespace gate {

/// A commit as a release report shows it.
struct ReleaseCommit {
  std::string sha;        ///< 40 hex digits
  std::string subject;    ///< untrusted: escaped by every renderer
  std::int64_t time = 0;  ///< committer time, seconds since the Unix epoch (UTC)
};

/// One benchmark's metric over the commits between the two refs: its median
/// at each commit that re-recorded its suite (an unchanged file is no new
/// measurement, so it is not a point).
struct ReleaseSeries {
  std::string suite;
  std::string benchmark;  ///< untrusted
  std::string metric;
  std::string unit;       ///< as gate::Metric::unit: "ns", "B", "1/s", ""
  Direction direction = Direction::lower_is_better;
  MetricKind kind = MetricKind::noisy;
  bool primary = false;                ///< the policy's primary metric of this benchmark
  std::vector<std::size_t> commits;    ///< indices into ReleaseRunner::commits, one per point
  std::vector<double> values;          ///< the median of the repetitions at that commit
  std::vector<std::size_t> change_points;  ///< indices into ReleaseRunner::change_points
  std::optional<double> target;        ///< a target on this metric, in its unit
  std::string target_text;             ///< "p95 < 10ms"
};

/// A change of level in a series, attributed to the commit whose point
/// starts the new level.
struct ReleaseChangePoint {
  std::size_t series = 0;  ///< index into ReleaseRunner::series
  std::size_t point = 0;   ///< index into the series' points: the first of the new level
  std::size_t commit = 0;  ///< index into ReleaseRunner::commits
  double level_before = 0;  ///< the median of the segment before
  double level_after = 0;   ///< the median of the segment after
  double change = 0;        ///< level_after / level_before − 1
  double p_value = 1;       ///< the rank test of the two segments (stats/change_points.hpp)
  bool worse = false;       ///< the step goes the metric's bad way
};

/// What a release report says about one runner.
struct ReleaseRunner {
  std::string runner;
  /// `to`'s baselines judged against `from`'s, with the policy; its verdicts
  /// give the table, resources, improvements, regressions and targets.
  Comparison comparison;
  /// The points of the history: `from`'s commit, then every commit up to
  /// `to` that changed baselines/<runner>/, oldest first. Empty when the
  /// history could not be read.
  std::vector<ReleaseCommit> commits;
  std::vector<ReleaseSeries> series;             ///< by suite, benchmark, metric
  std::vector<ReleaseChangePoint> change_points;  ///< by commit, then series
  /// Blobs the history read from the object store: each suite file between
  /// the ends once (the ends' files are read once, for the table).
  std::size_t blobs_read = 0;
  /// Why there is no history (a shallow clone, with the fetch that fixes it):
  /// the two-ref table is still there, and the report cannot pass (exit 2).
  std::optional<std::string> history_error;
};

/// A release report: the refs, and each runner.
struct ReleaseReport {
  std::string from;  ///< the refs as given: "v1.0.0"
  std::string to;
  ReleaseCommit from_commit;
  ReleaseCommit to_commit;
  std::string policy_source;
  /// The change-point method and its parameters, in words, for the report's footer.
  std::string method;
  std::vector<ReleaseRunner> runners;
  std::vector<std::string> notices;  ///< said before the first runner

  /// 2 when a runner's history or comparison could not be judged, else 1
  /// when a verdict fails the gate (a regression, a missed target), else 0.
  [[nodiscard]] int exit_code() const;
};

/// The version of the release report's JSON schema; bumped on incompatible change.
inline constexpr int k_release_json_version = 1;

/// GitHub-flavoured Markdown: per runner the headline, the change table,
/// resources, improvements, regressions, targets missed or near, the
/// history as a line of block characters per series, the change points
/// with their commits, and the pre-release checklist. Every name and commit
/// subject is escaped.
[[nodiscard]] std::string render_release_markdown(const ReleaseReport& report);
/// One HTML file that needs nothing else: the same sections, with an inline
/// SVG chart per benchmark (change points marked, target drawn), no script,
/// no URL. Every untrusted text is escaped.
[[nodiscard]] std::string render_release_html(const ReleaseReport& report);
/// Everything as JSON (docs/report.md has the schema): rows, series,
/// change points with their commits.
[[nodiscard]] std::string render_release_json(const ReleaseReport& report);

}  // namespace gate
