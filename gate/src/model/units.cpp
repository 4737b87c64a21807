// gate/src/model/units.cpp — parsing quantities with units, formatting numbers for
// reports.
#include "gate/model/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "gate/error.hpp"

namespace gate {
namespace {

struct UnitSpec {
  std::string_view name;
  Dimension dim;
  double factor;  // to the dimension's base unit
};

// "µs" is accepted with the micro sign (U+00B5, what keyboards type) and
// with the Greek small mu (U+03BC, what some fonts and converters produce):
// both look the same on screen, and a policy must not fail over which one
// an editor chose.
constexpr std::array<UnitSpec, 22> k_units = {{
    {"ns", Dimension::time, 1},
    {"us", Dimension::time, 1e3},
    {"\xC2\xB5s", Dimension::time, 1e3},
    {"\xCE\xBCs", Dimension::time, 1e3},
    {"ms", Dimension::time, 1e6},
    {"s", Dimension::time, 1e9},
    {"B", Dimension::bytes, 1},
    {"KB", Dimension::bytes, 1e3},
    {"kB", Dimension::bytes, 1e3},
    {"MB", Dimension::bytes, 1e6},
    {"GB", Dimension::bytes, 1e9},
    {"TB", Dimension::bytes, 1e12},
    {"KiB", Dimension::bytes, 1024.0},
    {"MiB", Dimension::bytes, 1024.0 * 1024},
    {"GiB", Dimension::bytes, 1024.0 * 1024 * 1024},
    {"TiB", Dimension::bytes, 1024.0 * 1024 * 1024 * 1024},
    {"", Dimension::count, 1},
    {"k", Dimension::count, 1e3},
    {"K", Dimension::count, 1e3},
    {"M", Dimension::count, 1e6},
    {"G", Dimension::count, 1e9},
    {"%", Dimension::percent, 0.01},
}};

constexpr std::string_view k_expected_units =
    "expected ns, us, ms, s, B, KB, MB, GB, KiB, MiB, GiB, k, M, G, '/s' after a count or bytes, or %";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

const UnitSpec* find_unit(std::string_view name) {
  for (const auto& u : k_units) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

// Rounds to `digits` significant digits, so that the choice of a display
// unit is made on the number that will be printed (999.7 ns prints as 1 µs,
// not "1000 ns").
double round_significant(double x, int digits) {
  if (x == 0 || !std::isfinite(x)) return x;
  double exponent = std::floor(std::log10(std::fabs(x)));
  double scale = std::pow(10.0, digits - 1 - exponent);
  return std::round(x * scale) / scale;
}

// Three significant digits, trailing zeros and a bare point dropped.
std::string three_digits(double x) {
  if (x == 0) return "0";
  int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(x))));
  int decimals = std::max(0, 2 - magnitude);
  std::string s = fmt::format("{:.{}f}", x, decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string grouped(double x) {
  auto n = static_cast<std::int64_t>(std::llround(x));
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

struct Scale {
  double factor;
  std::string_view suffix;
};

// Picks the largest scale whose factor the (rounded) magnitude reaches.
template <std::size_t N>
std::string scaled(double magnitude, const std::array<Scale, N>& scales) {
  double rounded = round_significant(magnitude, 3);
  const Scale* pick = &scales[0];
  for (const auto& s : scales) {
    if (rounded >= s.factor) pick = &s;
  }
  return three_digits(magnitude / pick->factor) + std::string(pick->suffix);
}

constexpr std::array<Scale, 4> k_time_scales = {{{1, " ns"}, {1e3, " \xC2\xB5s"}, {1e6, " ms"}, {1e9, " s"}}};
constexpr std::array<Scale, 5> k_byte_scales = {{{1, " B"}, {1e3, " KB"}, {1e6, " MB"}, {1e9, " GB"}, {1e12, " TB"}}};
constexpr std::array<Scale, 5> k_count_scales = {{{1, ""}, {1e3, "k"}, {1e6, "M"}, {1e9, "G"}, {1e12, "T"}}};

}  // namespace

std::optional<Quantity> try_parse_quantity(std::string_view text, std::string& why) {
  std::string_view s = trim(text);
  if (s.empty()) {
    why = "empty — expected a number with a unit such as '10ms', '5MB' or '+10%'";
    return std::nullopt;
  }
  bool negative = false;
  if (s.front() == '+' || s.front() == '-') {
    negative = s.front() == '-';
    s.remove_prefix(1);
    s = trim(s);
  }
  // The number: digits with an optional fraction and exponent. Scanned here
  // rather than left to from_chars so that "inf", "nan" and hex never pass.
  std::size_t i = 0;
  std::size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  }
  if (digits == 0) {
    why = "expected a number";
    return std::nullopt;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    if (j < s.size() && is_digit(s[j])) {
      while (j < s.size() && is_digit(s[j])) ++j;
      i = j;
    }
  }
  double number = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + i, number, std::chars_format::general);
  if (ec != std::errc() || end != s.data() + i || !std::isfinite(number)) {
    why = "number out of range";
    return std::nullopt;
  }
  std::string_view unit = trim(s.substr(i));

