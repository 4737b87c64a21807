// tests/json_reader_test.cpp — the one JSON reader every format is read with:
// what it refuses (depth, NUL, numbers no double holds, bad UTF-8, comments
// where a format has none), that each refusal is one located line, the
// located tree gate.json is read into, and the same refusals through every
// public reader (Google Benchmark, bundles, noise files).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <limits>
#include <random>
#include <string>

#include "formats/json_reader.hpp"
#include "formats/json_tree.hpp"
#include "formats/text_location.hpp"
#include "gate/error.hpp"
#include "gate/formats/bundle.hpp"
#include "gate/formats/google_benchmark.hpp"
#include "gate/formats/noise_file.hpp"

using gate::detail::JsonReader;
using gate::detail::JsonReaderOptions;
using gate::detail::JsonType;
using namespace std::string_literals;

namespace {

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const gate::Error& e) {
    return e.what();
  }
  return "(no error)";
}

/// Reads the whole text as one value (skipping it) and says what was wrong.
std::string skip_error(const std::string& text, JsonReaderOptions options = {}) {
  return error_of([&] {
    JsonReader r(text, "t.json", options);
    r.skip_value();
    r.expect_end();
  });
}

JsonReaderOptions with_comments() {
  JsonReaderOptions o;
  o.allow_comments = true;
  return o;
}

bool one_line(const std::string& message) {
  return std::none_of(message.begin(), message.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_reader)

// --- nesting ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(nesting_is_refused_at_the_level_too_many) {
  BOOST_TEST(skip_error(std::string(64, '[') + std::string(64, ']')) == "(no error)");
  BOOST_TEST(skip_error(std::string(65, '[') + std::string(65, ']')) == "t.json:1:65: json nested deeper than 64 levels");
  // skip_value walks without recursion: a million levels cost no stack.
  JsonReaderOptions deep;
  deep.max_depth = 256;
  BOOST_TEST(skip_error(std::string(256, '[') + std::string(256, ']'), deep) == "(no error)");
  BOOST_TEST(skip_error(std::string(1'000'000, '['), deep) == "t.json:1:257: json nested deeper than 256 levels");
}

BOOST_AUTO_TEST_CASE(no_option_raises_the_depth_beyond_the_ceiling) {
  JsonReaderOptions huge;
  huge.max_depth = 1'000'000;
  std::string objects;
  for (int i = 0; i < 300; ++i) objects += "{\"k\":";
  BOOST_TEST(skip_error(objects, huge) ==
             "t.json:1:" + std::to_string(gate::detail::k_max_json_depth * 5 + 1) + ": json nested deeper than 256 levels");
}

BOOST_AUTO_TEST_CASE(skip_value_stops_after_the_value_it_skips) {
  JsonReader r(R"({"a": [1, {"b": [[], {}]}, "x"], "c": true})", "t.json");
  r.begin_object();
  BOOST_REQUIRE(r.next_member());
  BOOST_TEST(r.key() == "a");
  r.skip_value();
  BOOST_REQUIRE(r.next_member());
  BOOST_TEST(r.key() == "c");
  BOOST_TEST(r.read_bool());
  BOOST_TEST(!r.next_member());
  r.expect_end();
}

// --- NUL ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(nul_is_refused_wherever_it_stands) {
  BOOST_TEST(skip_error("{}\0"s) == "t.json:1:3: unexpected text after the json value: a NUL byte");
  BOOST_TEST(skip_error("[1,\0 2]"s) == "t.json:1:4: expected a json value, found a NUL byte");
  BOOST_TEST(skip_error("[\"a\0\"]"s) == "t.json:1:4: control character in string (must be escaped)");
  BOOST_TEST(skip_error("[1] // \0"s, with_comments()) == "t.json:1:8: a NUL byte in a comment");
  BOOST_TEST(skip_error("[1 /* \0 */]"s, with_comments()) == "t.json:1:7: a NUL byte in a comment");
}

// --- numbers ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(numbers_no_double_holds_are_refused_even_when_skipped) {
  BOOST_TEST(skip_error("[1e999]") == "t.json:1:2: number out of range");
  BOOST_TEST(skip_error("[0, -1e999]") == "t.json:1:5: number out of range");
  BOOST_TEST(skip_error("[1e-400]") == "t.json:1:2: number out of range");
  BOOST_TEST(skip_error("[1" + std::string(400, '0') + "]") == "t.json:1:2: number out of range");
  // Within range: the largest and smallest doubles, a subnormal, a long
  // integer, a zero with any exponent.
  BOOST_TEST(skip_error("[1.7976931348623157e308, -2.2250738585072014e-308, 4.9e-324, 1e-310, 0e99999, 1" +
                        std::string(300, '0') + "]") == "(no error)");
  JsonReader r("[1e999]", "t.json");
  r.begin_array();
  BOOST_REQUIRE(r.next_element());
  BOOST_TEST(error_of([&] { (void)r.read_number_text(); }) == "t.json:1:2: number out of range");
}

