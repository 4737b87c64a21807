// gate/src/report/markdown.cpp — the pull-request comment and job summary.
// Benchmark names come from the pull request and are untrusted: every one is
// escaped so that it can neither break the table nor inject markup, links or
// mentions. The whole text stays under GitHub's comment limit.
#include <fmt/core.h>

#include "gate/report/report.hpp"
#include "gate/report/profile_diff.hpp"
#include "report/rows.hpp"
#include "report/text.hpp"

namespace gate {
namespace {

std::string_view icon(const detail::Row& r) {
  if (r.fails) return ":x:";
  switch (r.verdict->status) {
    case Status::suspect:
    case Status::noisy:
    case Status::missing: return ":warning:";
    case Status::improved: return ":rocket:";
    case Status::new_benchmark: return ":new:";
    default: return ":white_check_mark:";
  }
}

/// The functions a regressed callgrind metric grew in, collapsed in the note cell.
std::string functions(const Verdict& v) {
  if (v.functions.empty()) return {};
  std::string out = fmt::format("<details><summary>where the {} grew</summary>", detail::markdown_text(v.functions_event));
  for (const auto& f : v.functions) {
    out += fmt::format("<br>`{:+.0f}` {} ({} → {})", f.self_delta(), detail::markdown_text(f.name), format_count(f.base_self),
                       format_count(f.contender_self));
  }
  return out + "</details>";
}

std::string row(const detail::Row& r) {
  using detail::markdown_text;
  return fmt::format("| {} {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", icon(r), r.status,
                     markdown_text(r.name), markdown_text(r.metric), markdown_text(r.statistic),
                     markdown_text(r.baseline), markdown_text(r.contender),
                     r.change.empty() ? "" : "**" + r.change + "**", markdown_text(r.threshold), r.p, r.q, r.n,
                     markdown_text(r.note) + functions(*r.verdict));
}

constexpr std::string_view k_table_head =
    "| status | benchmark | metric | statistic | baseline | contender | change | threshold | p | q | n | note |\n"
    "|---|---|---|---|--:|--:|--:|---|--:|--:|--:|---|\n";

}  // namespace

std::string render_markdown(const Comparison& c, const ReportOptions& options) {
  const detail::Report report = detail::build_report(c);
  std::string out = fmt::format("## perfgate: {}\n\n", report.headline);
  out += fmt::format("**{}**\n\n", detail::markdown_text(report.summary));
  for (const auto& [key, value] : report.facts) out += fmt::format("- {}: {}\n", key, detail::markdown_text(value));
  for (const auto& n : report.notices) out += fmt::format("- :warning: {}\n", detail::markdown_text(n));
  out += "\n";

  std::string attention;
  std::string rest;
  std::size_t attention_rows = 0;
  std::size_t rest_rows = 0;
  std::size_t dropped = 0;
  // Reserve room for the closing lines so the limit holds whatever comes.
  const std::size_t budget = options.markdown_limit > 600 ? options.markdown_limit - 600 : 0;
  for (const auto& r : report.rows) {
    std::string line = row(r);
    if (out.size() + attention.size() + rest.size() + line.size() + 2 * k_table_head.size() > budget) {
      ++dropped;
      continue;
    }
    if (!r.quiet) {
      attention += line;
      ++attention_rows;
    } else {
      rest += line;
      ++rest_rows;
    }
  }
  if (attention_rows > 0) {
    out += k_table_head;
    out += attention;
    out += "\n";
  }
  if (rest_rows > 0) {
    out += fmt::format("<details><summary>{} unchanged or met</summary>\n\n", rest_rows);
    out += k_table_head;
    out += rest;
    out += "\n</details>\n\n";
  }
  if (dropped > 0) {
    out += fmt::format("{} more rows not shown to stay within GitHub's size limit; the JSON report has them all.\n",
                       dropped);
  }
  return out;
}

}  // namespace gate
