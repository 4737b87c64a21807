// tests/units_test.cpp — quantities with units: parsing and formatting.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "gate/error.hpp"
#include "gate/model/units.hpp"

using gate::Dimension;
using gate::format_change;
using gate::format_quantity;
using gate::parse_quantity;

namespace {

void check(std::string_view text, double value, Dimension dim) {
  auto q = parse_quantity(text);
  BOOST_TEST(q.value == value, boost::test_tools::tolerance(1e-12));
  BOOST_TEST((q.dim == dim), "dimension of '" << text << "' is " << gate::to_string(q.dim));
}

std::string error_of(std::string_view text) {
  try {
    (void)parse_quantity(text);
  } catch (const gate::Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(units)

BOOST_AUTO_TEST_CASE(times_are_normalised_to_nanoseconds) {
  check("10ns", 10, Dimension::time);
  check("1.5us", 1500, Dimension::time);
  check("1\xC2\xB5s", 1000, Dimension::time);  // micro sign
  check("1\xCE\xBCs", 1000, Dimension::time);  // Greek mu
  check("10ms", 1e7, Dimension::time);
  check("2s", 2e9, Dimension::time);
  check("0.5 s", 5e8, Dimension::time);
  check("1e3ns", 1000, Dimension::time);
}

BOOST_AUTO_TEST_CASE(bytes_are_si_or_binary) {
  check("512B", 512, Dimension::bytes);
  check("1KB", 1000, Dimension::bytes);
  check("1kB", 1000, Dimension::bytes);
  check("5MB", 5e6, Dimension::bytes);
  check("2GB", 2e9, Dimension::bytes);
  check("1TB", 1e12, Dimension::bytes);
  check("1KiB", 1024, Dimension::bytes);
  check("1.5 MiB", 1.5 * 1024 * 1024, Dimension::bytes);
  check("1GiB", 1024.0 * 1024 * 1024, Dimension::bytes);
  check("1TiB", 1024.0 * 1024 * 1024 * 1024, Dimension::bytes);
}

BOOST_AUTO_TEST_CASE(counts_take_k_m_g_suffixes) {
  check("42", 42, Dimension::count);
  check("1k", 1e3, Dimension::count);
  check("1K", 1e3, Dimension::count);
  check("2.5M", 2.5e6, Dimension::count);
  check("3G", 3e9, Dimension::count);
  check(".5k", 500, Dimension::count);
}

BOOST_AUTO_TEST_CASE(rates_are_counts_or_bytes_per_second) {
  check("1M/s", 1e6, Dimension::rate);
  check("100MB/s", 1e8, Dimension::rate);
  check("500/s", 500, Dimension::rate);
  check("2 k/s", 2000, Dimension::rate);
}

BOOST_AUTO_TEST_CASE(percent_is_a_fraction) {
  check("10%", 0.10, Dimension::percent);
  check("+5%", 0.05, Dimension::percent);
  check("-5%", -0.05, Dimension::percent);
  check("0.5 %", 0.005, Dimension::percent);
}

BOOST_AUTO_TEST_CASE(whitespace_and_signs_are_allowed) {
  check("  10 ms  ", 1e7, Dimension::time);
  check("+30ns", 30, Dimension::time);
  check("- 30ns", -30, Dimension::time);
  check("\t1.5\tMB", 1.5e6, Dimension::bytes);
}

BOOST_AUTO_TEST_CASE(bad_text_names_the_text_and_what_was_expected) {
  BOOST_TEST(error_of("5 parsecs").starts_with("bad quantity '5 parsecs': unknown unit 'parsecs' — expected ns"));
  BOOST_TEST(error_of("ms").starts_with("bad quantity 'ms': expected a number"));
  BOOST_TEST(error_of("").starts_with("bad quantity '': empty"));
  BOOST_TEST(error_of("inf").starts_with("bad quantity 'inf': expected a number"));
  BOOST_TEST(error_of("nan ms").starts_with("bad quantity 'nan ms': expected a number"));
  BOOST_TEST(error_of("1e999").starts_with("bad quantity '1e999': number out of range"));
  BOOST_TEST(error_of("10 mb").starts_with("bad quantity '10 mb': unknown unit 'mb'"));
  BOOST_TEST(error_of("10ms/s").find("not a rate") != std::string::npos);
  BOOST_TEST(error_of("1,000").starts_with("bad quantity '1,000': unknown unit ',000'"));
  BOOST_TEST(error_of("10 m s").starts_with("bad quantity '10 m s': unknown unit 'm s'"));
}

BOOST_AUTO_TEST_CASE(try_parse_reports_the_cause) {
  std::string why;
  BOOST_TEST(!gate::try_parse_quantity("3 furlongs", why).has_value());
  BOOST_TEST(why.starts_with("unknown unit 'furlongs'"));
  auto q = gate::try_parse_quantity("3ms", why);
  BOOST_REQUIRE(q.has_value());
  BOOST_TEST(q->value == 3e6);
}

BOOST_AUTO_TEST_CASE(units_of_metrics_map_to_dimensions) {
  BOOST_TEST((gate::dimension_of_unit("ns") == Dimension::time));
  BOOST_TEST((gate::dimension_of_unit("B") == Dimension::bytes));
  BOOST_TEST((gate::dimension_of_unit("1/s") == Dimension::rate));
  BOOST_TEST((gate::dimension_of_unit("") == Dimension::count));
}

BOOST_AUTO_TEST_CASE(times_format_in_the_unit_that_reads_best) {
  BOOST_TEST(format_quantity(850, "ns") == "850 ns");
  BOOST_TEST(format_quantity(1234, "ns") == "1.23 \xC2\xB5s");
  BOOST_TEST(format_quantity(45.6e6, "ns") == "45.6 ms");
  BOOST_TEST(format_quantity(2.5e9, "ns") == "2.5 s");
  BOOST_TEST(format_quantity(1500, "ns") == "1.5 \xC2\xB5s");
  BOOST_TEST(format_quantity(0.5, "ns") == "0.5 ns");
  BOOST_TEST(format_quantity(0, "ns") == "0 ns");
  // Rounding decides the unit: 999.7 ns reads as 1 µs, not "1000 ns".
  BOOST_TEST(format_quantity(999.7, "ns") == "1 \xC2\xB5s");
  BOOST_TEST(format_quantity(999.4e6, "ns") == "999 ms");
  BOOST_TEST(format_quantity(-1234, "ns") == "-1.23 \xC2\xB5s");
}

BOOST_AUTO_TEST_CASE(bytes_format_in_si_units) {
  BOOST_TEST(format_quantity(512, "B") == "512 B");
  BOOST_TEST(format_quantity(12345, "B") == "12.3 KB");
  BOOST_TEST(format_quantity(1.5e6, "B") == "1.5 MB");
  BOOST_TEST(format_quantity(2e9, "B") == "2 GB");
  BOOST_TEST(format_quantity(12.5, "B") == "12.5 B");
}

BOOST_AUTO_TEST_CASE(rates_format_compactly) {
  BOOST_TEST(format_quantity(12345, "1/s") == "12.3k/s");
  BOOST_TEST(format_quantity(1.2e6, "1/s") == "1.2M/s");
  BOOST_TEST(format_quantity(500, "1/s") == "500/s");
  BOOST_TEST(format_quantity(3.21e9, "1/s") == "3.21G/s");
}

BOOST_AUTO_TEST_CASE(counts_are_exact_while_short_and_compact_beyond) {
  BOOST_TEST(format_quantity(1234567, "") == "1,234,567");
  BOOST_TEST(format_quantity(218714, "") == "218,714");
  BOOST_TEST(format_quantity(999, "") == "999");
  BOOST_TEST(format_quantity(2.5, "") == "2.5");
  BOOST_TEST(format_quantity(0.3333, "") == "0.333");
  BOOST_TEST(format_quantity(1234.56, "") == "1,235");
  BOOST_TEST(format_quantity(12345678, "") == "12.3M");
  BOOST_TEST(format_quantity(4.56e9, "") == "4.56G");
  BOOST_TEST(format_quantity(-1000, "") == "-1,000");
}

BOOST_AUTO_TEST_CASE(other_units_and_special_values) {
  BOOST_TEST(format_quantity(0.123, "%") == "12.3%");
  BOOST_TEST(format_quantity(3.14159, "widgets") == "3.14 widgets");
  BOOST_TEST(format_quantity(std::numeric_limits<double>::quiet_NaN(), "ns") == "nan");
  BOOST_TEST(format_quantity(std::numeric_limits<double>::infinity(), "ns") == "inf");
}

BOOST_AUTO_TEST_CASE(changes_carry_their_sign) {
  BOOST_TEST(format_change(0.123) == "+12.3%");
  BOOST_TEST(format_change(-0.0456) == "-4.56%");
  BOOST_TEST(format_change(0) == "0%");
  BOOST_TEST(format_change(1.5) == "+150%");
}

BOOST_AUTO_TEST_CASE(parsed_values_format_back) {
  BOOST_TEST(format_quantity(parse_quantity("45.6ms").value, "ns") == "45.6 ms");
  BOOST_TEST(format_quantity(parse_quantity("1.5MB").value, "B") == "1.5 MB");
  BOOST_TEST(format_quantity(parse_quantity("1.2M/s").value, "1/s") == "1.2M/s");
}

BOOST_AUTO_TEST_SUITE_END()
