// tests/bundle_test.cpp — run bundle and baseline files: round trips (write,
// read, equal; the second write byte-identical), the documented layout,
// version and schema refusal, format detection, and the strict JSON reading
// underneath (positions of syntax errors).
#include <boost/test/unit_test.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>

#include "gate/formats/bundle.hpp"
#include "gate/error.hpp"
#include "gate/formats/google_benchmark.hpp"
#include "gate/version.hpp"
#include "test_support.hpp"

namespace test = gate::test;

namespace {

// Deep equality with BOOST_TEST on each field, so a failure names it.
// Doubles must be the same bits: the format promises an exact round trip.
void check_equal(const std::vector<double>& a, const std::vector<double>& b, const std::string& what) {
  BOOST_TEST_REQUIRE(a.size() == b.size(), what);
  for (std::size_t i = 0; i < a.size(); ++i) {
    BOOST_TEST(std::bit_cast<std::uint64_t>(a[i]) == std::bit_cast<std::uint64_t>(b[i]), what << "[" << i << "]");
  }
}

void check_equal(const gate::Suite& a, const gate::Suite& b) {
  BOOST_TEST(a.name == b.name);
  BOOST_TEST((a.context == b.context));
  BOOST_TEST((a.failure == b.failure));
  BOOST_TEST_REQUIRE(a.command.has_value() == b.command.has_value());
  if (a.command) {
    BOOST_TEST((a.command->argv == b.command->argv));
    BOOST_TEST(a.command->exit_code == b.command->exit_code);
  }
  BOOST_TEST_REQUIRE(a.binary.has_value() == b.binary.has_value());
  if (a.binary) {
    BOOST_TEST(a.binary->path == b.binary->path);
    BOOST_TEST(a.binary->file_size == b.binary->file_size);
    BOOST_TEST(a.binary->text_hash == b.binary->text_hash);
    BOOST_TEST_REQUIRE(a.binary->sections.size() == b.binary->sections.size());
    for (std::size_t i = 0; i < a.binary->sections.size(); ++i) {
      BOOST_TEST(a.binary->sections[i].name == b.binary->sections[i].name);
      BOOST_TEST(a.binary->sections[i].size == b.binary->sections[i].size);
    }
  }
  BOOST_TEST_REQUIRE(a.benchmarks.size() == b.benchmarks.size());
  for (std::size_t i = 0; i < a.benchmarks.size(); ++i) {
    const auto& x = a.benchmarks[i];
    const auto& y = b.benchmarks[i];
    BOOST_TEST(x.name == y.name);
    BOOST_TEST(x.threads == y.threads);
    BOOST_TEST(x.label == y.label);
    BOOST_TEST(x.iterations == y.iterations);
    BOOST_TEST(x.repetitions == y.repetitions);
    BOOST_TEST((x.error == y.error));
    BOOST_TEST((x.skipped == y.skipped));
    BOOST_TEST((x.aggregates == y.aggregates), x.name);
    BOOST_TEST_REQUIRE(x.metrics.size() == y.metrics.size(), x.name);
    for (std::size_t m = 0; m < x.metrics.size(); ++m) {
      const auto& p = x.metrics[m];
      const auto& q = y.metrics[m];
      BOOST_TEST(p.name == q.name);
      BOOST_TEST(p.unit == q.unit);
      BOOST_TEST((p.direction == q.direction));
      BOOST_TEST((p.kind == q.kind));
      BOOST_TEST(p.from_aggregates == q.from_aggregates);
      check_equal(p.samples, q.samples, x.name + " " + p.name);
    }
  }
  BOOST_TEST_REQUIRE(a.complexity.size() == b.complexity.size());
  for (std::size_t i = 0; i < a.complexity.size(); ++i) {
    BOOST_TEST(a.complexity[i].family == b.complexity[i].family);
    BOOST_TEST(a.complexity[i].big_o == b.complexity[i].big_o);
    check_equal({a.complexity[i].cpu_coefficient, a.complexity[i].real_coefficient, a.complexity[i].rms},
                {b.complexity[i].cpu_coefficient, b.complexity[i].real_coefficient, b.complexity[i].rms}, "fit");
  }
}

void check_equal(const gate::RunBundle& a, const gate::RunBundle& b) {
  BOOST_TEST(a.runner.id == b.runner.id);
  BOOST_TEST((a.runner.fingerprint == b.runner.fingerprint));
  BOOST_TEST(a.commit == b.commit);
  BOOST_TEST(a.ref == b.ref);
  BOOST_TEST(a.time == b.time);
  BOOST_TEST_REQUIRE(a.suites.size() == b.suites.size());
  for (std::size_t i = 0; i < a.suites.size(); ++i) check_equal(a.suites[i], b.suites[i]);
}

gate::Metric metric(const std::string& name, std::vector<double> samples) {
  gate::Metric m;
  m.name = name;
  m.unit = name == "real_time" ? "ns" : "";
  m.samples = std::move(samples);
  return m;
}

/// A bundle with every field set, and values that are hard to round-trip.
gate::RunBundle full_bundle() {
  gate::RunBundle b;
  b.runner.id = "ci-x86_64.r1";
  b.runner.fingerprint = {{"cpu_model", "Intel(R) Xeon(R) \"Gold\""}, {"logical_cores", "2"}, {"os", "Debian 12"}};
  b.commit = "0123456789abcdef0123456789abcdef01234567";
  b.ref = "refs/pull/7/head";
  b.time = "2026-11-23T20:00:00Z";

  gate::Suite s;
  s.name = "bench_clew";
  s.context = {{"executable", "./bench_clew"}, {"caches.0.type", "Data"}, {"note", "tab\there, newline\nthere"}};
  s.binary = gate::BinarySize{"benchsuite/bench_clew", 1234567, {{".text", 400000}, {".rodata", 5000}}, "9f86d081884c7d65"};

  gate::Benchmark a;
  a.name = "BM_Sort/1024/threads:4";
  a.threads = 4;
  a.label = "µs \\ \"quoted\" \x01 😀";
  a.iterations = 9007199254740993;  // above 2^53: must not pass through a double
  a.repetitions = 10;
  a.metrics.push_back(metric("real_time", {0.1, 1.0 / 3.0, 1e-300, 5e-324, 1.7976931348623157e308, -0.0, 63.597061774583914,
                                           123456789012345680.0, 2.5, 1e21, 1e-7}));
  gate::Metric rate = metric("items_per_second", {1e9, 2e9});
  rate.unit = "1/s";
  rate.direction = gate::Direction::higher_is_better;
  a.metrics.push_back(rate);
  gate::Metric allocs = metric("allocs_per_iter", {1.0625});
  allocs.kind = gate::MetricKind::deterministic;
  allocs.from_aggregates = true;
  a.metrics.push_back(allocs);
  a.aggregates["mean"] = {{"real_time", 64.35163272403670}, {"cpu_time", 64.33334508442708}};
  a.aggregates["cv"] = {{"real_time", 0.010291306834964839}};
  s.benchmarks.push_back(a);

  gate::Benchmark failed;
  failed.name = "BM_Fails";
  failed.error = "resource not available";
  s.benchmarks.push_back(failed);

  gate::Benchmark skipped;
  skipped.name = "BM_Skip";
  skipped.skipped = "";
  s.benchmarks.push_back(skipped);

  s.complexity.push_back({"BM_Sort", "NlgN", 3.343414617717, 3.3407602994227816, 0.17459309874101475});
  b.suites.push_back(s);

  gate::Suite crashed;
  crashed.name = "bench_crash";
  crashed.failure = "exited with signal 11 (SIGSEGV); stderr tail: \xff\xfe bad bytes";
  b.suites.push_back(crashed);

  gate::Suite command;
  command.name = "caro_cli";
  command.command = gate::CommandRun{{"components/caro/caro", "find \"big\" files"}, 3};
  gate::Benchmark cold;
  cold.name = "caro_cli/cold";
  cold.iterations = 1;
  cold.repetitions = 2;
  cold.metrics.push_back(metric("real_time", {2.5e6, 2.25e6}));
  command.benchmarks.push_back(cold);
  b.suites.push_back(command);
  return b;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const gate::Error& e) {
    return e.what();
  }
  return "";
}

