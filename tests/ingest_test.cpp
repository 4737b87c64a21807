// tests/ingest_test.cpp — reading Google Benchmark JSON: the real 1.7.1
// fixtures in tests/data (checked value by value against nlohmann's reading
// of the same file), the broken fixtures in tests/data/broken, and
// read_results() on files.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <set>
#include <string>

#include "gate/error.hpp"
#include "gate/formats/google_benchmark.hpp"
#include "test_support.hpp"

using gate::Direction;
using gate::MetricKind;
namespace test = gate::test;

namespace {

gate::Suite read_fixture(const std::string& name) {
  return gate::read_google_benchmark(test::read_file(test::data(name)), name);
}

nlohmann::json dom(const std::string& name) { return nlohmann::json::parse(test::read_file(test::data(name))); }

double ns_per(const std::string& unit) {
  if (unit == "ns") return 1;
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  return 1e9;
}

/// The message that reading `text` as `source` fails with ("" if it does not).
std::string error_of(const std::string& text, const std::string& source) {
  try {
    (void)gate::read_google_benchmark(text, source);
  } catch (const gate::Error& e) {
    return e.what();
  }
  return "";
}

std::string broken(const std::string& name) {
  std::string source = "broken/" + name;
  return error_of(test::read_file(test::data(source)), source);
}

const char* k_fixture_names[] = {"BM_Loop",    "BM_Sort/8",           "BM_Sort/64", "BM_Sort/512",
                                 "BM_Copy",    "BM_Counter",          "BM_Threads/threads:2",
                                 "BM_Fails",   "BM_Fixed/iterations:50", "BM_Alloc", "BM_Millis"};

/// Every iteration row's times and counters, every aggregate and complexity
/// row of the file must be in the suite, converted as documented.
void check_against_dom(const gate::Suite& suite, const nlohmann::json& file) {
  std::map<std::string, std::size_t> rows_seen;
  for (const auto& row : file["benchmarks"]) {
    std::string run = row["run_name"];
    std::string type = row["run_type"];
    double scale = row.contains("time_unit") ? ns_per(row["time_unit"]) : 1.0;
    if (type == "aggregate" && (row["aggregate_name"] == "BigO" || row["aggregate_name"] == "RMS")) {
      BOOST_TEST_REQUIRE(suite.complexity.size() == 1u);
      const auto& fit = suite.complexity[0];
      BOOST_TEST(fit.family == run);
      if (row["aggregate_name"] == "BigO") {
        BOOST_TEST(fit.big_o == row["big_o"].get<std::string>());
        BOOST_TEST(fit.cpu_coefficient == row["cpu_coefficient"].get<double>() * scale);
        BOOST_TEST(fit.real_coefficient == row["real_coefficient"].get<double>() * scale);
      } else {
        BOOST_TEST(fit.rms == row["rms"].get<double>());
      }
      continue;
    }
    const gate::Benchmark* b = suite.find(run);
    BOOST_TEST_REQUIRE(b != nullptr, run);
    BOOST_TEST(b->threads == row["threads"].get<int>());
    if (type == "aggregate") {
      std::string agg = row["aggregate_name"];
      bool fraction = row["aggregate_unit"] == "percentage";
      const auto& values = b->aggregates.at(agg);
      BOOST_TEST(values.at("real_time") == row["real_time"].get<double>() * (fraction ? 1.0 : scale), run << " " << agg);
      BOOST_TEST(values.at("cpu_time") == row["cpu_time"].get<double>() * (fraction ? 1.0 : scale), run << " " << agg);
      continue;
    }
    std::size_t rep = rows_seen[run]++;
    if (row.value("error_occurred", false)) {
      BOOST_TEST(b->error.value_or("") == row["error_message"].get<std::string>());
      continue;
    }
    BOOST_TEST_REQUIRE(b->metric("real_time")->samples.size() > rep);
    BOOST_TEST(b->metric("real_time")->samples[rep] == row["real_time"].get<double>() * scale);
    BOOST_TEST(b->metric("cpu_time")->samples[rep] == row["cpu_time"].get<double>() * scale);
    for (const auto& [key, value] : row.items()) {
      static const std::set<std::string> known = {
          "name",     "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
          "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit", "label"};
      if (known.count(key) != 0) continue;
      const gate::Metric* m = b->metric(key);
      BOOST_TEST_REQUIRE(m != nullptr, run << " " << key);
      if (key == "max_bytes_used" || key == "total_allocated_bytes" || key == "net_heap_growth") {
        // A memory field of which only the last repetition is kept.
        if (rep + 1 == static_cast<std::size_t>(row["repetitions"].get<int>())) {
          BOOST_TEST(m->samples.front() == value.get<double>(), run << " " << key);
        }
        continue;
      }
      BOOST_TEST(m->samples.at(rep) == value.get<double>(), run << " " << key);
    }
  }
  for (const auto& [run, rows] : rows_seen) {
    BOOST_TEST(suite.find(run)->repetitions == static_cast<int>(rows), run);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ingest)

BOOST_AUTO_TEST_CASE(real_fixture_benchmarks_in_file_order) {
  gate::Suite s = read_fixture("basic_baseline.json");
  BOOST_TEST(s.name == "fixture_bench");
  BOOST_TEST_REQUIRE(s.benchmarks.size() == std::size(k_fixture_names));
  for (std::size_t i = 0; i < s.benchmarks.size(); ++i) BOOST_TEST(s.benchmarks[i].name == k_fixture_names[i]);
  for (const auto& b : s.benchmarks) {
    BOOST_TEST(b.repetitions == 10, b.name);
    if (b.error) continue;
    for (const auto& m : b.metrics) {
      bool last_only = m.name == "max_bytes_used" || m.name == "total_allocated_bytes" || m.name == "net_heap_growth";
      BOOST_TEST(m.samples.size() == (last_only ? 1u : 10u), b.name << " " << m.name);
      BOOST_TEST(!m.from_aggregates);
    }
    BOOST_TEST(b.aggregates.size() == 4u, b.name);  // mean, median, stddev, cv
  }
}

BOOST_AUTO_TEST_CASE(real_fixture_values_match_the_file) {
  check_against_dom(read_fixture("basic_baseline.json"), dom("basic_baseline.json"));
  check_against_dom(read_fixture("basic_contender.json"), dom("basic_contender.json"));
}

BOOST_AUTO_TEST_CASE(metrics_have_units_directions_and_kinds) {
  gate::Suite s = read_fixture("basic_baseline.json");
  const auto* loop = s.find("BM_Loop");
  BOOST_TEST_REQUIRE(loop != nullptr);
  BOOST_TEST_REQUIRE(loop->metrics.size() >= 2u);
  BOOST_TEST(loop->metrics[0].name == "real_time");
  BOOST_TEST(loop->metrics[1].name == "cpu_time");
  for (const auto& m : loop->metrics) {
    if (m.name == "real_time" || m.name == "cpu_time") {
      BOOST_TEST(m.unit == "ns");
      BOOST_TEST((m.kind == MetricKind::noisy));
      BOOST_TEST((m.direction == Direction::lower_is_better));
    }
  }
  const auto* alloc = s.find("BM_Alloc");
  BOOST_TEST_REQUIRE(alloc->metric("allocs_per_iter") != nullptr);
  BOOST_TEST((alloc->metric("allocs_per_iter")->kind == MetricKind::deterministic));
  BOOST_TEST(alloc->metric("allocs_per_iter")->samples.at(5) == 1.0625);
  BOOST_TEST(alloc->metric("max_bytes_used")->unit == "B");
  BOOST_TEST(alloc->metric("total_allocated_bytes") != nullptr);
  BOOST_TEST(alloc->metric("net_heap_growth") != nullptr);

  const auto* copy = s.find("BM_Copy");
  for (auto rate : {"items_per_second", "bytes_per_second"}) {
    BOOST_TEST_REQUIRE(copy->metric(rate) != nullptr, rate);
    BOOST_TEST((copy->metric(rate)->direction == Direction::higher_is_better));
    BOOST_TEST(copy->metric(rate)->unit == "1/s");
    BOOST_TEST(copy->metric(rate)->samples.at(0) > 1e9);
  }

  const auto* counter = s.find("BM_Counter");
  BOOST_TEST_REQUIRE(counter->metric("nodes_visited") != nullptr);
  BOOST_TEST(counter->metric("nodes_visited")->samples.at(0) == 536.0);
  BOOST_TEST(counter->label == "tree");
}

BOOST_AUTO_TEST_CASE(threads_iterations_errors_and_complexity) {
  gate::Suite s = read_fixture("basic_baseline.json");
  BOOST_TEST(s.find("BM_Threads/threads:2")->threads == 2);
  BOOST_TEST(s.find("BM_Loop")->threads == 1);
  BOOST_TEST(s.find("BM_Fixed/iterations:50")->iterations == 50);

  const auto* fails = s.find("BM_Fails");
  BOOST_TEST_REQUIRE(fails != nullptr);  // kept, not dropped
  BOOST_TEST(fails->error.value_or("") == "resource not available");
  BOOST_TEST(fails->metrics.empty());
  BOOST_TEST(fails->repetitions == 10);
  BOOST_TEST(!fails->skipped.has_value());

  BOOST_TEST_REQUIRE(s.complexity.size() == 1u);
  BOOST_TEST(s.complexity[0].family == "BM_Sort");
  BOOST_TEST(s.complexity[0].big_o == "NlgN");
  BOOST_TEST(s.complexity[0].rms > 0);
  BOOST_TEST(s.find("BM_Sort") == nullptr);  // a fit is not a benchmark
}

BOOST_AUTO_TEST_CASE(memory_fields_keep_only_the_last_repetition) {
  // The recorded file holds 1.7.1's garbage in repetitions 0 and 4-7 of
  // BM_Sort/64 (a dangling pointer); the last repetition says 664 bytes.
  gate::Suite s = read_fixture("basic_baseline.json");
  const gate::Metric* peak = s.find("BM_Sort/64")->metric("max_bytes_used");
  BOOST_REQUIRE(peak != nullptr);
  BOOST_TEST(peak->samples.size() == 1u);
  BOOST_TEST(peak->samples.front() == 664.0);
  BOOST_TEST(s.find("BM_Sort/64")->metric("allocs_per_iter")->samples.size() == 10u);
}

BOOST_AUTO_TEST_CASE(cv_stays_a_fraction_and_times_are_ns) {
  gate::Suite s = read_fixture("basic_baseline.json");
  const auto& millis = s.find("BM_Millis")->aggregates;
  // BM_Millis reports in ms: its mean becomes ns, its cv does not move.
  BOOST_TEST(millis.at("mean").at("real_time") > 100.0);
  BOOST_TEST(millis.at("cv").at("real_time") < 1.0);
}

BOOST_AUTO_TEST_CASE(context_is_flattened_to_text) {
  gate::Suite s = read_fixture("basic_baseline.json");
  BOOST_TEST(s.context.at("executable") == "./fixture_bench");
  BOOST_TEST(s.context.at("num_cpus") == "2");
  BOOST_TEST(s.context.at("cpu_scaling_enabled") == "false");
  BOOST_TEST(s.context.at("library_build_type") == "debug");
  BOOST_TEST(s.context.at("caches.0.type") == "Data");
  BOOST_TEST(s.context.at("caches.3.size") == "503316480");
  BOOST_TEST(s.context.at("load_avg.1") == "0.0327148");
  BOOST_TEST(s.context.count("caches") == 0u);
}

BOOST_AUTO_TEST_CASE(milliseconds_are_converted_to_nanoseconds) {
  gate::Suite s = read_fixture("time_unit_ms.json");
  nlohmann::json file = dom("time_unit_ms.json");
  std::size_t ms_rows = 0;
  for (const auto& row : file["benchmarks"]) ms_rows += row.value("time_unit", "") == "ms" ? 1 : 0;
  BOOST_TEST(ms_rows > 30u);  // the whole run was recorded in ms
  check_against_dom(s, file);
  const auto* loop = s.find("BM_Loop");
  const auto& first = file["benchmarks"][0];
  BOOST_TEST_REQUIRE(first["time_unit"] == "ms");
  BOOST_TEST(loop->metric("real_time")->samples[0] == first["real_time"].get<double>() * 1e6);
  BOOST_TEST(loop->metric("real_time")->unit == "ns");
  // A ~60 ns loop: in ns after conversion, not in ms.
  BOOST_TEST(loop->metric("real_time")->samples[0] > 1.0);
  BOOST_TEST(loop->metric("real_time")->samples[0] < 1e6);
}

BOOST_AUTO_TEST_CASE(aggregates_only_file_gives_samples_from_the_median) {
  gate::Suite s = read_fixture("aggregates_only.json");
  nlohmann::json file = dom("aggregates_only.json");
  BOOST_TEST(s.benchmarks.size() == std::size(k_fixture_names));
  for (const auto& b : s.benchmarks) {
    if (b.error) continue;
    BOOST_TEST(b.repetitions == 10, b.name);
    BOOST_TEST_REQUIRE(b.metrics.size() >= 2u, b.name);
    BOOST_TEST(b.metrics[0].name == "real_time");
    for (const auto& m : b.metrics) {
      BOOST_TEST(m.from_aggregates, b.name << " " << m.name);
      BOOST_TEST_REQUIRE(m.samples.size() == 1u);
      BOOST_TEST(m.samples[0] == b.aggregates.at("median").at(m.name));
    }
  }
  // The median row of BM_Loop, read independently.
  for (const auto& row : file["benchmarks"]) {
    if (row["run_name"] == "BM_Loop" && row.value("aggregate_name", "") == "median") {
      BOOST_TEST(s.find("BM_Loop")->metric("cpu_time")->samples[0] == row["cpu_time"].get<double>());
    }
  }
  // The errored benchmark still has its iteration rows: kept as an error.
  BOOST_TEST(s.find("BM_Fails")->error.value_or("") == "resource not available");
  BOOST_TEST(s.find("BM_Copy")->metric("items_per_second")->from_aggregates);
}

BOOST_AUTO_TEST_CASE(aggregates_fall_back_to_the_mean) {
  std::string text = R"({"benchmarks": [
    {"name": "BM_A_mean", "run_name": "BM_A", "run_type": "aggregate", "repetitions": 3, "threads": 1,
     "aggregate_name": "mean", "aggregate_unit": "time", "iterations": 3, "real_time": 2.5, "cpu_time": 2.0,
     "time_unit": "us"}]})";
  gate::Suite s = gate::read_google_benchmark(text, "mean_only.json");
  BOOST_TEST(s.name == "mean_only");  // no context: the file's stem
  const auto* a = s.find("BM_A");
  BOOST_TEST_REQUIRE(a != nullptr);
  BOOST_TEST(a->metric("real_time")->samples.at(0) == 2500.0);
  BOOST_TEST(a->metric("real_time")->from_aggregates);
  BOOST_TEST(a->repetitions == 3);
}

