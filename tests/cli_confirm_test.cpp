// tests/cli_confirm_test.cpp — `gate compare --baseline-ref --confirm-with`
// where the stored baseline cannot say everything: a contender that is one
// shard of a run (judged against that shard's part of the baseline, its
// suspects confirmed), and an instrumented contender whose regressed
// instruction count is explained from the base build's profiles, since a
// stored baseline keeps none. Real builds of a Google Benchmark suite whose
// slower build does more work in one function, in a throwaway repository.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "git_support.hpp"
#include "gate/model/shard.hpp"
#include "test_programs.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using gate::test::GitEnvironment;
using gate::test::read_file;
using gate::test::run_gate;
using gate::test::TempDir;
using gate::test::write_file;
using nlohmann::json;

BOOST_TEST_GLOBAL_FIXTURE(GitEnvironment);

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

const char* k_policy = R"({
  "suites": [{"name": "prog", "binary": "bench", "args": ["--benchmark_min_time=0.01"], "timeout": "120s"}]
})";

fs::path build(const TempDir& dir, const std::string& name, const char* program) {
  fs::path b = dir / name;
  fs::create_directories(b);
  fs::copy_file(program, b / "bench");
  return b;
}

const json* verdict(const json& report, const std::string& benchmark, const std::string& metric) {
  for (const auto& v : report["verdicts"]) {
    if (v["benchmark"] == benchmark && v["metric"] == metric) return &v;
  }
  return nullptr;
}

/// A repository whose main branch holds gate.json and runner r1's baseline
/// of suite prog, recorded from the base build with --instrument (counts,
/// no profiles: a stored baseline keeps none); the base and the slower
/// build beside it.
struct Stored {
  Stored() {
    gate::test::init_repo(repo);
    write_file(repo / "gate.json", k_policy);
    gate::test::commit_all(repo, "policy");
    auto run = run_gate({"run", "--policy", (repo / "gate.json").string(), "--build-dir", base.string(), "--out",
                         (dir / "base-run.json").string(), "--repetitions", "9", "--runner", "r1", "--instrument"});
    BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.err);
    auto update = run_gate({"baseline", "update", (dir / "base-run.json").string(), "--runner", "r1", "--commit",
                            "--repo", repo.string()});
    BOOST_REQUIRE_MESSAGE(update.exit_code == 0, update.err);
  }

  /// `gate run` of the slower build into dir/out with `extra` arguments.
  fs::path head_run(const std::string& out, std::vector<std::string> extra) const {
    std::vector<std::string> args{"run", "--policy", (repo / "gate.json").string(), "--build-dir", slower.string(),
                                  "--out", (dir / out).string(), "--repetitions", "9", "--runner", "r1"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = run_gate(args);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return dir / out;
  }

  gate::test::RunResult compare(const fs::path& run, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"compare", "--baseline-ref", "main", "--repo", repo.string(), run.string(),
                                  "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_gate(args, repo, {"GATE_RUNNER=r1"});
  }

  TempDir dir;
  fs::path repo = dir / "repo";
  fs::path base = build(dir, "base", gate::test::programs::good_bench);
  fs::path slower = build(dir, "slower", gate::test::programs::good_bench_slower);
};

json parse(const gate::test::RunResult& r) {
  try {
    return json::parse(r.out);
  } catch (const std::exception&) {
    BOOST_FAIL("not JSON: " + r.out + r.err);
  }
  return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_confirm)

BOOST_AUTO_TEST_CASE(one_shard_is_judged_and_confirmed_alone_and_its_instructions_explained_by_the_base_build) {
  Stored s;
  // The shard that holds the slower benchmark, run with --instrument: its
  // profiles are kept beside it, the baseline's side has none.
  const int index = gate::in_shard("BM_Sum/512", {1, 2}) ? 1 : 2;
  const std::string shard = std::to_string(index) + "/2";
  const fs::path run = s.head_run("shard.json", {"--shard", shard, "--instrument"});
  BOOST_TEST(fs::is_regular_file(s.dir / "shard.profiles/prog/BM_Sum%2F512.callgrind.gz"));

  // Against the stored baseline alone: the other shard's benchmarks are not
  // missing, the instruction count is regressed but unexplained (no base
  // profile), the time a suspect.
  auto first = s.compare(run);
  const json report = parse(first);
  BOOST_TEST(contains(report["notices"].dump(), "shard " + shard + ": judged against the baseline's benchmarks of "
                                                                   "this shard"),
             report["notices"]);
  for (const auto& v : report["verdicts"]) BOOST_TEST(v["status"] != "missing", v.dump());
  const json* ir = verdict(report, "BM_Sum/512", "instructions");
  BOOST_REQUIRE_MESSAGE(ir != nullptr, first.out);
  BOOST_TEST((*ir)["status"] == "regressed");
  BOOST_TEST(!ir->contains("functions"), ir->dump());
  const json* time = verdict(report, "BM_Sum/512", "cpu_time");
  BOOST_REQUIRE(time != nullptr);
  BOOST_TEST((*time)["status"] == "suspect", time->dump());

  // Confirmed with the base build: only this shard's suspect re-runs, and
  // the base build's profile of the regressed benchmark names the function.
  auto confirmed = s.compare(run, {"--confirm-with", s.base.string(), "--head-build", s.slower.string(),
                                   "--confirm-rounds", "12", "--confirm-out", (s.dir / "confirm.json").string()});
  BOOST_TEST(confirmed.exit_code == 1, confirmed.out + confirmed.err);
  const json after = parse(confirmed);
  // (BM_Sum/64 may be a suspect too, of noise, when it falls in the same shard.)
  BOOST_TEST(contains(after["notices"].dump(), " re-run from '" + s.base.string() + "'"), after["notices"]);
  const json* confirmed_time = verdict(after, "BM_Sum/512", "cpu_time");
  BOOST_REQUIRE(confirmed_time != nullptr);
  BOOST_TEST((*confirmed_time)["status"] == "regressed", confirmed_time->dump());
  // The re-run measured this shard's benchmarks only.
  const json rerun = json::parse(read_file(s.dir / "confirm.json"));
  for (const auto& b : rerun["suites"][0]["benchmarks"]) {
    BOOST_TEST(gate::in_shard(b["name"].get<std::string>(), {index, 2}), b["name"]);
  }
  const json* explained = verdict(after, "BM_Sum/512", "instructions");
  BOOST_REQUIRE(explained != nullptr);
  BOOST_TEST(contains((*explained)["note"].get<std::string>(), "grew most in (anonymous namespace)::BM_Sum("),
             (*explained)["note"]);
  BOOST_REQUIRE(explained->contains("functions"));
  const json& top = (*explained)["functions"][0];
  BOOST_TEST(contains(top["function"].get<std::string>(), "BM_Sum("));
  BOOST_TEST(top["contender_self"].get<double>() > top["baseline_self"].get<double>());
  BOOST_TEST(contains(after["notices"].dump(), "functions: 1 regressed callgrind metric explained from the base build"),
             after["notices"]);
  // The base side's profile is kept beside the confirmation's bundle, for a person.
  BOOST_TEST(fs::is_regular_file(s.dir / "confirm.profiles/base/prog/BM_Sum%2F512.callgrind.gz"));

  // The other shard holds no regression and judges none missing.
  const std::string other = std::to_string(3 - index) + "/2";
  const fs::path rest = s.head_run("rest.json", {"--shard", other});
  auto passed = s.compare(rest, {"--deterministic-only"});
  BOOST_TEST(passed.exit_code == 0, passed.out + passed.err);
}

BOOST_AUTO_TEST_SUITE_END()
