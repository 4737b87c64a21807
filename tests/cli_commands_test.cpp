// tests/cli_commands_test.cpp — the policy's "commands", end to end: `gate run`
// times a real program and records its runs as a suite of benchmarks, `gate
// compare` fails a command whose exit status changed and a start-up target
// it misses, a status that changes within one run fails the run, and a bad
// entry is one located error.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_programs.hpp"
#include "test_support.hpp"

using gate::test::read_file;
using gate::test::run_gate;
using gate::test::TempDir;
using gate::test::write_file;
using nlohmann::json;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// A policy with one command "subject" running the test program with `args`.
std::string policy_with(const TempDir& dir, const std::string& file, const std::vector<std::string>& args,
                        json extra = json::object(), json rules = json::array()) {
  json run = json::array({gate::test::programs::command_subject});
  for (const auto& a : args) run.push_back(a);
  json command = {{"name", "subject"}, {"run", run}, {"runs", 3}, {"warmup", 1}};
  command.update(extra);
  const auto path = dir / file;
  write_file(path, json{{"commands", json::array({command})}, {"rules", rules}}.dump(2));
  return path.string();
}

const json& suite_named(const json& bundle, const std::string& name) {
  for (const auto& s : bundle.at("suites")) {
    if (s.at("name") == name) return s;
  }
  throw std::runtime_error("no suite " + name);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_commands)

BOOST_AUTO_TEST_CASE(a_commands_runs_land_in_the_bundle_as_a_suite_with_cold_and_warm_samples) {
  TempDir dir;
  const auto policy = policy_with(dir, "gate.json", {"--expect-stdin", "list files", "--sleep-ms", "20"},
                                  {{"stdin", "list files"}});
  auto r = run_gate({"run", "--policy", policy, "--out", (dir / "run.json").string()});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  const json bundle = json::parse(read_file(dir / "run.json"));
  const json& s = suite_named(bundle, "subject");
  BOOST_TEST(s.at("command").at("exit_code") == 0);
  BOOST_TEST(s.at("command").at("argv").size() == 5u);
  BOOST_TEST(!s.contains("failure"));
  BOOST_TEST_REQUIRE(s.at("benchmarks").size() == 2u);
  BOOST_TEST(s.at("benchmarks")[0].at("name") == "subject/cold");
  BOOST_TEST(s.at("benchmarks")[1].at("name") == "subject/warm");
  for (const auto& b : s.at("benchmarks")) {
    const auto& m = b.at("metrics");
    BOOST_TEST(b.at("repetitions") == 3);
    for (const char* metric : {"real_time", "cpu_time", "peak_rss"}) {
      BOOST_TEST_REQUIRE(m.contains(metric), metric);
      BOOST_TEST(m.at(metric).at("samples").size() == 3u, metric);
    }
    // It sleeps 20 ms: wall time is at least that, and that much more than
    // its CPU time. No absolute bound on CPU time: under the asan preset it
    // measured 20–22 ms (the child of a sanitized gate has a large address
    // space to give up at exec).
    const auto walls = m.at("real_time").at("samples").get<std::vector<double>>();
    const auto cpus = m.at("cpu_time").at("samples").get<std::vector<double>>();
    BOOST_TEST_REQUIRE(walls.size() == cpus.size());
    for (std::size_t i = 0; i < walls.size(); ++i) {
      BOOST_TEST(walls[i] >= 20e6);
      BOOST_TEST(cpus[i] + 15e6 < walls[i], cpus[i] << " ns of CPU in " << walls[i] << " ns");
    }
    for (double rss : m.at("peak_rss").at("samples")) BOOST_TEST(rss > 100e3);
  }
}