std::string bundle_error(const std::string& text) {
  return error_of([&] { (void)gate::parse_bundle(text, "b.json"); });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bundle)

BOOST_AUTO_TEST_CASE(bundle_round_trip_is_exact) {
  gate::RunBundle original = full_bundle();
  std::string first = gate::write_bundle(original);
  gate::RunBundle back = gate::parse_bundle(first, "first.json");
  BOOST_TEST(back.source == "first.json");
  // Invalid UTF-8 is written as U+FFFD: that one string changes, once.
  original.suites[1].failure = "exited with signal 11 (SIGSEGV); stderr tail: \xEF\xBF\xBD\xEF\xBF\xBD bad bytes";
  check_equal(original, back);
  BOOST_TEST(gate::write_bundle(back) == first);
}

BOOST_AUTO_TEST_CASE(ingested_fixture_round_trips) {
  gate::RunBundle b = gate::read_results(test::data("basic_baseline.json"));
  b.runner.id = "r1";
  std::string first = gate::write_bundle(b);
  gate::RunBundle back = gate::parse_bundle(first, "x");
  check_equal(b, back);
  BOOST_TEST(gate::write_bundle(back) == first);
}

BOOST_AUTO_TEST_CASE(baseline_round_trip_is_exact) {
  gate::RunBundle meta = full_bundle();
  const gate::Suite& suite = meta.suites[0];
  std::string first = gate::write_baseline(meta, suite);
  gate::BaselineFile back = gate::parse_baseline(first, "baselines/ci-x86_64.r1/bench_clew.json");
  BOOST_TEST(back.runner.id == meta.runner.id);
  BOOST_TEST((back.runner.fingerprint == meta.runner.fingerprint));
  BOOST_TEST(back.commit == meta.commit);
  BOOST_TEST(back.time == meta.time);
  BOOST_TEST(back.tool_version == std::string(gate::k_version));
  check_equal(suite, back.suite);
  gate::RunBundle again;
  again.runner = back.runner;
  again.commit = back.commit;
  again.time = back.time;
  BOOST_TEST(gate::write_baseline(again, back.suite) == first);
}