// --- comments -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(comments_only_where_the_format_has_them) {
  BOOST_TEST(skip_error("[1] // no") == "t.json:1:5: unexpected text after the json value: '/'");
  BOOST_TEST(skip_error("// c\n[1]") == "t.json:1:1: expected a json value, found '/'");
  BOOST_TEST(skip_error("// c\n[1, /* two */ 2] // end", with_comments()) == "(no error)");
}

BOOST_AUTO_TEST_CASE(line_comments_end_at_lf_cr_or_the_end_of_the_text) {
  BOOST_TEST(skip_error("[1, // one\r2]", with_comments()) == "(no error)");
  BOOST_TEST(skip_error("[1, // one\r\n2]", with_comments()) == "(no error)");
  BOOST_TEST(skip_error("[1]//", with_comments()) == "(no error)");
  BOOST_TEST(skip_error("[1] // caf\xC3\xA9", with_comments()) == "(no error)");
  // A comment that swallows the rest of the document leaves it unfinished.
  BOOST_TEST(skip_error("[1, // one 2]", with_comments()) == "t.json:1:14: unexpected end of file (truncated json)");
  BOOST_TEST(skip_error("[1]/", with_comments()) == "t.json:1:4: expected a comment ('//' or '/*') after '/'");
  BOOST_TEST(skip_error("[1]/x", with_comments()) == "t.json:1:4: expected a comment ('//' or '/*') after '/'");
  BOOST_TEST(skip_error("[1] /* a */ /* b", with_comments()) ==
             "t.json:1:17: unterminated comment (opened at 1:13): missing closing '*/'");
  BOOST_TEST(skip_error("[1] // caf\xE9\n", with_comments()) == "t.json:1:11: invalid utf-8 in comment");
}

// --- strings ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(invalid_utf8_is_refused_at_the_first_bad_byte) {
  BOOST_TEST(skip_error("[\"ok\", \"caf\xE9\"]") == "t.json:1:12: invalid utf-8 in string");
  BOOST_TEST(skip_error("[\"\xC0\xAF\"]") == "t.json:1:3: invalid utf-8 in string");  // an overlong '/'
  BOOST_TEST(skip_error("[\"\xF4\x90\x80\x80\"]") == "t.json:1:3: invalid utf-8 in string");  // above U+10FFFF
  BOOST_TEST(skip_error("[\"\xE2\x82\"]") == "t.json:1:3: invalid utf-8 in string");  // cut short
  JsonReader r("\"caf\xC3\xA9 \xF0\x9F\x98\x80\"", "t.json");
  BOOST_TEST(r.read_string() == "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

BOOST_AUTO_TEST_CASE(raw_control_characters_in_strings_and_keys_are_refused) {
  BOOST_TEST(skip_error("[\"a\tb\"]") == "t.json:1:4: control character in string (must be escaped)");
  BOOST_TEST(skip_error("{\"a\nb\": 1}") == "t.json:1:4: control character in string (must be escaped)");
  // Escaped, they are JSON; a format decides what it does with them.
  JsonReader r(R"(["a\tb\u001b"])", "t.json");
  r.begin_array();
  BOOST_REQUIRE(r.next_element());
  BOOST_TEST(r.read_string() == "a\tb\x1b");
}

// --- messages -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(every_message_is_one_line) {
  // An invalid escape quoted the byte after the backslash raw: a line break.
  std::string escape = skip_error("[\"a\\\nb\"]");
  BOOST_TEST(escape == "t.json:1:4: invalid escape: '\\' followed by byte 0x0a in string", escape);
  // Callers quote names from the file in their messages.
  JsonReader r("{}", "t.json");
  std::string quoted = error_of([&] { r.fail_at(1, "benchmark 'BM_A\n1 passed\x1b[8m' appears twice"); });
  BOOST_TEST(quoted == "t.json:1:2: benchmark 'BM_A\\n1 passed\\x1b[8m' appears twice");
  for (const std::string& text : {"[\"\\\x01\"]"s, "\x01"s, "[1,\x7f]"s, "{\"a\"\x0b: 1}"s, "[\"\\u00\n\"]"s}) {
    std::string message = skip_error(text);
    BOOST_TEST(message.starts_with("t.json:1:"), message);
    BOOST_TEST(one_line(message), message);
  }
}