BOOST_AUTO_TEST_CASE(a_command_whose_exit_status_changes_fails_the_comparison) {
  TempDir dir;
  auto base = run_gate({"run", "--policy", policy_with(dir, "base.json", {"--exit", "0"}), "--out",
                        (dir / "base-run.json").string()});
  BOOST_TEST_REQUIRE(base.exit_code == 0, base.err);
  // A consistent status is measured, not a failed run: the comparison judges it.
  auto head = run_gate({"run", "--policy", policy_with(dir, "head.json", {"--exit", "3"}), "--out",
                        (dir / "head-run.json").string()});
  BOOST_TEST_REQUIRE(head.exit_code == 0, head.err);
  BOOST_TEST(json::parse(read_file(dir / "head-run.json"))["suites"][0]["command"]["exit_code"] == 3);

  auto r = run_gate({"compare", (dir / "base-run.json").string(), (dir / "head-run.json").string(), "--policy",
                     (dir / "head.json").string()});
  BOOST_TEST(r.exit_code == 1, r.out << r.err);
  BOOST_TEST(contains(r.out, "exit_code"), r.out);
  BOOST_TEST(contains(r.out, "exit status changed: 0 in the baseline, 3 in the contender"), r.out);

  // Unchanged, it passes.
  auto same = run_gate({"compare", (dir / "base-run.json").string(), (dir / "base-run.json").string(), "--policy",
                        (dir / "base.json").string()});
  BOOST_TEST(same.exit_code == 0, same.out << same.err);

  // A contender whose command suite lost its exit status cannot be judged.
  json stripped = json::parse(read_file(dir / "head-run.json"));
  stripped["suites"][0].erase("command");
  write_file(dir / "stripped.json", stripped.dump());
  auto unknown = run_gate({"compare", (dir / "base-run.json").string(), (dir / "stripped.json").string(), "--policy",
                           (dir / "head.json").string()});
  BOOST_TEST(unknown.exit_code == 2, unknown.out << unknown.err);
  BOOST_TEST(contains(unknown.out, "has no exit status in the contender"), unknown.out);
}

BOOST_AUTO_TEST_CASE(a_status_other_than_expect_exit_fails_the_comparison) {
  TempDir dir;
  const auto policy = policy_with(dir, "gate.json", {"--exit", "3"}, {{"expect_exit", 0}});
  auto run = run_gate({"run", "--policy", policy, "--out", (dir / "run.json").string()});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  BOOST_TEST(contains(run.err, "exited with status 3, but the policy expects 0"), run.err);
  auto r = run_gate({"compare", (dir / "run.json").string(), (dir / "run.json").string(), "--policy", policy});
  BOOST_TEST(r.exit_code == 1, r.out << r.err);
  BOOST_TEST(contains(r.out, "the policy expects 0 (expect_exit)"), r.out);
}

BOOST_AUTO_TEST_CASE(a_status_that_changes_within_one_run_fails_the_run) {
  TempDir dir;
  // Runs 1 to 4 exit 0 (round 1; round 2's cold run), the fifth (round 2's warm-up) exits 4.
  const auto policy =
      policy_with(dir, "gate.json", {"--counter", (dir / "count").string(), "--fail-after", "4"});
  auto r = run_gate({"run", "--policy", policy, "--out", (dir / "run.json").string()});
  BOOST_TEST(r.exit_code == 2, r.err);
  BOOST_TEST(contains(r.err, "round 2 of 3, run 2 of 3: exited with status 4, but its first run exited with 0"),
             r.err);
  const json s = json::parse(read_file(dir / "run.json"))["suites"][0];
  BOOST_TEST(contains(s.at("failure").get<std::string>(), "command_subject: run 5 fails"));
  // What was measured before is kept: two cold runs, one warm run.
  BOOST_TEST(s.at("benchmarks")[0].at("repetitions") == 2);
  BOOST_TEST(s.at("benchmarks")[1].at("repetitions") == 1);
}

