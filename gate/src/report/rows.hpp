// gate/src/report/rows.hpp — the one row model every report renders: the
// headline, the facts of the header, the notices and one row per verdict
// with its values already formatted and its notes joined. Table, Markdown,
// JSON and JUnit differ only in how they lay these out and escape them, so
// they cannot disagree about what a verdict says.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gate/judge/verdict.hpp"

namespace gate::detail {

/// One verdict as every report shows it. Text is raw (names come from the
/// results and are untrusted): each renderer escapes it for its medium.
struct Row {
  const Verdict* verdict = nullptr;
  bool fails = false;  ///< this row fails the gate (Comparison::fails)
  bool quiet = false;  ///< unchanged or target met: summarised when there are many rows
  std::string status;  ///< "regressed", "suspect", ...
  std::string name;    ///< "suite:benchmark" when the comparison has several suites, else the benchmark; a suite or binary by its name
  std::string metric;
  std::string statistic;
  std::string baseline;   ///< "1.23 ms", "O(N)", "" when absent
  std::string contender;
  std::string change;     ///< "+25.3%", "" when there is none
  std::string threshold;
  std::string p;          ///< "0.0012", "3.1e-07", "" when untested
  std::string q;
  std::string n;          ///< "10/10", "" when nothing was counted
  std::string note;       ///< the verdict's notes joined with "; "
};

/// Everything a report shows, in the order it shows it.
struct Report {
  /// "PASSED", "FAILED", "COULD NOT JUDGE", or "PASSED with 2 unconfirmed
  /// suspects" — never PASSED above a row that fails.
  std::string headline;
  std::string summary;  ///< "2 regressed, 1 noisy, 40 unchanged" in status order, zero counts omitted
  /// baseline (source, commit), runner, contender, policy, statistics: "key", "value".
  std::vector<std::pair<std::string, std::string>> facts;
  std::vector<std::string> notices;
  std::vector<Row> rows;  ///< worst first, as the comparison holds its verdicts
};

/// The report of a comparison.
[[nodiscard]] Report build_report(const Comparison& c);

/// "+25.3%" for a relative change, "+inf"/"-inf" for an infinite one.
[[nodiscard]] std::string format_change(double change);
/// "0.0012", "3.1e-07".
[[nodiscard]] std::string format_p(double p);
/// "10/10": the samples on each side, "" when nothing was counted.
[[nodiscard]] std::string format_n(const Verdict& v);

}  // namespace gate::detail
