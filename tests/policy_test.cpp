// tests/policy_test.cpp — gate.json: parsing, errors with their location,
// limits and targets, and which rules apply to a benchmark.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <regex>
#include <string>

#include "gate/error.hpp"
#include "gate/policy/policy.hpp"
#include "test_support.hpp"

using gate::Direction;
using gate::Limit;
using gate::Policy;
using gate::Target;

namespace {

constexpr auto lower = Direction::lower_is_better;
constexpr auto higher = Direction::higher_is_better;

Policy parse(const std::string& text) { return gate::parse_policy(text, "gate.json"); }

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const gate::Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string parse_error(const std::string& text) {
  return error_of([&] { (void)parse(text); });
}

// A broken fixture must fail with "<path>:<line:col>: <where>: ..." and the
// message must contain `cause`.
void expect_broken(const std::string& fixture, const std::string& line_col, const std::string& where,
                   const std::string& cause) {
  auto path = gate::test::data("policy/" + fixture);
  std::string message = error_of([&] { (void)gate::load_policy(path); });
  std::string prefix = path.string() + ":" + line_col + ": " + where + ": ";
  BOOST_TEST(message.starts_with(prefix), "message: " << message << "\nexpected prefix: " << prefix);
  BOOST_TEST(message.find(cause) != std::string::npos, "message: " << message << "\nexpected cause: " << cause);
}

const Limit& limit_of(const gate::BenchmarkRules& r, const std::string& metric) {
  auto it = r.limits.find(metric);
  if (it == r.limits.end()) throw std::runtime_error("no limit for " + metric);
  return it->second;
}

// The policy of the task's example, comments and all.
const std::string k_example = R"json(
// gate.json — this repository's policy
{
  "version": 1,
  "defaults": {
    "primary_metric": "cpu_time",      // judged when a rule says nothing else
    "threshold": "+10%",               /* the seeds' 10% */
    "alpha": 0.05,
    "min_repetitions": 5,
    "repetitions": 10,
    "limits": { "allocs_per_iter": "+0%", "instructions": "+1%" }
  },
  "metrics": { "queries_per_second": { "direction": "higher", "kind": "noisy" } },
  "suites": [ { "name": "bench_clew", "binary": "benchsuite/bench_clew", "timeout": "600s", "args": [] } ],
  "rules": [
    { "match": "BM_Extract/*", "suite": "bench_clew", "cpu_time": "+5%", "p95": "< 10ms" },
    { "match": "BM_Sort*", "real_time": "+2% and +30ns", "items_per_second": "> 1M" }
  ],
  "size": { "bench_*": { "max": "50MB", "growth": "+10% or +5MB", "sections": { ".text": "+10%" } } }
}
)json";

}  // namespace

BOOST_AUTO_TEST_SUITE(policy)

// --- broken fixtures: one test each, exact location and key ---------------

BOOST_AUTO_TEST_CASE(broken_bad_limit_unit) {
  expect_broken("bad_limit_unit.json", "7:40", "rules[1].\"cpu_time\"",
                "bad limit '+5 parsecs': unknown unit 'parsecs'");
}
BOOST_AUTO_TEST_CASE(broken_syntax_missing_comma) {
  // The reader notices the missing comma at the next key's opening quote.
  expect_broken("syntax_missing_comma.json", "3:3", "invalid JSON", "expected ',' or '}', found '\"'");
}
BOOST_AUTO_TEST_CASE(broken_syntax_unterminated_comment) {
  expect_broken("syntax_unterminated_comment.json", "5:1", "invalid JSON", "missing closing '*/'");
}
BOOST_AUTO_TEST_CASE(broken_not_an_object) {
  auto path = gate::test::data("policy/not_an_object.json");
  std::string message = error_of([&] { (void)gate::load_policy(path); });
  BOOST_TEST(message == path.string() + ":1:1: expected an object, found an array");
}
BOOST_AUTO_TEST_CASE(broken_unknown_top_level_key) {
  expect_broken("unknown_top_level_key.json", "4:3", "rule", "unknown key — did you mean 'rules'?");
}
BOOST_AUTO_TEST_CASE(broken_unknown_defaults_key) {
  expect_broken("unknown_defaults_key.json", "4:5", "defaults.\"treshold\"", "did you mean 'threshold'?");
}
BOOST_AUTO_TEST_CASE(broken_duplicate_key) {
  expect_broken("duplicate_key.json", "4:7", "rules[0].\"cpu_time\"", "duplicate key");
}
BOOST_AUTO_TEST_CASE(broken_limit_wrong_dimension) {
  expect_broken("limit_wrong_dimension.json", "3:37", "rules[0].\"real_time\"",
                "'+5MB' is bytes, but 'real_time' is a time (ns)");
}
BOOST_AUTO_TEST_CASE(broken_limit_both_relative) {
  expect_broken("limit_both_relative.json", "3:18", "defaults.\"threshold\"", "both parts are relative");
}
BOOST_AUTO_TEST_CASE(broken_unknown_metric) {
  expect_broken("unknown_metric.json", "4:7", "rules[0].\"cpu_tme\"",
                "unknown metric 'cpu_tme' — did you mean 'cpu_time'?");
}
BOOST_AUTO_TEST_CASE(broken_unknown_statistic) {
  expect_broken("unknown_statistic.json", "3:24", "rules[0].\"real_time.p97\"", "unknown statistic 'p97'");
}
BOOST_AUTO_TEST_CASE(broken_statistic_with_limit) {
  expect_broken("statistic_with_limit.json", "3:31", "rules[0].\"p95\"", "'p95' takes a target");
}
BOOST_AUTO_TEST_CASE(broken_target_percent_bound) {
  expect_broken("target_percent_bound.json", "3:31", "rules[0].\"p95\"", "bad target '< 5%': a bound is absolute");
}
BOOST_AUTO_TEST_CASE(broken_rule_without_match) {
  expect_broken("rule_without_match.json", "4:5", "rules[1]", "a rule needs \"match\"");
}
BOOST_AUTO_TEST_CASE(broken_glob_unclosed_bracket) {
  expect_broken("glob_unclosed_bracket.json", "3:26", "rules[0].\"match\"[1]", "bad pattern 'BM_[ab': unclosed '['");
}
BOOST_AUTO_TEST_CASE(broken_rule_key_typo) {
  expect_broken("rule_key_typo.json", "3:25", "rules[0].\"suit\"", "unknown key — did you mean 'suite'?");
}
BOOST_AUTO_TEST_CASE(broken_threshold_not_a_string) {
  expect_broken("threshold_not_a_string.json", "2:30", "defaults.\"threshold\"",
                "expected a string such as '+10%', found a number");
}
BOOST_AUTO_TEST_CASE(broken_alpha_out_of_range) {
  expect_broken("alpha_out_of_range.json", "3:14", "defaults.\"alpha\"", "alpha must lie between 0 and 1");
}
BOOST_AUTO_TEST_CASE(broken_repetitions_too_few) {
  expect_broken("repetitions_too_few.json", "2:54", "defaults.\"repetitions\"", "5 is too small — at least 9");
}
BOOST_AUTO_TEST_CASE(broken_version_unsupported) {
  expect_broken("version_unsupported.json", "1:14", "version", "unsupported version 2");
}
BOOST_AUTO_TEST_CASE(broken_suite_unsafe_name) {
  expect_broken("suite_unsafe_name.json", "3:15", "suites[0].\"name\"", "bad suite name '../evil'");
}
BOOST_AUTO_TEST_CASE(broken_suite_duplicate_name) {
  expect_broken("suite_duplicate_name.json", "4:15", "suites[1].\"name\"", "duplicate name 'bench_clew': a suite has it");
}
BOOST_AUTO_TEST_CASE(broken_suite_timeout_not_a_time) {
  expect_broken("suite_timeout_not_a_time.json", "3:75", "suites[0].\"timeout\"", "expected a time such as '600s'");
}
BOOST_AUTO_TEST_CASE(broken_size_max_not_bytes) {
  expect_broken("size_max_not_bytes.json", "3:25", "size.\"bench_*\".\"max\"", "bad size '50ms'");
}
BOOST_AUTO_TEST_CASE(broken_size_section_not_a_limit) {
  expect_broken("size_section_not_a_limit.json", "3:41", "size.\"bench_*\".\"sections\".\".text\"",
                "expected a growth limit");
}
BOOST_AUTO_TEST_CASE(broken_metric_bad_direction) {
  expect_broken("metric_bad_direction.json", "3:42", "metrics.\"queries_per_second\".\"direction\"",
                "unknown direction 'up'");
}
BOOST_AUTO_TEST_CASE(broken_threshold_misfits_rule_primary) {
  expect_broken("threshold_misfits_rule_primary.json", "4:52", "rules[0].\"primary_metric\"",
                "'+10% and +30ns' is a time, but 'items_per_second' is a rate (1/s)");
}
BOOST_AUTO_TEST_CASE(broken_target_in_default_limits) {
  expect_broken("target_in_default_limits.json", "3:35", "defaults.\"limits\".\"max_bytes_used\"",
                "put targets in a rule");
}

