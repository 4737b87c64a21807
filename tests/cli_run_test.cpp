// tests/cli_run_test.cpp — `gate run` then `gate compare`, end to end on real
// Google Benchmark binaries: what a pull request's check does.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "test_programs.hpp"
#include "test_support.hpp"

using gate::test::run_gate;
using gate::test::TempDir;
using gate::test::write_file;
using nlohmann::json;

namespace {

// Runs the suite "prog" from `binary` into `out`, nine repetitions.
void run_suite(const TempDir& dir, const std::string& binary, const std::string& out) {
  std::string policy = (dir / (out + ".gate.json")).string();
  write_file(policy, json{{"suites", json::array({json{{"name", "prog"}, {"binary", binary}}})}}.dump());
  auto r = run_gate({"run", "--policy", policy, "--out", (dir / out).string(), "--repetitions", "9"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_run)

BOOST_AUTO_TEST_CASE(a_binary_padded_by_6_mb_fails_the_size_budget_naming_binary_section_and_growth) {
  TempDir dir;
  run_suite(dir, gate::test::programs::good_bench, "base.json");
  run_suite(dir, gate::test::programs::good_bench_padded, "padded.json");
  // The guides' budget: growth of more than 10% or 5 MB fails (the default).
  auto r = run_gate({"compare", (dir / "base.json").string(), (dir / "padded.json").string(), "--format", "json"});
  BOOST_TEST(r.exit_code == 1, r.err);
  auto j = json::parse(r.out);
  std::vector<json> exceeded;
  for (const auto& v : j["verdicts"]) {
    if (v["status"] == "budget exceeded") exceeded.push_back(v);
  }
  BOOST_REQUIRE(exceeded.size() == 1u);
  const auto& v = exceeded.front();
  BOOST_TEST(v["metric"] == "size");
  BOOST_TEST(v["suite"] == "prog");
  // Named by its policy name, never by a path of the machine that built it.
  BOOST_TEST(v["scope"] == "binary");
  BOOST_TEST(v["benchmark"] == "prog");
  BOOST_TEST(v["threshold"] == "+10% or +5MB");
  double growth = v["contender"].get<double>() - v["baseline"].get<double>();
  BOOST_TEST(growth > 6.0e6);
  BOOST_TEST(growth < 6.4e6);
  BOOST_TEST(v["note"].get<std::string>().find(".data +6.29 MB") != std::string::npos, v["note"]);

  // The same binary against itself is within budget.
  run_suite(dir, gate::test::programs::good_bench, "again.json");
  auto same = run_gate({"compare", (dir / "base.json").string(), (dir / "again.json").string(), "--format", "json"});
  BOOST_TEST(json::parse(same.out)["counts"]["budget exceeded"] == 0, same.out);
}

BOOST_AUTO_TEST_CASE(an_absolute_size_maximum_fails_on_its_own) {
  TempDir dir;
  run_suite(dir, gate::test::programs::good_bench_padded, "padded.json");
  write_file(dir / "gate.json", R"({"size": {"prog": {"max": "5MB"}}})");
  auto r = run_gate({"compare", (dir / "padded.json").string(), (dir / "padded.json").string(), "--policy",
                     (dir / "gate.json").string(), "--format", "json"});
  BOOST_TEST(r.exit_code == 1, r.err);
  auto j = json::parse(r.out);
  BOOST_TEST(j["verdicts"][0]["status"] == "budget exceeded");
  BOOST_TEST(j["verdicts"][0]["threshold"] == "< 5MB");
}

// A product binary the policy names is measured beside the suites and judged
// by the size budgets like a suite's binary.
BOOST_AUTO_TEST_CASE(a_product_binary_is_measured_and_its_growth_fails_the_size_budget) {
  TempDir dir;
  auto run_with_product = [&](const std::string& product, const std::string& out) {
    std::string policy = (dir / (out + ".gate.json")).string();
    write_file(policy, json{{"suites", json::array({json{{"name", "prog"}, {"binary", gate::test::programs::good_bench}}})},
                            {"binaries", json::array({json{{"name", "tool"}, {"binary", product}}})}}
                           .dump());
    return run_gate({"run", "--policy", policy, "--out", (dir / out).string(), "--repetitions", "9"});
  };
  auto base = run_with_product(gate::test::programs::small, "base.json");
  BOOST_REQUIRE_MESSAGE(base.exit_code == 0, base.err);
  BOOST_TEST(base.err.find("1 suite and 1 product binary measured") != std::string::npos, base.err);
  auto bundle = json::parse(gate::test::read_file(dir / "base.json"));
  BOOST_REQUIRE(bundle["suites"].size() == 2u);
  BOOST_TEST(bundle["suites"][1]["name"] == "tool");
  BOOST_TEST(bundle["suites"][1]["product"] == true);
  BOOST_TEST(bundle["suites"][1]["benchmarks"].empty());
  BOOST_TEST(bundle["suites"][1]["binary"]["file_size"].get<double>() > 0);

  auto padded = run_with_product(gate::test::programs::padded, "padded.json");
  BOOST_REQUIRE_MESSAGE(padded.exit_code == 0, padded.err);
  auto r = run_gate({"compare", (dir / "base.json").string(), (dir / "padded.json").string(), "--format", "json"});
  BOOST_TEST(r.exit_code == 1, r.err);
  const json report = json::parse(r.out);
  std::vector<json> exceeded;
  for (const auto& v : report["verdicts"]) {
    if (v["status"] == "budget exceeded") exceeded.push_back(v);
  }
  BOOST_REQUIRE_MESSAGE(exceeded.size() == 1u, r.out);
  BOOST_TEST(exceeded[0]["suite"] == "tool");
  BOOST_TEST(exceeded[0]["scope"] == "binary");
  BOOST_TEST(exceeded[0]["benchmark"] == "tool");
  BOOST_TEST(exceeded[0]["note"].get<std::string>().find(".data +6.29 MB") != std::string::npos, exceeded[0]["note"]);

  // Missing: exit 2, the suite's results kept.
  auto missing = run_with_product((dir / "no-such-tool").string(), "missing.json");
  BOOST_TEST(missing.exit_code == 2, missing.err);
  BOOST_TEST(missing.err.find("product binary '" + (dir / "no-such-tool").string() + "' not found") != std::string::npos,
             missing.err);
  auto kept = json::parse(gate::test::read_file(dir / "missing.json"));
  BOOST_TEST(!kept["suites"][0]["benchmarks"].empty());
  BOOST_TEST(kept["suites"][1].contains("failure"));
}

BOOST_AUTO_TEST_SUITE_END()
