// tests/cli_baseline_test.cpp — baselines in git end to end: `gate baseline
// update` and `gate compare --baseline-ref` run as a user would, in
// throwaway repositories (also a shallow clone), with a pull request that
// edits its own baseline, bad runner ids, a corrupt baseline, an interrupted
// update and a repository owned by another user.
#include <boost/test/unit_test.hpp>

#include <thread>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>

#include "git_support.hpp"
#include "report_support.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using gate::test::commit_all;
using gate::test::data;
using gate::test::git;
using gate::test::init_repo;
using gate::test::read_file;
using gate::test::run_gate;
using gate::test::TempDir;
using gate::test::write_file;
using nlohmann::json;

using gate::test::GitEnvironment;
BOOST_TEST_GLOBAL_FIXTURE(GitEnvironment);

namespace {

std::string clean() { return data("derived/clean_baseline.json").string(); }
std::string slower() { return data("derived/sort64_slower.json").string(); }

// A repository whose main branch holds runner r1's baseline recorded from the
// clean fixture by `gate baseline update --commit`.
struct RecordedRepo {
  RecordedRepo() {
    init_repo(repo);
    write_file(repo / "README.md", "a project under the gate\n");
    // These tests are about baselines in git, not about confirmation: a timing
    // regression against the stored baseline fails at once (the built-in
    // default, "confirm", waits for a same-job re-run: tests/noise_test.cpp).
    write_file(repo / "gate.json", R"({"defaults": {"timing": "judge"}})");
    commit_all(repo, "initial");
    auto r = run_gate({"baseline", "update", clean(), "--runner", "r1", "--commit", "--repo", repo.string()});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    main_sha = git(repo, {"rev-parse", "main"});
  }
  TempDir dir;
  fs::path repo = dir / "repo";
  std::string main_sha;
  fs::path baseline_file() const { return repo / "baselines/r1/fixture_bench.json"; }
};

gate::test::RunResult compare_ref(const fs::path& repo, const std::string& ref, const std::string& contender,
                                  std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"compare", "--baseline-ref", ref, "--repo", repo.string(), contender,
                                "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  // Plain Google Benchmark files carry no runner: name it as CI would.
  return run_gate(args, repo, {"GATE_RUNNER=r1"});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_baseline)

BOOST_AUTO_TEST_CASE(update_commits_and_a_later_run_is_judged_against_the_ref) {
  RecordedRepo r;
  // One commit, whose message lists what changed.
  BOOST_TEST(git(r.repo, {"log", "--format=%s", "-1"}) == "perfgate: update baselines of runner r1");
  BOOST_TEST(git(r.repo, {"log", "--format=%b", "-1"}).find("fixture_bench: 10 benchmarks (new suite)") !=
             std::string::npos);
  BOOST_TEST(git(r.repo, {"status", "--porcelain"}).empty());
  BOOST_TEST(fs::exists(r.repo / "baselines/r1/runner.json"));

  auto same = compare_ref(r.repo, "main", clean());
  BOOST_TEST(same.exit_code == 0, same.err);
  auto j = gate::test::json_report(same);
  BOOST_TEST(j["baseline"]["commit"] == r.main_sha);
  BOOST_TEST(j["baseline"]["runner"] == "r1");
  BOOST_TEST(j["counts"]["unchanged"].get<int>() >= 8);

  auto worse = compare_ref(r.repo, "main", slower());
  BOOST_TEST(worse.exit_code == 1, worse.err);
  auto bad = gate::test::failing_verdicts(gate::test::json_report(worse));
  BOOST_REQUIRE(bad.size() == 1u);
  BOOST_TEST(bad.front()["benchmark"] == "BM_Sort/64");

  // The table names the base commit too.
  auto table = run_gate({"compare", "--baseline-ref", "main", "--repo", r.repo.string(), slower()}, r.repo);
  BOOST_TEST(table.out.find(r.main_sha.substr(0, 12)) != std::string::npos, table.out);
}

BOOST_AUTO_TEST_CASE(a_shallow_clone_works_once_the_base_ref_is_fetched) {
  RecordedRepo r;
  git(r.repo, {"checkout", "-q", "-b", "pr"});
  write_file(r.repo / "src.cpp", "int main() {}\n");
  commit_all(r.repo, "a pull request");
  fs::path clone = r.dir / "clone";
  git(r.dir.path(), {"clone", "-q", "--depth", "1", "--branch", "pr", "file://" + r.repo.string(), clone.string()});

  auto missing = compare_ref(clone, "origin/main", slower());
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(missing.first_err_line().rfind("gate: error: ", 0) == 0);
  BOOST_TEST(missing.first_err_line().find("git fetch --depth=1 origin +refs/heads/main:refs/remotes/origin/main") !=
             std::string::npos,
             missing.err);

  git(clone, {"fetch", "-q", "--depth=1", "origin", "+refs/heads/main:refs/remotes/origin/main"});
  auto judged = compare_ref(clone, "origin/main", slower());
  BOOST_TEST(judged.exit_code == 1, judged.err);
  BOOST_TEST(gate::test::json_report(judged)["baseline"]["commit"] == r.main_sha);
}

BOOST_AUTO_TEST_CASE(a_pull_request_that_edits_its_baseline_is_still_caught_and_reported) {
  RecordedRepo r;
  git(r.repo, {"checkout", "-q", "-b", "pr"});
  // The pull request records its own slower results as the baseline...
  auto hide = run_gate({"baseline", "update", slower(), "--runner", "r1", "--commit", "--repo", r.repo.string()});
  BOOST_REQUIRE_MESSAGE(hide.exit_code == 0, hide.err);
  // ...and against its own tree it would pass,
  BOOST_TEST(compare_ref(r.repo, "HEAD", slower()).exit_code == 0);
  // but the gate judges with the base branch's baseline and says what changed.
  auto judged = compare_ref(r.repo, "main", slower());
  BOOST_TEST(judged.exit_code == 1, judged.err);
  auto j = gate::test::json_report(judged);
  BOOST_REQUIRE(!j["notices"].empty());
  std::string first = j["notices"][0];
  BOOST_TEST(first.find("baselines/r1/fixture_bench.json") != std::string::npos, first);
  auto table = run_gate({"compare", "--baseline-ref", "main", "--repo", r.repo.string(), slower()}, r.repo);
  BOOST_TEST(table.out.find("notice:") < table.out.find("status"), table.out);
}

BOOST_AUTO_TEST_CASE(a_suite_name_the_policy_accepts_can_be_recorded) {
  // One naming rule: a suite named with capitals runs, and its baseline is recorded.
  TempDir tmp;
  fs::path repo = tmp / "repo";
  fs::create_directories(repo);
  git(repo, {"init", "-q", "-b", "main"});
  auto renamed = [&](const std::string& suite) {
    std::string text = gate::test::read_file(clean());
    text.replace(text.find("./fixture_bench"), std::string("./fixture_bench").size(), "./" + suite);
    fs::path out = tmp / (suite + ".json");
    gate::test::write_file(out, text);
    return out;
  };
  fs::path file = renamed("Bench_Good");
  auto rec = run_gate({"baseline", "update", file.string(), "--commit"}, repo, {"GATE_RUNNER=r1"});
  BOOST_TEST(rec.exit_code == 0, rec.err);
  BOOST_TEST(fs::exists(repo / "baselines/r1/Bench_Good.json"));
  // A reserved name is refused before anything is written.
  fs::path reserved = renamed("noise");
  auto bad = run_gate({"baseline", "update", reserved.string()}, repo, {"GATE_RUNNER=r1"});
  BOOST_TEST(bad.exit_code == 2);
  BOOST_TEST(bad.err.find("suite name 'noise' is not allowed: 'noise' is reserved") != std::string::npos, bad.err);
}

// Two updates at once (two CI jobs of one machine, a user and a script): one
// waits for the other. Both commits land and the index matches HEAD after —
// before the lock, one failed and the index no longer matched HEAD in 15 of
// 20 tries, so that a later plain `git commit` reverted the other's baselines.
BOOST_AUTO_TEST_CASE(two_updates_at_once_both_commit_and_leave_the_index_clean) {
  for (int attempt = 0; attempt < 4; ++attempt) {
    TempDir tmp;
    fs::path repo = tmp / "repo";
    init_repo(repo);
    write_file(repo / "README.md", "x\n");
    commit_all(repo, "initial");
    gate::test::RunResult a;
    gate::test::RunResult b;
    std::thread one([&] {
      a = run_gate({"baseline", "update", clean(), "--runner", "r1", "--commit", "--repo", repo.string()});
    });
    std::thread two([&] {
      b = run_gate({"baseline", "update", slower(), "--runner", "r2", "--commit", "--repo", repo.string()});
    });
    one.join();
    two.join();
    BOOST_TEST(a.exit_code == 0, a.err);
    BOOST_TEST(b.exit_code == 0, b.err);
    BOOST_TEST(git(repo, {"rev-list", "--count", "HEAD"}) == "3");
    BOOST_TEST(git(repo, {"status", "--porcelain"}).empty(), git(repo, {"status", "--porcelain"}));
    BOOST_TEST(fs::exists(repo / "baselines/r1/fixture_bench.json"));
    BOOST_TEST(fs::exists(repo / "baselines/r2/fixture_bench.json"));
    BOOST_TEST(!fs::exists(repo / ".git/perfgate-baselines.lock"));
  }
}

BOOST_AUTO_TEST_CASE(bad_runner_ids_are_refused_before_they_become_paths) {
  RecordedRepo r;
  for (const std::string& id : std::vector<std::string>{"../../etc", "a/b", "", std::string(300, 'a'), "UPPER", ".hidden"}) {
    auto u = run_gate({"baseline", "update", clean(), "--runner", id, "--repo", r.repo.string()});
    BOOST_TEST(u.exit_code == 2, "update --runner '" << id << "' gave " << u.exit_code);
    BOOST_TEST(u.first_err_line().rfind("gate: error: ", 0) == 0, u.err);
    auto c = compare_ref(r.repo, "main", clean(), {"--runner", id});
    BOOST_TEST(c.exit_code == 2, "compare --runner '" << id << "' gave " << c.exit_code);
  }
  // Nothing was written anywhere.
  BOOST_TEST(git(r.repo, {"status", "--porcelain", "--untracked-files=all"}).empty());
  BOOST_TEST(!fs::exists(r.dir / "etc"));
}

BOOST_AUTO_TEST_CASE(a_corrupt_baseline_in_the_ref_is_exit_2_naming_the_file) {
  RecordedRepo r;
  git(r.repo, {"checkout", "-q", "-b", "corrupt"});
  std::string text = read_file(r.baseline_file());
  write_file(r.baseline_file(), text.substr(0, text.size() / 2));
  commit_all(r.repo, "truncate the baseline");
  auto c = compare_ref(r.repo, "corrupt", clean());
  BOOST_TEST(c.exit_code == 2);
  BOOST_TEST(c.first_err_line().find("corrupt:baselines/r1/fixture_bench.json:") != std::string::npos, c.err);
  BOOST_TEST(c.out.find("passed") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_update_interrupted_before_the_rename_leaves_the_old_baseline_whole) {
  RecordedRepo r;
  std::string before = read_file(r.baseline_file());
  auto u = run_gate({"baseline", "update", slower(), "--runner", "r1", "--repo", r.repo.string()}, {},
                    {"GATE_TEST_ABORT_BEFORE_RENAME=1"});
  BOOST_TEST(u.exit_code != 0);
  BOOST_TEST(read_file(r.baseline_file()) == before);
  // And the old baseline still judges.
  BOOST_TEST(compare_ref(r.repo, "main", slower()).exit_code == 1);
}

BOOST_AUTO_TEST_CASE(no_baseline_for_this_runner_means_every_benchmark_is_new) {
  RecordedRepo r;
  auto c = compare_ref(r.repo, "main", clean(), {"--runner", "r9"});
  BOOST_TEST(c.exit_code == 0, c.err);
  auto j = gate::test::json_report(c);
  BOOST_TEST(j["counts"]["new"].get<int>() >= 8);
  BOOST_TEST(j["counts"]["unchanged"] == 0);
  std::string notice = j["notices"][0];
  BOOST_TEST(notice.find("no baselines for runner 'r9'") != std::string::npos, notice);
  BOOST_TEST(notice.find("r1") != std::string::npos, notice);
  BOOST_TEST(notice.find("gate baseline update") != std::string::npos, notice);
  // The headline says it, so that a runner id typo cannot pass unseen.
  BOOST_TEST(j["headline"] == "PASSED — no baseline for runner 'r9'");
  // A policy can make it a failure to judge.
  gate::test::TempDir dir;
  gate::test::write_file(dir / "strict.json", R"({"defaults": {"no_baseline": "fail"}})");
  auto strict = compare_ref(r.repo, "main", clean(), {"--runner", "r9", "--policy", (dir / "strict.json").string()});
  BOOST_TEST(strict.exit_code == 2, strict.err);
  BOOST_TEST(gate::test::json_report(strict)["outcome"] == "could not judge");
}

BOOST_AUTO_TEST_CASE(a_runner_mismatch_is_exit_2_unless_allowed_and_then_stated) {
  RecordedRepo r;
  git(r.repo, {"checkout", "-q", "-b", "other-hardware"});
  auto runner = json::parse(read_file(r.repo / "baselines/r1/runner.json"));
  runner["fingerprint"]["cpu_model"] = "Imaginary CPU 9000";
  write_file(r.repo / "baselines/r1/runner.json", runner.dump(2) + "\n");
  commit_all(r.repo, "another machine");

  auto refused = compare_ref(r.repo, "other-hardware", slower());
  BOOST_TEST(refused.exit_code == 2);
  BOOST_TEST(refused.first_err_line().find("runner mismatch") != std::string::npos, refused.err);
  BOOST_TEST(refused.first_err_line().find("cpu_model") != std::string::npos, refused.err);

  auto allowed = compare_ref(r.repo, "other-hardware", slower(), {"--allow-runner-mismatch"});
  BOOST_TEST(allowed.exit_code == 1, allowed.err);
  const auto allowed_report = gate::test::json_report(allowed);  // outlives the loop
  for (const auto& v : allowed_report["verdicts"]) {
    BOOST_TEST(v["note"].get<std::string>().find("runner mismatch allowed") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(debug_and_injected_builds_are_not_recorded) {
  RecordedRepo r;
  std::string before = read_file(r.baseline_file());
  auto doc = json::parse(read_file(clean()));
  doc["context"]["build_type"] = "Debug";
  write_file(r.dir / "debug.json", doc.dump(1));
  auto d = run_gate({"baseline", "update", (r.dir / "debug.json").string(), "--runner", "r1", "--repo",
                     r.repo.string()});
  BOOST_TEST(d.exit_code == 2);
  BOOST_TEST(d.first_err_line().find("debug build") != std::string::npos, d.err);
  BOOST_TEST(d.first_err_line().find("--allow-debug") != std::string::npos, d.err);
  BOOST_TEST(read_file(r.baseline_file()) == before);
  BOOST_TEST(run_gate({"baseline", "update", (r.dir / "debug.json").string(), "--runner", "r1", "--repo",
                       r.repo.string(), "--allow-debug"})
                 .exit_code == 0);

  doc["context"]["build_type"] = "Release";
  doc["context"]["gate_inject"] = "lru_scan";
  write_file(r.dir / "injected.json", doc.dump(1));
  auto i = run_gate({"baseline", "update", (r.dir / "injected.json").string(), "--runner", "r1", "--repo",
                     r.repo.string()});
  BOOST_TEST(i.exit_code == 2);
  BOOST_TEST(i.first_err_line().find("GATE_INJECT=lru_scan") != std::string::npos, i.err);
}

BOOST_AUTO_TEST_CASE(a_repository_owned_by_another_user_gets_a_clear_message) {
  if (geteuid() != 0) {
    BOOST_TEST_MESSAGE("skipped: needs root to give the repository to another user");
    return;
  }
  RecordedRepo r;
  auto chown = gate::test::run({"/bin/chown", "-R", "65534:65534", r.repo.string()});
  BOOST_REQUIRE(chown.exit_code == 0);
  auto c = compare_ref(r.repo, "main", clean());
  BOOST_TEST(c.exit_code == 2);
  BOOST_TEST(c.first_err_line().find("owned by another user") != std::string::npos, c.err);
  BOOST_TEST(c.first_err_line().find("safe.directory") != std::string::npos, c.err);
}

BOOST_AUTO_TEST_SUITE_END()
