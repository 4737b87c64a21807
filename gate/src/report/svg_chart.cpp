// gate/src/report/svg_chart.cpp — the SVG line chart of the release report,
// written as text: a chart is a few hundred elements, and a library (or a
// script fetched by the page) would be a dependency and a network access
// for what a page of code draws.
#include "report/svg_chart.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "gate/error.hpp"
#include "gate/model/units.hpp"

namespace gate::report {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed UTF-8 sequence at the start of `s` (Unicode
// table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF) and
// its code point; 0 when the first byte starts none.
std::size_t decode_utf8(std::string_view s, char32_t& cp) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    const unsigned char b = byte(i);
    if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  return len;
}

// Characters that must not reach the page as themselves: not allowed in XML
// 1.0, control characters, and the bidirectional controls of "Trojan
// Source" (CVE-2021-42574) that would let a benchmark name display as
// another.
bool is_replaced(char32_t cp) {
  if (cp < 0x20) return cp != '\t' && cp != '\n';
  if (cp >= 0x7F && cp <= 0x9F) return true;
  if (cp == 0x061C || cp == 0x200E || cp == 0x200F) return true;
  if (cp >= 0x202A && cp <= 0x202E) return true;
  if (cp >= 0x2066 && cp <= 0x2069) return true;
  return cp == 0xFFFE || cp == 0xFFFF;
}

// Round tick values: steps of 1, 2 or 5 times a power of ten, about
// `count` of them over [lo, hi].
double nice_step(double range, int count) {
  const double raw = range / count;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double normalized = raw / magnitude;
  const double nice = normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10;
  return nice * magnitude;
}

std::string num(double v) {
  // Pixels to a tenth; "-0.0" would be legal but noisy.
  std::string s = fmt::format("{:.1f}", v);
  return s == "-0.0" ? "0.0" : s;
}

// Tick labels in the unit; when the unit's three significant digits would
// print two ticks alike (a flat series of large values), plain numbers with
// as many digits as it takes to tell ticks `step` apart.
std::vector<std::string> tick_labels(const std::vector<double>& ticks, double step, std::string_view unit) {
  std::vector<std::string> labels;
  for (double t : ticks) labels.push_back(format_quantity(t, unit));
  for (std::size_t i = 1; i < labels.size(); ++i) {
    if (labels[i] != labels[i - 1]) continue;
    double largest = 0;
    for (double t : ticks) largest = std::max(largest, std::abs(t));
    const int digits = std::clamp(static_cast<int>(std::ceil(std::log10(largest / step))) + 1, 3, 17);
    labels.clear();
    for (double t : ticks) {
      const std::string number = fmt::format("{:.{}g}", t, digits);
      labels.push_back(unit.empty() ? number : fmt::format("{} {}", number, unit));
    }
    break;
  }
  return labels;
}

}  // namespace

std::string escape_markup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    char32_t cp = 0;
    const std::size_t len = decode_utf8(text, cp);
    if (len == 0) {
      out += k_replacement;
      text.remove_prefix(1);
      continue;
    }
    if (is_replaced(cp)) {
      out += k_replacement;
    } else if (len > 1) {
      out += text.substr(0, len);
    } else {
      switch (cp) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;  // &apos; is not HTML 4
        default: out += static_cast<char>(cp);
      }
    }
    text.remove_prefix(len);
  }
  return out;
}

