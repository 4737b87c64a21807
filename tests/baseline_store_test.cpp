// tests/baseline_store_test.cpp — baselines in git: reading at refs (also in
// a shallow clone), missing refs, tamper detection, writing and committing,
// and another user's repository. Every repository is a throwaway one in a
// temporary directory, made with the git program; HOME points at a temporary
// directory so that no global git configuration takes part.
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "gate/store/baseline_store.hpp"
#include "gate/error.hpp"
#include "git_support.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using gate::Error;
using gate::test::read_file;
using gate::test::TempDir;
using gate::test::write_file;

namespace {

using gate::test::GitEnvironment;
BOOST_TEST_GLOBAL_FIXTURE(GitEnvironment);
using gate::test::commit_all;
using gate::test::git;
using gate::test::init_repo;

// main: "first" (x.json v1, policy1, tag v1) then "second" (x.json v2,
// policy2, baselines/r2/).
void make_history(const fs::path& dir) {
  init_repo(dir);
  write_file(dir / "README.md", "readme\n");
  write_file(dir / "gate.json", "policy1\n");
  write_file(dir / "baselines/r1/runner.json", "{\"id\": \"r1\"}\n");
  write_file(dir / "baselines/r1/x.json", "v1\n");
  commit_all(dir, "first");
  git(dir, {"tag", "v1"});
  write_file(dir / "gate.json", "policy2\n");
  write_file(dir / "baselines/r1/x.json", "v2\n");
  write_file(dir / "baselines/r2/y.json", "y\n");
  commit_all(dir, "second");
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

std::string real_path(const fs::path& p) { return fs::weakly_canonical(p).string(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(baseline_store)

BOOST_AUTO_TEST_CASE(reads_at_branch_tag_sha_and_parent) {
  TempDir tmp;
  fs::path repo = tmp / "repo";
  make_history(repo);
  std::string first = git(repo, {"rev-parse", "v1"});
  std::string second = git(repo, {"rev-parse", "main"});

  auto at_main = gate::read_baselines_at(repo, "main", "r1");
  BOOST_TEST(at_main.ref == "main");
  BOOST_TEST(at_main.commit.sha == second);
  BOOST_TEST(at_main.commit.subject == "second");
  BOOST_TEST(at_main.commit.time > 1600000000);
  BOOST_TEST(at_main.runner_dir_exists);
  BOOST_TEST(at_main.files.size() == 2U);
  BOOST_TEST(at_main.files.at("x.json") == "v2\n");
  BOOST_TEST(at_main.files.at("runner.json") == "{\"id\": \"r1\"}\n");
  BOOST_TEST(at_main.policy.value() == "policy2\n");
  BOOST_TEST(at_main.runners == (std::vector<std::string>{"r1", "r2"}));

  for (const std::string& ref : std::vector<std::string>{"v1", first, first.substr(0, 10), "HEAD^1", "HEAD~1", "main^"}) {
    auto snap = gate::read_baselines_at(repo, ref, "r1");
    BOOST_TEST(snap.commit.sha == first, ref);
    BOOST_TEST(snap.commit.subject == "first");
    BOOST_TEST(snap.files.at("x.json") == "v1\n", ref);
    BOOST_TEST(snap.policy.value() == "policy1\n", ref);
    BOOST_TEST(snap.runners == std::vector<std::string>{"r1"});
  }
}

BOOST_AUTO_TEST_CASE(reads_the_tree_not_the_working_tree) {
  TempDir tmp;
  fs::path repo = tmp / "repo";
  make_history(repo);
  write_file(repo / "baselines/r1/x.json", "tampered\n");
  write_file(repo / "gate.json", "loose policy\n");
  auto snap = gate::read_baselines_at(repo / "baselines", "HEAD", "r1");  // any directory inside works
  BOOST_TEST(snap.files.at("x.json") == "v2\n");
  BOOST_TEST(snap.policy.value() == "policy2\n");
}

BOOST_AUTO_TEST_CASE(absent_runner_and_policy_are_values_not_errors) {
  TempDir tmp;
  fs::path repo = tmp / "repo";
  make_history(repo);
  auto snap = gate::read_baselines_at(repo, "main", "r9", "other/policy.json");
  BOOST_TEST(!snap.runner_dir_exists);
  BOOST_TEST(snap.files.empty());
  BOOST_TEST(!snap.policy.has_value());
  BOOST_TEST(snap.runners == (std::vector<std::string>{"r1", "r2"}));
}

BOOST_AUTO_TEST_CASE(missing_ref_spells_out_the_fetch) {
  TempDir tmp;
  fs::path repo = tmp / "repo";
  make_history(repo);
  std::string m = error_of([&] { (void)gate::read_baselines_at(repo, "origin/main", "r1"); });
  // Not shallow: no --depth, which would make a full clone shallow.
  BOOST_TEST(m == "base ref 'origin/main' not found in '" + real_path(repo) +
                      "' — fetch it: git fetch origin +refs/heads/main:refs/remotes/origin/main (or use "
                      "fetch-depth: 2 and HEAD^1)",
             m);
  std::string plain = error_of([&] { (void)gate::read_baselines_at(repo, "release-1.2", "r1"); });
  BOOST_TEST(plain.find("git fetch origin +refs/heads/release-1.2:refs/remotes/origin/release-1.2 and pass "
                        "origin/release-1.2") != std::string::npos,
             plain);
  std::string too_far = error_of([&] { (void)gate::read_baselines_at(repo, "HEAD~5", "r1"); });
  BOOST_TEST(too_far.find("base ref 'HEAD~5' not found") == 0, too_far);
  BOOST_TEST(too_far.find("fetch-depth: 2") != std::string::npos, too_far);
}

BOOST_AUTO_TEST_CASE(shallow_clone_reads_a_fetched_base) {
  TempDir tmp;
  fs::path origin = tmp / "origin";
  make_history(origin);
  // The pull request: a branch that rewrites a baseline.
  git(origin, {"checkout", "-q", "-b", "pr"});
  write_file(origin / "baselines/r1/x.json", "999\n");
  commit_all(origin, "pr: faster, trust me");
  git(origin, {"checkout", "-q", "main"});

  fs::path work = tmp / "work";
  git(tmp.path(), {"clone", "-q", "--depth", "1", "--branch", "pr", "--single-branch",
                   "file://" + origin.string(), work.string()});
  BOOST_TEST(gate::is_shallow_repository(work));

  std::string missing = error_of([&] { (void)gate::read_baselines_at(work, "origin/main", "r1"); });
  BOOST_TEST(missing.find("base ref 'origin/main' not found in '" + real_path(work) +
                          "' — fetch it: git fetch --depth=1 origin +refs/heads/main:refs/remotes/origin/main") == 0,
             missing);
  std::string parent = error_of([&] { (void)gate::read_baselines_at(work, "HEAD^1", "r1"); });
  BOOST_TEST(parent.find("base ref 'HEAD^1' not found") == 0, parent);
  BOOST_TEST(parent.find("fetch-depth: 2") != std::string::npos, parent);

  // Exactly the command the message gives.
  git(work, {"fetch", "-q", "--depth=1", "origin", "+refs/heads/main:refs/remotes/origin/main"});
  BOOST_TEST(gate::is_shallow_repository(work));
  auto snap = gate::read_baselines_at(work, "origin/main", "r1");
  BOOST_TEST(snap.commit.sha == git(origin, {"rev-parse", "main"}));
  BOOST_TEST(snap.files.at("x.json") == "v2\n");
  BOOST_TEST(snap.policy.value() == "policy2\n");
  BOOST_TEST(gate::tampered_paths(work, "origin/main") == std::vector<std::string>{"baselines/r1/x.json"});
}

BOOST_AUTO_TEST_CASE(tampered_paths_lists_working_tree_changes_under_the_prefixes) {
  TempDir tmp;
  fs::path repo = tmp / "repo";
  make_history(repo);
  BOOST_TEST(gate::tampered_paths(repo, "HEAD").empty());

  write_file(repo / "baselines/r1/x.json", "v2 edited\n");
  BOOST_TEST(gate::tampered_paths(repo, "HEAD") == std::vector<std::string>{"baselines/r1/x.json"});

  write_file(repo / "README.md", "not a baseline\n");
  write_file(repo / "baselines/r1/new.json", "added\n");
  fs::remove(repo / "baselines/r2/y.json");
  write_file(repo / "gate.json", "loose\n");
  // A .gitignore must not hide a file from the report.
  write_file(repo / ".gitignore", "hidden.json\n");
  write_file(repo / "baselines/r3/hidden.json", "sneaky\n");
  std::vector<std::string> expected{"baselines/r1/new.json", "baselines/r1/x.json", "baselines/r2/y.json",
                                    "baselines/r3/hidden.json", "gate.json"};
  BOOST_TEST(gate::tampered_paths(repo, "HEAD") == expected);
  BOOST_TEST(gate::tampered_paths(repo, "HEAD", {"gate.json"}) == std::vector<std::string>{"gate.json"});
  // Against the first commit, README.md is still not a baseline path.
  auto at_v1 = gate::tampered_paths(repo, "v1");
  BOOST_TEST((std::find(at_v1.begin(), at_v1.end(), "README.md") == at_v1.end()));
  BOOST_TEST((std::find(at_v1.begin(), at_v1.end(), "baselines/r2/y.json") == at_v1.end()));  // absent in both

  git(repo, {"checkout", "-q", "--", "."});
  fs::remove(repo / "baselines/r1/new.json");
  fs::remove_all(repo / "baselines/r3");
  BOOST_TEST(gate::tampered_paths(repo, "HEAD").empty());
}

BOOST_AUTO_TEST_CASE(write_and_commit_exactly_the_baseline_paths) {
  TempDir tmp;
  fs::path repo = tmp / "repo";
  make_history(repo);
  // Someone's unrelated staged work must stay staged and out of the commit.
  write_file(repo / "README.md", "staged elsewhere\n");
  git(repo, {"add", "README.md"});

  gate::write_baseline_files(repo, "r1", {{"x.json", "v3\n"}, {"z.json", "new\n"}});
  BOOST_TEST(read_file(repo / "baselines/r1/x.json") == "v3\n");
  auto made = gate::commit_paths(repo, {"baselines/r1"}, "update baselines for r1");
  BOOST_REQUIRE(made.has_value());
  BOOST_TEST(made->sha == git(repo, {"rev-parse", "HEAD"}));
  BOOST_TEST(made->subject == "update baselines for r1");
  BOOST_TEST(git(repo, {"rev-list", "--count", "HEAD"}) == "3");
  BOOST_TEST(git(repo, {"log", "-1", "--format=%an <%ae>"}) == "Test User <test@example.com>");
  BOOST_TEST(git(repo, {"diff-tree", "--no-commit-id", "--name-only", "-r", "HEAD"}) ==
             "baselines/r1/x.json\nbaselines/r1/z.json");
  BOOST_TEST(git(repo, {"diff", "--cached", "--name-only"}) == "README.md");
  BOOST_TEST(git(repo, {"status", "--porcelain", "--", "baselines"}).empty());
  BOOST_TEST(git(repo, {"show", "HEAD:baselines/r1/z.json"}) == "new");

  // Unchanged: nothing to commit.
  BOOST_TEST(!gate::commit_paths(repo, {repo / "baselines/r1/x.json"}, "again").has_value());
  BOOST_TEST(git(repo, {"rev-list", "--count", "HEAD"}) == "3");

  // A removed file is committed as a removal.
  fs::remove(repo / "baselines/r1/z.json");
  auto removed = gate::commit_paths(repo, {"baselines/r1"}, "drop z");
  BOOST_REQUIRE(removed.has_value());
  BOOST_TEST(git(repo, {"diff-tree", "--no-commit-id", "--name-status", "-r", "HEAD"}) == "D\tbaselines/r1/z.json");
  BOOST_TEST(git(repo, {"status", "--porcelain", "--", "baselines"}).empty());

  BOOST_TEST(error_of([&] { (void)gate::commit_paths(repo, {"../outside"}, "x"); }).find("not a path inside") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(first_commit_on_an_unborn_head) {
  TempDir tmp;
  fs::path repo = tmp / "fresh";
  init_repo(repo, false);  // no user.name: the fallback signature is used
  BOOST_TEST(!gate::head_commit(repo).has_value());
  gate::write_baseline_files(repo, "r1", {{"runner.json", "{}\n"}, {"s.json", "[]\n"}});
  auto made = gate::commit_paths(repo, {"baselines"}, "record baselines");
  BOOST_REQUIRE(made.has_value());
  BOOST_TEST(git(repo, {"rev-list", "--count", "HEAD"}) == "1");
  BOOST_TEST(git(repo, {"log", "-1", "--format=%an <%ae>|%s"}) == "perfgate <perfgate@localhost>|record baselines");
  BOOST_TEST(gate::head_commit(repo)->sha == made->sha);
  BOOST_TEST(gate::resolve_commit(repo, "main").sha == made->sha);
  BOOST_TEST(git(repo, {"ls-tree", "-r", "--name-only", "HEAD"}) == "baselines/r1/runner.json\nbaselines/r1/s.json");
}

BOOST_AUTO_TEST_CASE(bad_runner_ids_and_file_names_are_refused_before_any_path) {
  TempDir tmp;
  fs::path repo = tmp / "repo";
  make_history(repo);
  for (const std::string& id : std::vector<std::string>{"../../etc", "a/b", "", std::string(300, 'a')}) {
    std::string m = error_of([&] { (void)gate::read_baselines_at(repo, "main", id); });
    BOOST_TEST(m.find("runner id '") == 0, m);
    BOOST_TEST(m.find("is not allowed") != std::string::npos, m);
    BOOST_CHECK_THROW(gate::write_baseline_files(tmp / "w", id, {{"x.json", "x"}}), Error);
  }
  BOOST_TEST(!fs::exists(tmp / "w"));
  for (const std::string& name : std::vector<std::string>{"../x.json", "a/b.json", "gate.json", "Noise.json", ".hidden.json", "x.txt", ".json", "x.json/", "a b.json"}) {
    BOOST_TEST(!gate::is_valid_baseline_file_name(name), name);
    std::string m = error_of([&] { gate::write_baseline_files(tmp / "w", "r1", {{"ok.json", "x"}, {name, "x"}}); });
    BOOST_TEST(m.find("the file name is not allowed") != std::string::npos, m);
  }
  BOOST_TEST(!fs::exists(tmp / "w"));  // checked before anything was written
  BOOST_TEST(gate::is_valid_baseline_file_name("bench_clew.json"));
  // One rule for suite names everywhere: a suite the policy accepts can be recorded.
  BOOST_TEST(gate::is_valid_baseline_file_name("Bench_Good.json"));
  BOOST_TEST(gate::is_valid_baseline_file_name("runner.json"));
  BOOST_TEST(gate::is_valid_baseline_file_name("noise.json"));
}

BOOST_AUTO_TEST_CASE(refuses_to_write_through_a_symbolic_link) {
  TempDir tmp;
  TempDir elsewhere;
  fs::create_directories(tmp / "baselines");
  fs::create_directory_symlink(elsewhere.path(), tmp / "baselines" / "r1");
  std::string m = error_of([&] { gate::write_baseline_files(tmp.path(), "r1", {{"x.json", "x"}}); });
  BOOST_TEST(m.find("symbolic link") != std::string::npos, m);
  BOOST_TEST(fs::is_empty(elsewhere.path()));
}

BOOST_AUTO_TEST_CASE(repository_helpers) {
  TempDir tmp;
  fs::path repo = tmp / "repo";
  make_history(repo);
  BOOST_TEST(gate::repo_root(repo / "baselines" / "r1").string() == real_path(repo));
  BOOST_TEST(gate::head_commit(repo)->subject == "second");
  BOOST_TEST(!gate::is_shallow_repository(repo));
  std::string none = error_of([&] { (void)gate::read_baselines_at(tmp.path(), "main", "r1"); });
  BOOST_TEST(none.find("not a git repository") != std::string::npos, none);
}

BOOST_AUTO_TEST_CASE(another_users_repository_gets_a_clear_message) {
  BOOST_REQUIRE_MESSAGE(geteuid() == 0, "needs root to chown");
  TempDir tmp;
  fs::path repo = tmp / "repo";
  make_history(repo);
  fs::path top = real_path(repo);
  gate::test::run({"/bin/chown", "-R", "65534:65534", repo.string()});
  std::string m = error_of([&] { (void)gate::read_baselines_at(repo, "main", "r1"); });
  BOOST_TEST(m.find("opening repository '" + top.string() + "': it is owned by another user (uid 65534") == 0, m);
  BOOST_TEST(m.find("git config --global --add safe.directory " + top.string()) != std::string::npos, m);

  // libgit2 honours the fix the message gives (an exact path in the global config).
  git(tmp.path(), {"config", "--global", "--add", "safe.directory", top.string()});
  auto snap = gate::read_baselines_at(repo, "main", "r1");
  BOOST_TEST(snap.files.at("x.json") == "v2\n");
  git(tmp.path(), {"config", "--global", "--unset-all", "safe.directory"});
}

BOOST_AUTO_TEST_SUITE_END()
