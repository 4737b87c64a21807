// gate/src/report/profile_diff.cpp — two profiles' difference as text.
#include "gate/report/profile_diff.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/core.h>

#include "text.hpp"

namespace gate {
namespace {

std::string signed_count(double value) {
  if (value > 0) return "+" + format_count(value);
  if (value < 0) return "-" + format_count(-value);
  return "0";
}

std::string percent(double base, double head) {
  if (base == 0) return head == 0 ? "" : " (new)";
  return fmt::format(" ({:+.1f}%)", (head / base - 1) * 100);
}

void section(std::string& out, const ProfileDiff& d, std::size_t top, bool self) {
  std::vector<const FunctionDelta*> rows;
  for (const auto& f : d.functions) {
    if ((self ? f.self_delta() : f.inclusive_delta()) != 0) rows.push_back(&f);
  }
  std::stable_sort(rows.begin(), rows.end(), [&](const FunctionDelta* a, const FunctionDelta* b) {
    if (self) return a->self_delta() > b->self_delta();
    // Callers pass a callee's growth on unchanged: of equal growth, the
    // innermost function (the smallest inclusive count) is where it happened.
    if (a->inclusive_delta() != b->inclusive_delta()) return a->inclusive_delta() > b->inclusive_delta();
    return a->contender_inclusive < b->contender_inclusive;
  });
  const std::size_t changed = rows.size();
  if (top != 0 && rows.size() > top) rows.resize(top);
  out += self ? fmt::format("\nself {} (the function's own), largest growth first:\n", d.event)
              : fmt::format("\ninclusive {} (with the functions it calls), largest growth first:\n", d.event);
  if (rows.empty()) {
    out += "  no function changed\n";
    return;
  }
  std::vector<std::array<std::string, 3>> cells;
  std::size_t w[3] = {6, 8, 9};
  for (const auto* f : rows) {
    const double base = self ? f->base_self : f->base_inclusive;
    const double head = self ? f->contender_self : f->contender_inclusive;
    cells.push_back({signed_count(head - base), format_count(base), format_count(head)});
    for (std::size_t i = 0; i < 3; ++i) w[i] = std::max(w[i], cells.back()[i].size());
  }
  out += fmt::format("  {:>{}}  {:>{}}  {:>{}}  function\n", "change", w[0], "baseline", w[1], "contender", w[2]);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out += fmt::format("  {:>{}}  {:>{}}  {:>{}}  {}  [{}]\n", cells[r][0], w[0], cells[r][1], w[1], cells[r][2], w[2],
                       detail::visible(rows[r]->name), detail::visible(rows[r]->file));
  }
  if (rows.size() < changed) out += fmt::format("  … and {} more (without --top: all)\n", changed - rows.size());
}

}  // namespace

std::string format_count(double value) {
  const double rounded = std::round(value);
  if (std::fabs(value - rounded) > 0.05 && std::fabs(value) < 1000) return fmt::format("{:.1f}", value);
  std::string digits = fmt::format("{:.0f}", std::fabs(rounded));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return rounded < 0 ? "-" + out : out;
}

std::string render_profile_diff(const ProfileDiff& d, std::size_t top) {
  std::string out = fmt::format("{} per iteration: {} → {}{}\n", d.event, format_count(d.base_total),
                                format_count(d.contender_total), percent(d.base_total, d.contender_total));
  if (d.base_iterations != 1 || d.contender_iterations != 1) {
    out += fmt::format("(counts divided by the iterations of each dump: {} and {})\n",
                       format_count(d.base_iterations), format_count(d.contender_iterations));
  }
  section(out, d, top, true);
  section(out, d, top, false);
  return out;
}

}  // namespace gate