// --- hostile text: refused with a location, in one line, never a crash -----

// Every message of these tests: gate::Error (anything else escapes error_of
// and fails the test), located in gate.json, one line with no raw control
// character.
std::string printable(const std::string& text) {
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) {
      out += c;
    } else {
      static constexpr char k_hex[] = "0123456789abcdef";
      out += "\\x";
      out += k_hex[u >> 4];
      out += k_hex[u & 0xF];
    }
  }
  return out;
}

void expect_one_located_line(const std::string& message, const std::string& source = "gate.json") {
  std::regex located("^" + std::regex_replace(source, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                     ":[0-9]+:[0-9]+: .+");
  BOOST_TEST(std::regex_match(message, located), "not located: " << message);
  BOOST_TEST(std::none_of(message.begin(), message.end(),
                          [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }),
             "raw control character in: " << message);
}

BOOST_AUTO_TEST_CASE(nesting_far_beyond_the_limit_is_refused_not_a_crash) {
  // Some 14,000 levels crashed the gate (the recursive scanner), 100,000
  // crash any recursive reader.
  std::string deep = "{\"rules\": " + std::string(100'000, '[') + std::string(100'000, ']') + "}";
  std::string message = parse_error(deep);
  BOOST_TEST(message == "gate.json:1:74: invalid JSON: json nested deeper than 64 levels", message);
  std::string objects;
  for (int i = 0; i < 20'000; ++i) objects += "{\"a\":";
  BOOST_TEST(parse_error(objects).starts_with("gate.json:1:321: invalid JSON: json nested deeper than 64 levels"),
             parse_error(objects));
  // 64 levels are read (and then refused for what they mean, not their depth).
  std::string ok = "{\"rules\": " + std::string(63, '[') + std::string(63, ']') + "}";
  BOOST_TEST(parse_error(ok).find("expected an object") != std::string::npos, parse_error(ok));
}

BOOST_AUTO_TEST_CASE(broken_text_after_nul) {
  // The reader stopped at the NUL and passed the file.
  expect_broken("text_after_nul.json", "4:1", "invalid JSON", "unexpected text after the json value: a NUL byte");
}
BOOST_AUTO_TEST_CASE(nul_anywhere_is_refused) {
  using namespace std::string_literals;
  BOOST_TEST(parse_error("{}\0"s) == "gate.json:1:3: invalid JSON: unexpected text after the json value: a NUL byte");
  BOOST_TEST(parse_error("{ \"version\":\0 1 }"s) ==
             "gate.json:1:13: invalid JSON: expected a json value, found a NUL byte");
  BOOST_TEST(parse_error("{ \"ver\0sion\": 1 }"s) ==
             "gate.json:1:7: invalid JSON: control character in string (must be escaped)");
  BOOST_TEST(parse_error("{} // \0\n"s) == "gate.json:1:7: invalid JSON: a NUL byte in a comment");
  expect_broken("nul_in_comment.json", "2:21", "invalid JSON", "a NUL byte in a comment");
}

BOOST_AUTO_TEST_CASE(broken_number_out_of_range) {
  // "internal error: number overflow", without a location.
  expect_broken("number_out_of_range.json", "2:26", "invalid JSON", "number out of range");
  BOOST_TEST(parse_error(R"({ "defaults": { "noise_k": -1e999 } })") ==
             "gate.json:1:28: invalid JSON: number out of range");
  BOOST_TEST(parse_error(R"({ "defaults": { "alpha": 1e-400 } })") ==
             "gate.json:1:26: invalid JSON: number out of range");
  BOOST_TEST(parse_error(R"({ "defaults": { "repetitions": 99999999999999999999 } })") ==
             "gate.json:1:32: defaults.\"repetitions\": 99999999999999999999 is out of range — at most 100000");
  BOOST_TEST(parse_error(R"({ "version": 1.0 })") ==
             "gate.json:1:14: version: unsupported version 1.0 — this gate reads version 1");
}

BOOST_AUTO_TEST_CASE(line_comments_end_at_lf_cr_or_the_end_of_the_file) {
  // A comment ending in CR gave "internal error: [json.exception.parse_error.101]",
  // one at the end of the file "basic_string_view::substr".
  Policy cr = gate::load_policy(gate::test::data("policy/comment_ends_in_cr.json"));
  BOOST_TEST(cr.rule_count() == 1U);
  BOOST_TEST(parse("{\"version\"// x\r: 1}").source == "gate.json");
  BOOST_TEST(parse("{ \"version\": 1 } // the end").source == "gate.json");
  BOOST_TEST(parse("{}//").source == "gate.json");
  BOOST_TEST(parse("// first\r\n{ /* inside */ \"defaults\": { \"threshold\": \"+7%\" } }\r\n// last\r\n")
                 .defaults.threshold.origin == "gate.json:2:43");
  BOOST_TEST(parse_error("{}/") == "gate.json:1:3: invalid JSON: expected a comment ('//' or '/*') after '/'");
  BOOST_TEST(parse_error("{} /* open") ==
             "gate.json:1:11: invalid JSON: unterminated comment (opened at 1:4): missing closing '*/'");
  BOOST_TEST(parse_error("// only a comment\n") ==
             "gate.json:2:1: invalid JSON: no value — a policy is an object, '{}' at the least");
  BOOST_TEST(parse_error("") == "gate.json:1:1: invalid JSON: no value — a policy is an object, '{}' at the least");
}

BOOST_AUTO_TEST_CASE(broken_invalid_utf8_in_string) {
  // Refused at the first bad byte, never repaired: a pattern must be the one written.
  expect_broken("invalid_utf8_in_string.json", "2:29", "invalid JSON", "invalid utf-8 in string");
  BOOST_TEST(parse_error("// caf\xe9\n{}") == "gate.json:1:7: invalid JSON: invalid utf-8 in comment");
  BOOST_TEST(parse(R"({ "suites": [ { "name": "bench_a", "binary": "b/caf\u00e9 \u2192 ü" } ] })")
                 .suites.at(0)
                 .binary == "b/caf\u00e9 \u2192 \u00fc");
}

BOOST_AUTO_TEST_CASE(broken_escaped_control_in_arg) {
  // JSON allows "\u001b"; gate.json's names, paths, arguments and patterns
  // never need one, and a message quoting it must stay one line.
  expect_broken("escaped_control_in_arg.json", "2:60", "suites[0].\"args\"[0]", "control character \\x1b in a string");
  BOOST_TEST(parse_error("{ \"ru\\nles\": [] }") ==
             "gate.json:1:3: ru\\nles: control character \\n in a key — gate.json's keys and strings hold none, "
             "escaped or not");
  BOOST_TEST(parse_error("{ \"rules\": [ { \"match\": \"a\tb\" } ] }") ==
             "gate.json:1:27: invalid JSON: control character in string (must be escaped)");
}

BOOST_AUTO_TEST_CASE(messages_quoting_the_file_stay_one_line) {
  // Bidirectional overrides and line separators are allowed in strings but
  // shown escaped, so that a message cannot hide or reorder its own text.
  std::string message = parse_error("{ \"rules\xE2\x80\xAE\": [], \"x\xE2\x80\xA8\": 1 }");
  BOOST_TEST(message == "gate.json:1:3: rules\\u202e: unknown key (expected one of: version, metrics, defaults, suites, "
                        "rules, size, binaries, derived, commands, ab)",
             message);
  // A benchmark name from results, quoted when its rules cannot be judged.
  Policy p = parse(R"({ "rules": [
    { "match": "BM_Rate*", "primary_metric": "items_per_second", "threshold": "+5%" },
    { "match": "BM_*", "p95": "< 10ms" }
  ] })");
  std::string resolved = error_of([&] { (void)p.rules_for("bench\x1b[8m", "BM_Rate\nPASSED"); });
  BOOST_TEST(resolved.find("cannot judge 'BM_Rate\\nPASSED' in suite 'bench\\x1b[8m'") != std::string::npos, resolved);
  expect_one_located_line(resolved);
}

BOOST_AUTO_TEST_CASE(hostile_texts_get_located_one_line_errors) {
  using namespace std::string_literals;
  const std::string texts[] = {
      "{"s, "{\"a\""s, "{\"a\":"s, "[1,"s, "\"\\u12"s, "\"\\ud800\""s, "\"\\udc00x\""s, "-"s, "01"s, "1."s, "1e"s,
      "tru"s, "nul"s, "{\"a\" 1}"s, "{,}"s, "[1 2]"s, "{}}"s, "\xEF\xBB\xBF"s, "\xEF\xBB"s, "/*"s, "/"s, "{\"a\\\n\": 1}"s,
      "{\"rules\": [{\"match\": \"*\", \"cpu_time\": \"+1e999%\"}]}"s, "{\"version\": 1e400}"s,
      "{\"defaults\": {\"min_repetitions\": -99999999999999999999}}"s, "\x80"s, "{\"\xC0\xAF\": 1}"s,
      "{\"size\": {\"[\": {}}}"s, "{\"suites\": [{\"name\": \"\\u0000\", \"binary\": \"b\"}]}"s};
  for (const auto& text : texts) {
    std::string message = parse_error(text);
    BOOST_TEST_CONTEXT("text: " << printable(text)) { expect_one_located_line(message); }
  }
}

// The "ab" section: how `gate run --ab` measures; each bad value is refused
// where it stands.
BOOST_AUTO_TEST_CASE(the_ab_section_is_read_and_its_bad_values_refused_where_they_stand) {
  Policy p = parse(R"({"ab": {"rounds": 60, "pair": "benchmark", "cpu": "last", "min_time": "20ms"}})");
  BOOST_TEST(p.ab.rounds.value_or(0) == 60);
  BOOST_TEST((p.ab.pairing == gate::AbPairing::benchmark));
  BOOST_TEST(p.ab.cpu.value_or(0) == gate::k_last_cpu);
  BOOST_TEST(p.ab.min_time.value_or(0) == 0.02, boost::test_tools::tolerance(1e-12));
  Policy q = parse(R"({"ab": {"cpu": 3, "pair": "suite"}})");
  BOOST_TEST(q.ab.cpu.value_or(0) == 3);
  BOOST_TEST((q.ab.pairing == gate::AbPairing::suite));
  BOOST_TEST(!q.ab.rounds);
  BOOST_TEST(!q.ab.min_time);
  Policy none = parse("{}");
  BOOST_TEST(!none.ab.cpu);
  BOOST_TEST((none.ab.pairing == gate::AbPairing::suite));

  BOOST_TEST(parse_error(R"({"ab": {"rounds": 10}})") == "gate.json:1:19: ab.\"rounds\": 10 is too small — at least 15");
  BOOST_TEST(parse_error(R"({"ab": {"pair": "round"}})").starts_with("gate.json:1:17: ab.\"pair\": unknown pair 'round'"));
  BOOST_TEST(parse_error(R"({"ab": {"cpu": "first"}})").starts_with("gate.json:1:16: ab.\"cpu\": unknown cpu 'first'"));
  BOOST_TEST(parse_error(R"({"ab": {"cpu": -1}})").starts_with("gate.json:1:16: ab.\"cpu\": -1 is too small"));
  BOOST_TEST(parse_error(R"({"ab": {"min_time": "20"}})").starts_with("gate.json:1:21: ab.\"min_time\": bad min_time '20'"));
  BOOST_TEST(parse_error(R"({"ab": {"min_time": "2min"}})").starts_with("gate.json:1:21: ab.\"min_time\": bad min_time"));
  BOOST_TEST(parse_error(R"({"ab": {"pairs": "suite"}})").starts_with("gate.json:1:9: ab.\"pairs\": unknown key — did you mean 'pair'?"));
  BOOST_TEST(parse_error(R"({"ab": []})").starts_with("gate.json:1:8: ab: expected an object"));
}

BOOST_AUTO_TEST_CASE(the_cli_says_one_line_and_exits_2_on_a_hostile_gate_json) {
  gate::test::TempDir dir;
  gate::test::write_file(dir / "deep.json", "{\"rules\": " + std::string(100'000, '[') + std::string(100'000, ']') + "}");
  const std::string policies[] = {(dir / "deep.json").string(), gate::test::data("policy/text_after_nul.json").string(),
                                  gate::test::data("policy/number_out_of_range.json").string(),
                                  gate::test::data("policy/escaped_control_in_arg.json").string()};
  for (const auto& policy : policies) {
    auto r = gate::test::run_gate({"compare", "--policy", policy, "base.json", "head.json"}, dir.path());
    BOOST_TEST_CONTEXT(policy) {
      BOOST_TEST(r.exit_code == 2);
      BOOST_TEST(r.err.starts_with("gate: error: " + policy + ":"), r.err);
      BOOST_TEST(r.err.find('\n') == r.err.size() - 1, r.err);  // one line
      BOOST_TEST(r.err.find("internal error") == std::string::npos, r.err);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_policy_larger_than_the_limit_is_refused) {
  std::string big = "{\"rules\": [" + std::string(gate::k_max_policy_bytes, ' ') + "]}";
  BOOST_TEST(parse_error(big) == "gate.json:1:1: a policy of " + std::to_string(big.size()) +
                                     " bytes — larger than the 4 MiB any gate.json may have");
  // load_policy reads no more than that from an endless file.
  std::string endless = error_of([] { (void)gate::load_policy("/dev/zero"); });
  BOOST_TEST(endless.starts_with("/dev/zero:1:1: a policy of "), endless);
}

// --- files ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(missing_file_is_an_error_naming_it) {
  std::string message = error_of([] { (void)gate::load_policy("/nonexistent/gate.json"); });
  BOOST_TEST(message == "reading policy '/nonexistent/gate.json': no such file");
}

BOOST_AUTO_TEST_CASE(load_policy_names_the_file_as_source) {
  gate::test::TempDir dir;
  gate::test::write_file(dir / "gate.json", R"({ "defaults": { "threshold": "+7%" } })");
  Policy p = gate::load_policy(dir / "gate.json");
  BOOST_TEST(p.source == (dir / "gate.json").string());
  BOOST_TEST(*p.defaults.threshold.relative == 0.07);
  BOOST_TEST(p.defaults.threshold.origin == (dir / "gate.json").string() + ":1:30");
}

// --- finding the policy ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(find_policy_takes_the_named_file_then_gate_json_then_the_fallback) {
  gate::test::TempDir dir;
  gate::test::TempDir empty;
  gate::test::write_file(dir / "gate.json", R"({ "defaults": { "threshold": "+7%" } })");
  gate::test::write_file(dir / "other.json", R"({ "defaults": { "threshold": "+3%" } })");
  using gate::PolicyFallback;
  // A named file wins, and must exist: no silent fallback.
  Policy named = gate::find_policy(dir / "other.json", PolicyFallback::required, dir.path());
  BOOST_TEST(named.source == (dir / "other.json").string());
  BOOST_TEST(error_of([&] { (void)gate::find_policy(empty / "none.json", PolicyFallback::built_in, empty.path()); }) ==
             "reading policy '" + (empty / "none.json").string() + "': no such file");
  // Else the directory's gate.json.
  Policy found = gate::find_policy(std::nullopt, PolicyFallback::required, dir.path());
  BOOST_TEST(found.source == (dir / "gate.json").string());
  BOOST_TEST(*found.defaults.threshold.relative == 0.07);
  // Else the fallback.
  Policy builtin = gate::find_policy(std::nullopt, PolicyFallback::built_in, empty.path());
  BOOST_TEST(builtin.source.empty());
  BOOST_TEST(*builtin.defaults.threshold.relative == 0.10);
  BOOST_TEST(error_of([&] { (void)gate::find_policy(std::nullopt, PolicyFallback::required, empty.path()); }) ==
             "no policy — there is no gate.json in " + empty.path().string() +
                 "; pass --policy FILE naming the suites to run");
}

BOOST_AUTO_TEST_CASE(find_policy_in_the_current_directory_names_it_gate_json) {
  gate::test::TempDir dir;
  gate::test::write_file(dir / "gate.json", "{}");
  auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  std::string source;
  std::string required;
  try {
    source = gate::find_policy(std::nullopt, gate::PolicyFallback::required).source;
    std::filesystem::remove(dir / "gate.json");
    required = error_of([] { (void)gate::find_policy(std::nullopt, gate::PolicyFallback::required); });
  } catch (...) {
    std::filesystem::current_path(previous);
    throw;
  }
  std::filesystem::current_path(previous);
  BOOST_TEST(source == "gate.json");
  BOOST_TEST(required == "no policy — there is no gate.json here; pass --policy FILE naming the suites to run");
}

BOOST_AUTO_TEST_CASE(a_gate_json_that_cannot_be_read_is_an_error_not_the_defaults) {
  gate::test::TempDir dir;
  std::filesystem::create_directory(dir / "gate.json");
  BOOST_TEST(error_of([&] { (void)gate::find_policy(std::nullopt, gate::PolicyFallback::built_in, dir.path()); }) ==
             "reading policy '" + (dir / "gate.json").string() + "': it is a directory, not a file");
  gate::test::TempDir dangling;
  std::filesystem::create_symlink(dangling / "elsewhere.json", dangling / "gate.json");
  BOOST_TEST(error_of([&] { (void)gate::find_policy(std::nullopt, gate::PolicyFallback::built_in, dangling.path()); })
                 .ends_with("gate.json': no such file"));
}

BOOST_AUTO_TEST_CASE(find_policy_at_ref_reads_the_refs_text_else_says_it_has_none) {
  Policy at_ref = gate::find_policy_at_ref(std::nullopt, std::string(R"({ "defaults": { "alpha": 0.01 } })"), "main");
  BOOST_TEST(at_ref.source == "main:gate.json");
  BOOST_TEST(at_ref.defaults.alpha == 0.01);
  BOOST_TEST(error_of([] { (void)gate::find_policy_at_ref(std::nullopt, std::string("{ \"x\": 1 }"), "HEAD^1"); })
                 .starts_with("HEAD^1:gate.json:1:3: x: unknown key"));
  Policy none = gate::find_policy_at_ref(std::nullopt, std::nullopt, "main");
  BOOST_TEST(none.source == "built-in defaults (main has no gate.json)");
  BOOST_TEST(none.rule_count() == 0U);
  gate::test::TempDir dir;
  gate::test::write_file(dir / "p.json", "{}");
  BOOST_TEST(gate::find_policy_at_ref(dir / "p.json", std::string("{ broken"), "main").source == (dir / "p.json").string());
}

// --- the default policy -------------------------------------------------------

BOOST_AUTO_TEST_CASE(default_policy_has_the_seeds_numbers) {
  Policy p = gate::default_policy();
  BOOST_TEST(p.source.empty());
  BOOST_TEST(p.defaults.primary_metric == "cpu_time");
  BOOST_TEST(*p.defaults.threshold.relative == 0.10);
  BOOST_TEST(!p.defaults.threshold.absolute.has_value());
  BOOST_TEST(p.defaults.threshold.text == "+10%");
  BOOST_TEST(p.defaults.threshold.origin == "built-in default");
  BOOST_TEST(p.defaults.alpha == 0.05);
  BOOST_TEST(p.defaults.min_repetitions == 5);
  BOOST_TEST(p.defaults.repetitions == 10);
  BOOST_TEST(p.defaults.limits.size() == 2U);
  BOOST_TEST(*p.defaults.limits.at("allocs_per_iter").relative == 0.0);
  BOOST_TEST(*p.defaults.limits.at("instructions").relative == 0.01);
  BOOST_REQUIRE(p.defaults.size_growth.has_value());
  BOOST_TEST(*p.defaults.size_growth->relative == 0.10);
  BOOST_TEST(*p.defaults.size_growth->absolute == 5e6);
  BOOST_TEST((p.defaults.size_growth->join == Limit::Join::either));
  BOOST_TEST(p.suites.empty());
  BOOST_TEST(p.rule_count() == 0U);
}

BOOST_AUTO_TEST_CASE(default_policy_rules_judge_cpu_time_by_ten_percent) {
  auto r = gate::default_policy().rules_for("bench_any", "BM_Anything/8");
  BOOST_TEST(r.primary_metric == "cpu_time");
  BOOST_TEST(r.limits.size() == 3U);
  BOOST_TEST(limit_of(r, "cpu_time").text == "+10%");
  BOOST_TEST(limit_of(r, "allocs_per_iter").text == "+0%");
  BOOST_TEST(limit_of(r, "instructions").text == "+1%");
  BOOST_TEST(r.targets.empty());
}

BOOST_AUTO_TEST_CASE(an_empty_file_object_is_the_default_policy) {
  Policy p = parse("{}");
  BOOST_TEST(p.source == "gate.json");
  BOOST_TEST(p.defaults.primary_metric == "cpu_time");
  BOOST_TEST(p.defaults.limits.size() == 2U);
  BOOST_TEST(p.size_budget_for("bench_x").has_value());
}

// --- the example policy, with comments ----------------------------------------

BOOST_AUTO_TEST_CASE(comments_are_accepted_and_the_example_parses) {
  Policy p = parse(k_example);
  BOOST_TEST(p.rule_count() == 2U);
  BOOST_REQUIRE(p.suites.size() == 1U);
  BOOST_TEST(p.suites[0].name == "bench_clew");
  BOOST_TEST(p.suites[0].binary == "benchsuite/bench_clew");
  BOOST_TEST(p.suites[0].timeout.count() == 600'000'000'000LL);
  BOOST_TEST(p.suites[0].args.empty());
  BOOST_TEST(p.find_suite("bench_clew") == &p.suites[0]);
  BOOST_TEST(p.find_suite("bench_other") == nullptr);
  BOOST_TEST((p.describe("queries_per_second").direction == higher));
}

BOOST_AUTO_TEST_CASE(example_rules_resolve_per_benchmark) {
  Policy p = parse(k_example);

  auto extract = p.rules_for("bench_clew", "BM_Extract/small");
  BOOST_TEST(limit_of(extract, "cpu_time").text == "+5%");
  BOOST_REQUIRE(extract.targets.size() == 1U);
  const Target& t = extract.targets[0];
  BOOST_TEST(t.metric.empty());
  BOOST_TEST(gate::to_string(t.statistic) == "p95");
  BOOST_TEST((t.op == Target::Op::lt));
  BOOST_TEST(t.bound == 1e7);
  BOOST_TEST(t.text == "< 10ms");
  BOOST_TEST(t.origin == "gate.json:16:81");

  // The same benchmark in another suite: the suite glob does not match.
  auto elsewhere = p.rules_for("bench_other", "BM_Extract/small");
  BOOST_TEST(limit_of(elsewhere, "cpu_time").text == "+10%");
  BOOST_TEST(elsewhere.targets.empty());

  auto sort = p.rules_for("bench_clew", "BM_Sort/1024/threads:4");
  const Limit& rt = limit_of(sort, "real_time");
  BOOST_TEST(*rt.relative == 0.02);
  BOOST_TEST(*rt.absolute == 30.0);
  BOOST_TEST((rt.join == Limit::Join::both));
  BOOST_TEST(limit_of(sort, "cpu_time").text == "+10%");
  BOOST_REQUIRE(sort.targets.size() == 1U);
  BOOST_TEST(sort.targets[0].metric == "items_per_second");
  BOOST_TEST(gate::to_string(sort.targets[0].statistic) == "median");
  BOOST_TEST(sort.targets[0].bound == 1e6);
  BOOST_TEST((sort.targets[0].op == Target::Op::gt));
}

BOOST_AUTO_TEST_CASE(example_size_budget) {
  Policy p = parse(k_example);
  auto b = p.size_budget_for("bench_clew");
  BOOST_REQUIRE(b.has_value());
  BOOST_TEST(*b->max == 5e7);
  BOOST_TEST(b->max_text == "50MB");
  BOOST_REQUIRE(b->growth.has_value());
  BOOST_TEST(b->growth->text == "+10% or +5MB");
  BOOST_TEST(*b->sections.at(".text").growth->relative == 0.10);
  BOOST_TEST(!b->sections.at(".text").max.has_value());
  // Not matched by "bench_*": only the default growth applies.
  auto other = p.size_budget_for("tool_x");
  BOOST_REQUIRE(other.has_value());
  BOOST_TEST(!other->max.has_value());
  BOOST_TEST(other->sections.empty());
}

// --- limits -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(relative_limit_follows_the_metric_direction) {
  Limit l = gate::parse_limit("+10%");
  BOOST_TEST(!l.exceeded(100, 110, lower));  // exactly at the limit passes
  BOOST_TEST(l.exceeded(100, 110.5, lower));
  BOOST_TEST(!l.exceeded(100, 50, lower));  // an improvement never exceeds
  BOOST_TEST(l.exceeded(100, 89, higher));  // a rate 11% lower is worse
  BOOST_TEST(!l.exceeded(100, 91, higher));
  BOOST_TEST(!l.exceeded(100, 200, higher));
}

BOOST_AUTO_TEST_CASE(the_sign_of_a_limit_is_ignored) {
  Limit minus = gate::parse_limit("-5%");
  Limit plus = gate::parse_limit("+5%");
  Limit bare = gate::parse_limit("5%");
  for (const Limit* l : {&minus, &plus, &bare}) {
    BOOST_TEST(*l->relative == 0.05);
    BOOST_TEST(l->exceeded(1000, 940, higher));
    BOOST_TEST(!l->exceeded(1000, 960, higher));
  }
}

BOOST_AUTO_TEST_CASE(absolute_limit_is_in_the_base_unit) {
  Limit l = gate::parse_limit("+30ns");
  BOOST_TEST(*l.absolute == 30.0);
  BOOST_TEST((l.absolute_dimension == gate::Dimension::time));
  BOOST_TEST(!l.exceeded(1000, 1030, lower));
  BOOST_TEST(l.exceeded(1000, 1031, lower));
  Limit mb = gate::parse_limit("+1MB");
  BOOST_TEST(*mb.absolute == 1e6);
  Limit k = gate::parse_limit("+1k");
  BOOST_TEST(*k.absolute == 1000.0);
  BOOST_TEST(k.exceeded(5000, 3999, higher));
}

BOOST_AUTO_TEST_CASE(and_fails_only_when_both_parts_are_exceeded) {
  Limit l = gate::parse_limit("+2% and +30ns");
  BOOST_TEST((l.join == Limit::Join::both));
  // A fast benchmark: 10% slower is only 10 ns — within the absolute part.
  BOOST_TEST(!l.exceeded(100, 110, lower));
  // A slow one: 100 ns slower is only 1% — within the relative part.
  BOOST_TEST(!l.exceeded(10000, 10100, lower));
  BOOST_TEST(l.exceeded(1000, 1040, lower));
}

BOOST_AUTO_TEST_CASE(or_fails_when_either_part_is_exceeded) {
  Limit l = gate::parse_limit("+10% or +5MB");
  BOOST_TEST((l.join == Limit::Join::either));
  BOOST_TEST(l.exceeded(10e6, 11.5e6, lower));   // 15%, 1.5 MB
  BOOST_TEST(l.exceeded(100e6, 106e6, lower));   // 6%, 6 MB
  BOOST_TEST(!l.exceeded(100e6, 104e6, lower));  // 4%, 4 MB
  BOOST_TEST((gate::parse_limit("+5MB OR +10%").join == Limit::Join::either));
}

BOOST_AUTO_TEST_CASE(zero_percent_is_exact_but_not_fooled_by_rounding) {
  Limit l = gate::parse_limit("+0%");
  BOOST_TEST(!l.exceeded(2.0, 2.0, lower));
  BOOST_TEST(!l.exceeded(3.0, 1.0 + 2.0000000000001, lower));
  BOOST_TEST(l.exceeded(2.0, 2.001, lower));
  BOOST_TEST(l.exceeded(0.0, 1.0, lower));  // from nothing to something
  BOOST_TEST(!l.exceeded(0.0, 0.0, lower));
}

BOOST_AUTO_TEST_CASE(nan_never_passes) {
  Limit l = gate::parse_limit("+10%");
  BOOST_TEST(l.exceeded(std::numeric_limits<double>::quiet_NaN(), 1, lower));
  BOOST_TEST(l.exceeded(1, std::numeric_limits<double>::quiet_NaN(), lower));
}

BOOST_AUTO_TEST_CASE(allowed_value_for_reports) {
  BOOST_TEST(gate::parse_limit("+10%").allowed(200, lower) == 220.0);
  BOOST_TEST(gate::parse_limit("+10%").allowed(200, higher) == 180.0);
  BOOST_TEST(gate::parse_limit("+2% and +30ns").allowed(100, lower) == 130.0);
  BOOST_TEST(gate::parse_limit("+10% or +5MB").allowed(100e6, lower) == 105e6);
}

BOOST_AUTO_TEST_CASE(bad_limits_say_why) {
  auto err = [](const char* text) { return error_of([&] { (void)gate::parse_limit(text); }); };
  BOOST_TEST(err("+5 parsecs").starts_with("bad limit '+5 parsecs': unknown unit 'parsecs'"));
  BOOST_TEST(err("+1% and +2ns and +3ns").find("at most two parts") != std::string::npos);
  BOOST_TEST(err("+1ns or +2ns").find("both parts are absolute") != std::string::npos);
  BOOST_TEST(err("+1% and").find("'and' needs a change on each side") != std::string::npos);
  BOOST_TEST(err("or +1%").find("'or' needs a change on each side") != std::string::npos);
  BOOST_TEST(err("< 10ms").find("a bound is a target") != std::string::npos);
  BOOST_TEST(err("").find("empty") != std::string::npos);
}

// --- targets --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(target_keys_name_statistic_metric_or_both) {
  Target p95 = gate::parse_target("p95", "< 10ms");
  BOOST_TEST(p95.metric.empty());
  BOOST_TEST(gate::to_string(p95.statistic) == "p95");
  Target median = gate::parse_target("real_time", "<= 1us");
  BOOST_TEST(median.metric == "real_time");
  BOOST_TEST(gate::to_string(median.statistic) == "median");
  BOOST_TEST(median.bound == 1000.0);
  Target both = gate::parse_target("real_time.p99", ">= 2ms");
  BOOST_TEST(both.metric == "real_time");
  BOOST_TEST(gate::to_string(both.statistic) == "p99");
  BOOST_TEST(gate::to_string(gate::parse_target("p50", "< 1s").statistic) == "median");
  Target rate = gate::parse_target("items_per_second", "> 1M/s");
  BOOST_TEST(rate.bound == 1e6);
  BOOST_TEST((rate.dimension == gate::Dimension::rate));
}

BOOST_AUTO_TEST_CASE(targets_compare_with_their_operator) {
  BOOST_TEST(gate::parse_target("p95", "< 10ms").met(9.9e6));
  BOOST_TEST(!gate::parse_target("p95", "< 10ms").met(1e7));
  BOOST_TEST(gate::parse_target("p95", "<= 10ms").met(1e7));
  BOOST_TEST(!gate::parse_target("p95", "<= 10ms").met(1.0001e7));
  BOOST_TEST(gate::parse_target("items_per_second", "> 1M").met(1.5e6));
  BOOST_TEST(!gate::parse_target("items_per_second", "> 1M").met(1e6));
  BOOST_TEST(gate::parse_target("items_per_second", ">= 1M").met(1e6));
  BOOST_TEST(!gate::parse_target("items_per_second", ">= 1M").met(0.9e6));
  BOOST_TEST(!gate::parse_target("p95", "< 10ms").met(std::numeric_limits<double>::quiet_NaN()));
}

BOOST_AUTO_TEST_CASE(bad_targets_say_why) {
  auto err = [](const char* key, const char* value) { return error_of([&] { (void)gate::parse_target(key, value); }); };
  BOOST_TEST(err("p95", "10ms").find("expected '<', '<=', '>' or '>='") != std::string::npos);
  BOOST_TEST(err("p95", "< 10 lightyears").find("unknown unit 'lightyears'") != std::string::npos);
  BOOST_TEST(err("real_time.p42", "< 1ms").find("bad target key 'real_time.p42'") != std::string::npos);
  BOOST_TEST(err("p95", "< 5%").find("a bound is absolute") != std::string::npos);
}

// --- matching and precedence ------------------------------------------------------

BOOST_AUTO_TEST_CASE(globs_match_whole_names_with_star_question_and_sets) {
  Policy p = parse(R"({ "rules": [
    { "match": "BM_Sort*", "cpu_time": "+1%" },
    { "match": "BM_?ash", "cpu_time": "+2%" },
    { "match": "BM_[abc]et", "cpu_time": "+3%" },
    { "match": "BM_[!a]x", "cpu_time": "+4%" },
    { "match": "BM_[0-9]*/[a-c]", "cpu_time": "+5%" },
    { "match": "BM_lit\\*", "cpu_time": "+6%" },
    { "match": "*x*y*", "cpu_time": "+7%" }
  ] })");
  auto cpu = [&](std::string_view name) { return limit_of(p.rules_for("s", name), "cpu_time").text; };
  BOOST_TEST(cpu("BM_Sort/1024/threads:4") == "+1%");  // `*` crosses '/'
  BOOST_TEST(cpu("BM_Sort") == "+1%");
  BOOST_TEST(cpu("XBM_Sort") == "+10%");  // anchored at the start
  BOOST_TEST(cpu("BM_Hash") == "+2%");
  BOOST_TEST(cpu("BM_Hashes") == "+10%");  // anchored at the end
  BOOST_TEST(cpu("BM_bet") == "+3%");
  BOOST_TEST(cpu("BM_det") == "+10%");
  BOOST_TEST(cpu("BM_bx") == "+4%");
  BOOST_TEST(cpu("BM_ax") == "+10%");
  BOOST_TEST(cpu("BM_7/b") == "+5%");
  BOOST_TEST(cpu("BM_7/d") == "+10%");
  BOOST_TEST(cpu("BM_lit*") == "+6%");
  BOOST_TEST(cpu("BM_litX") == "+10%");
  BOOST_TEST(cpu("axbxcy") == "+7%");  // backtracking past the first 'x'
  BOOST_TEST(cpu("axbxc") == "+10%");
}