BOOST_AUTO_TEST_CASE(layout_is_the_documented_one) {
  gate::RunBundle b;
  b.runner.id = "r1";
  b.runner.fingerprint = {{"os", "linux"}, {"cores", "2"}};
  b.commit = "abc";
  b.time = "2026-01-01T00:00:00Z";
  gate::Suite s;
  s.name = "bench_x";
  gate::Benchmark bm;
  bm.name = "BM_A";
  bm.iterations = 100;
  bm.repetitions = 2;
  bm.metrics.push_back(metric("real_time", {1.5, 2}));
  bm.aggregates["median"] = {{"real_time", 1.75}};
  s.benchmarks.push_back(bm);
  b.suites.push_back(s);
  std::string expected = std::string(R"({
  "schema": "perfgate-bundle",
  "schema_version": 1,
  "tool_version": ")") + gate::k_version + R"(",
  "runner": {
    "id": "r1",
    "fingerprint": {
      "cores": "2",
      "os": "linux"
    }
  },
  "commit": "abc",
  "ref": "",
  "time": "2026-01-01T00:00:00Z",
  "suites": [
    {
      "name": "bench_x",
      "context": {},
      "benchmarks": [
        {
          "name": "BM_A",
          "threads": 1,
          "label": "",
          "iterations": 100,
          "repetitions": 2,
          "metrics": {
            "real_time": {"unit": "ns", "direction": "lower", "kind": "noisy", "samples": [1.5, 2]}
          },
          "aggregates": {
            "median": {"real_time": 1.75}
          }
        }
      ],
      "complexity": []
    }
  ]
}
)";
  BOOST_TEST(gate::write_bundle(b) == expected);
}