std::string render_svg_chart(const SvgChart& chart) {
  if (chart.width < 200 || chart.height < 120) {
    throw Error(fmt::format("drawing chart '{}': {}x{} pixels is below the minimum of 200x120", chart.title,
                            chart.width, chart.height));
  }
  if (chart.target && !std::isfinite(*chart.target)) {
    throw Error(fmt::format("drawing chart '{}': target {} is not a number", chart.title, *chart.target));
  }
  const double left = 78;
  const double right = chart.width - 16.0;
  const double top = 30;
  const double bottom = chart.height - 34.0;

  // The data's range decides the scale; the target joins it when near.
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (const auto& p : chart.points) {
    if (!std::isfinite(p.value)) continue;
    lo = std::min(lo, p.value);
    hi = std::max(hi, p.value);
  }
  const bool has_data = lo <= hi;
  if (!has_data) {
    lo = 0;
    hi = chart.target.value_or(1);
  }
  bool target_inside = false;
  if (chart.target) {
    const double span = std::max(hi - lo, std::abs(hi) * 0.05);
    if (*chart.target >= lo - span && *chart.target <= hi + span) {
      lo = std::min(lo, *chart.target);
      hi = std::max(hi, *chart.target);
      target_inside = true;
    }
  }
  if (hi - lo <= std::abs(hi) * 1e-12) {
    // A flat series: a band of ±5% around it (±1 around zero).
    const double pad = hi == 0 ? 1 : std::abs(hi) * 0.05;
    lo -= pad;
    hi += pad;
  }
  const double step = nice_step(hi - lo, 5);
  lo = std::floor(lo / step) * step;
  hi = std::ceil(hi / step) * step;
  std::vector<double> ticks;
  for (double t = lo; t <= hi + step * 0.5; t += step) ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);

  const std::size_t n = chart.points.size();
  auto x_of = [&](double i) { return n <= 1 ? (left + right) / 2 : left + (right - left) * i / static_cast<double>(n - 1); };
  auto y_of = [&](double v) { return bottom - (bottom - top) * (v - lo) / (hi - lo); };

  std::string out;
  out.reserve(2048 + n * 160);
  const std::string title = escape_markup(chart.title);
  out += fmt::format("<svg{} class=\"perf-chart\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" "
                     "aria-label=\"{}\" font-family=\"sans-serif\" font-size=\"11\">\n",
                     chart.standalone ? " xmlns=\"http://www.w3.org/2000/svg\"" : "", chart.width, chart.height,
                     chart.width, chart.height, title);
  out += fmt::format("<title>{}</title>\n", title);
  out += fmt::format("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", chart.width, chart.height);
  out += fmt::format("<text x=\"{}\" y=\"18\" font-size=\"13\" font-weight=\"bold\" fill=\"#222222\">{}</text>\n",
                     num(left), title);

  // Y axis: grid lines and labels.
  const std::vector<std::string> labels = tick_labels(ticks, step, chart.unit);
  out += "<g class=\"y-axis\" fill=\"#444444\" text-anchor=\"end\">\n";
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    const std::string y = num(y_of(ticks[i]));
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#e3e3e3\"/>", num(left), y, num(right), y);
    out += fmt::format("<text x=\"{}\" y=\"{}\" dy=\"4\">{}</text>\n", num(left - 6), y, escape_markup(labels[i]));
  }
  out += "</g>\n";

  // X axis: commit indices at round steps, at most about ten labels.
  out += fmt::format("<g class=\"x-axis\" fill=\"#444444\" text-anchor=\"middle\">\n"
                     "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#888888\"/>\n",
                     num(left), num(bottom), num(right), num(bottom));
  if (n > 0) {
    const std::size_t x_step = n <= 10 ? 1 : static_cast<std::size_t>(std::max(1.0, nice_step(static_cast<double>(n - 1), 8)));
    for (std::size_t i = 0; i < n; i += x_step) {
      const std::string x = num(x_of(static_cast<double>(i)));
      out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#888888\"/>"
                         "<text x=\"{}\" y=\"{}\">{}</text>\n",
                         x, num(bottom), x, num(bottom + 4), x, num(bottom + 16), i);
    }
  }
  out += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#666666\">commits, oldest to newest</text>\n</g>\n",
                     num((left + right) / 2), num(chart.height - 4.0));

  // The target line, or where it is when it lies far off the data.
  if (chart.target) {
    const std::string label = escape_markup(chart.target_label.empty()
                                                ? "target " + format_quantity(*chart.target, chart.unit)
                                                : chart.target_label);
    out += "<g class=\"target\" fill=\"#1a7f37\">";
    if (target_inside) {
      const std::string y = num(y_of(*chart.target));
      out += fmt::format("<title>{}</title><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#1a7f37\" "
                         "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>"
                         "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dy=\"-4\">{}</text>",
                         label, num(left), y, num(right), y, num(right), y, label);
    } else {
      const bool above = *chart.target > hi;
      out += fmt::format("<title>{}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{} {} (off the chart)</text>",
                         label, num(right), num(above ? top + 10 : bottom - 4), above ? "\xE2\x86\x91" : "\xE2\x86\x93",
                         label);
    }
    out += "</g>\n";
  }

  // Change points: a dashed line where the new level starts.
  out += "<g class=\"change-points\" stroke=\"#cf222e\" fill=\"#cf222e\">\n";
  for (const auto& m : chart.change_points) {
    if (m.index >= n) continue;
    const double x = x_of(static_cast<double>(m.index));
    out += fmt::format("<g><title>{}</title><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke-width=\"1.5\" "
                       "stroke-dasharray=\"4 3\"/><path d=\"M{} {}L{} {}L{} {}Z\"/></g>\n",
                       escape_markup(m.label), num(x), num(top), num(x), num(bottom), num(x - 5), num(top - 6),
                       num(x + 5), num(top - 6), num(x), num(top + 2));
  }
  out += "</g>\n";

  // The series: one path, broken where a point has no value, then a circle
  // per point carrying its tooltip.
  std::string d;
  bool pen_down = false;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = chart.points[i].value;
    if (!std::isfinite(v)) {
      pen_down = false;
      continue;
    }
    d += fmt::format("{}{} {}", pen_down ? "L" : "M", num(x_of(static_cast<double>(i))), num(y_of(v)));
    pen_down = true;
  }
  out += "<g class=\"series\">\n";
  if (!d.empty()) {
    out += fmt::format("<path class=\"line\" d=\"{}\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"1.5\"/>\n", d);
  }
  const double radius = n > 200 ? 1.5 : 3;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& p = chart.points[i];
    if (!std::isfinite(p.value)) continue;
    std::string tip = p.label.empty() ? format_quantity(p.value, chart.unit)
                                      : fmt::format("{}: {}", p.label, format_quantity(p.value, chart.unit));
    out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"#0969da\"><title>{}</title></circle>\n",
                       num(x_of(static_cast<double>(i))), num(y_of(p.value)), radius, escape_markup(tip));
  }
  out += "</g>\n";
  if (!has_data) {
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#666666\">no data</text>\n",
                       num((left + right) / 2), num((top + bottom) / 2));
  }
  out += "</svg>\n";
  return out;
}

}  // namespace gate::report