BOOST_AUTO_TEST_CASE(match_may_list_several_patterns) {
  Policy p = parse(R"({ "rules": [ { "match": ["BM_A*", "BM_B*"], "cpu_time": "+3%" } ] })");
  BOOST_TEST(limit_of(p.rules_for("s", "BM_A1"), "cpu_time").text == "+3%");
  BOOST_TEST(limit_of(p.rules_for("s", "BM_B1"), "cpu_time").text == "+3%");
  BOOST_TEST(limit_of(p.rules_for("s", "BM_C1"), "cpu_time").text == "+10%");
}

BOOST_AUTO_TEST_CASE(suite_globs_restrict_rules_to_suites) {
  Policy p = parse(R"({ "rules": [
    { "match": "*", "suite": "bench_c*", "cpu_time": "+20%" },
    { "match": "*", "suite": "bench_clew", "real_time": "+30%" }
  ] })");
  auto clew = p.rules_for("bench_clew", "BM_X");
  BOOST_TEST(limit_of(clew, "cpu_time").text == "+20%");
  BOOST_TEST(limit_of(clew, "real_time").text == "+30%");
  auto cache = p.rules_for("bench_cache", "BM_X");
  BOOST_TEST(limit_of(cache, "cpu_time").text == "+20%");
  BOOST_TEST(cache.limits.count("real_time") == 0U);
  auto other = p.rules_for("bench_other", "BM_X");
  BOOST_TEST(limit_of(other, "cpu_time").text == "+10%");
  auto unnamed = p.rules_for("", "BM_X");
  BOOST_TEST(limit_of(unnamed, "cpu_time").text == "+10%");
}