BOOST_AUTO_TEST_CASE(newer_and_older_shapes) {
  // 1.8+: SkipWithMessage writes "skipped"/"skip_message"; memory fields as
  // counters; a field we do not know (a string) is ignored. An old file has
  // neither run_name nor run_type nor repetition_index.
  std::string text = R"({"context": {"executable": "C:\\bench\\bench_x.exe"}, "benchmarks": [
    {"name": "BM_Skip", "run_name": "BM_Skip", "run_type": "iteration", "repetitions": 1, "repetition_index": 0,
     "threads": 1, "skipped": true, "skip_message": "needs avx512", "iterations": 0, "real_time": 0,
     "cpu_time": 0, "time_unit": "ns"},
     {"name": "BM_Old", "iterations": 10, "real_time": 5, "cpu_time": 4, "time_unit": "s", "future_field": "x",
     "total_allocated_bytes": 4096}]})";
  gate::Suite s = gate::read_google_benchmark(text, "x.json");
  BOOST_TEST(s.name == "bench_x");
  BOOST_TEST(s.find("BM_Skip")->skipped.value_or("") == "needs avx512");
  BOOST_TEST(!s.find("BM_Skip")->error.has_value());
  BOOST_TEST(s.find("BM_Skip")->metrics.empty());
  const auto* old = s.find("BM_Old");
  BOOST_TEST_REQUIRE(old != nullptr);
  BOOST_TEST(old->metric("real_time")->samples.at(0) == 5e9);
  BOOST_TEST(old->metric("total_allocated_bytes")->samples.at(0) == 4096.0);
  BOOST_TEST(old->metric("future_field") == nullptr);
}

