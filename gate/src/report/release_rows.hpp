// gate/src/report/release_rows.hpp — what the three release renderers
// (Markdown, HTML, JSON) show of one runner, decided once: the headline, one
// row per benchmark and metric joining its change verdict with its target
// verdict, the rows sorted into the report's sections, and the charted
// series. The renderers only lay these out and escape them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gate/report/release.hpp"

namespace gate::detail {

/// One benchmark's metric (or one binary's size) from one ref to the other.
/// Text is raw and untrusted where it comes from names.
struct ReleaseRow {
  std::string suite;
  std::string name;    ///< "suite:benchmark" when the runner has several suites, else the benchmark; a binary by its name
  std::string metric;
  const Verdict* change = nullptr;  ///< the verdict against the limit, if any
  const Verdict* target = nullptr;  ///< the verdict of a target on this metric, if any
  Status status = Status::unchanged;  ///< the worse of the two
  bool fails = false;
  bool resource = false;  ///< sizes and memory: shown under Resources
  std::string from;       ///< "1.23 ms", "" when absent
  std::string to;
  std::string change_text;  ///< "+25.3%"
  std::string p;            ///< the change's p-value, "" when untested
  std::string statistic;    ///< what the change compares: "median", "value"
  std::string limit;        ///< the limit the change was judged against: "+10%"
  std::string n;            ///< samples "from/to": "10/10"
  std::string target_text;  ///< "p95 < 10ms", or a size budget
  /// Headroom to the target as a fraction of it: 0.25 is 25% inside it,
  /// negative outside. None without a numeric target.
  std::optional<double> margin;
  std::string margin_text;  ///< "25% inside", "12% over"
  bool near_target = false;  ///< met, but within 10% of the bound
};

/// Everything a release renderer shows of one runner, in the report's order.
struct ReleaseView {
  std::string headline;  ///< "PASS: all targets met", "FAIL: 1 regressed, 2 targets missed", "COULD NOT JUDGE: ..."
  std::vector<ReleaseRow> rows;       ///< benchmarks, worst first
  std::vector<ReleaseRow> resources;  ///< sizes and memory, worst first
  std::vector<const ReleaseRow*> improvements;  ///< of rows and resources
  std::vector<const ReleaseRow*> regressions;   ///< regressed, suspect, failed, missing, budget exceeded
  std::vector<const ReleaseRow*> targets;       ///< missed, or met within 10%
  /// The series charted: each benchmark's primary metric, and any other
  /// series with a change point or a target. Indices into ReleaseRunner::series.
  std::vector<std::size_t> charted;
  std::size_t targets_total = 0;
  std::size_t targets_missed = 0;
};

/// The view of one runner. Does not copy the runner: the rows point into it.
[[nodiscard]] ReleaseView build_release_view(const ReleaseRunner& runner);

/// The series as a line of block characters ("▁▂▅▇"), one a point, at most
/// `width` (evenly sampled beyond it); "" for an empty series.
[[nodiscard]] std::string sparkline(const ReleaseSeries& series, std::size_t width = 60);

/// "2026-01-12" (UTC).
[[nodiscard]] std::string format_date(std::int64_t time);

/// The first 12 hex digits of a sha.
[[nodiscard]] std::string short_sha(const std::string& sha);

/// "suite:benchmark metric", the name of a series in lists.
[[nodiscard]] std::string series_name(const ReleaseSeries& s, bool with_suite);

/// The checklist before a release, as (done, text) in order.
[[nodiscard]] std::vector<std::pair<bool, std::string>> release_checklist(const ReleaseReport& report,
                                                                          const ReleaseRunner& runner,
                                                                          const ReleaseView& view);

}  // namespace gate::detail