BOOST_AUTO_TEST_CASE(later_rules_override_earlier_ones_key_by_key) {
  Policy p = parse(R"({ "rules": [
    { "match": "BM_*", "cpu_time": "+5%", "real_time": "+6%", "p95": "< 10ms", "p99": "< 20ms" },
    { "match": "BM_Sort*", "cpu_time": "+15%", "p95": "< 30ms" },
    { "match": "BM_Other", "cpu_time": "+1%" }
  ] })");
  auto sort = p.rules_for("s", "BM_Sort");
  BOOST_TEST(limit_of(sort, "cpu_time").text == "+15%");
  BOOST_TEST(limit_of(sort, "real_time").text == "+6%");  // untouched by the later rule
  BOOST_REQUIRE(sort.targets.size() == 2U);
  BOOST_TEST(gate::to_string(sort.targets[0].statistic) == "p95");  // first appearance keeps its place
  BOOST_TEST(sort.targets[0].text == "< 30ms");
  BOOST_TEST(gate::to_string(sort.targets[1].statistic) == "p99");
  BOOST_TEST(sort.targets[1].text == "< 20ms");
  auto hash = p.rules_for("s", "BM_Hash");
  BOOST_TEST(limit_of(hash, "cpu_time").text == "+5%");
  BOOST_TEST(hash.targets[0].text == "< 10ms");
}