BOOST_AUTO_TEST_CASE(newer_versions_and_other_schemas_are_refused) {
  std::string text = gate::write_bundle(full_bundle());
  std::string newer = text;
  newer.replace(newer.find("\"schema_version\": 1"), 19, "\"schema_version\": 2");
  BOOST_TEST(bundle_error(newer) ==
             "b.json:3:21: schema_version 2 of 'perfgate-bundle' is newer than this gate reads (1): update gate");

  std::string unknown = text;
  unknown.replace(unknown.find("perfgate-bundle"), 15, "perfgate-thing");
  BOOST_TEST(bundle_error(unknown) ==
             "b.json:2:13: unknown schema 'perfgate-thing' (this gate reads 'perfgate-bundle' and 'perfgate-baseline')");

  BOOST_TEST(error_of([&] { (void)gate::parse_baseline(text, "b.json"); }) ==
             "b.json:2:13: expected schema 'perfgate-baseline', found a run bundle ('perfgate-bundle')");
  std::string gb = test::read_file(test::data("basic_baseline.json"));
  BOOST_TEST(bundle_error(gb) == "b.json:2:3: expected schema 'perfgate-bundle', found google benchmark json");

  std::string no_version = text;
  no_version.erase(no_version.find("  \"schema_version\": 1,\n"), 23);
  BOOST_TEST(bundle_error(no_version) == "b.json:1:1: no 'schema_version'");
}

BOOST_AUTO_TEST_CASE(format_is_detected_by_content) {
  gate::RunBundle b = full_bundle();
  BOOST_TEST((gate::detect_results_format(gate::write_bundle(b), "x") == gate::ResultsFormat::perfgate_bundle));
  BOOST_TEST((gate::detect_results_format(gate::write_baseline(b, b.suites[0]), "x") ==
              gate::ResultsFormat::perfgate_baseline));
  BOOST_TEST((gate::detect_results_format(test::read_file(test::data("aggregates_only.json")), "x") ==
              gate::ResultsFormat::google_benchmark));
  BOOST_TEST(error_of([] { (void)gate::detect_results_format(R"({"results": []})", "o.json"); }) ==
             "o.json:1:1: neither google benchmark json nor a perfgate file (no 'benchmarks' or 'schema' key)");
  BOOST_TEST(error_of([] { (void)gate::detect_results_format("Benchmark  Time  CPU", "c.txt"); }) ==
             "c.txt:1:1: not json: expected '{' at the start, found 'B'");
  BOOST_TEST(error_of([] { (void)gate::detect_results_format("  \n", "e.json"); }) ==
             "e.json:2:1: empty file (expected google benchmark json or a perfgate file)");
}

BOOST_AUTO_TEST_CASE(read_results_reads_bundles_and_baselines) {
  test::TempDir dir;
  gate::RunBundle b = full_bundle();
  test::write_file(dir / "run.json", gate::write_bundle(b));
  test::write_file(dir / "base.json", gate::write_baseline(b, b.suites[0]));
  gate::RunBundle run = gate::read_results(dir / "run.json");
  BOOST_TEST(run.suites.size() == 3u);
  BOOST_TEST(run.ref == b.ref);
  BOOST_TEST(run.source == (dir / "run.json").string());
  gate::RunBundle base = gate::read_results(dir / "base.json");
  BOOST_TEST_REQUIRE(base.suites.size() == 1u);
  BOOST_TEST(base.suites[0].name == "bench_clew");
  BOOST_TEST(base.runner.id == b.runner.id);
  BOOST_TEST(base.commit == b.commit);
}

