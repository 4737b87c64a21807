// tests/cli_explain_test.cpp — `gate explain` as a user runs it: on real
// callgrind profiles of a program whose slower build does more work in one
// function, on profiles folders as `gate run --instrument` keeps them, and
// its one-line errors with exit code 2.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <string>

#include "gate/formats/callgrind_profile.hpp"
#include "test_programs.hpp"
#include "test_support.hpp"

using gate::test::run_gate;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

/// Profiles of the normal and the slower build, made once for all cases.
struct Profiles {
  gate::test::TempDir dir;
  std::filesystem::path base = dir / "base.out";
  std::filesystem::path head = dir / "head.out";
  Profiles() {
    for (const auto& [program, out] : {std::pair{gate::test::programs::profile_subject, base},
                                       std::pair{gate::test::programs::profile_subject_slower, head}}) {
      auto r = gate::test::run({"/usr/bin/env", "valgrind", "--tool=callgrind", "--callgrind-out-file=" + out.string(),
                                program});
      if (r.exit_code != 0) throw std::runtime_error("valgrind failed: " + r.err);
    }
  }
};

const Profiles& profiles() {
  static const Profiles p;
  return p;
}

/// The first function line of the section that starts with `heading`.
std::string first_row_after(const std::string& out, const std::string& heading) {
  auto at = out.find(heading);
  if (at == std::string::npos) return "";
  at = out.find('\n', at);          // the heading
  at = out.find('\n', at + 1);      // the column names
  auto end = out.find('\n', at + 1);
  return out.substr(at + 1, end - at - 1);
}

/// A profiles folder as `gate run --instrument` keeps it, holding `profile` for suite/benchmark.
std::filesystem::path kept(const gate::test::TempDir& dir, const std::string& run, const std::string& suite,
                           const std::string& benchmark, const std::filesystem::path& profile) {
  const auto folder = dir / (run + ".profiles");
  const auto path = gate::profile_path(folder, suite, benchmark);
  std::filesystem::create_directories(path.parent_path());
  gate::test::write_file(path, gate::gzip_compress(gate::test::read_file(profile)));
  gate::test::write_file(dir / (run + ".json"), "{}");
  return folder;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_explain)

BOOST_AUTO_TEST_CASE(the_function_made_slower_is_named_first) {
  auto r = run_gate({"explain", profiles().base.string(), profiles().head.string()});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "Ir per iteration: "), r.out);
  BOOST_TEST(contains(first_row_after(r.out, "self Ir"), "checksum"), r.out);
  BOOST_TEST(contains(r.out, "inclusive Ir"), r.out);
  // --top 1 keeps one row per section and says how many more changed.
  auto t = run_gate({"explain", profiles().base.string(), profiles().head.string(), "--top", "1"});
  BOOST_TEST(t.exit_code == 0);
  BOOST_TEST(contains(t.out, "more (without --top: all)"), t.out);
}

BOOST_AUTO_TEST_CASE(profiles_kept_beside_bundles_are_found_by_benchmark_name) {
  gate::test::TempDir dir;
  kept(dir, "base", "bench_subject", "BM_Check/8", profiles().base);
  kept(dir, "head", "bench_subject", "BM_Check/8", profiles().head);
  auto r = run_gate({"explain", (dir / "base.json").string(), (dir / "head.json").string(), "--benchmark",
                     "BM_Check/8"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "BM_Check%2F8.callgrind.gz"), r.out);
  BOOST_TEST(contains(first_row_after(r.out, "self Ir"), "checksum"), r.out);
  // The folders themselves, and a suite named.
  auto f = run_gate({"explain", (dir / "base.profiles").string(), (dir / "head.profiles").string(), "--benchmark",
                     "BM_Check/8", "--suite", "bench_subject"});
  BOOST_TEST(f.exit_code == 0, f.err);
}