BOOST_AUTO_TEST_CASE(non_finite_aggregates_are_left_out_but_counters_are_refused) {
  // Google Benchmark writes NaN for the cv of a counter that is always zero.
  std::string ok = R"({"benchmarks": [
    {"name": "BM_Z", "run_name": "BM_Z", "run_type": "iteration", "repetitions": 2, "repetition_index": 0,
     "threads": 1, "iterations": 9, "real_time": 1, "cpu_time": 1, "time_unit": "ns", "zeros": 0},
    {"name": "BM_Z_cv", "run_name": "BM_Z", "run_type": "aggregate", "repetitions": 2, "threads": 1,
     "aggregate_name": "cv", "aggregate_unit": "percentage", "iterations": 2, "real_time": 0.01,
     "cpu_time": 0.02, "time_unit": "ns", "zeros": NaN}]})";
  gate::Suite s = gate::read_google_benchmark(ok, "ok.json");
  BOOST_TEST(s.find("BM_Z")->aggregates.at("cv").count("zeros") == 0u);
  BOOST_TEST(s.find("BM_Z")->aggregates.at("cv").at("cpu_time") == 0.02);

  std::string bad = R"({"benchmarks": [
    {"name": "BM_Z", "run_type": "iteration", "iterations": 9, "real_time": 1, "cpu_time": 1,
     "time_unit": "ns", "ratio": -Infinity}]})";
  BOOST_TEST(error_of(bad, "bad.json") == "bad.json:3:34: counter 'ratio' of benchmark 'BM_Z' is infinite");
}