BOOST_AUTO_TEST_CASE(rules_may_change_the_primary_metric_and_threshold) {
  Policy p = parse(R"({ "rules": [
    { "match": "BM_Wall*", "primary_metric": "real_time" },
    { "match": "BM_Wall_Loose", "threshold": "+25%" },
    { "match": "BM_Wall_Explicit", "threshold": "+25%", "real_time": "+3%" }
  ] })");
  auto wall = p.rules_for("s", "BM_Wall");
  BOOST_TEST(wall.primary_metric == "real_time");
  BOOST_TEST(limit_of(wall, "real_time").text == "+10%");
  BOOST_TEST(wall.limits.count("cpu_time") == 0U);
  auto loose = p.rules_for("s", "BM_Wall_Loose");
  BOOST_TEST(limit_of(loose, "real_time").text == "+25%");
  // An explicit limit for the primary metric beats any threshold.
  auto exp = p.rules_for("s", "BM_Wall_Explicit");
  BOOST_TEST(limit_of(exp, "real_time").text == "+3%");
}

BOOST_AUTO_TEST_CASE(combined_rules_that_cannot_judge_fail_with_the_rule_location) {
  Policy p = parse(R"({ "rules": [
    { "match": "BM_Rate*", "primary_metric": "items_per_second", "threshold": "+5%" },
    { "match": "BM_*", "p95": "< 10ms" }
  ] })");
  std::string message = error_of([&] { (void)p.rules_for("bench_x", "BM_Rate1"); });
  BOOST_TEST(message.starts_with("gate.json:3:31: rules[1].\"p95\": cannot judge 'BM_Rate1' in suite 'bench_x': "
                                 "'< 10ms' is a time, but 'items_per_second' is a rate (1/s)"),
             message);
  BOOST_TEST(p.rules_for("bench_x", "BM_Time").targets.size() == 1U);
}

