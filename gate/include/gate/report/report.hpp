// gate/include/gate/report/report.hpp — renders a Comparison for people and
// machines: an aligned terminal table, Markdown for pull-request comments and
// job summaries, JSON (schema in docs/json-report.md) and JUnit XML.
#pragma once

#include <cstddef>
#include <string>

#include "gate/judge/judge.hpp"

namespace gate {

struct ReportOptions {
  bool color = false;     ///< ANSI colours (the CLI sets it only on a terminal without NO_COLOR)
  bool show_all = false;  ///< list unchanged and met rows too, however many there are
  /// Markdown output stays below this many bytes (GitHub refuses comments over
  /// 65,536 characters); rows past it are counted, not shown.
  std::size_t markdown_limit = 60000;
};

/// The version of the JSON report's schema; bumped on incompatible change.
inline constexpr int k_json_report_version = 2;

/// Aligned table, worst first, with a header that names the baseline, the
/// runner, the policy and the statistics used, and a summary line.
[[nodiscard]] std::string render_table(const Comparison& c, const ReportOptions& options = {});
/// GitHub-flavoured Markdown; every name from the results is escaped.
[[nodiscard]] std::string render_markdown(const Comparison& c, const ReportOptions& options = {});
/// The full comparison as JSON, every verdict with every input.
[[nodiscard]] std::string render_json(const Comparison& c);
/// JUnit XML: a test suite per benchmark suite, a test case per verdict, a
/// <failure> per verdict that fails the gate, <skipped> for noisy ones.
[[nodiscard]] std::string render_junit(const Comparison& c);

}  // namespace gate