BOOST_AUTO_TEST_CASE(broken_fixtures_say_what_and_where) {
  const std::map<std::string, std::string> expected = {
      {"empty.json", "broken/empty.json:1:1: empty file (expected google benchmark json)"},
      {"truncated.json", "broken/truncated.json:67:27: unexpected end of file (truncated json)"},
      {"not_json.txt", "broken/not_json.txt:1:1: not json: expected '{' at the start, found '2'"},
      {"array_top_level.json",
       "broken/array_top_level.json:1:1: not google benchmark json: the top level is an array, expected an object "
       "with 'context' and 'benchmarks'"},
      {"no_benchmarks.json", "broken/no_benchmarks.json:1:1: not google benchmark json: no 'benchmarks' array"},
      {"benchmarks_not_array.json", "broken/benchmarks_not_array.json:38:17: 'benchmarks' is an object, expected an array"},
      {"zero_benchmarks.json",
       "broken/zero_benchmarks.json:38:17: no benchmarks: the 'benchmarks' array is empty, nothing to judge"},
      {"non_numeric_time.json",
       "broken/non_numeric_time.json:67:20: real_time of benchmark 'BM_Loop' is not a number (found a string)"},
      {"negative_time.json",
       "broken/negative_time.json:68:19: cpu_time of benchmark 'BM_Loop' is negative (-64.65228061611887)"},
      {"nan_time.json", "broken/nan_time.json:68:19: cpu_time of benchmark 'BM_Loop' is NaN"},
      {"infinite_time.json", "broken/infinite_time.json:67:20: real_time of benchmark 'BM_Loop' is infinite"},
      {"unknown_time_unit.json",
       "broken/unknown_time_unit.json:69:20: unknown time_unit 'ps' of benchmark 'BM_Loop' (expected ns, us, ms or s)"},
      {"conflicting_time_units.json",
       "broken/conflicting_time_units.json:69:20: benchmark 'BM_Loop' is reported in ns and in ms: conflicting rows"},
      {"duplicate_conflicting.json",
       "broken/duplicate_conflicting.json:64:27: repetition 0 of benchmark 'BM_Loop' appears twice: conflicting rows"},
  };
  for (const auto& [file, message] : expected) BOOST_TEST(broken(file) == message, file);
}

