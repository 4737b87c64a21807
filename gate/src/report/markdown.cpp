// gate/src/report/markdown.cpp — the pull-request comment and job summary.
// Benchmark names come from the pull request and are untrusted: every one is
// escaped so that it can neither break the table nor inject markup, links or
// mentions. The whole text stays under GitHub's comment limit.
#include <fmt/core.h>

#include <cctype>

#include "gate/report/report.hpp"
#include "gate/report/profile_diff.hpp"
#include "report/rows.hpp"
#include "report/text.hpp"

namespace gate {
namespace {

// Escapes text for a Markdown table cell: control and bidirectional
// characters shown as escapes (detail::visible), HTML-significant characters
// as entities, Markdown punctuation backslash-escaped, and '@' unable to
// start a mention.
std::string escape(std::string_view raw) {
  const std::string text = detail::visible(raw);
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    // GitHub links what looks like a reference or an address in rendered
    // text, escapes or not: "GH-12" to an issue, "https://x" and "www.x" to a
    // site. A zero-width space breaks the pattern and shows nothing.
    const std::string_view rest(text.data() + i, text.size() - i);
    if ((rest.starts_with("GH-") || rest.starts_with("gh-")) && i + 3 < text.size() &&
        std::isdigit(static_cast<unsigned char>(text[i + 3])) != 0) {
      out += ch;
      out += text[i + 1];
      out += "\u200b";
      ++i;
      continue;
    }
    if (rest.starts_with("://") || rest.starts_with("www.")) {
      out += ch;
      out += "\u200b";
      continue;
    }
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '|': out += "\\|"; break;
      // GitHub finds mentions in the rendered text, so an entity would still
      // notify: a zero-width space after '@' breaks the mention.
      case '@': out += "@\u200b"; break;
      case '\\': case '`': case '*': case '_': case '[': case ']': case '#': case '!': case '~':
        out += '\\';
        out += ch;
        break;
      default: out += ch;
    }
  }
  return out;
}

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
  std::string out = fmt::format("<details><summary>where the {} grew</summary>", escape(v.functions_event));
  for (const auto& f : v.functions) {
    out += fmt::format("<br>`{:+.0f}` {} ({} → {})", f.self_delta(), escape(f.name), format_count(f.base_self),
                       format_count(f.contender_self));
  }
  return out + "</details>";
}

std::string row(const detail::Row& r) {
  return fmt::format("| {} {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", icon(r), r.status,
                     escape(r.name), escape(r.metric), escape(r.statistic), escape(r.baseline), escape(r.contender),
                     r.change.empty() ? "" : "**" + r.change + "**", escape(r.threshold), r.p, r.q, r.n,
                     escape(r.note) + functions(*r.verdict));
}

constexpr std::string_view k_table_head =
    "| status | benchmark | metric | statistic | baseline | contender | change | threshold | p | q | n | note |\n"
    "|---|---|---|---|--:|--:|--:|---|--:|--:|--:|---|\n";

}  // namespace

std::string render_markdown(const Comparison& c, const ReportOptions& options) {
  const detail::Report report = detail::build_report(c);
  std::string out = fmt::format("## perfgate: {}\n\n", report.headline);
  out += fmt::format("**{}**\n\n", escape(report.summary));
  for (const auto& [key, value] : report.facts) out += fmt::format("- {}: {}\n", key, escape(value));
  for (const auto& n : report.notices) out += fmt::format("- :warning: {}\n", escape(n));
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