BOOST_AUTO_TEST_CASE(the_error_label_marks_the_readers_own_errors) {
  JsonReaderOptions labelled;
  labelled.error_label = "invalid JSON";
  BOOST_TEST(skip_error("[1,]", labelled) == "t.json:1:4: invalid JSON: expected a json value, found ']'");
  BOOST_TEST(skip_error("[1e999]", labelled) == "t.json:1:2: invalid JSON: number out of range");
  BOOST_TEST(skip_error("[[[]]]", {.max_depth = 2, .error_label = "invalid JSON"}) ==
             "t.json:1:3: invalid JSON: json nested deeper than 2 levels");
  // A caller's own complaints are not about the syntax.
  JsonReader r("[1]", "t.json", labelled);
  BOOST_TEST(error_of([&] { r.begin_object(); }) == "t.json:1:1: expected an object, found an array");
}

BOOST_AUTO_TEST_CASE(a_byte_order_mark_is_skipped_only_when_allowed) {
  const std::string text = "\xEF\xBB\xBF[1, x]";
  BOOST_TEST(skip_error(text) == "t.json:1:1: expected a json value, found byte 0xef");
  JsonReaderOptions bom;
  bom.allow_byte_order_mark = true;
  // Locations still count the mark's three bytes.
  BOOST_TEST(skip_error(text, bom) == "t.json:1:8: expected a json value, found 'x'");
}

BOOST_AUTO_TEST_CASE(escape_for_message_shows_what_a_terminal_would_act_on) {
  using gate::detail::escape_for_message;
  BOOST_TEST(escape_for_message("a\nb\rc\td\x1b[8m\x7f\x01") == "a\\nb\\rc\\td\\x1b[8m\\x7f\\x01");
  BOOST_TEST(escape_for_message("caf\xC3\xA9 \xF0\x9F\x98\x80 \xE2\x86\x92") == "caf\xC3\xA9 \xF0\x9F\x98\x80 \xE2\x86\x92");
  // Invalid UTF-8 byte by byte; C1 controls, separators and bidi marks by code point.
  BOOST_TEST(escape_for_message("\xE9x\xC3") == "\\xe9x\\xc3");
  BOOST_TEST(escape_for_message("\xC2\x85|\xE2\x80\xA8|\xE2\x80\xA9|\xE2\x80\xAE|\xE2\x81\xA6|\xE2\x80\x8F") ==
             "\\u0085|\\u2028|\\u2029|\\u202e|\\u2066|\\u200f");
}

BOOST_AUTO_TEST_CASE(line_index_agrees_with_locate) {
  std::mt19937 rng(7);
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "ab\n\r"[rng() % 4];
  gate::detail::LineIndex index(text);
  for (std::size_t offset = 0; offset <= text.size() + 3; ++offset) {
    auto a = gate::detail::locate(text, offset);
    auto b = index.locate(offset);
    BOOST_TEST_REQUIRE((a.line == b.line && a.column == b.column), "offset " << offset);
  }
  gate::detail::LineIndex empty("");
  BOOST_TEST(empty.locate(5).line == 1U);
  BOOST_TEST(empty.locate(5).column == 1U);
}

// --- the located tree -----------------------------------------------------------

BOOST_AUTO_TEST_CASE(the_tree_keeps_every_position_and_the_file_order) {
  const std::string text = "{\n  \"b\": [1.50, \"x\\u00e9\"],\n  \"a\": {\"k\": null, \"k\": true}\n}";
  JsonReader r(text, "t.json");
  gate::detail::JsonNode root = gate::detail::read_json_tree(r);
  BOOST_REQUIRE(root.is(JsonType::object));
  BOOST_REQUIRE(root.members.size() == 2U);
  BOOST_TEST(root.members[0].key == "b");  // file order, not sorted
  BOOST_TEST(root.members[0].key_offset == 4U);
  const auto& b = root.members[0].value;
  BOOST_TEST(b.offset == 9U);
  BOOST_REQUIRE(b.elements.size() == 2U);
  BOOST_TEST(b.elements[0].text == "1.50");  // numbers as written
  BOOST_TEST(b.elements[0].offset == 10U);
  BOOST_TEST(b.elements[1].text == "x\xC3\xA9");  // strings decoded
  const auto& a = root.find("a")->value;
  BOOST_REQUIRE(a.members.size() == 2U);  // duplicates kept: the format decides
  BOOST_TEST(a.members[1].value.text == "true");
  BOOST_TEST(a.members[0].value.is(JsonType::null));
  BOOST_TEST(root.find("c") == nullptr);
}