BOOST_AUTO_TEST_CASE(a_bad_commands_entry_is_one_located_error) {
  TempDir dir;
  const auto policy = dir / "gate.json";
  write_file(policy, "{\n  \"commands\": [\n    {\"name\": \"subject\", \"run\": [\"x\"], \"runs\": 0}\n  ]\n}\n");
  auto r = run_gate({"run", "--policy", policy.string(), "--out", (dir / "run.json").string()});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.first_err_line() ==
             "gate: error: " + policy.string() + ":3:47: commands[0].\"runs\": 0 is too small — at least 1");
  BOOST_TEST(r.err == r.first_err_line() + "\n");

  // Its name shares the suites' namespace: each names a baseline file.
  write_file(policy, "{\"suites\": [{\"name\": \"a\", \"binary\": \"b\"}],\n"
                     " \"commands\": [{\"name\": \"a\", \"run\": [\"x\"]}]}\n");
  r = run_gate({"run", "--policy", policy.string()});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.first_err_line() ==
             "gate: error: " + policy.string() + ":2:24: commands[0].\"name\": duplicate name 'a': a suite has it");

  write_file(policy, "{\"commands\": [{\"name\": \"a\", \"run\": [\"x\"], \"stdn\": \"q\"}]}\n");
  r = run_gate({"run", "--policy", policy.string()});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.first_err_line(), ":1:43: commands[0].\"stdn\": unknown key — did you mean 'stdin'?"),
             r.err);
}

BOOST_AUTO_TEST_CASE(a_start_up_target_below_the_measured_time_fails) {
  TempDir dir;
  const json rules = json::array({json{{"match", "subject/*"}, {"real_time.p95", "< 5ms"}}});
  const auto policy = policy_with(dir, "gate.json", {"--sleep-ms", "30"}, json::object(), rules);
  auto run = run_gate({"run", "--policy", policy, "--out", (dir / "run.json").string()});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  auto r = run_gate({"compare", (dir / "run.json").string(), (dir / "run.json").string(), "--policy", policy});
  BOOST_TEST(r.exit_code == 1, r.out << r.err);
  BOOST_TEST(contains(r.out, "subject/cold"), r.out);
  BOOST_TEST(contains(r.out, "target missed"), r.out);

  // The same command under a target it meets passes.
  const json loose = json::array({json{{"match", "subject/*"}, {"real_time.p95", "< 5s"}}});
  const auto ok = policy_with(dir, "ok.json", {"--sleep-ms", "30"}, json::object(), loose);
  r = run_gate({"compare", (dir / "run.json").string(), (dir / "run.json").string(), "--policy", ok});
  BOOST_TEST(r.exit_code == 0, r.out << r.err);
}

BOOST_AUTO_TEST_CASE(suite_selects_a_command_and_a_missing_program_fails_its_suite) {
  TempDir dir;
  const auto policy = dir / "gate.json";
  write_file(policy, json{{"commands", json::array({json{{"name", "gone"}, {"run", {"no/such/program"}}, {"runs", 2}},
                                                    json{{"name", "subject"},
                                                         {"run", {gate::test::programs::command_subject}},
                                                         {"runs", 2}}})}}
                         .dump());
  auto r = run_gate({"run", "--policy", policy.string(), "--suite", "subject", "--out", (dir / "run.json").string()});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(json::parse(read_file(dir / "run.json"))["suites"].size() == 1u);
  r = run_gate({"run", "--policy", policy.string(), "--suite", "gone", "--out", (dir / "run.json").string()});
  BOOST_TEST(r.exit_code == 2, r.err);
  BOOST_TEST(contains(r.err, "program 'no/such/program' not found"), r.err);
}