BOOST_AUTO_TEST_CASE(what_cannot_be_explained_is_one_line_and_exit_2) {
  gate::test::TempDir dir;
  kept(dir, "base", "bench_subject", "BM_Check/8", profiles().base);
  kept(dir, "other", "bench_other", "BM_Check/8", profiles().base);
  gate::test::write_file(dir / "bare.json", "{}");
  const std::string base = profiles().base.string();

  auto missing = run_gate({"explain", (dir / "nope.out").string(), base});
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(missing.first_err_line() ==
             "gate: error: explaining '" + (dir / "nope.out").string() + "': no such file or folder");

  auto bare = run_gate({"explain", (dir / "bare.json").string(), base, "--benchmark", "BM_Check/8"});
  BOOST_TEST(bare.exit_code == 2);
  BOOST_TEST(contains(bare.first_err_line(), "no profiles beside it"), bare.err);

  auto unnamed = run_gate({"explain", (dir / "base.json").string(), base});
  BOOST_TEST(unnamed.exit_code == 2);
  BOOST_TEST(contains(unnamed.first_err_line(), "--benchmark NAME is needed"), unnamed.err);

  auto absent = run_gate({"explain", (dir / "base.json").string(), base, "--benchmark", "BM_Other"});
  BOOST_TEST(absent.exit_code == 2);
  BOOST_TEST(contains(absent.first_err_line(), "no profile of benchmark 'BM_Other'"), absent.err);

  // One name in two suites of one folder: the suite must be named.
  std::filesystem::copy(dir / "other.profiles" / "bench_other", dir / "base.profiles" / "bench_other",
                        std::filesystem::copy_options::recursive);
  auto twice = run_gate({"explain", (dir / "base.json").string(), base, "--benchmark", "BM_Check/8"});
  BOOST_TEST(twice.exit_code == 2);
  BOOST_TEST(contains(twice.first_err_line(), "name one with --suite"), twice.err);

  auto event = run_gate({"explain", base, base, "--event", "Bcm"});
  BOOST_TEST(event.exit_code == 2);
  BOOST_TEST(contains(event.first_err_line(), "has no event 'Bcm' (it has Ir)"), event.err);

  // A dump the harness labelled for another benchmark.
  gate::test::write_file(dir / "labelled.out",
                         "desc: Trigger: Client Request: BM_A iterations=4\nevents: Ir\nfn=f\n1 8\n");
  auto other = run_gate({"explain", (dir / "labelled.out").string(), (dir / "labelled.out").string(),
                         "--benchmark", "BM_B"});
  BOOST_TEST(other.exit_code == 2);
  BOOST_TEST(contains(other.first_err_line(), "the profile is of benchmark 'BM_A', not 'BM_B'"), other.err);

  gate::test::write_file(dir / "broken.out", "events: Ir\nfn=f\n1 x\n");
  auto broken = run_gate({"explain", (dir / "broken.out").string(), base});
  BOOST_TEST(broken.exit_code == 2);
  BOOST_TEST(broken.first_err_line() == "gate: error: " + (dir / "broken.out").string() +
                                            ":3:3: count 'x' of event 'Ir' is not a non-negative integer");
}