BOOST_AUTO_TEST_CASE(names_longer_than_the_limit_are_refused) {
  auto file_with_name = [](const std::string& name) {
    return R"({"benchmarks": [{"name": ")" + name +
           R"(", "run_type": "iteration", "iterations": 1, "real_time": 1, "cpu_time": 1, "time_unit": "ns"}]})";
  };
  std::string huge(1 << 20, 'x');
  BOOST_TEST(error_of(file_with_name(huge), "huge_name.json") ==
             "huge_name.json:1:26: name of 1048576 bytes is longer than the limit of 4096 bytes");
  std::string longest(gate::k_max_name_bytes, 'y');
  BOOST_TEST(error_of(file_with_name(longest), "ok.json") == "");
}

BOOST_AUTO_TEST_CASE(duplicate_keys_and_aggregates_are_conflicts) {
  std::string key_twice = R"({"benchmarks": [{"name": "BM_A", "real_time": 1, "real_time": 2}]})";
  BOOST_TEST(error_of(key_twice, "k.json") == "k.json:1:50: duplicate key 'real_time'");
  std::string agg_twice = R"({"benchmarks": [
{"name": "BM_A_mean", "run_name": "BM_A", "run_type": "aggregate", "aggregate_name": "mean", "real_time": 1, "cpu_time": 1, "time_unit": "ns"},
{"name": "BM_A_mean", "run_name": "BM_A", "run_type": "aggregate", "aggregate_name": "mean", "real_time": 2, "cpu_time": 2, "time_unit": "ns"}]})";
  BOOST_TEST(error_of(agg_twice, "a.json") == "a.json:3:1: aggregate 'mean' of benchmark 'BM_A' appears twice: conflicting rows");
}

