// gate/src/report/svg_chart.hpp — a line chart of one benchmark's metric over
// commits as inline SVG, written by the gate itself (no library, nothing
// fetched), with change points marked and the target drawn; and the escaping
// that keeps untrusted names inert in SVG and HTML. Private to the reports.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gate::report {

/// One point of the series; its x is its position in SvgChart::points.
struct SvgPoint {
  /// In the metric's base unit (SvgChart::unit). NaN: no value at this
  /// commit (the benchmark was absent or failed) — the line breaks there.
  double value = 0;
  /// The point's tooltip, e.g. "3f2a1c9e Parse faster (2024-05-01)".
  /// Untrusted text: escaped on output.
  std::string label;
};

/// A change point to mark: a dashed vertical line at the point where the
/// new level starts, with a tooltip.
struct SvgMarker {
  std::size_t index = 0;  ///< into SvgChart::points; markers beyond the last point are not drawn
  std::string label;      ///< e.g. "+20.3% at 3f2a1c9e Parse faster"; untrusted
};

/// What render_svg_chart() draws.
struct SvgChart {
  std::string title;  ///< e.g. "bench_clew BM_Parse/64 cpu_time"; untrusted
  std::string unit;   ///< the metric's unit as in gate::Metric::unit: "ns", "B", "1/s", "%", ""
  std::vector<SvgPoint> points;
  std::vector<SvgMarker> change_points;
  /// A horizontal line at this value (same unit), e.g. a p95 target. Drawn
  /// inside the chart when it is within the data's range widened by that
  /// range on each side; otherwise the chart keeps the data's scale and
  /// says at its edge where the target lies.
  std::optional<double> target;
  std::string target_label;  ///< e.g. "target p95 < 10 ms"; untrusted
  int width = 640;           ///< pixels, at least 200
  int height = 240;          ///< pixels, at least 120
  /// Adds xmlns="http://www.w3.org/2000/svg", which a file of its own needs
  /// and HTML does not (its parser puts <svg> in the SVG namespace): left
  /// out by default so an HTML report holds no URL at all.
  bool standalone = false;
};

/// The chart as one <svg> element: a title, the y axis with about five
/// ticks at round values labelled in the unit (gate::format_quantity:
/// "1.2 µs", "3 MB"), the x axis by commit index, the series as a line
/// with a circle per point whose <title> is its label and value, the
/// change-point markers and the target line. Presentation attributes only
/// (no <style>, no script), so it looks the same inline or alone.
/// Deterministic: the same chart gives the same bytes. Every text taken
/// from the chart goes through escape_markup(). A chart with no point with
/// a value draws its axes and "no data". Throws gate::Error for a size
/// below the minimum or a target that is not finite.
[[nodiscard]] std::string render_svg_chart(const SvgChart& chart);

/// `text` made safe as character data or a quoted attribute value in XML
/// 1.0 and HTML: & < > " ' become entity references; characters XML does
/// not allow (C0 controls but tab and newline, U+FFFE, U+FFFF), C1
/// controls and DEL, the bidirectional controls that can make text read
/// differently from what it is (U+061C, U+200E, U+200F, U+202A–U+202E,
/// U+2066–U+2069) and bytes that are not well-formed UTF-8 each become
/// U+FFFD. Everything else passes unchanged.
[[nodiscard]] std::string escape_markup(std::string_view text);

}  // namespace gate::report
