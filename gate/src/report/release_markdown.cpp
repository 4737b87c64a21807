// gate/src/report/release_markdown.cpp — the release report as Markdown, in
// the shape release managers write by hand: a change table with target and
// status, resources, improvements, regressions, the history as a line per
// series, the change points with their commits, and a checklist. Names and
// commit subjects are untrusted: every one goes through markdown_text.
#include <fmt/core.h>

#include "gate/model/units.hpp"
#include "gate/report/release.hpp"
#include "report/release_rows.hpp"
#include "report/rows.hpp"
#include "report/text.hpp"

namespace gate {
namespace {

using detail::markdown_text;
using detail::ReleaseRow;

std::string_view icon(const ReleaseRow& r) {
  if (r.fails) return "❌";
  if (r.status == Status::improved) return "🚀";
  if (r.near_target || r.status == Status::noisy || r.status == Status::suspect) return "⚠️";
  if (r.status == Status::new_benchmark) return "🆕";
  return "✅";
}

std::string status_cell(const ReleaseRow& r) { return fmt::format("{} {}", icon(r), to_string(r.status)); }

std::string commit_cell(const ReleaseCommit& c) {
  return fmt::format("`{}` {}", detail::short_sha(c.sha), detail::format_date(c.time));
}

void section_list(std::string& out, std::string_view title, const std::vector<const ReleaseRow*>& rows) {
  out += fmt::format("### {}\n\n", title);
  if (rows.empty()) out += "- None\n";
  for (const auto* r : rows) {
    out += fmt::format("- **{}** {}: {}", markdown_text(r->name), markdown_text(r->metric),
                       !r->change_text.empty() ? r->change_text
                       : r->to.empty()          ? std::string(to_string(r->status))
                                                : markdown_text(r->to));
    if (!r->from.empty() && !r->to.empty()) {
      out += fmt::format(" ({} → {})", markdown_text(r->from), markdown_text(r->to));
    }
    if (r->change != nullptr && !r->change->threshold.empty()) {
      out += fmt::format(", limit {}", markdown_text(r->change->threshold));
    }
    if (!r->p.empty()) out += fmt::format(", p = {}", r->p);
    if (r->change_text.empty() && r->change != nullptr && !r->change->notes.empty()) {
      out += fmt::format(" — {}", markdown_text(r->change->note()));
    }
    out += "\n";
  }
  out += "\n";
}

void runner_section(std::string& out, const ReleaseReport& report, const ReleaseRunner& runner) {
  const detail::ReleaseView view = detail::build_release_view(runner);
  const Comparison& c = runner.comparison;
  out += fmt::format("## Runner `{}`\n\n**{}**\n\n", markdown_text(runner.runner), markdown_text(view.headline));
  if (runner.history_error) out += fmt::format("- ❌ {}\n", markdown_text(*runner.history_error));
  for (const auto& n : c.notices) out += fmt::format("- ⚠️ {}\n", markdown_text(n));
  out += "\n";

  out += "### Benchmarks\n\n";
  if (view.rows.empty()) {
    out += "No benchmarks at either ref.\n\n";
  } else {
    out += fmt::format("| benchmark | metric | statistic | {} | {} | change | limit | p | n | target | margin | status |\n",
                       markdown_text(report.from), markdown_text(report.to));
    out += "|---|---|---|--:|--:|--:|--:|--:|--:|---|--:|---|\n";
    for (const auto& r : view.rows) {
      out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", markdown_text(r.name),
                         markdown_text(r.metric), markdown_text(r.statistic), markdown_text(r.from),
                         markdown_text(r.to), r.change_text, markdown_text(r.limit), r.p, r.n,
                         markdown_text(r.target_text), r.margin_text, status_cell(r));
    }
    out += "\n";
  }

  out += "### Resources\n\n";
  if (view.resources.empty()) {
    out += "No sizes or memory recorded.\n\n";
  } else {
    out += fmt::format("| item | metric | {} | {} | change | budget | status |\n", markdown_text(report.from),
                       markdown_text(report.to));
    out += "|---|---|--:|--:|--:|---|---|\n";
    for (const auto& r : view.resources) {
      out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", markdown_text(r.name), markdown_text(r.metric),
                         markdown_text(r.from), markdown_text(r.to), r.change_text, markdown_text(r.target_text),
                         status_cell(r));
    }
    out += "\n";
  }