BOOST_AUTO_TEST_CASE(read_results_reads_google_benchmark_files) {
  auto path = test::data("basic_contender.json");
  gate::RunBundle b = gate::read_results(path);
  BOOST_TEST(b.source == path.string());
  BOOST_TEST(b.runner.id.empty());
  BOOST_TEST_REQUIRE(b.suites.size() == 1u);
  BOOST_TEST(b.suites[0].name == "fixture_bench");
  BOOST_TEST(b.suites[0].benchmarks.size() == std::size(k_fixture_names));
}

BOOST_AUTO_TEST_CASE(read_results_names_the_path_on_file_errors) {
  test::TempDir dir;
  auto missing = dir / "missing.json";
  auto error_for = [](const std::filesystem::path& p) -> std::string {
    try {
      (void)gate::read_results(p);
    } catch (const gate::Error& e) {
      return e.what();
    }
    return "";
  };
  BOOST_TEST(error_for(missing) == "reading results '" + missing.string() + "': no such file");
  BOOST_TEST(error_for(dir.path()) == "reading results '" + dir.path().string() + "': is a directory, expected a file");
  auto truncated = test::data("broken/truncated.json");
  BOOST_TEST(error_for(truncated) == truncated.string() + ":67:27: unexpected end of file (truncated json)");
}

// --- what the ingest cannot vouch for: each refused at its place, one line ---

