// tests/cli_shard_test.cpp — `gate run --shard i/n` and `gate merge` of the
// shards, end to end on a real Google Benchmark suite: the shards together
// are the unsharded run, and merge refuses missing, overlapping and
// mismatched shards with one line and exit code 2.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <set>
#include <string>

#include "gate/model/shard.hpp"
#include "test_programs.hpp"
#include "test_support.hpp"

using gate::test::run_gate;
using gate::test::TempDir;
using nlohmann::json;

namespace {

/// Runs suite "shards" from `binary` into dir/out, shard `shard` ("" for all), one repetition.
void run_shard(const TempDir& dir, const std::string& binary, const std::string& out, const std::string& shard) {
  const auto policy = dir / (out + ".gate.json");
  gate::test::write_file(policy, json{{"suites", json::array({json{{"name", "shards"}, {"binary", binary}}})}}.dump());
  std::vector<std::string> args{"run", "--policy", policy.string(), "--out", (dir / out).string(), "--repetitions",
                                "1"};
  if (!shard.empty()) {
    args.emplace_back("--shard");
    args.push_back(shard);
  }
  auto r = run_gate(args);
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

std::set<std::string> benchmarks_of(const std::filesystem::path& bundle) {
  std::set<std::string> names;
  const json parsed = json::parse(gate::test::read_file(bundle));
  for (const auto& s : parsed["suites"]) {
    for (const auto& b : s["benchmarks"]) names.insert(s["name"].get<std::string>() + ":" + b["name"].get<std::string>());
  }
  return names;
}

std::string path(const TempDir& dir, const std::string& name) { return (dir / name).string(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_shard)

BOOST_AUTO_TEST_CASE(the_split_is_by_name_and_every_name_is_in_one_shard) {
  BOOST_TEST(gate::to_string(gate::parse_shard("2/3")) == "2/3");
  BOOST_CHECK_THROW((void)gate::parse_shard("0/3"), std::exception);
  BOOST_CHECK_THROW((void)gate::parse_shard("4/3"), std::exception);
  BOOST_CHECK_THROW((void)gate::parse_shard("1-3"), std::exception);
  for (int i = 0; i < 200; ++i) {
    const std::string name = "BM_Name/" + std::to_string(i);
    int in = 0;
    for (int s = 1; s <= 3; ++s) in += gate::in_shard(name, {s, 3}) ? 1 : 0;
    BOOST_TEST(in == 1, name);
  }
  // Fixed by the hash's definition: these names fall where they fell on every machine.
  BOOST_TEST(gate::in_shard("BM_Shard/5/min_time:0.001", {1, 3}));
  BOOST_TEST(gate::in_shard("BM_Shard/2/min_time:0.001", {2, 3}));
  BOOST_TEST(gate::in_shard("BM_Shard/0/min_time:0.001", {3, 3}));
}

BOOST_AUTO_TEST_CASE(three_shards_merged_equal_the_unsharded_run) {
  TempDir dir;
  const std::string bench = gate::test::programs::shard_bench;
  run_shard(dir, bench, "all.json", "");
  std::set<std::string> seen;
  for (int i = 1; i <= 3; ++i) {
    run_shard(dir, bench, "s" + std::to_string(i) + ".json", std::to_string(i) + "/3");
    auto part = benchmarks_of(dir / ("s" + std::to_string(i) + ".json"));
    BOOST_TEST(!part.empty());
    BOOST_TEST(part.size() < 8u);
    auto j = json::parse(gate::test::read_file(dir / ("s" + std::to_string(i) + ".json")));
    BOOST_TEST(j["shard"]["index"] == i);
    BOOST_TEST(j["shard"]["count"] == 3);
    seen.insert(part.begin(), part.end());
  }
  // In any order of the files.
  auto r = run_gate({"merge", "--out", path(dir, "merged.json"), path(dir, "s3.json"), path(dir, "s1.json"),
                     path(dir, "s2.json")});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  auto all = benchmarks_of(dir / "all.json");
  // The whole run also records its process's peak memory; a shard runs part
  // of the suite, so its process's peak is not the suite's and none records it.
  BOOST_TEST(all.erase("shards:(process)") == 1u);
  for (const auto& name : seen) BOOST_TEST(name.find("(process)") == std::string::npos, name);
  BOOST_TEST(all.size() == 8u);
  BOOST_TEST((benchmarks_of(dir / "merged.json") == all));
  BOOST_TEST((seen == all));
  BOOST_TEST(!json::parse(gate::test::read_file(dir / "merged.json")).contains("shard"));
  // Judged against the whole run, the merged shards miss nothing: the
  // process memory they did not record is a notice, not a missing benchmark.
  auto judged = run_gate({"compare", path(dir, "all.json"), path(dir, "merged.json"), "--format", "json",
                          "--deterministic-only"});
  BOOST_TEST(judged.exit_code == 0, judged.out + judged.err);
  const json report = json::parse(judged.out);
  for (const auto& v : report["verdicts"]) BOOST_TEST(v["status"] != "missing", v.dump());
  BOOST_TEST(report["notices"].dump().find("its process memory was not measured") != std::string::npos,
             report["notices"]);
  // Profiles kept beside the shards end up beside the merged bundle.
  std::filesystem::create_directories(dir / "s2.profiles" / "shards");
  gate::test::write_file(dir / "s2.profiles" / "shards" / "p.callgrind.gz", "x");
  auto p = run_gate({"merge", "--out", path(dir, "merged.json"), path(dir, "s1.json"), path(dir, "s2.json"),
                     path(dir, "s3.json")});
  BOOST_TEST_REQUIRE(p.exit_code == 0, p.err);
  BOOST_TEST(std::filesystem::is_regular_file(dir / "merged.profiles" / "shards" / "p.callgrind.gz"));
  // Shards refused: one missing, one twice, one of another split, one of another binary.
  auto missing = run_gate({"merge", "--out", path(dir, "m.json"), path(dir, "s1.json"), path(dir, "s3.json")});
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(missing.first_err_line() ==
             "gate: error: merging shards: shard 2/3 missing (2 of 3 given) — merge all of them");
  auto twice = run_gate({"merge", "--out", path(dir, "m.json"), path(dir, "s1.json"), path(dir, "s2.json"),
                         path(dir, "s2.json"), path(dir, "s3.json")});
  BOOST_TEST(twice.exit_code == 2);
  BOOST_TEST(twice.first_err_line() == "gate: error: merging '" + path(dir, "s2.json") + "': shard 2/3 is also in '" +
                                           path(dir, "s2.json") + "' — overlapping shards");
  run_shard(dir, bench, "half.json", "1/2");
  auto split = run_gate({"merge", "--out", path(dir, "m.json"), path(dir, "s1.json"), path(dir, "half.json")});
  BOOST_TEST(split.exit_code == 2);
  BOOST_TEST(split.first_err_line().find("shards of different splits") != std::string::npos, split.err);
  run_shard(dir, gate::test::programs::shard_bench_other, "other2.json", "2/3");
  auto other = run_gate({"merge", "--out", path(dir, "m.json"), path(dir, "s1.json"), path(dir, "other2.json"),
                         path(dir, "s3.json")});
  BOOST_TEST(other.exit_code == 2);
  BOOST_TEST(other.first_err_line().find("suite 'shards' was measured from another binary than in") !=
                 std::string::npos,
             other.err);
  // A whole run and a shard of the same suite are not shards of one run.
  run_shard(dir, bench, "half2.json", "2/2");
  auto whole = run_gate({"merge", "--out", path(dir, "m.json"), path(dir, "half.json"), path(dir, "half2.json"),
                         path(dir, "all.json")});
  BOOST_TEST(whole.exit_code == 2);
  BOOST_TEST(whole.first_err_line().find("is also in") != std::string::npos, whole.err);
  BOOST_TEST(!std::filesystem::exists(dir / "m.json"));
}

BOOST_AUTO_TEST_CASE(a_b_shards_merged_hold_every_benchmark_of_both_builds) {
  TempDir dir;
  for (const char* side : {"b", "h"}) {
    std::filesystem::create_directories(dir / side);
    std::filesystem::copy_file(gate::test::programs::shard_bench, dir / side / "prog");
  }
  gate::test::write_file(dir / "gate.json", R"({"suites": [{"name": "shards", "binary": "prog"}]})");
  std::set<std::string> head;
  for (int i = 1; i <= 3; ++i) {
    const std::string out = "ab" + std::to_string(i) + ".json";
    auto r = run_gate({"run", "--ab", "b", "h", "--shard", std::to_string(i) + "/3", "--repetitions", "2", "--out", out},
                      dir.path());
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const json part = json::parse(gate::test::read_file(dir / out));
    BOOST_TEST(part["shard"]["index"] == i);
    // Both builds ran exactly the shard's benchmarks.
    std::set<std::string> h;
    std::set<std::string> b;
    for (const auto& x : part["suites"][0]["benchmarks"]) h.insert(x["name"].get<std::string>());
    for (const auto& x : part["ab"]["base_suites"][0]["benchmarks"]) b.insert(x["name"].get<std::string>());
    BOOST_TEST((h == b));
    for (const auto& name : h) BOOST_TEST(gate::in_shard(name, {i, 3}), name);
    head.insert(h.begin(), h.end());
    // Each shard is judged alone by its pairs.
    auto judged = run_gate({"compare", out}, dir.path());
    BOOST_TEST(judged.exit_code != 2, judged.out + judged.err);
  }
  BOOST_TEST(head.size() == 8u);
  auto merged = run_gate({"merge", "--out", "ab.json", "ab2.json", "ab3.json", "ab1.json"}, dir.path());
  BOOST_TEST_REQUIRE(merged.exit_code == 0, merged.err);
  const json m = json::parse(gate::test::read_file(dir / "ab.json"));
  BOOST_TEST(m["suites"][0]["benchmarks"].size() == 8u);
  BOOST_TEST(m["ab"]["base_suites"][0]["benchmarks"].size() == 8u);
  BOOST_TEST(m["ab"]["rounds"] == 2);
  BOOST_TEST(!m.contains("shard"));
  auto judged = run_gate({"compare", "ab.json", "--format", "json"}, dir.path());
  BOOST_TEST(judged.exit_code != 2, judged.out + judged.err);
  // An A/B shard does not merge with a plain run's, nor with one missing.
  run_shard(dir, gate::test::programs::shard_bench, "plain2.json", "2/3");
  auto mixed = run_gate({"merge", "--out", "m.json", "ab1.json", "plain2.json", "ab3.json"}, dir.path());
  BOOST_TEST(mixed.exit_code == 2);
  BOOST_TEST(mixed.first_err_line() == "gate: error: merging 'ab1.json': it is an a/b run of two builds, 'plain2.json' "
                                       "a run of one — merge the shards of one kind of run",
             mixed.err);
  // Nor shards measured another way: one pinned to a CPU among unpinned ones.
  auto pinned = run_gate({"run", "--ab", "b", "h", "--shard", "2/3", "--repetitions", "2", "--pin", "0", "--out",
                          "pinned2.json"},
                         dir.path());
  BOOST_TEST_REQUIRE(pinned.exit_code == 0, pinned.err);
  auto unlike = run_gate({"merge", "--out", "m.json", "ab1.json", "pinned2.json", "ab3.json"}, dir.path());
  BOOST_TEST(unlike.exit_code == 2);
  BOOST_TEST(unlike.first_err_line().find("on CPU 0") != std::string::npos, unlike.err);
  BOOST_TEST(unlike.first_err_line().find("shards must be measured the same way") != std::string::npos, unlike.err);
  BOOST_TEST(!std::filesystem::exists(dir / "m.json"));
  auto missing = run_gate({"merge", "--out", "m.json", "ab1.json", "ab3.json"}, dir.path());
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(missing.first_err_line() ==
             "gate: error: merging shards: shard 2/3 missing (2 of 3 given) — merge all of them");
}

BOOST_AUTO_TEST_CASE(a_bad_shard_is_refused_before_anything_runs) {
  TempDir dir;
  const auto policy = dir / "gate.json";
  gate::test::write_file(policy, json{{"suites", json::array({json{{"name", "shards"},
                                                                   {"binary", gate::test::programs::shard_bench}}})}}
                                     .dump());
  auto r = run_gate({"run", "--policy", policy.string(), "--out", path(dir, "x.json"), "--shard", "4/3"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.first_err_line() == "gate: error: --shard '4/3': i must be 1 to 3");
}

BOOST_AUTO_TEST_SUITE_END()
