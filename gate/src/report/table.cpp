// gate/src/report/table.cpp — the terminal table: aligned, worst first,
// colour only when asked (the CLI asks only on a terminal without NO_COLOR),
// every untrusted name shown escaped.
#include <fmt/core.h>

#include <algorithm>
#include <array>

#include "gate/report/report.hpp"
#include "report/rows.hpp"
#include "report/text.hpp"

namespace gate {
namespace {

constexpr std::size_t k_quiet_above = 40;  // rows beyond which unchanged ones are summarised

std::string_view colour_of(const detail::Row& r) {
  if (r.fails) return "\x1b[31m";  // red
  switch (r.verdict->status) {
    case Status::suspect:
    case Status::noisy:
    case Status::missing: return "\x1b[33m";  // yellow
    case Status::improved: return "\x1b[32m";  // green
    default: return "";
  }
}

// Display width of text that is valid UTF-8 (detail::visible made it so):
// code points, not bytes, so that "µs" aligns with "ns".
std::size_t width_of(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  }));
}

std::string pad(const std::string& s, std::size_t width, bool right) {
  const std::size_t w = width_of(s);
  std::string fill(width > w ? width - w : 0, ' ');
  return right ? fill + s : s + fill;
}

}  // namespace

std::string render_table(const Comparison& c, const ReportOptions& options) {
  const detail::Report report = detail::build_report(c);
  std::string out;
  for (const auto& [key, value] : report.facts) out += fmt::format("{:<12}{}\n", key + ":", detail::visible(value));
  for (const auto& n : report.notices) out += fmt::format("notice:     {}\n", detail::visible(n));
  out += "\n";

  const bool hide_quiet = !options.show_all && report.rows.size() > k_quiet_above;
  std::size_t hidden = 0;
  using Cells = std::array<std::string, 11>;
  std::vector<Cells> cells;
  std::vector<const detail::Row*> shown;
  cells.push_back({"status", "benchmark", "metric", "statistic", "baseline", "contender", "change", "threshold", "p",
                   "q", "n"});
  for (const auto& r : report.rows) {
    if (hide_quiet && r.quiet) {
      ++hidden;
      continue;
    }
    cells.push_back({r.status, detail::visible(r.name), detail::visible(r.metric), r.statistic, r.baseline, r.contender,
                     r.change, detail::visible(r.threshold), r.p, r.q, r.n});
    shown.push_back(&r);
  }
  std::array<std::size_t, 11> width{};
  for (const auto& row : cells) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], width_of(row[i]));
  }
  // Values and numbers read best right-aligned; names left-aligned.
  constexpr std::array<bool, 11> right = {false, false, false, false, true, true, true, false, true, true, true};
  for (std::size_t ri = 0; ri < cells.size(); ++ri) {
    std::string line;
    for (std::size_t i = 0; i < cells[ri].size(); ++i) {
      if (i > 0) line += "  ";
      line += pad(cells[ri][i], width[i], right[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    const detail::Row* row = ri > 0 ? shown[ri - 1] : nullptr;
    std::string_view colour = row != nullptr && options.color ? colour_of(*row) : "";
    out += colour.empty() ? line : fmt::format("{}{}\x1b[0m", colour, line);
    out += "\n";
    if (row != nullptr && !row->note.empty() && !row->quiet) out += fmt::format("    {}\n", detail::visible(row->note));
  }
  if (hidden > 0) out += fmt::format("({} unchanged or met rows not shown; --all lists them)\n", hidden);
  out += fmt::format("\n{}: {}\n", report.headline, report.summary);
  return out;
}

}  // namespace gate