  section_list(out, "Improvements", view.improvements);
  section_list(out, "Regressions", view.regressions);

  out += "### Targets missed or within 10%\n\n";
  if (view.targets.empty()) out += view.targets_total == 0 ? "- No targets set\n" : "- None\n";
  for (const auto* r : view.targets) {
    out += fmt::format("- {} **{}** {}: {} against {} ({})\n", icon(*r), markdown_text(r->name),
                       markdown_text(r->metric), markdown_text(r->to), markdown_text(r->target_text),
                       r->margin_text.empty() ? std::string(to_string(r->status)) : r->margin_text);
  }
  out += "\n";

  out += "### History\n\n";
  if (runner.history_error) {
    out += "Not available: the history between the refs could not be read.\n\n";
  } else {
    out += fmt::format("{} commits changed the baselines of this runner from {} to {}; one point per commit that "
                       "re-recorded the suite.\n\n",
                       runner.commits.size(), markdown_text(report.from), markdown_text(report.to));
    out += "<details><summary>A line per benchmark</summary>\n\n| benchmark | metric | points | first | last | history |\n"
           "|---|---|--:|--:|--:|---|\n";
    const bool several = !runner.series.empty() && runner.series.front().suite != runner.series.back().suite;
    for (std::size_t i : view.charted) {
      const auto& s = runner.series[i];
      if (s.values.empty()) continue;
      out += fmt::format("| {} | {} | {} | {} | {} | {} |\n",
                         markdown_text(several ? s.suite + ":" + s.benchmark : s.benchmark), markdown_text(s.metric),
                         s.values.size(), markdown_text(format_quantity(s.values.front(), s.unit)),
                         markdown_text(format_quantity(s.values.back(), s.unit)), detail::sparkline(s));
    }
    out += "\n</details>\n\n";
  }

  out += "### Change points\n\n";
  if (runner.history_error) {
    out += "Not available without the history.\n\n";
  } else if (runner.change_points.empty()) {
    out += "- None found\n\n";
  } else {
    out += "| commit | subject | benchmark | metric | before | after | step | p |\n|---|---|---|---|--:|--:|--:|--:|\n";
    const bool several = !runner.series.empty() && runner.series.front().suite != runner.series.back().suite;
    for (const auto& cp : runner.change_points) {
      const auto& s = runner.series[cp.series];
      const auto& commit = runner.commits[cp.commit];
      out += fmt::format("| {} | {} | {} | {} | {} | {} | {} {} | {} |\n", commit_cell(commit),
                         markdown_text(commit.subject),
                         markdown_text(several ? s.suite + ":" + s.benchmark : s.benchmark), markdown_text(s.metric),
                         markdown_text(format_quantity(cp.level_before, s.unit)),
                         markdown_text(format_quantity(cp.level_after, s.unit)), cp.worse ? "❌" : "🚀",
                         detail::format_change(cp.change), detail::format_p(cp.p_value));
    }
    out += "\n";
  }

  out += "### Pre-release checklist\n\n";
  for (const auto& [done, text] : detail::release_checklist(report, runner, view)) {
    out += fmt::format("- [{}] {}\n", done ? "x" : " ", markdown_text(text));
  }
  out += "\n";
}

}  // namespace

std::string render_release_markdown(const ReleaseReport& report) {
  std::string out = fmt::format("# Performance report: {} → {}\n\n", markdown_text(report.from), markdown_text(report.to));
  out += fmt::format("- from: {} ({})\n", markdown_text(report.from), commit_cell(report.from_commit));
  out += fmt::format("- to: {} ({})\n", markdown_text(report.to), commit_cell(report.to_commit));
  out += fmt::format("- policy: {}\n", markdown_text(report.policy_source));
  for (const auto& n : report.notices) out += fmt::format("- ⚠️ {}\n", markdown_text(n));
  out += "\n";
  for (const auto& runner : report.runners) runner_section(out, report, runner);
  out += fmt::format("<sub>Change points: {}.</sub>\n", markdown_text(report.method));
  return out;
}

}  // namespace gate