BOOST_AUTO_TEST_CASE(values_json_cannot_hold_are_refused_on_write) {
  gate::RunBundle b = full_bundle();
  b.suites[0].benchmarks[0].metrics[0].samples[3] = std::numeric_limits<double>::quiet_NaN();
  BOOST_TEST(error_of([&] { (void)gate::write_bundle(b); }) ==
             "writing results of suite 'bench_clew', benchmark 'BM_Sort/1024/threads:4': a sample of metric "
             "'real_time' is NaN, which json cannot hold");
}

BOOST_AUTO_TEST_CASE(bad_content_says_what_and_where) {
  const std::string head = R"({"schema": "perfgate-bundle", "schema_version": 1,
)";
  auto with = [&](const std::string& rest) { return bundle_error(head + rest); };
  BOOST_TEST(with(R"("runner": {"id": "../etc"}, "suites": []})") ==
             "b.json:2:18: runner id '../etc' is not allowed: it contains '/' (use 1 to 64 characters from a-z 0-9 . _ -, "
             "not starting with '.')");
  BOOST_TEST(with(R"("suites": [{"name": "s", "benchmarks": [{"name": "A", "metrics": {
"t": {"unit": "ns", "direction": "sideways", "kind": "noisy", "samples": []}}}]}]})") ==
             "b.json:3:34: unknown direction 'sideways' (expected lower or higher)");
  BOOST_TEST(with(R"("suites": [{"name": "s", "benchmarks": [{"name": "A", "metrics": {
"t": {"unit": "ns", "direction": "lower", "kind": "noisy"}}}]}]})") ==
             "b.json:3:6: metric 't' without 'samples'");
  BOOST_TEST(with(R"("suites": [{"name": "s", "benchmarks": [{"name": "A", "metrics": {}},
{"name": "A", "metrics": {}}]}]})") == "b.json:3:1: benchmark 'A' appears twice");
  BOOST_TEST(with(R"("suites": [{"name": "s", "benchmarks": [{"name": "A", "iterations": 1.5, "metrics": {}}]}]})") ==
             "b.json:2:69: expected an integer, found 1.5");
  BOOST_TEST(with(R"("suites": [{"name": "s", "benchmarks": [{"name": "A", "metrics": {"t": {"unit": "",
"direction": "lower", "kind": "noisy", "samples": [1, 1e999]}}}]}]})") == "b.json:3:55: number out of range");
  BOOST_TEST(with(R"("suites": [], "suites": []})") == "b.json:2:15: duplicate key 'suites'");
  BOOST_TEST(with(R"("commit": 42, "suites": []})") == "b.json:2:11: expected a string for 'commit', found a number");
  BOOST_TEST(with(R"("time": "x"})") == "b.json:1:1: run bundle without 'suites'");
  BOOST_TEST(with(R"("suites": [{"name": "s", "benchmarks": [], "command": {"argv": ["x"], "exit_code": 256}}]})") ==
             "b.json:2:84: 'exit_code' is 256, expected 0 to 255");
  BOOST_TEST(with(R"("suites": [{"name": "s", "benchmarks": [], "command": {"argv": ["x"]}}]})") ==
             "b.json:2:55: command without 'exit_code'");
}

