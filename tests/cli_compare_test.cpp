// tests/cli_compare_test.cpp — `gate compare` end to end: the built binary on
// recorded Google Benchmark output, checked by exit code, first stderr line
// and the JSON report.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>

#include "gate/formats/bundle.hpp"
#include "gate/formats/google_benchmark.hpp"
#include "report_support.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using gate::test::data;
using gate::test::run_gate;
using nlohmann::json;

namespace {

std::string clean() { return data("derived/clean_baseline.json").string(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_compare)

BOOST_AUTO_TEST_CASE(identical_files_pass_with_every_benchmark_unchanged) {
  auto r = run_gate({"compare", clean(), clean(), "--format", "json"});
  BOOST_TEST(r.exit_code == 0, r.err);
  auto j = gate::test::json_report(r);
  BOOST_TEST(j["outcome"] == "passed");
  BOOST_TEST(j["verdicts"].size() >= 8u);
  for (const auto& v : j["verdicts"]) {
    BOOST_TEST(v["status"] == "unchanged", v["benchmark"] << " is " << v["status"]);
  }
}

BOOST_AUTO_TEST_CASE(one_benchmark_25_percent_slower_fails_naming_it_with_its_numbers) {
  auto slower = data("derived/sort64_slower.json").string();
  auto r = run_gate({"compare", clean(), slower, "--format", "json"});
  BOOST_TEST(r.exit_code == 1, r.err);
  auto j = gate::test::json_report(r);
  auto bad = gate::test::failing_verdicts(j);
  BOOST_REQUIRE(bad.size() == 1u);
  const auto& v = bad.front();
  BOOST_TEST(v["benchmark"] == "BM_Sort/64");
  BOOST_TEST(v["status"] == "regressed");
  BOOST_TEST(v["metric"] == "cpu_time");
  BOOST_TEST(v["change"].get<double>() == 0.25, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(v["threshold"] == "+10%");
  BOOST_TEST(v["n_baseline"] == 10);
  BOOST_TEST(v["n_contender"] == 10);
  BOOST_TEST(v["p_value"].get<double>() < 0.001);
  BOOST_TEST(v["q_value"].get<double>() < 0.05);
  BOOST_TEST(v["test"] == "mann-whitney u beyond the limit");

  // The table says the same to a person, with where the numbers came from.
  auto t = run_gate({"compare", clean(), slower});
  BOOST_TEST(t.exit_code == 1);
  BOOST_TEST(t.out.find("regressed") != std::string::npos);
  BOOST_TEST(t.out.find("BM_Sort/64") != std::string::npos);
  BOOST_TEST(t.out.find("+25.0%") != std::string::npos);
  BOOST_TEST(t.out.find("FAILED") != std::string::npos);
  BOOST_TEST(t.out.find("baseline:") != std::string::npos);
  BOOST_TEST(t.out.find("Mann-Whitney") != std::string::npos);
}

// A perfgate baseline file was measured at another time, like baselines/ at
// a ref: a timing regression against it is a suspect until a same-job re-run
// decides (the built-in "confirm"), and fails meanwhile; "judge" fails at once.
BOOST_AUTO_TEST_CASE(a_stored_baseline_file_given_directly_makes_a_timing_regression_a_suspect) {
  gate::test::TempDir dir;
  gate::RunBundle clean_run = gate::read_results(clean());
  clean_run.runner.id = "r1";
  const auto baseline = dir / "bench.json";
  gate::test::write_file(baseline, gate::write_baseline(clean_run, clean_run.suites.front()));
  auto slower = data("derived/sort64_slower.json").string();

  auto r = run_gate({"compare", baseline.string(), slower, "--format", "json"});
  BOOST_TEST(r.exit_code == 1, r.err);
  auto j = gate::test::json_report(r);
  BOOST_TEST(j["suspects"] == 1);
  BOOST_TEST(j["outcome"] == "failed");
  bool suspect = false;
  for (const auto& v : j["verdicts"]) {
    if (v["benchmark"] == "BM_Sort/64" && v["metric"] == "cpu_time") {
      suspect = v["status"] == "suspect" && v["fails_gate"] == true;
    }
  }
  BOOST_TEST(suspect, r.out);
  // The table says how to confirm it.
  auto table = run_gate({"compare", baseline.string(), slower});
  BOOST_TEST(table.out.find("--confirm-with BASE_BUILD_DIR") != std::string::npos, table.out);

  gate::test::write_file(dir / "gate.json", R"({"defaults": {"timing": "judge"}})");
  auto judged = run_gate({"compare", baseline.string(), slower, "--policy", (dir / "gate.json").string()});
  BOOST_TEST(judged.exit_code == 1, judged.err);
}

// The PR check writes every report at once: Markdown for the comment, JSON
// for tools, JUnit XML for CI systems that show test results.
BOOST_AUTO_TEST_CASE(report_files_are_written_beside_the_table) {
  gate::test::TempDir dir;
  auto slower = data("derived/sort64_slower.json").string();
  auto r = run_gate({"compare", clean(), slower, "--markdown-out", (dir / "r.md").string(), "--json-out",
                     (dir / "r.json").string(), "--junit-out", (dir / "r.xml").string()});
  BOOST_TEST(r.exit_code == 1, r.err);
  BOOST_TEST(r.out.find("BM_Sort/64") != std::string::npos);
  const std::string md = gate::test::read_file(dir / "r.md");
  BOOST_TEST(md.find(R"(BM\_Sort/64)") != std::string::npos, md);  // Markdown-escaped
  BOOST_TEST(json::parse(gate::test::read_file(dir / "r.json"))["exit_code"] == 1);
  const std::string xml = gate::test::read_file(dir / "r.xml");
  BOOST_TEST(xml.rfind("<?xml", 0) == 0u, xml);
  BOOST_TEST(xml.find("<failure") != std::string::npos, xml);
  BOOST_TEST(xml.find("BM_Sort/64") != std::string::npos, xml);
}

BOOST_AUTO_TEST_CASE(a_counter_rule_fails_on_its_own) {
  gate::test::TempDir dir;
  gate::test::write_file(dir / "gate.json", R"({
    // nodes_visited is a user counter of BM_Counter: fewer is better
    "metrics": {"nodes_visited": {"direction": "lower", "kind": "deterministic"}},
    "rules": [{"match": "BM_Counter", "nodes_visited": "+5%"}]
  })");
  auto counter_up = data("derived/counter_up.json").string();
  auto r = run_gate({"compare", clean(), counter_up, "--policy", (dir / "gate.json").string(), "--format", "json"});
  BOOST_TEST(r.exit_code == 1, r.err);
  auto bad = gate::test::failing_verdicts(gate::test::json_report(r));
  BOOST_REQUIRE(bad.size() == 1u);
  BOOST_TEST(bad.front()["benchmark"] == "BM_Counter");
  BOOST_TEST(bad.front()["metric"] == "nodes_visited");
  BOOST_TEST(bad.front()["threshold"] == "+5%");
  // Without the rule nothing judges the counter, and the times are the same.
  BOOST_TEST(run_gate({"compare", clean(), counter_up}, dir.path().parent_path()).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(a_target_rule_fails_on_its_own) {
  gate::test::TempDir dir;
  gate::test::write_file(dir / "gate.json", R"({"rules": [{"match": "BM_Loop", "p95": "< 10ns"}]})");
  // Picked up from the working directory, as a developer would run it.
  auto r = run_gate({"compare", clean(), clean(), "--format", "json"}, dir.path());
  BOOST_TEST(r.exit_code == 1, r.err);
  auto j = gate::test::json_report(r);
  BOOST_TEST(j["policy"] == "gate.json");
  auto bad = gate::test::failing_verdicts(j);
  BOOST_REQUIRE(bad.size() == 1u);
  BOOST_TEST(bad.front()["status"] == "target missed");
  BOOST_TEST(bad.front()["benchmark"] == "BM_Loop");
  BOOST_TEST(bad.front()["statistic"] == "p95");
  BOOST_TEST(bad.front()["threshold"] == "< 10ns");
}

BOOST_AUTO_TEST_CASE(an_errored_benchmark_is_failed_and_exit_1) {
  auto base = data("basic_baseline.json").string();
  auto r = run_gate({"compare", base, base, "--format", "json"});
  BOOST_TEST(r.exit_code == 1, r.err);
  auto bad = gate::test::failing_verdicts(gate::test::json_report(r));
  BOOST_REQUIRE(bad.size() == 1u);
  BOOST_TEST(bad.front()["status"] == "failed");
  BOOST_TEST(bad.front()["benchmark"].get<std::string>().rfind("BM_Fails", 0) == 0);
}

BOOST_AUTO_TEST_CASE(every_broken_file_is_one_error_line_and_exit_2) {
  std::size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(data("broken"))) {
    auto broken = entry.path().string();
    for (auto args : {std::vector<std::string>{"compare", broken, clean()},
                      std::vector<std::string>{"compare", clean(), broken}}) {
      auto r = run_gate(args);
      BOOST_TEST(r.exit_code == 2, broken << " gave exit " << r.exit_code << "\n" << r.out);
      BOOST_TEST(r.first_err_line().rfind("gate: error: ", 0) == 0, broken << ": " << r.err);
      BOOST_TEST(r.first_err_line().find(entry.path().filename().string()) != std::string::npos,
                 broken << ": " << r.err);
      BOOST_TEST(r.err.size() < 600u, "the error is one short line: " << r.err);
      BOOST_TEST(r.out.find("PASSED") == std::string::npos);
    }
    ++checked;
  }
  BOOST_TEST(checked >= 10u);
}

BOOST_AUTO_TEST_CASE(a_missing_file_and_bad_usage_are_exit_2) {
  auto r = run_gate({"compare", clean(), "/nonexistent/contender.json"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.first_err_line().find("/nonexistent/contender.json") != std::string::npos, r.err);
  BOOST_TEST(run_gate({"compare", clean()}).exit_code == 2);
  BOOST_TEST(run_gate({"compare", clean(), clean(), "--format", "yaml"}).exit_code == 2);
  BOOST_TEST(run_gate({"compare", clean(), clean(), "--filter", "BM_("}).exit_code == 2);
  auto bad_policy = run_gate({"compare", clean(), clean(), "--policy", data("policy/bad_limit_unit.json").string()});
  BOOST_TEST(bad_policy.exit_code == 2);
  BOOST_TEST(bad_policy.first_err_line().find("bad_limit_unit.json:") != std::string::npos, bad_policy.err);
}

BOOST_AUTO_TEST_CASE(different_time_units_are_converted_not_refused) {
  // The same results written in milliseconds instead of nanoseconds.
  gate::test::TempDir dir;
  auto doc = json::parse(gate::test::read_file(clean()));
  for (auto& row : doc["benchmarks"]) {
    if (!row.contains("real_time")) continue;  // BigO and RMS rows carry coefficients
    if (row["time_unit"] != "ns") continue;     // BM_Millis reports in ms already
    // A cv row is a ratio: Google Benchmark writes it with the same time_unit
    // but does not scale it.
    if (row.value("aggregate_unit", "time") != "percentage") {
      row["real_time"] = row["real_time"].get<double>() / 1e6;
      row["cpu_time"] = row["cpu_time"].get<double>() / 1e6;
    }
    row["time_unit"] = "ms";
  }
  gate::test::write_file(dir / "ms.json", doc.dump(1));
  auto r = run_gate({"compare", clean(), (dir / "ms.json").string(), "--format", "json"});
  BOOST_TEST(r.exit_code == 0, r.err);
  const auto r_report = gate::test::json_report(r);  // outlives the loop
  for (const auto& v : r_report["verdicts"]) BOOST_TEST(v["status"] == "unchanged", v["benchmark"]);
}

BOOST_AUTO_TEST_CASE(markdown_escapes_untrusted_names) {
  gate::test::TempDir dir;
  auto doc = json::parse(gate::test::read_file(clean()));
  for (auto& row : doc["benchmarks"]) {
    if (row["run_name"] == "BM_Loop") {
      row["name"] = "BM_<script>alert(1)</script>|@team";
      row["run_name"] = "BM_<script>alert(1)</script>|@team";
    }
  }
  gate::test::write_file(dir / "evil.json", doc.dump(1));
  auto evil = (dir / "evil.json").string();
  auto r = run_gate({"compare", evil, evil, "--format", "markdown", "--all"});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out.find("<script>") == std::string::npos);
  BOOST_TEST(r.out.find("&lt;script&gt;") != std::string::npos);
  BOOST_TEST(r.out.find("@team") == std::string::npos);
  BOOST_TEST(r.out.find("@\u200bteam") != std::string::npos);  // a zero-width space breaks the mention
  BOOST_TEST(r.out.find("\\|") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(colour_only_when_asked_for_by_a_terminal) {
  auto slower = data("derived/sort64_slower.json").string();
  auto r = run_gate({"compare", clean(), slower});
  BOOST_TEST(r.out.find("\x1b[") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(merged_shards_compare_as_one_run) {
  gate::test::TempDir dir;
  auto doc = json::parse(gate::test::read_file(clean()));
  doc["context"]["executable"] = "./bench_other";
  gate::test::write_file(dir / "other.json", doc.dump(1));
  auto other = (dir / "other.json").string();
  auto slower = data("derived/sort64_slower.json").string();
  auto base = run_gate({"merge", "--out", (dir / "base.json").string(), clean(), other});
  BOOST_TEST(base.exit_code == 0, base.err);
  auto cont = run_gate({"merge", "--out", (dir / "cont.json").string(), slower, other});
  BOOST_TEST(cont.exit_code == 0, cont.err);
  auto r = run_gate({"compare", (dir / "base.json").string(), (dir / "cont.json").string(), "--format", "json"});
  BOOST_TEST(r.exit_code == 1, r.err);
  auto bad = gate::test::failing_verdicts(gate::test::json_report(r));
  BOOST_REQUIRE(bad.size() == 1u);
  BOOST_TEST(bad.front()["suite"] == "fixture_bench");
  BOOST_TEST(bad.front()["benchmark"] == "BM_Sort/64");
  // The same suite from two files is refused, naming both.
  auto twice = run_gate({"merge", "--out", (dir / "x.json").string(), clean(), slower});
  BOOST_TEST(twice.exit_code == 2);
  BOOST_TEST(twice.first_err_line().find("sort64_slower.json") != std::string::npos, twice.err);
  BOOST_TEST(twice.first_err_line().find("clean_baseline.json") != std::string::npos, twice.err);
  BOOST_TEST(!std::filesystem::exists(dir / "x.json"));
}

BOOST_AUTO_TEST_CASE(five_thousand_benchmarks_of_pure_noise_pass) {
  // Both files draw every benchmark's ten repetitions from the same
  // distribution (coefficient of variation 5-15%): about 5% of the raw
  // p-values fall below 0.05, and the false discovery rate control must keep
  // every one of them from failing the gate.
  const char* gen = std::getenv("GATE_GEN_PAIR");
  BOOST_REQUIRE_MESSAGE(gen != nullptr && *gen != '\0', "GATE_GEN_PAIR is not set: build with the benchsuite");
  gate::test::TempDir dir;
  auto base = (dir / "base.json").string();
  auto cont = (dir / "cont.json").string();
  auto g = gate::test::run({gen, base, cont, "--benchmarks", "5000", "--repetitions", "10", "--seed", "11"});
  BOOST_REQUIRE_MESSAGE(g.exit_code == 0, g.err);
  auto r = run_gate({"compare", base, cont, "--format", "json"});
  BOOST_TEST(r.exit_code == 0, r.err);
  auto j = gate::test::json_report(r);
  BOOST_TEST(j["counts"]["regressed"] == 0);
  BOOST_TEST(j["counts"]["unchanged"].get<int>() + j["counts"]["noisy"].get<int>() >= 5000);
  std::size_t beyond = 0;
  for (const auto& v : j["verdicts"]) {
    if (v["change"].is_number() && std::abs(v["change"].get<double>()) > 0.10) ++beyond;
  }
  // The noise is real: hundreds of medians moved beyond the +10% limit, and
  // a gate that judged medians alone would have failed.
  BOOST_TEST(beyond > 100u, beyond);
}

BOOST_AUTO_TEST_SUITE_END()
