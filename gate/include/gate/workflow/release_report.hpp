// gate/include/gate/workflow/release_report.hpp — `gate report`: a release
// performance report from one ref to another, read from the baselines in git
// through libgit2 (no checkout, no git program).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "gate/report/release.hpp"

namespace gate {

/// What `gate report` is asked.
struct ReleaseReportRequest {
  std::filesystem::path repo = ".";  ///< inside the git repository
  std::string from;                  ///< the previous release: a tag, a branch, a sha
  std::string to;                    ///< this release
  /// --runner; else GATE_RUNNER; else the one runner with baselines at `to`
  /// (several there: gate::Error naming them).
  std::optional<std::string> runner;
  bool all_runners = false;          ///< every runner with baselines at `to`
  std::optional<std::filesystem::path> policy;  ///< else `to`'s gate.json, else built-in defaults
};

/// Builds the report. For each runner:
///  - `to`'s baselines judged against `from`'s (gate::compare, both ends
///    measured at other times than each other: timing changes are judged as
///    they stand), with `to`'s noise.json when there is one;
///  - the history (store/history.hpp): every commit between the refs that
///    changed baselines/<runner>/, every distinct blob read and parsed once
///    (the two ends' files are those of the table, not read again),
///    each benchmark's metric as the series of its medians at the commits
///    that re-recorded its suite;
///  - its change points (stats/change_points.hpp with the default options;
///    steps of noisy metrics of at most 5% are left out), each attributed to
///    the commit that starts the new level.
/// When the history cannot be walked (a shallow clone, a `from` that is not
/// on `to`'s first-parent history) the runner keeps its two-ref table and
/// ReleaseRunner::history_error says why and what to fetch.
/// Throws gate::Error for a ref that is not in the clone, a corrupt
/// baseline file, an invalid runner id, no baselines for the runner at
/// either ref, or no runner to choose.
[[nodiscard]] ReleaseReport build_release_report(const ReleaseReportRequest& request);

}  // namespace gate