BOOST_AUTO_TEST_CASE(json_syntax_errors_have_positions) {
  // An unknown key is refused, but only once the text is known to be JSON.
  const std::string head = R"({"schema": "perfgate-bundle", "schema_version": 1, "suites": [], "later": )";
  auto with = [&](const std::string& rest) { return bundle_error(head + rest); };
  const std::size_t col = head.size() + 1;  // where `rest` starts, 1-based
  auto at = [&](std::size_t extra) { return "b.json:1:" + std::to_string(col + extra) + ": "; };
  BOOST_TEST(with(R"("a\u00e9\ud83d\ude00\n"})") ==  // escapes and a surrogate pair are fine
             "b.json:1:66: unknown key 'later' in the run bundle (docs/bundle-format.md lists the keys of schema_version 1)");
  BOOST_TEST(with(R"("abc)") == at(4) + "unexpected end of file (truncated json)");
  BOOST_TEST(with(R"("a\qb"})") == at(2) + "invalid escape '\\q' in string");
  BOOST_TEST(with(R"("a\ud83d"})") == at(2) + "invalid \\u escape (lone high surrogate)");
  BOOST_TEST(with(R"("a\ude00"})") == at(2) + "invalid \\u escape (lone low surrogate)");
  BOOST_TEST(with(R"("a\u12g4"})") == at(2) + "invalid \\u escape (want four hex digits)");
  BOOST_TEST(with("\"a\x01\"}") == at(2) + "control character in string (must be escaped)");
  BOOST_TEST(with("\"a\xC3\x28\"}") == at(2) + "invalid utf-8 in string");
  BOOST_TEST(with("\"a\xED\xA0\x80\"}") == at(2) + "invalid utf-8 in string");  // an encoded surrogate
  BOOST_TEST(with(R"("x",})") == at(4) + "expected a key in double quotes, found '}'");
  BOOST_TEST(with(R"("x" "y"})") == at(4) + "expected ',' or '}', found '\"'");
  BOOST_TEST(with(R"("x"} trailing)") == at(5) + "unexpected text after the json value: 't'");
  BOOST_TEST(with(R"(NaN})") == at(0) + "expected a json value, found 'N'");
  BOOST_TEST(with(R"(01})") == at(0) + "number with a leading zero");
  BOOST_TEST(with(R"(1.})") == at(2) + "expected a digit after '.' in number");
  BOOST_TEST(with(R"([1,]})") == at(3) + "expected a json value, found ']'");
  BOOST_TEST(with(std::string(40, '[') + std::string(40, ']') + "}") == at(31) + "json nested deeper than 32 levels");
}

// --- what the bundle reader cannot vouch for: each refused at its place ---

namespace {

/// "<source>:<line>:<col>: " of the first `needle` in `text`.
std::string place(const std::string& source, const std::string& text, const std::string& needle) {
  auto pos = text.find(needle);
  BOOST_REQUIRE(pos != std::string::npos);
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < pos; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return source + ":" + std::to_string(line) + ":" + std::to_string(col) + ": ";
}

/// A bundle of one suite "s" with one benchmark whose fields are `fields`.
std::string one_benchmark(const std::string& fields) {
  return R"({"schema": "perfgate-bundle", "schema_version": 1, "suites": [{"name": "s", "benchmarks": [{)" + fields +
         "}]}]}";
}

std::string metrics(const std::string& name, const std::string& samples) {
  return R"("metrics": {")" + name + R"(": {"unit": "", "direction": "lower", "kind": "noisy", "samples": [)" + samples +
         "]}}";
}

}  // namespace

BOOST_AUTO_TEST_CASE(unknown_keys_are_refused_where_a_typo_would_hide_data) {
  // "eror" for "error": the failed benchmark would pass as one with no metrics.
  std::string typo = one_benchmark(R"("name": "BM_A", "eror": "crashed", "metrics": {})");
  BOOST_TEST(bundle_error(typo) == place("b.json", typo, R"("eror")") +
                                       "unknown key 'eror' in benchmark 'BM_A' (docs/bundle-format.md lists the keys "
                                       "of schema_version 1)");
  std::string top = R"({"schema": "perfgate-bundle", "schema_version": 1, "suites": [], "comit": "abc"})";
  BOOST_TEST(bundle_error(top).find(place("b.json", top, R"("comit")") + "unknown key 'comit' in the run bundle") == 0u,
             bundle_error(top));
  // A typo of a required key is named as such, not as the key missing.
  std::string samples = one_benchmark(
      R"("name": "BM_A", "metrics": {"t": {"unit": "", "direction": "lower", "kind": "noisy", "sampels": [1]}})");
  BOOST_TEST(bundle_error(samples).find("unknown key 'sampels' in metric 't'") != std::string::npos, bundle_error(samples));
  for (const char* in : {R"("runner": {"id": "r1", "fingerprint": {}, "extra": 1}, "suites": [])",
                         R"("suites": [{"name": "s", "benchmarks": [], "produkt": true}])",
                         R"("suites": [{"name": "s", "benchmarks": [], "command": {"argv": [], "exit_code": 0, "exit": 1}}])",
                         R"("suites": [{"name": "s", "benchmarks": [], "binary": {"path": "", "file_size": 1, "sections": {}, "text_hash": "", "size": 2}}])",
                         R"("suites": [{"name": "s", "benchmarks": [], "complexity": [{"family": "F", "bigo": "N"}]}])"}) {
    std::string text = std::string(R"({"schema": "perfgate-bundle", "schema_version": 1, )") + in + "}";
    BOOST_TEST(bundle_error(text).find("unknown key") != std::string::npos, in << ": " << bundle_error(text));
  }
}

BOOST_AUTO_TEST_CASE(negative_samples_counts_and_sizes_are_refused) {
  std::string time = one_benchmark(R"("name": "BM_A", )" + metrics("real_time", "1, -2"));
  BOOST_TEST(bundle_error(time) == place("b.json", time, "-2") + "a sample of metric 'real_time' is negative (-2)");
  std::string instructions = one_benchmark(R"("name": "BM_A", )" + metrics("instructions", "-1"));
  BOOST_TEST(bundle_error(instructions).find("a sample of metric 'instructions' is negative") != std::string::npos);
  BOOST_TEST(bundle_error(one_benchmark(R"("name": "BM_A", )" + metrics("balance", "-1"))) == "");  // a user's counter
  std::string iterations = one_benchmark(R"("name": "BM_A", "iterations": -5, "metrics": {})");
  BOOST_TEST(bundle_error(iterations) == place("b.json", iterations, "-5") + "'iterations' is -5, expected 0 or more");
  std::string repetitions = one_benchmark(R"("name": "BM_A", "repetitions": -1, "metrics": {})");
  BOOST_TEST(bundle_error(repetitions) == place("b.json", repetitions, "-1") + "'repetitions' is -1, expected 0 or more");
  std::string aggregate = one_benchmark(R"("name": "BM_A", "metrics": {}, "aggregates": {"mean": {"cpu_time": -1}})");
  BOOST_TEST(bundle_error(aggregate) == place("b.json", aggregate, "-1") +
                                            "aggregate 'mean' of metric 'cpu_time' is negative (-1)");
  std::string size = R"({"schema": "perfgate-bundle", "schema_version": 1, "suites": [{"name": "s", "benchmarks": [], )"
                     R"("binary": {"path": "b", "file_size": -1, "sections": {}, "text_hash": ""}}]})";
  BOOST_TEST(bundle_error(size).find(place("b.json", size, "-1")) == 0u, bundle_error(size));
}

BOOST_AUTO_TEST_CASE(names_empty_or_with_control_characters_are_refused) {
  std::string empty = one_benchmark(R"("name": "", "metrics": {})");
  BOOST_TEST(bundle_error(empty) == place("b.json", empty, R"("")") + "benchmark name '' is not allowed: it is empty");
  std::string escape = one_benchmark(R"("name": "BM_\u001b[8mA", "metrics": {})");
  BOOST_TEST(bundle_error(escape) == place("b.json", escape, R"("BM_)") +
                                         "benchmark name 'BM_\\x1b[8mA' is not allowed: it contains the control "
                                         "character byte 0x1b");
  std::string metric = one_benchmark(R"("name": "BM_A", )" + metrics("cpu\\ntime", "1"));
  BOOST_TEST(bundle_error(metric).find("metric name 'cpu\\ntime' is not allowed") != std::string::npos, bundle_error(metric));
  std::string suite = R"({"schema": "perfgate-bundle", "schema_version": 1, "suites": [{"name": "s\u0000", "benchmarks": []}]})";
  BOOST_TEST(bundle_error(suite).find("suite name 's\\x00' is not allowed") != std::string::npos, bundle_error(suite));
  std::string runner = R"({"schema": "perfgate-bundle", "schema_version": 1, "runner": {"id": ".x", "fingerprint": {}}, "suites": []})";
  BOOST_TEST(bundle_error(runner) == place("b.json", runner, R"(".x")") +
                                         "runner id '.x' is not allowed: it starts with '.' (use 1 to 64 characters "
                                         "from a-z 0-9 . _ -, not starting with '.')");
  // A bundle of plain Google Benchmark files has no runner: an empty id is that.
  BOOST_TEST(bundle_error(R"({"schema": "perfgate-bundle", "schema_version": 1, "runner": {"id": "", "fingerprint": {}}, "suites": []})") == "");
}

BOOST_AUTO_TEST_CASE(a_baseline_file_is_named_for_its_suite) {
  gate::RunBundle b = full_bundle();
  const std::string text = gate::write_baseline(b, b.suites[0]);  // suite bench_clew
  auto baseline_error = [&](const std::string& source) {
    return error_of([&] { (void)gate::parse_baseline(text, source); });
  };
  BOOST_TEST(baseline_error("baselines/r1/bench_clew.json") == "");
  BOOST_TEST(baseline_error("origin/main:baselines/r1/bench_clew.json") == "");
  BOOST_TEST(baseline_error("/tmp/copy of a baseline.json") == "");  // outside a runner's directory: any name
  BOOST_TEST(baseline_error("baselines/r1/bench_maze.json") ==
             place("baselines/r1/bench_maze.json", text, R"("bench_clew")") +
                 "suite 'bench_clew' is in the baseline file 'bench_maze.json': a suite's baseline file is "
                 "'bench_clew.json' (rename the file or the suite)");
  BOOST_TEST(baseline_error("origin/main:baselines/r1/other.json").find("suite 'bench_clew' is in the baseline file "
                                                                        "'other.json'") != std::string::npos);
  // A suite name that cannot name a file, whatever the file is called.
  std::string reserved = text;
  reserved.replace(reserved.find("\"name\": \"bench_clew\""), 20, "\"name\": \"noise\"");
  BOOST_TEST(error_of([&] { (void)gate::parse_baseline(reserved, "x.json"); }).find(
                 "suite name 'noise' cannot name a baseline file: 'noise' is reserved") != std::string::npos);
  std::string no_runner = text;
  no_runner.replace(no_runner.find("\"id\": \"ci-x86_64.r1\""), 20, "\"id\": \"\"");
  BOOST_TEST(error_of([&] { (void)gate::parse_baseline(no_runner, "x.json"); }).find("runner id '' is not allowed") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_bundles_through_the_cli_are_one_line_and_exit_2) {
  test::TempDir dir;
  gate::RunBundle b = full_bundle();
  b.suites.pop_back();  // the crashed suite: compare would stop at it
  test::write_file(dir / "base.json", gate::write_bundle(b));
  std::string forged = gate::write_bundle(b);
  forged.replace(forged.find("[0.1,"), 5, "[-0.1,");
  test::write_file(dir / "head.json", forged);
  auto r = test::run_gate({"compare", (dir / "base.json").string(), (dir / "head.json").string()});
  BOOST_TEST(r.exit_code == 2, r.err);
  BOOST_TEST(r.err.find('\n') == r.err.size() - 1, r.err);
  BOOST_TEST(r.err.find("gate: error: " + (dir / "head.json").string() + ":") == 0u, r.err);
  BOOST_TEST(r.err.find("a sample of metric 'real_time' is negative (-0.1)") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_SUITE_END()