// --- defaults and metrics ------------------------------------------------------------

BOOST_AUTO_TEST_CASE(default_limits_merge_with_the_built_in_ones_and_null_removes) {
  Policy p = parse(R"({ "defaults": { "limits": { "allocs_per_iter": null, "max_bytes_used": "+1KiB" } } })");
  BOOST_TEST(p.defaults.limits.count("allocs_per_iter") == 0U);
  BOOST_TEST(p.defaults.limits.count("instructions") == 1U);
  BOOST_TEST(*p.defaults.limits.at("max_bytes_used").absolute == 1024.0);
  auto r = p.rules_for("s", "BM_A");
  BOOST_TEST(r.limits.count("allocs_per_iter") == 0U);
  BOOST_TEST(limit_of(r, "max_bytes_used").text == "+1KiB");
}

BOOST_AUTO_TEST_CASE(defaults_read_every_key) {
  Policy p = parse(R"({ "defaults": { "primary_metric": "real_time", "threshold": "+5% and +1us", "alpha": 0.01,
                      "min_repetitions": 3, "repetitions": 20, "size_growth": null } })");
  BOOST_TEST(p.defaults.primary_metric == "real_time");
  BOOST_TEST(*p.defaults.threshold.absolute == 1000.0);
  BOOST_TEST(p.defaults.alpha == 0.01);
  BOOST_TEST(p.defaults.min_repetitions == 3);
  BOOST_TEST(p.defaults.repetitions == 20);
  BOOST_TEST(!p.defaults.size_growth.has_value());
  BOOST_TEST(!p.size_budget_for("bench_x").has_value());
  BOOST_TEST(p.rules_for("s", "BM").primary_metric == "real_time");
}