BOOST_AUTO_TEST_CASE(the_tree_is_one_value_and_nothing_after_it) {
  BOOST_TEST(error_of([] {
               JsonReader r("{} {}", "t.json");
               (void)gate::detail::read_json_tree(r);
             }) == "t.json:1:4: unexpected text after the json value: '{'");
  const std::string deep(100'000, '[');  // the reader keeps a view: the text outlives it
  BOOST_TEST(error_of([&] {
               JsonReader r(deep, "t.json");
               (void)gate::detail::read_json_tree(r);
             }) == "t.json:1:65: json nested deeper than 64 levels");
}

// --- every format at once ----------------------------------------------------------

namespace {

const std::string k_gb_head = R"({"context": {"date": "x", "num_cpus": 2, "library_build_type": "release"},
"benchmarks": [{"name": "BM_A", "run_name": "BM_A", "run_type": "iteration", "repetitions": 1,
"repetition_index": 0, "threads": 1, "iterations": 10, "real_time": 5, "cpu_time": 5, "time_unit": "ns")";

std::string gb_error(const std::string& row_tail) {
  return error_of([&] { (void)gate::read_google_benchmark(k_gb_head + row_tail, "gb.json"); });
}

const std::string k_bundle_head = R"({"schema": "perfgate-bundle", "schema_version": 1, "suites": [], "later": )";

std::string bundle_error(const std::string& rest) {
  return error_of([&] { (void)gate::parse_bundle(k_bundle_head + rest, "b.json"); });
}

const std::string k_noise_head = R"({"schema": "perfgate-noise", "schema_version": 1, "runner": "r1", "later": )";

std::string noise_error(const std::string& rest) {
  return error_of([&] { (void)gate::parse_noise(k_noise_head + rest, "n.json"); });
}

}  // namespace

BOOST_AUTO_TEST_CASE(google_benchmark_files_get_the_same_refusals) {
  BOOST_TEST(gb_error("}]}") == "(no error)");
  // A field the ingest skips was never checked for range.
  BOOST_TEST(gb_error(", \"some_new_field\": 1e999}]}") == "gb.json:3:124: number out of range");
  BOOST_TEST(gb_error(", \"x\": " + std::string(70, '[') + "}]}") == "gb.json:3:172: json nested deeper than 64 levels");
  BOOST_TEST(gb_error("}]}\0 and more"s) == "gb.json:3:107: unexpected text after the json value: a NUL byte");
  BOOST_TEST(gb_error("}]} // a comment") == "gb.json:3:108: unexpected text after the json value: '/'");
  std::string named = error_of([] {
    (void)gate::read_google_benchmark(R"({"benchmarks": [{"name": "BM_\nA", "run_type": "bogus"}]})", "gb.json");
  });
  BOOST_TEST(one_line(named), named);
}

BOOST_AUTO_TEST_CASE(bundles_get_the_same_refusals) {
  BOOST_TEST(bundle_error("[1e-400]}") == "b.json:1:76: number out of range");
  BOOST_TEST(bundle_error("{} }\0"s) == "b.json:1:79: unexpected text after the json value: a NUL byte");
  BOOST_TEST(bundle_error("\"\\\nx\"}") == "b.json:1:76: invalid escape: '\\' followed by byte 0x0a in string");
}

BOOST_AUTO_TEST_CASE(noise_files_get_the_same_refusals) {
  BOOST_TEST(noise_error("[1, 2]}") ==
             "n.json:1:67: unknown key 'later' in noise.json (docs/noise.md lists the keys of schema_version 1)");
  BOOST_TEST(noise_error("[1e999]}") == "n.json:1:77: number out of range");
  BOOST_TEST(noise_error(std::string(100, '[')) == "n.json:1:139: json nested deeper than 64 levels");
}

// --- integers -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(integers_are_read_to_the_edges_of_int64) {
  auto read = [](const std::string& number) {
    JsonReader r(number, "t.json");
    return r.read_int64();
  };
  auto refusal = [](const std::string& number) {
    const std::string text = " " + number;
    return error_of([&] {
      JsonReader r(text, "t.json");
      (void)r.read_int64();
    });
  };
  BOOST_TEST(read("0") == 0);
  BOOST_TEST(read("-0") == 0);
  BOOST_TEST(read("42") == 42);
  BOOST_TEST(read("-42") == -42);
  BOOST_TEST(read("9223372036854775807") == std::numeric_limits<std::int64_t>::max());
  BOOST_TEST(read("-9223372036854775808") == std::numeric_limits<std::int64_t>::min());
  BOOST_TEST(refusal("9223372036854775808") == "t.json:1:2: integer out of range");
  BOOST_TEST(refusal("-9223372036854775809") == "t.json:1:2: integer out of range");
  BOOST_TEST(refusal("18446744073709551616") == "t.json:1:2: integer out of range");
  BOOST_TEST(refusal(std::string(40, '9')) == "t.json:1:2: integer out of range");
  BOOST_TEST(refusal("1.5") == "t.json:1:2: expected an integer, found 1.5");
  BOOST_TEST(refusal("1e3") == "t.json:1:2: expected an integer, found 1e3");
  BOOST_TEST(refusal(std::string(40, '9') + ".5") == "t.json:1:2: expected an integer, found " + std::string(40, '9') + ".5");
  BOOST_TEST(refusal("\"1\"") == "t.json:1:2: expected an integer, found a string");
}

// --- a block at a time ----------------------------------------------------------
// Strings and runs of spaces are scanned 16 bytes at a time (8 without
// SSE2): whatever byte ends a run, at whichever offset of the first two
// blocks and whatever the text after it, the result is the one a
// byte-by-byte reading gives.

BOOST_AUTO_TEST_CASE(strings_end_at_the_same_byte_at_every_offset) {
  struct Case {
    std::string special;   // put after k plain bytes
    std::string decoded;   // what the string reads as ("" when refused)
    std::string refusal;   // the error after the location ("" when read)
  };
  const std::vector<Case> cases = {
      {"", "", ""},
      {"\\n", "\n", ""},
      {"\\\"", "\"", ""},
      {"\x7F", "\x7F", ""},                 // DEL is no control character in JSON
      {"\xC3\xA9", "\xC3\xA9", ""},           // é
      {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80", ""},
      {"\x01", "", "control character in string (must be escaped)"},
      {"\x1F", "", "control character in string (must be escaped)"},
      {"\t", "", "control character in string (must be escaped)"},
      {"\0"s, "", "control character in string (must be escaped)"},
      {"\xFF", "", "invalid utf-8 in string"},
      {"\x80", "", "invalid utf-8 in string"},
  };
  for (std::size_t k = 0; k <= 33; ++k) {
    for (std::size_t tail : {0, 1, 7, 8, 9, 15, 16, 17}) {
      for (const Case& c : cases) {
        const std::string before(k, 'a');
        const std::string after(tail, 'z');
        const std::string text = "[\"" + before + c.special + after + "\"]";
        BOOST_TEST_CONTEXT("k=" << k << " tail=" << tail << " special=" << gate::detail::escape_for_message(c.special)) {
          if (c.refusal.empty()) {
            JsonReader r(text, "t.json");
            r.begin_array();
            BOOST_TEST(r.next_element());
            BOOST_TEST(std::string(r.read_string()) == before + c.decoded + after);
            BOOST_TEST(!r.next_element());
            r.expect_end();
          } else {
            BOOST_TEST(skip_error(text) == "t.json:1:" + std::to_string(k + 3) + ": " + c.refusal);
          }
        }
      }
    }
  }
  // Cut short anywhere: the end of the text, never a read past it.
  for (std::size_t k = 0; k <= 33; ++k) {
    BOOST_TEST(skip_error("[\"" + std::string(k, 'a')) ==
               "t.json:1:" + std::to_string(k + 3) + ": unexpected end of file (truncated json)");
  }
}

BOOST_AUTO_TEST_CASE(runs_of_spaces_end_at_the_same_byte_at_every_offset) {
  for (std::size_t k = 0; k <= 35; ++k) {
    for (const std::string& next : {"1"s, "\n1"s, "\t1"s, "\r\n  1"s, "x"s, "\0"s}) {
      const std::string text = "[" + std::string(k, ' ') + next + "]";
      BOOST_TEST_CONTEXT("k=" << k << " next=" << gate::detail::escape_for_message(next)) {
        if (next.back() == '1') {
          JsonReader r(text, "t.json");
          r.begin_array();
          BOOST_TEST(r.next_element());
          BOOST_TEST(r.value_offset() == text.size() - 2);
          BOOST_TEST(r.read_int64() == 1);
          BOOST_TEST(!r.next_element());
        } else {
          BOOST_TEST(skip_error(text) == "t.json:1:" + std::to_string(k + 2) + ": expected a json value, found " +
                                             (next == "x" ? "'x'" : "a NUL byte"));
        }
      }
    }
    // Spaces to the very end: the end of the text.
    BOOST_TEST(skip_error("[" + std::string(k, ' ')) ==
               "t.json:1:" + std::to_string(k + 2) + ": unexpected end of file (truncated json)");
  }
}

BOOST_AUTO_TEST_SUITE_END()
