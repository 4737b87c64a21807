// tests/waivers_test.cpp — regressions accepted on purpose: Perf-Accepted
// trailers parsed and applied to verdicts, and a change's commits read from
// a real repository, shallow clones included.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>

#include "gate/error.hpp"
#include "gate/judge/waivers.hpp"
#include "gate/store/change_commits.hpp"
#include "git_support.hpp"
#include "model_builders.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace gate;
using gate::test::git;
using gate::test::TempDir;

using gate::test::GitEnvironment;
BOOST_TEST_GLOBAL_FIXTURE(GitEnvironment);

namespace {

Verdict verdict(const std::string& suite, const std::string& name, const std::string& metric, Status status,
                Scope scope = Scope::benchmark) {
  Verdict v;
  v.scope = scope;
  v.suite = suite;
  v.name = name;
  v.metric = metric;
  v.status = status;
  return v;
}

Waiver waiver(const std::string& value) {
  std::string why;
  auto w = parse_waiver(value, "0123456789abcdef0123456789abcdef01234567", why);
  BOOST_REQUIRE_MESSAGE(w.has_value(), why);
  return *w;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(waivers)

BOOST_AUTO_TEST_CASE(a_trailer_names_benchmarks_a_metric_and_why) {
  Waiver w = waiver("BM_Maze* allocs_per_iter: the new index costs one allocation");
  BOOST_TEST(w.name == "BM_Maze*");
  BOOST_TEST(w.metric == "allocs_per_iter");
  BOOST_TEST(w.reason == "the new index costs one allocation");
  // Names with colons (threads:4) parse: the name ends at the first space.
  Waiver t = waiver("BM_MazeConcurrent/threads:4 real_time: more threads contend");
  BOOST_TEST(t.name == "BM_MazeConcurrent/threads:4");
  BOOST_TEST(t.metric == "real_time");

  std::string why;
  BOOST_TEST(!parse_waiver("BM_X", "c", why).has_value());
  BOOST_TEST(why.find("expected '<benchmark> <metric>: <reason>'") != std::string::npos, why);
  BOOST_TEST(!parse_waiver("BM_X cpu_time", "c", why).has_value());
  BOOST_TEST(why.find("no ':'") != std::string::npos, why);
  BOOST_TEST(!parse_waiver("BM_X cpu_time:   ", "c", why).has_value());
  BOOST_TEST(why.find("the reason is empty") != std::string::npos, why);
  BOOST_TEST(!parse_waiver("BM_[X cpu_time: why", "c", why).has_value());
  BOOST_TEST(why.find("bad pattern 'BM_[X'") != std::string::npos, why);
}

BOOST_AUTO_TEST_CASE(only_what_the_trailer_names_is_accepted_and_never_a_failure_to_run) {
  Comparison c;
  c.verdicts.push_back(verdict("bench_maze", "BM_MazeHit/10", "allocs_per_iter", Status::regressed));
  c.verdicts.push_back(verdict("bench_maze", "BM_MazeHit/10", "cpu_time", Status::suspect));
  c.verdicts.push_back(verdict("bench_maze", "BM_MazeMiss", "allocs_per_iter", Status::failed));
  c.verdicts.push_back(verdict("bench_clew", "BM_ClewExtract", "allocs_per_iter", Status::regressed));
  c.verdicts.push_back(verdict("bench_small", "", "", Status::missing, Scope::suite));
  BOOST_TEST(c.exit_code() == 1);

  auto unused = apply_waivers(c, {waiver("BM_Maze* allocs_per_iter: one more allocation by design"),
                                  waiver("bench_small *: the suite moved into bench_work"),
                                  waiver("BM_Nothing cpu_time: matches nothing")});
  BOOST_REQUIRE(unused.size() == 1u);
  BOOST_TEST(unused[0].name == "BM_Nothing");
  auto status_of = [&](const std::string& suite, const std::string& name, const std::string& metric) {
    for (const auto& v : c.verdicts) {
      if (v.suite == suite && v.name == name && v.metric == metric) return std::string(to_string(v.status));
    }
    return std::string("absent");
  };
  BOOST_TEST(status_of("bench_maze", "BM_MazeHit/10", "allocs_per_iter") == "accepted");
  BOOST_TEST(status_of("bench_maze", "BM_MazeHit/10", "cpu_time") == "suspect");  // another metric
  BOOST_TEST(status_of("bench_maze", "BM_MazeMiss", "allocs_per_iter") == "failed");  // a crash is no trade-off
  BOOST_TEST(status_of("bench_clew", "BM_ClewExtract", "allocs_per_iter") == "regressed");
  BOOST_TEST(status_of("bench_small", "", "") == "accepted");
  for (const auto& v : c.verdicts) {
    if (v.status != Status::accepted) continue;
    BOOST_REQUIRE(v.acceptance.has_value());
    BOOST_TEST(v.acceptance->commit.substr(0, 12) == "0123456789ab");
    BOOST_TEST(v.note().find("accepted by commit 0123456789ab:") != std::string::npos, v.note());
  }
  BOOST_TEST(c.exit_code() == 1);  // the crash and the unnamed regression still fail

  // "suite:benchmark" names one suite's benchmark.
  Comparison d;
  d.verdicts.push_back(verdict("bench_a", "BM_X", "cpu_time", Status::regressed));
  d.verdicts.push_back(verdict("bench_b", "BM_X", "cpu_time", Status::regressed));
  (void)apply_waivers(d, {waiver("bench_a:BM_X cpu_time: only here")});
  for (const auto& v : d.verdicts) {
    BOOST_TEST(to_string(v.status) == (v.suite == "bench_a" ? "accepted" : "regressed"), v.suite);
  }
}

BOOST_AUTO_TEST_CASE(a_change_is_its_commits_over_the_base_even_in_a_shallow_clone) {
  TempDir tmp;
  const fs::path origin = tmp / "origin";
  gate::test::init_repo(origin);
  gate::test::write_file(origin / "a.txt", "1");
  gate::test::commit_all(origin, "base one");
  gate::test::write_file(origin / "a.txt", "2");
  gate::test::commit_all(origin, "base two");
  git(origin, {"checkout", "-q", "-b", "pr"});
  gate::test::write_file(origin / "b.txt", "1");
  gate::test::commit_all(origin, "pr one\n\nPerf-Accepted: BM_A cpu_time: first reason");
  gate::test::write_file(origin / "b.txt", "2");
  gate::test::commit_all(origin, "pr two\n\nSigned-off-by: Someone <s@example.com>\nPerf-Accepted: BM_B *: second");
  git(origin, {"checkout", "-q", "main"});
  gate::test::write_file(origin / "c.txt", "1");
  gate::test::commit_all(origin, "base three");
  git(origin, {"merge", "-q", "--no-ff", "-m", "merge pr", "pr"});

  ChangeCommits full = change_commits(origin, "HEAD^2", "HEAD^1");
  BOOST_REQUIRE(full.commits.size() == 2u);
  BOOST_TEST(full.commits[0].commit.subject == "pr two");
  BOOST_TEST(full.commits[1].commit.subject == "pr one");
  BOOST_TEST(!full.cut_by_shallow_clone);
  BOOST_REQUIRE(full.commits[0].trailers.size() == 2u);
  BOOST_TEST(full.commits[0].trailers[1].first == "Perf-Accepted");
  BOOST_TEST(full.commits[0].trailers[1].second == "BM_B *: second");

  // As CI checks out a merge commit: depth 2 holds the merge and its parents.
  const fs::path clone = tmp / "clone";
  git(tmp.path(), {"clone", "-q", "--depth", "2", "file://" + origin.string(), clone.string()});
  ChangeCommits shallow = change_commits(clone, "HEAD^2", "HEAD^1");
  BOOST_REQUIRE(shallow.commits.size() == 1u);  // pr two only: pr one lies beyond the clone
  BOOST_TEST(shallow.commits[0].commit.subject == "pr two");
  BOOST_TEST(shallow.cut_by_shallow_clone);

  // A missing ref says how to fetch it.
  BOOST_CHECK_EXCEPTION((void)change_commits(clone, "no-such-branch", "HEAD^1"), Error, [](const Error& e) {
    return std::string(e.what()).find("no-such-branch") != std::string::npos;
  });
}

BOOST_AUTO_TEST_SUITE_END()