  bool rate = false;
  if (unit.size() >= 2 && unit.substr(unit.size() - 2) == "/s") {
    rate = true;
    unit = trim(unit.substr(0, unit.size() - 2));
  }
  const UnitSpec* spec = find_unit(unit);
  if (spec == nullptr) {
    why = fmt::format("unknown unit '{}' — {}", unit, k_expected_units);
    return std::nullopt;
  }
  Dimension dim = spec->dim;
  if (rate) {
    if (dim != Dimension::count && dim != Dimension::bytes) {
      why = fmt::format("'{}/s' is not a rate — a rate is a count or bytes per second, such as '1M/s' or '100MB/s'",
                        unit);
      return std::nullopt;
    }
    dim = Dimension::rate;
  }
  double value = number * spec->factor;
  if (!std::isfinite(value)) {
    why = "number out of range";
    return std::nullopt;
  }
  return Quantity{negative ? -value : value, dim};
}

Quantity parse_quantity(std::string_view text) {
  std::string why;
  auto q = try_parse_quantity(text, why);
  if (!q) throw Error(fmt::format("bad quantity '{}': {}", text, why));
  return *q;
}

std::string_view to_string(Dimension d) {
  switch (d) {
    case Dimension::time:
      return "time";
    case Dimension::bytes:
      return "bytes";
    case Dimension::count:
      return "count";
    case Dimension::rate:
      return "rate";
    case Dimension::percent:
      return "percent";
  }
  return "count";
}

Dimension dimension_of_unit(std::string_view unit) {
  if (unit == "ns") return Dimension::time;
  if (unit == "B") return Dimension::bytes;
  if (unit == "1/s") return Dimension::rate;
  if (unit == "%") return Dimension::percent;
  return Dimension::count;
}

std::string format_quantity(double value, std::string_view unit) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  std::string sign = value < 0 ? "-" : "";
  double magnitude = std::fabs(value);
  if (unit == "ns") return sign + scaled(magnitude, k_time_scales);
  if (unit == "B") return sign + scaled(magnitude, k_byte_scales);
  if (unit == "1/s") return sign + scaled(magnitude, k_count_scales) + "/s";
  if (unit == "%") return sign + three_digits(magnitude * 100) + "%";
  if (unit.empty()) {
    // Counts people compare digit by digit (instructions, allocations) stay
    // exact while they are short enough to read; beyond ten million the
    // leading digits are what matters.
    if (magnitude < 1e7) {
      bool integral = magnitude == std::floor(magnitude);
      if (integral || magnitude >= 1000) return sign + grouped(magnitude);
      return sign + three_digits(magnitude);
    }
    return sign + scaled(magnitude, k_count_scales);
  }
  return sign + three_digits(magnitude) + " " + std::string(unit);
}

std::string format_change(double fraction) {
  if (std::isnan(fraction)) return "nan";
  if (fraction == 0) return "0%";
  if (std::isinf(fraction)) return fraction < 0 ? "-inf%" : "+inf%";
  // Appended piecewise: GCC 12 at -O3 warns falsely (-Wrestrict) about
  // const char* + std::string here.
  std::string out(fraction < 0 ? "-" : "+");
  out += three_digits(std::fabs(fraction) * 100);
  out += '%';
  return out;
}

}  // namespace gate