BOOST_AUTO_TEST_CASE(gate_run_instrument_keeps_profiles_that_explain_a_slower_build) {
  gate::test::TempDir dir;
  for (const auto& [binary, out] : {std::pair{gate::test::programs::good_bench, "base"},
                                    std::pair{gate::test::programs::good_bench_slower, "head"}}) {
    const auto policy = dir / (std::string(out) + ".gate.json");
    gate::test::write_file(policy, std::string(R"({"suites": [{"name": "prog", "binary": ")") + binary + "\"}]}");
    auto r = run_gate({"run", "--policy", policy.string(), "--out", (dir / (std::string(out) + ".json")).string(),
                       "--instrument-only"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  }
  // One gzip profile per benchmark, beside the bundle.
  BOOST_TEST(std::filesystem::is_regular_file(dir / "base.profiles/prog/BM_Sum%2F64.callgrind.gz"));
  BOOST_TEST(std::filesystem::is_regular_file(dir / "head.profiles/prog/BM_Sum%2F512.callgrind.gz"));

  auto r = run_gate({"explain", (dir / "base.json").string(), (dir / "head.json").string(), "--benchmark",
                     "BM_Sum/512"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  // The slower build's extra passes over the values are inlined into BM_Sum:
  // it leads both sections (inclusive: before the callers that only pass its growth on).
  BOOST_TEST(contains(first_row_after(r.out, "self Ir"), "BM_Sum(benchmark::State&)"), r.out);
  BOOST_TEST(contains(first_row_after(r.out, "inclusive Ir"), "BM_Sum(benchmark::State&)"), r.out);
  // About 2.2 times the instructions in a release build (the sanitizer
  // presets build the test programs at -O2: about 2.8 times).
  const auto at = r.out.find("Ir per iteration: ");
  BOOST_TEST_REQUIRE(at != std::string::npos, r.out);
  const auto open = r.out.find("(+", at);
  BOOST_TEST_REQUIRE(open != std::string::npos, r.out);
  const double growth = std::stod(r.out.substr(open + 2));
  BOOST_TEST(growth > 80.0, r.out);
  BOOST_TEST(growth < 250.0, r.out);
  // BM_Sum/64 runs the same loop in both builds: less than 1% moved.
  auto same = run_gate({"explain", (dir / "base.json").string(), (dir / "head.json").string(), "--benchmark",
                        "BM_Sum/64", "--top", "1"});
  BOOST_TEST_REQUIRE(same.exit_code == 0, same.err);
  BOOST_TEST(contains(same.out, "(+0."), same.out);

  // gate compare of the two runs: the regressed instruction count carries
  // the functions it grew in — named first in its note, in full in the JSON,
  // collapsed in the Markdown.
  auto c = run_gate({"compare", (dir / "base.json").string(), (dir / "head.json").string(), "--format", "json", "--deterministic-only"},
                    dir.path());
  BOOST_TEST(c.exit_code == 1, c.err);
  const auto report = nlohmann::json::parse(c.out);
  bool found = false;
  for (const auto& v : report["verdicts"]) {
    if (v["benchmark"] != "BM_Sum/512" || v["metric"] != "instructions") continue;
    found = true;
    BOOST_TEST(v["status"] == "regressed");
    BOOST_TEST(contains(v["note"].get<std::string>(), "grew most in (anonymous namespace)::BM_Sum("), v["note"]);
    BOOST_TEST_REQUIRE(!v["functions"].empty());
    const auto& top = v["functions"][0];
    BOOST_TEST(contains(top["function"].get<std::string>(), "BM_Sum("));
    BOOST_TEST(top["event"] == "Ir");
    BOOST_TEST(top["contender_self"].get<double>() > top["baseline_self"].get<double>());
  }
  BOOST_TEST(found, c.out);
  auto md = run_gate({"compare", (dir / "base.json").string(), (dir / "head.json").string(), "--format", "markdown", "--deterministic-only"},
                     dir.path());
  BOOST_TEST(contains(md.out, "<details><summary>where the Ir grew</summary><br>`+"), md.out);
}

BOOST_AUTO_TEST_CASE(an_ab_run_keeps_both_builds_profiles_and_its_verdict_names_the_function) {
  gate::test::TempDir dir;
  std::filesystem::create_directories(dir / "b");
  std::filesystem::create_directories(dir / "h");
  std::filesystem::copy_file(gate::test::programs::good_bench, dir / "b" / "prog");
  std::filesystem::copy_file(gate::test::programs::good_bench_slower, dir / "h" / "prog");
  gate::test::write_file(dir / "gate.json", R"({"suites": [{"name": "prog", "binary": "prog"}]})");
  auto r = run_gate({"run", "--ab", "b", "h", "--instrument", "--repetitions", "3", "--out", "ab.json"}, dir.path());
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(std::filesystem::is_regular_file(dir / "ab.profiles/base/prog/BM_Sum%2F512.callgrind.gz"));
  BOOST_TEST(std::filesystem::is_regular_file(dir / "ab.profiles/head/prog/BM_Sum%2F512.callgrind.gz"));
  auto c = run_gate({"compare", "ab.json", "--format", "json"}, dir.path());
  const auto report = nlohmann::json::parse(c.out);
  bool found = false;
  for (const auto& v : report["verdicts"]) {
    if (v["benchmark"] != "BM_Sum/512" || v["metric"] != "instructions") continue;
    found = true;
    BOOST_TEST(v["status"] == "regressed");
    BOOST_TEST(contains(v["note"].get<std::string>(), "grew most in (anonymous namespace)::BM_Sum("), v["note"]);
  }
  BOOST_TEST(found, c.out);
  auto e = run_gate({"explain", "ab.profiles/base", "ab.profiles/head", "--benchmark", "BM_Sum/512"}, dir.path());
  BOOST_TEST(e.exit_code == 0, e.err);
  BOOST_TEST(contains(first_row_after(e.out, "self Ir"), "BM_Sum(benchmark::State&)"), e.out);
}

BOOST_AUTO_TEST_SUITE_END()