namespace {

/// A file of one iteration row with `fields` after its name.
std::string one_row(const std::string& name_json, const std::string& fields) {
  return R"({"context": {"executable": "./bench_x"}, "benchmarks": [{"name": )" + name_json +
         R"(, "run_type": "iteration", "iterations": 8, "real_time": 1, "cpu_time": 1, "time_unit": "ns")" + fields +
         "}]}";
}

/// "<source>:1:<col>: " for the first occurrence of `needle` in one-line `text`.
std::string at(const std::string& source, const std::string& text, const std::string& needle) {
  auto pos = text.find(needle);
  BOOST_REQUIRE(pos != std::string::npos);
  return source + ":1:" + std::to_string(pos + 1) + ": ";
}

}  // namespace

BOOST_AUTO_TEST_CASE(names_empty_or_with_control_characters_are_refused) {
  std::string empty = one_row(R"("")", "");
  BOOST_TEST(error_of(empty, "n.json") == at("n.json", empty, R"("")") + "name '' is not allowed: it is empty");
  std::string newline = one_row(R"("BM_A\nPASSED: 1 unchanged")", "");
  BOOST_TEST(error_of(newline, "n.json") ==
             at("n.json", newline, R"("BM_A)") + "name 'BM_A\\nPASSED: 1 unchanged' is not allowed: it contains the "
                                                 "control character byte 0x0a");
  for (const char* name : {R"("BM_\u001b[8mA")", R"("BM_\u0000A")", R"("BM_\rA")", R"("BM_\u0085A")", R"("BM_\u007fA")"}) {
    std::string text = one_row(name, "");
    BOOST_TEST(error_of(text, "n.json").find(at("n.json", text, name) + "name '") == 0u, name);
  }
  std::string run_name = one_row(R"("BM_A", "run_name": "BM_\u0007A")", "");
  BOOST_TEST(error_of(run_name, "n.json").find("run_name 'BM_\\x07A' is not allowed") != std::string::npos,
             error_of(run_name, "n.json"));
  // Counter and aggregate names are names too.
  std::string counter = one_row(R"("BM_A")", R"(, "bad\tcounter": 1)");
  BOOST_TEST(error_of(counter, "n.json") == at("n.json", counter, R"("bad)") +
                                                "counter name 'bad\\tcounter' is not allowed: it contains the control "
                                                "character byte 0x09");
  std::string empty_counter = one_row(R"("BM_A")", R"(, "": 1)");
  BOOST_TEST(error_of(empty_counter, "n.json").find("counter name '' is not allowed: it is empty") != std::string::npos);
  std::string aggregate = R"({"benchmarks": [{"name": "BM_A_x", "run_name": "BM_A", "run_type": "aggregate", )"
                          R"("aggregate_name": "me\nan", "real_time": 1, "cpu_time": 1, "time_unit": "ns"}]})";
  BOOST_TEST(error_of(aggregate, "n.json").find("aggregate_name 'me\\nan' is not allowed") != std::string::npos,
             error_of(aggregate, "n.json"));
  // Other text (labels, error messages) is shown escaped by the reports, not refused.
  BOOST_TEST(error_of(one_row(R"("BM_A")", R"(, "label": "a\u001bb")"), "n.json") == "");
}

BOOST_AUTO_TEST_CASE(a_suite_name_from_the_executable_follows_the_naming_rule) {
  std::string text = R"({"context": {"executable": "/bin/bench\u001b]0;x"}, "benchmarks": [{"name": "BM_A", )"
                     R"("run_type": "iteration", "iterations": 1, "real_time": 1, "cpu_time": 1, "time_unit": "ns"}]})";
  BOOST_TEST(error_of(text, "e.json") == at("e.json", text, R"("/bin)") +
                                             "suite name 'bench\\x1b]0;x' (from context.executable) is not allowed: "
                                             "it contains the control character byte 0x1b");
}