BOOST_AUTO_TEST_CASE(an_ab_run_pairs_a_command_round_by_round_and_fails_a_changed_status) {
  TempDir dir;
  // Two "builds" of one command: the head's exits 3.
  for (const auto& [build, extra] : {std::pair{"base", ""}, std::pair{"head", " --exit 3"}}) {
    const auto script = dir / (std::string(build) + "/bin/subject");
    std::filesystem::create_directories(script.parent_path());
    write_file(script, "#!/bin/sh\nexec '" + std::string(gate::test::programs::command_subject) + "'" + extra +
                           " \"$@\"\n");
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  }
  const auto policy = dir / "gate.json";
  write_file(policy, json{{"commands", json::array({json{{"name", "subject"}, {"run", {"bin/subject"}}, {"warmup", 0}}})}}
                         .dump());
  auto r = run_gate({"run", "--policy", policy.string(), "--ab", (dir / "base").string(), (dir / "head").string(),
                     "--repetitions", "4", "--out", (dir / "ab.json").string()});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  const json bundle = json::parse(read_file(dir / "ab.json"));
  const json& head = suite_named(bundle, "subject");
  BOOST_TEST(head.at("command").at("exit_code") == 3);
  BOOST_TEST(bundle.at("ab").at("base_suites")[0].at("command").at("exit_code") == 0);
  BOOST_TEST(bundle.at("ab").at("first").at("subject").get<std::string>().size() == 4u);
  const json& cold = head.at("benchmarks")[0].at("metrics").at("real_time");
  BOOST_TEST(cold.at("rounds") == json::array({1, 2, 3, 4}));

  auto c = run_gate({"compare", (dir / "ab.json").string(), "--policy", policy.string()});
  BOOST_TEST(c.exit_code == 1, c.out << c.err);
  BOOST_TEST(contains(c.out, "exit status changed: 0 in the base build, 3 in the head build"), c.out);
}

BOOST_AUTO_TEST_CASE(a_command_slower_than_its_stored_baseline_is_confirmed_by_an_ab_rerun) {
  TempDir dir;
  // Two builds of one command: the head's sleeps 40 ms more.
  for (const auto& [build, sleep] : {std::pair{"base", "5"}, std::pair{"head", "45"}}) {
    const auto script = dir / (std::string(build) + "/bin/subject");
    std::filesystem::create_directories(script.parent_path());
    write_file(script, "#!/bin/sh\nexec '" + std::string(gate::test::programs::command_subject) + "' --sleep-ms " +
                           sleep + "\n");
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  }
  const auto policy = dir / "gate.json";
  write_file(policy, json{{"commands", json::array({json{{"name", "subject"}, {"run", {"bin/subject"}}, {"runs", 9},
                                                         {"warmup", 0}}})},
                          {"rules", json::array({json{{"match", "subject/*"}, {"primary_metric", "real_time"}}})}}
                         .dump());
  for (const char* build : {"base", "head"}) {
    auto r = run_gate({"run", "--policy", policy.string(), "--build-dir", (dir / build).string(), "--runner", "r1",
                       "--out", (dir / (std::string(build) + "-run.json")).string()});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  }
  // The base run as a stored baseline file: its timing is only suspect until confirmed.
  json bundle = json::parse(read_file(dir / "base-run.json"));
  json baseline = {{"schema", "perfgate-baseline"}, {"schema_version", 1}, {"runner", bundle["runner"]},
                   {"suite", bundle["suites"][0]}};
  write_file(dir / "subject.json", baseline.dump());

  auto suspect = run_gate({"compare", (dir / "subject.json").string(), (dir / "head-run.json").string(), "--policy",
                           policy.string()});
  BOOST_TEST(contains(suspect.out, "suspect"), suspect.out << suspect.err);
  auto confirmed = run_gate({"compare", (dir / "subject.json").string(), (dir / "head-run.json").string(), "--policy",
                             policy.string(), "--confirm-with", (dir / "base").string(), "--head-build",
                             (dir / "head").string(), "--confirm-rounds", "9"});
  BOOST_TEST(confirmed.exit_code == 1, confirmed.out << confirmed.err);
  BOOST_TEST(contains(confirmed.out, "confirmed: paired a/b change"), confirmed.out);
}

BOOST_AUTO_TEST_SUITE_END()