BOOST_AUTO_TEST_CASE(metric_overrides_declare_user_counters) {
  // Undeclared user counters are refused (typos must not pass)...
  BOOST_TEST(parse_error(R"({ "rules": [ { "match": "*", "rss": "+1MB" } ] })")
                 .starts_with("gate.json:1:30: rules[0].\"rss\": unknown metric 'rss'"));
  // ...declared ones take limits in their unit.
  Policy p = parse(R"({ "metrics": { "rss": { "unit": "B", "kind": "deterministic" } },
                      "rules": [ { "match": "*", "rss": "+1MB", "rss.max": "< 100MB" } ] })");
  auto info = p.describe("rss");
  BOOST_TEST(info.unit == "B");
  BOOST_TEST((info.kind == gate::MetricKind::deterministic));
  BOOST_TEST((info.direction == lower));
  auto r = p.rules_for("s", "BM");
  BOOST_TEST(*limit_of(r, "rss").absolute == 1e6);
  BOOST_TEST(gate::to_string(r.targets[0].statistic) == "max");
  // Without an override, describe is gate::describe_metric.
  BOOST_TEST((p.describe("items_per_second").direction == higher));
}

BOOST_AUTO_TEST_CASE(bare_numbers_fit_counts_bytes_and_rates_but_not_times) {
  BOOST_TEST(parse("{ \"rules\": [ { \"match\": \"*\", \"instructions\": \"+1000\" } ] }").rule_count() == 1U);
  BOOST_TEST(parse("{ \"rules\": [ { \"match\": \"*\", \"max_bytes_used\": \"+1000\" } ] }").rule_count() == 1U);
  BOOST_TEST(parse("{ \"rules\": [ { \"match\": \"*\", \"items_per_second\": \"> 1000\" } ] }").rule_count() == 1U);
  BOOST_TEST(parse_error("{ \"rules\": [ { \"match\": \"*\", \"cpu_time\": \"+30\" } ] }")
                 .find("'+30' is a plain count, but 'cpu_time' is a time (ns)") != std::string::npos);
}