BOOST_AUTO_TEST_CASE(negative_counts_and_measurements_are_refused) {
  std::string iterations = one_row(R"("BM_A")", "").replace(one_row(R"("BM_A")", "").find("\"iterations\": 8"), 15,
                                                             "\"iterations\": -5");
  BOOST_TEST(error_of(iterations, "c.json") == at("c.json", iterations, "-5") + "'iterations' is -5, expected 0 or more");
  std::string repetitions = one_row(R"("BM_A")", R"(, "repetitions": -1)");
  BOOST_TEST(error_of(repetitions, "c.json") == at("c.json", repetitions, "-1") + "'repetitions' is -1, expected 0 or more");
  // Rates and the gate's own counters cannot be negative; a user's counter may be.
  std::string rate = one_row(R"("BM_A")", R"(, "items_per_second": -100)");
  BOOST_TEST(error_of(rate, "c.json") == at("c.json", rate, "-100") +
                                             "counter 'items_per_second' of benchmark 'BM_A' is negative (-100)");
  std::string instructions = one_row(R"("BM_A")", R"(, "instructions": -3)");
  BOOST_TEST(error_of(instructions, "c.json").find("counter 'instructions' of benchmark 'BM_A' is negative") !=
             std::string::npos);
  BOOST_TEST(error_of(one_row(R"("BM_A")", R"(, "balance": -3, "net_heap_growth": -64)"), "c.json") == "");
  // An aggregates-only file: the median stands in for the repetitions.
  std::string median = R"({"benchmarks": [{"name": "BM_A_median", "run_name": "BM_A", "run_type": "aggregate", )"
                       R"("aggregate_name": "median", "repetitions": 3, "real_time": -5, "cpu_time": 1, "time_unit": "ns"}]})";
  BOOST_TEST(error_of(median, "c.json") == at("c.json", median, "-5") +
                                               "real_time of aggregate 'median' of benchmark 'BM_A' is negative (-5)");
}

BOOST_AUTO_TEST_CASE(the_memory_fields_kept_are_checked_not_the_garbage_before_them) {
  // Google Benchmark 1.7.1 writes garbage in all but the last repetition's
  // memory fields (tests/data/basic_baseline.json has some): those are
  // dropped, the last is kept and must be a size.
  auto file = [](const std::string& last) {
    return R"({"benchmarks": [)"
           R"({"name": "BM_A", "run_type": "iteration", "repetition_index": 0, "iterations": 1, "real_time": 1, "cpu_time": 1, "time_unit": "ns", "max_bytes_used": -8442920376025080000},)"
           R"({"name": "BM_A", "run_type": "iteration", "repetition_index": 1, "iterations": 1, "real_time": 1, "cpu_time": 1, "time_unit": "ns", "max_bytes_used": )" +
           last + "}]}";
  };
  BOOST_TEST(error_of(file("664"), "m.json") == "");
  std::string bad = file("-664");
  BOOST_TEST(error_of(bad, "m.json") == at("m.json", bad, "-664") +
                                            "counter 'max_bytes_used' of benchmark 'BM_A' is negative (-664)");
}

BOOST_AUTO_TEST_CASE(whole_file_refusals_have_a_place_too) {
  BOOST_TEST(error_of("", "w.json") == "w.json:1:1: empty file (expected google benchmark json)");
  BOOST_TEST(error_of(R"({"context": {}})", "w.json") == "w.json:1:1: not google benchmark json: no 'benchmarks' array");
}

BOOST_AUTO_TEST_CASE(bad_input_through_the_cli_is_one_line_and_exit_2) {
  test::TempDir dir;
  test::write_file(dir / "base.json", test::read_file(test::data("basic_baseline.json")));
  std::string forged = one_row(R"("BM_Loop\n\u001b[32mPASSED: 1 unchanged")", "");
  test::write_file(dir / "head.json", forged);
  auto r = test::run_gate({"compare", (dir / "base.json").string(), (dir / "head.json").string()});
  BOOST_TEST(r.exit_code == 2, r.err);
  BOOST_TEST(r.out.empty(), r.out);
  BOOST_TEST(r.err.find('\n') == r.err.size() - 1, r.err);  // one line
  BOOST_TEST(r.err.find('\x1b') == std::string::npos, r.err);
  BOOST_TEST(r.err.find("gate: error: " + (dir / "head.json").string() + ":1:") == 0u, r.err);
  BOOST_TEST(r.err.find("internal error") == std::string::npos, r.err);
}

BOOST_AUTO_TEST_SUITE_END()
