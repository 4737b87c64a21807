// gate/include/gate/model/units.hpp — quantities as people write them ("10ms",
// "1.5 MiB", "2M", "10%") and numbers as people read them ("1.23 µs").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gate {

/// What a quantity measures. Each has one base unit, the unit the data model
/// keeps samples in: nanoseconds, bytes, plain counts, events per second,
/// and fractions (10% is 0.10).
enum class Dimension { time, bytes, count, rate, percent };

/// A parsed quantity, in its dimension's base unit.
struct Quantity {
  double value = 0;
  Dimension dim = Dimension::count;
};

/// Parses a quantity. Whitespace around the text and between the number and
/// the unit is allowed; the number may carry a sign and an exponent
/// ("1.5e3us"). Units:
///   time     ns, us, µs (micro sign or Greek mu), ms, s        → nanoseconds
///   bytes    B, KB (or kB), MB, GB, TB — 1000-based (SI);
///            KiB, MiB, GiB, TiB — 1024-based                    → bytes
///   count    none, k (or K), M, G — 1e3, 1e6, 1e9               → count
///   rate     a count or bytes followed by "/s" ("1M/s", "100MB/s") → per second
///   percent  %                                                  → fraction (10% → 0.10)
/// Throws gate::Error ("bad quantity '5 parsecs': unknown unit 'parsecs' — ...")
/// when the text is not one of these.
[[nodiscard]] Quantity parse_quantity(std::string_view text);

/// As parse_quantity, but returns std::nullopt and sets `why` to the cause
/// ("unknown unit 'parsecs' — expected ...") instead of throwing, for callers
/// that wrap the cause in a message of their own.
[[nodiscard]] std::optional<Quantity> try_parse_quantity(std::string_view text, std::string& why);

/// "time", "bytes", "count", "rate", "percent".
[[nodiscard]] std::string_view to_string(Dimension d);

/// The dimension a metric's unit (as in gate::Metric::unit) is measured in:
/// "ns" → time, "B" → bytes, "1/s" → rate, "%" → percent, anything else → count.
[[nodiscard]] Dimension dimension_of_unit(std::string_view unit);

/// Formats a value given in a metric's base unit for a report, with three
/// significant digits and trailing zeros dropped:
///   "ns"   the unit that reads best: "850 ns", "1.23 µs", "45.6 ms", "2.5 s"
///   "B"    SI units: "512 B", "12.3 KB", "1.5 MB", "2 GB"
///   "1/s"  "500/s", "12.3k/s", "1.2M/s"
///   "%"    a fraction as percent: 0.123 → "12.3%"
///   ""     a count: below ten million in full with separators ("1,234,567";
///          fractions below 1000 keep three digits: "2.5"), above compact ("12.3M")
///   other  "<value> <unit>"
/// NaN and infinities print as "nan", "inf", "-inf".
[[nodiscard]] std::string format_quantity(double value, std::string_view unit);

/// A relative change (a fraction) with its sign: 0.123 → "+12.3%",
/// -0.0456 → "-4.56%", 0 → "0%".
[[nodiscard]] std::string format_change(double fraction);

}  // namespace gate