// --- suites and size -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(suites_keep_their_order_arguments_and_timeout) {
  Policy p = parse(R"({ "suites": [
    { "name": "bench_b", "binary": "benchsuite/bench_b", "args": ["--benchmark_filter=BM_X", "-v"], "timeout": "90s" },
    { "name": "bench_a", "binary": "/abs/bench_a" }
  ] })");
  BOOST_REQUIRE(p.suites.size() == 2U);
  BOOST_TEST(p.suites[0].name == "bench_b");
  BOOST_TEST(p.suites[0].args.size() == 2U);
  BOOST_TEST(p.suites[0].args[1] == "-v");
  BOOST_TEST(p.suites[0].timeout.count() == 90'000'000'000LL);
  BOOST_TEST(p.suites[1].timeout.count() == 600'000'000'000LL);
}

BOOST_AUTO_TEST_CASE(product_binaries_are_named_and_share_the_suites_names) {
  Policy p = parse(R"({ "binaries": [ { "name": "gate-tool", "binary": "gate/gate" }, { "name": "libfoo.so", "binary": "/abs/libfoo.so" } ],
                       "size": { "gate-tool": { "max": "20MB" } } })");
  BOOST_REQUIRE(p.binaries.size() == 2U);
  BOOST_TEST(p.binaries[0].name == "gate-tool");
  BOOST_TEST(p.binaries[1].binary == "/abs/libfoo.so");
  BOOST_TEST(p.find_binary("gate-tool") == &p.binaries[0]);
  BOOST_TEST(p.find_binary("bench_gate") == nullptr);
  BOOST_TEST(p.find_suite("gate-tool") == nullptr);
  BOOST_TEST(*p.size_budget_for("gate-tool")->max == 2e7);

  // A name is a baseline file's stem: unique across suites and binaries, and safe.
  BOOST_TEST(parse_error(R"({ "suites": [ { "name": "x", "binary": "b" } ], "binaries": [ { "name": "x", "binary": "c" } ] })")
                 .find("duplicate name 'x': a suite has it") != std::string::npos);
  BOOST_TEST(parse_error(R"({ "binaries": [ { "name": "x", "binary": "c" } ], "suites": [ { "name": "x", "binary": "b" } ] })")
                 .find("duplicate name 'x'") != std::string::npos);
  BOOST_TEST(parse_error(R"({ "binaries": [ { "name": "../x", "binary": "c" } ] })").find("bad product binary name '../x'") !=
             std::string::npos);
  // Names the runner's folder keeps for itself are no suite's, in any case.
  BOOST_TEST(parse_error(R"({ "suites": [ { "name": "noise", "binary": "b" } ] })").find("'noise' is reserved") !=
             std::string::npos);
  BOOST_TEST(parse_error(R"({ "suites": [ { "name": "Runner", "binary": "b" } ] })").find("'runner' is reserved") !=
             std::string::npos);
  BOOST_TEST(parse(R"({ "suites": [ { "name": "Bench_Good", "binary": "b" } ] })").suites.at(0).name == "Bench_Good");
  BOOST_TEST(parse_error(R"({ "binaries": [ { "name": "x" } ] })").find("a product binary needs a \"binary\"") !=
             std::string::npos);
  BOOST_TEST(parse_error(R"({ "binaries": [ { "name": "x", "binary": "c", "args": [] } ] })").find("args") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(commands_are_read_with_their_defaults_and_checked) {
  Policy p = parse(R"({ "commands": [
      { "name": "caro_cli", "run": ["components/caro/caro", "find big files"], "runs": 20, "warmup": 2,
        "timeout": "10s", "expect_exit": 0, "stdin": ["one", "two"] },
      { "name": "plain", "run": ["sh"], "stdin_file": "in.txt" } ] })");
  BOOST_REQUIRE(p.commands.size() == 2U);
  const auto& c = p.commands[0];
  BOOST_TEST((c.run == std::vector<std::string>{"components/caro/caro", "find big files"}));
  BOOST_TEST(c.runs == 20);
  BOOST_TEST(c.warmup == 2);
  BOOST_TEST(c.timeout.count() == 10'000'000'000LL);
  BOOST_TEST(*c.expect_exit == 0);
  BOOST_TEST(*c.stdin_text == "one\ntwo\n");
  BOOST_TEST(c.origin == "gate.json:2:7");
  const auto& d = p.commands[1];
  BOOST_TEST(d.runs == 10);
  BOOST_TEST(d.warmup == 1);
  BOOST_TEST(d.timeout.count() == 60'000'000'000LL);
  BOOST_TEST(!d.expect_exit.has_value());
  BOOST_TEST(*d.stdin_file == "in.txt");
  BOOST_TEST(p.find_command("plain") == &d);
  BOOST_TEST(p.find_suite("plain") == nullptr);

  auto fails_with = [](const std::string& text, const std::string& part) {
    const std::string message = parse_error(text);
    BOOST_TEST(message.find(part) != std::string::npos, text << " -> " << message);
  };
  fails_with(R"({ "commands": [ { "name": "a" } ] })", "a command needs \"run\"");
  fails_with(R"({ "commands": [ { "name": "a", "run": [] } ] })", "commands[0].\"run\": an empty command");
  fails_with(R"({ "commands": [ { "name": "a", "run": "gate --version" } ] })", "expected an array, found a string");
  fails_with(R"({ "commands": [ { "name": "a", "run": ["x"], "expect_exit": 256 } ] })", "256 is out of range — at most 255");
  fails_with(R"({ "commands": [ { "name": "a", "run": ["x"], "warmup": -1 } ] })", "-1 is too small — at least 0");
  fails_with(R"({ "commands": [ { "name": "a", "run": ["x"], "timeout": "5MB" } ] })", "expected a time such as '60s'");
  fails_with(R"({ "commands": [ { "name": "a", "run": ["x"], "stdin": "q", "stdin_file": "f" } ] })",
             "give \"stdin\" (the text) or \"stdin_file\" (a file), not both");
  fails_with(R"({ "binaries": [ { "name": "a", "binary": "b" } ], "commands": [ { "name": "a", "run": ["x"] } ] })",
             "duplicate name 'a': a product binary has it");
  fails_with(R"({ "commands": [ { "name": "a", "run": ["x"] }, { "name": "a", "run": ["y"] } ] })",
             "commands[1].\"name\": duplicate name 'a': a command has it");
  fails_with(R"({ "commands": [ { "name": "gate", "run": ["x"] } ] })", "bad command name 'gate'");
}

BOOST_AUTO_TEST_CASE(size_entries_merge_in_file_order) {
  Policy p = parse(R"({ "size": {
    "bench_*": { "max": "50MB", "sections": { ".text": "+10%", ".data": { "max": "1MiB" } } },
    "bench_big": { "max": "< 200MB", "growth": "+20%", "sections": { ".text": { "growth": "+30%", "max": "150MB" } } }
  } })");
  auto big = p.size_budget_for("bench_big");
  BOOST_REQUIRE(big.has_value());
  BOOST_TEST(*big->max == 2e8);
  BOOST_TEST(big->max_text == "< 200MB");
  BOOST_TEST(big->growth->text == "+20%");
  BOOST_TEST(*big->sections.at(".text").growth->relative == 0.30);
  BOOST_TEST(*big->sections.at(".text").max == 1.5e8);
  BOOST_TEST(*big->sections.at(".data").max == 1048576.0);
  auto small = p.size_budget_for("bench_small");
  BOOST_TEST(*small->max == 5e7);
  BOOST_TEST(small->growth->text == "+10% or +5MB");  // the default growth
  BOOST_TEST(*small->sections.at(".text").growth->relative == 0.10);
}

BOOST_AUTO_TEST_CASE(size_entries_apply_in_file_order_not_by_name) {
  // "bench_big" sorts after "bench_*" but comes first in the file: the later
  // "bench_*" overrides its max.
  Policy p = parse(R"({ "size": { "bench_big": { "max": "200MB" }, "bench_*": { "max": "50MB" } } })");
  BOOST_TEST(*p.size_budget_for("bench_big")->max == 5e7);
}

BOOST_AUTO_TEST_CASE(a_byte_order_mark_does_not_shift_locations) {
  std::string message = parse_error("\xEF\xBB\xBF{\n  \"rulez\": []\n}");
  BOOST_TEST(message.starts_with("gate.json:2:3: rulez: unknown key"), message);
}

BOOST_AUTO_TEST_CASE(misspelt_statistics_are_named_as_such) {
  BOOST_TEST(parse_error(R"({ "rules": [ { "match": "*", "mdian": "< 1ms" } ] })")
                 .starts_with("gate.json:1:30: rules[0].\"mdian\": unknown key — did you mean 'median'?"));
}

// The precedence example of docs/policy.md does what the text under it says.
BOOST_AUTO_TEST_CASE(documented_precedence_example_holds) {
  Policy p = parse(R"({ "rules": [
    { "match": "*", "suite": "bench_io", "primary_metric": "real_time" },
    { "match": "BM_*", "p95": "< 10ms" },
    { "match": "BM_Sort*", "threshold": "+20%", "p95": "< 30ms" },
    { "match": "BM_Sort/1024", "cpu_time": "+5%" }
  ] })");
  auto sort1024 = p.rules_for("bench_clew", "BM_Sort/1024");
  BOOST_TEST(limit_of(sort1024, "cpu_time").text == "+5%");
  BOOST_TEST(sort1024.targets.at(0).text == "< 30ms");
  auto sort64 = p.rules_for("bench_clew", "BM_Sort/64");
  BOOST_TEST(limit_of(sort64, "cpu_time").text == "+20%");
  auto hash = p.rules_for("bench_clew", "BM_Hash");
  BOOST_TEST(limit_of(hash, "cpu_time").text == "+10%");
  BOOST_TEST(hash.targets.at(0).text == "< 10ms");
  BOOST_TEST(p.rules_for("bench_io", "BM_Read").primary_metric == "real_time");
}

// --- the reference stays true ------------------------------------------------------------

// Every ```jsonc block of docs/policy.md is a complete, valid gate.json.
BOOST_AUTO_TEST_CASE(documented_examples_parse) {
  auto doc = gate::test::data("../../docs/policy.md");
  std::string text = gate::test::read_file(doc);
  std::regex block("```jsonc\n([\\s\\S]*?)```");
  int count = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), block); it != std::sregex_iterator(); ++it) {
    ++count;
    std::string example = (*it)[1];
    std::string message = error_of([&] { (void)gate::parse_policy(example, "docs example " + std::to_string(count)); });
    BOOST_TEST(message == "(no error)", message);
  }
  BOOST_TEST(count >= 3);
}

BOOST_AUTO_TEST_SUITE_END()
