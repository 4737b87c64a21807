// tests/history_test.cpp — gate::BaselineHistory on a throwaway repository
// of about thirty baseline updates between two tags, with commits that must
// not count (other files, another runner, a merged branch's own commit, a
// commit after the second tag), a file that returns to earlier bytes, and
// shallow clones that must say how to fetch what they lack.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gate/formats/bundle.hpp"
#include "gate/error.hpp"
#include "gate/stats/stats.hpp"
#include "gate/stats/change_points.hpp"
#include "gate/store/history.hpp"
#include "git_support.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using gate::BaselineHistory;
using gate::Error;
using gate::test::git;
using gate::test::TempDir;
using gate::test::write_file;

namespace {

using gate::test::GitEnvironment;
BOOST_TEST_GLOBAL_FIXTURE(GitEnvironment);

constexpr int k_points = 30;             // v1.0 is point 0, v1.1 point 29
constexpr std::int64_t k_epoch = 1704067200;  // 2024-01-01T00:00:00Z

// The level of the two benchmarks with steps at point k: BM_Up 20% slower
// from point 12, BM_Down 30% faster from point 20 (the issue's series).
double up_level(int k) { return k >= 12 ? 1200.0 : 1000.0; }
double down_level(int k) { return k >= 20 ? 350.0 : 500.0; }

// Ten repetitions around `level` with 2% noise, different for every seed.
std::vector<double> samples(double level, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> out;
  for (int r = 0; r < 10; ++r) {
    const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;  // [0, 1)
    out.push_back(level * (1 + 0.04 * (u - 0.5)));
  }
  return out;
}

gate::Benchmark benchmark(const std::string& name, std::vector<double> values) {
  gate::Benchmark b;
  b.name = name;
  b.repetitions = static_cast<int>(values.size());
  b.iterations = 100;
  gate::Metric m;
  m.name = "cpu_time";
  m.unit = "ns";
  m.samples = std::move(values);
  b.metrics.push_back(std::move(m));
  return b;
}

std::string baseline_file(const std::string& suite_name, std::vector<gate::Benchmark> benchmarks,
                          const std::string& version) {
  gate::RunBundle meta;
  meta.runner.id = "r1";
  meta.runner.fingerprint = {{"cpu_model", "test"}};
  meta.commit = std::string(40, '0');
  meta.time = "2024-01-01T00:00:00Z";
  gate::Suite suite;
  suite.name = suite_name;
  suite.benchmarks = std::move(benchmarks);
  suite.context = {{"version", version}};
  return gate::write_baseline(meta, suite);
}

// bench_c changes every fifth point; at point 27 it goes back to the bytes
// it had from point 15 on.
int c_version(int k) {
  if (k == 27 || k == 28 || k == 29) return 3;
  return k < 0 ? 0 : k / 5;
}

void write_point(const fs::path& dir, int k) {
  const auto seed = static_cast<std::uint64_t>(k + 100);
  write_file(dir / "baselines/r1/a.json",
             baseline_file("a", {benchmark("BM_Up", samples(up_level(k), seed)),
                                       benchmark("BM_Flat", samples(700, seed + 1000))},
                           std::to_string(k)));
  write_file(dir / "baselines/r1/b.json",
             baseline_file("b", {benchmark("BM_Down", samples(down_level(k), seed + 2000))}, std::to_string(k)));
  const int v = c_version(k);
  write_file(dir / "baselines/r1/c.json",
             baseline_file("c", {benchmark("BM_Rare", samples(300, static_cast<std::uint64_t>(v)))},
                           std::to_string(v)));
}

// The repository, made once per process: `points[k]` is the commit of point
// k on main's first-parent history.
struct Repo {
  TempDir tmp;
  fs::path dir = tmp / "repo";
  std::vector<std::string> points;
  std::vector<std::int64_t> times;
  std::string branch_commit;  // the merged branch's own commit (point 25's update)
  std::string r2_commit;      // the commit that changed only baselines/r2/
  int day = 0;

  void commit(const std::string& message) {
    const std::string date = fmt_date();
    auto r = gate::test::run({"/usr/bin/git", "commit", "-q", "-m", message}, dir,
                             {"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "git commit failed: " << r.err);
  }
  std::string fmt_date() { return "@" + std::to_string(k_epoch + 86400LL * ++day) + " +0000"; }
  std::string head() { return git(dir, {"rev-parse", "HEAD"}); }
  void record_point() {
    points.push_back(head());
    times.push_back(k_epoch + 86400LL * day);
  }

  Repo() {
    gate::test::init_repo(dir);
    write_file(dir / "README.md", "readme 0\n");
    write_file(dir / "gate.json", "{}\n");
    git(dir, {"add", "-A"});
    commit("Policy");
    write_file(dir / "baselines/r1/runner.json", "{\"id\": \"r1\", \"fingerprint\": {\"cpu_model\": \"test\"}}\n");
    write_point(dir, -1);
    git(dir, {"add", "-A"});
    commit("Baselines before the release");
    for (int k = 0; k < k_points; ++k) {
      if (k % 4 == 3) {
        write_file(dir / "README.md", "readme " + std::to_string(k) + "\n");
        git(dir, {"add", "-A"});
        commit("Docs " + std::to_string(k));
      }
      if (k == 7) {
        write_file(dir / "baselines/r2/a.json", "{}\n");
        git(dir, {"add", "-A"});
        commit("Baselines of another runner");
        r2_commit = head();
      }
      if (k == 25) {
        // The update comes from a branch merged with a merge commit: on the
        // first-parent history the merge is the change.
        git(dir, {"checkout", "-q", "-b", "update"});
        write_point(dir, k);
        git(dir, {"add", "-A"});
        commit("Baselines: point 25 on a branch");
        branch_commit = head();
        git(dir, {"checkout", "-q", "main"});
        write_file(dir / "README.md", "readme merge\n");
        git(dir, {"add", "-A"});
        commit("Docs before the merge");
        auto r = gate::test::run({"/usr/bin/git", "merge", "-q", "--no-ff", "-m", "Merge point 25", "update"}, dir,
                                 {"GIT_AUTHOR_DATE=" + fmt_date(), "GIT_COMMITTER_DATE=@" +
                                                                       std::to_string(k_epoch + 86400LL * day) +
                                                                       " +0000"});
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "git merge failed: " << r.err);
        record_point();
        continue;
      }
      write_point(dir, k);
      git(dir, {"add", "-A"});
      commit("Baselines: point " + std::to_string(k));
      record_point();
      if (k == 0) git(dir, {"tag", "v1.0"});
    }
    git(dir, {"tag", "-a", "v1.1", "-m", "release 1.1"});  // annotated: peeled to its commit
    write_point(dir, 40);
    git(dir, {"add", "-A"});
    commit("Baselines after the release");
  }
};

Repo& repo() {
  static Repo r;
  return r;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::vector<std::string> shas(const BaselineHistory& h) {
  std::vector<std::string> out;
  for (const auto& c : h.commits()) out.push_back(c.commit.sha);
  return out;
}

// Each suite file's benchmark medians, parsed once per blob, then the
// series of `benchmark` over the history's commits.
std::vector<double> series_of(const BaselineHistory& h, const std::string& file, const std::string& bench) {
  std::map<std::string, double> median_by_blob;
  h.for_each_suite_baseline([&](const gate::HistoryFile& f, const gate::BaselineFile& b) {
    if (f.name != file) return;
    const gate::Benchmark* found = b.suite.find(bench);
    BOOST_REQUIRE(found != nullptr);
    median_by_blob[f.blob] = gate::stats::median(found->metrics.at(0).samples);
  });
  std::vector<double> out;
  for (const auto& c : h.commits()) {
    for (const auto& f : c.files) {
      if (f.name == file) out.push_back(median_by_blob.at(f.blob));
    }
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(history)

BOOST_AUTO_TEST_CASE(lists_the_commits_that_changed_the_runner_from_tag_to_tag) {
  Repo& r = repo();
  BaselineHistory h = BaselineHistory::walk(r.dir, "v1.0", "v1.1", "r1");
  BOOST_TEST(h.runner() == "r1");
  BOOST_TEST_REQUIRE(h.commits().size() == static_cast<std::size_t>(k_points));
  BOOST_TEST(shas(h) == r.points, boost::test_tools::per_element());
  BOOST_TEST(h.commits()[0].commit.sha == git(r.dir, {"rev-parse", "v1.0"}));
  BOOST_TEST(h.commits().back().commit.sha == git(r.dir, {"rev-parse", "v1.1^{commit}"}));
  for (int k = 0; k < k_points; ++k) {
    const auto& c = h.commits()[static_cast<std::size_t>(k)];
    BOOST_TEST_CONTEXT("point " << k) {
      BOOST_TEST(c.commit.subject == (k == 25 ? "Merge point 25" : "Baselines: point " + std::to_string(k)));
      BOOST_TEST(c.commit.time == r.times[static_cast<std::size_t>(k)]);
      std::vector<std::string> names;
      for (const auto& f : c.files) {
        names.push_back(f.name);
        BOOST_TEST(f.blob == git(r.dir, {"rev-parse", c.commit.sha + ":baselines/r1/" + f.name}));
      }
      BOOST_TEST(names == (std::vector<std::string>{"a.json", "b.json", "c.json", "runner.json"}),
                 boost::test_tools::per_element());
    }
  }
  // Neither the branch's own commit, nor the other runner's, nor docs.
  std::set<std::string> listed(r.points.begin(), r.points.end());
  BOOST_TEST(listed.count(r.branch_commit) == 0u);
  BOOST_TEST(listed.count(r.r2_commit) == 0u);
}

BOOST_AUTO_TEST_CASE(every_distinct_file_is_read_and_parsed_once) {
  BaselineHistory h = BaselineHistory::walk(repo().dir, "v1.0", "v1.1", "r1");
  std::set<std::string> distinct;
  std::size_t listed = 0;
  for (const auto& c : h.commits()) {
    for (const auto& f : c.files) {
      if (!gate::is_suite_baseline_file(f.name)) continue;
      distinct.insert(f.blob);
      ++listed;
    }
  }
  // c.json changes every fifth point and returns to its point-15 bytes at 27;
  // runner.json never changes.
  BOOST_TEST(listed == 90u);
  BOOST_TEST(distinct.size() == 30u + 30u + 6u);  // a and b change at every point; c has versions 0-5
  const auto& c27 = h.commits()[27].files[2];
  const auto& c15 = h.commits()[15].files[2];
  BOOST_TEST(c27.blob == c15.blob);

  std::map<std::string, int> visits;
  h.for_each_suite_baseline([&](const gate::HistoryFile& f, const gate::BaselineFile& b) {
    ++visits[f.blob];
    BOOST_TEST(b.runner.id == "r1");
    BOOST_TEST(b.suite.name == f.name.substr(0, 1));  // a file is named for its suite
  });
  BOOST_TEST(visits.size() == distinct.size());
  for (const auto& [blob, n] : visits) BOOST_TEST(n == 1, blob << " parsed " << n << " times");
  BOOST_TEST(h.counters().files_parsed == distinct.size());
  BOOST_TEST(h.counters().blobs_read == distinct.size());

  // Raw blobs: runner.json once, though every commit lists it.
  int runner_reads = 0;
  h.for_each_blob([&](const gate::HistoryFile& f, std::string_view text) {
    if (f.name == "runner.json") {
      ++runner_reads;
      BOOST_TEST(contains(std::string(text), "\"r1\""));
    }
  });
  BOOST_TEST(runner_reads == 1);
  BOOST_TEST(h.counters().blobs_read == 2 * distinct.size() + 1);
}

// What `gate report` will do with it: series of medians per commit, and the
// change points at the commits that made the steps.
BOOST_AUTO_TEST_CASE(series_from_the_history_show_the_steps_at_their_commits) {
  BaselineHistory h = BaselineHistory::walk(repo().dir, "v1.0", "v1.1", "r1");
  const std::vector<double> up = series_of(h, "a.json", "BM_Up");
  const std::vector<double> down = series_of(h, "b.json", "BM_Down");
  const std::vector<double> flat = series_of(h, "a.json", "BM_Flat");
  BOOST_TEST_REQUIRE(up.size() == static_cast<std::size_t>(k_points));
  for (int k = 0; k < k_points; ++k) {
    BOOST_TEST(std::abs(up[static_cast<std::size_t>(k)] / up_level(k) - 1) < 0.02);
    BOOST_TEST(std::abs(down[static_cast<std::size_t>(k)] / down_level(k) - 1) < 0.02);
  }
  auto at = [&](const std::vector<double>& s) {
    std::vector<std::string> out;
    for (const auto& c : gate::stats::find_change_points(s)) out.push_back(h.commits()[c.index].commit.sha);
    return out;
  };
  BOOST_TEST(at(up) == (std::vector<std::string>{repo().points[12]}), boost::test_tools::per_element());
  BOOST_TEST(at(down) == (std::vector<std::string>{repo().points[20]}), boost::test_tools::per_element());
  BOOST_TEST(at(flat).empty());
}

// bench_c's series has a point where its file changed, not at every commit.
BOOST_AUTO_TEST_CASE(a_series_has_a_point_per_update_of_its_file) {
  BaselineHistory h = BaselineHistory::walk(repo().dir, "v1.0", "v1.1", "r1");
  BOOST_TEST(h.updates_of("c.json") == (std::vector<std::size_t>{0, 5, 10, 15, 20, 25, 27}),
             boost::test_tools::per_element());
  std::vector<std::size_t> every(k_points);
  for (std::size_t i = 0; i < every.size(); ++i) every[i] = i;
  BOOST_TEST(h.updates_of("a.json") == every, boost::test_tools::per_element());
  BOOST_TEST(h.updates_of("runner.json") == (std::vector<std::size_t>{0}), boost::test_tools::per_element());
  BOOST_TEST(h.updates_of("missing.json").empty());
  // A runner that appears inside the range: its file's first point is where it appears.
  BaselineHistory r2 = BaselineHistory::walk(repo().dir, "v1.0", "v1.1", "r2");
  BOOST_TEST(r2.updates_of("a.json") == (std::vector<std::size_t>{1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_same_ref_twice_is_one_point) {
  BaselineHistory h = BaselineHistory::walk(repo().dir, "v1.1", "v1.1", "r1");
  BOOST_TEST_REQUIRE(h.commits().size() == 1u);
  BOOST_TEST(h.commits()[0].commit.sha == repo().points.back());
}

// A runner whose directory appears inside the range: the starting point has
// no files, then the one commit that made it.
BOOST_AUTO_TEST_CASE(a_runner_added_in_the_range_starts_empty) {
  BaselineHistory h = BaselineHistory::walk(repo().dir, "v1.0", "v1.1", "r2");
  BOOST_TEST_REQUIRE(h.commits().size() == 2u);
  BOOST_TEST(h.commits()[0].files.empty());
  BOOST_TEST(h.commits()[1].commit.sha == repo().r2_commit);
  BOOST_TEST_REQUIRE(h.commits()[1].files.size() == 1u);
  BOOST_TEST(h.commits()[1].files[0].name == "a.json");
}

BOOST_AUTO_TEST_CASE(bad_refs_and_runners_are_errors) {
  const fs::path dir = repo().dir;
  std::string m = error_of([&] { (void)BaselineHistory::walk(dir, "v1.1", "v1.0", "r1"); });
  BOOST_TEST(contains(m, "'v1.1' is not on the first-parent history of 'v1.0'"), m);
  BOOST_TEST(contains(m, "other way round: 'v1.0' comes before 'v1.1'"), m);
  m = error_of([&] { (void)BaselineHistory::walk(dir, "v0.9", "v1.1", "r1"); });
  BOOST_TEST(contains(m, "ref 'v0.9' not found"), m);
  m = error_of([&] { (void)BaselineHistory::walk(dir, "v1.0", "v1.1", "../etc"); });
  BOOST_TEST(contains(m, "../etc"), m);
  m = error_of([&] { (void)BaselineHistory::walk(dir, "update", "v1.1", "r1"); });
  BOOST_TEST(contains(m, "'update' is not on the first-parent history of 'v1.1'"), m);
  BOOST_TEST(!contains(m, "other way round"), m);
}

BOOST_AUTO_TEST_CASE(a_corrupt_file_is_named_with_its_commit) {
  TempDir tmp;
  const fs::path dir = tmp / "r";
  gate::test::init_repo(dir);
  write_file(dir / "baselines/r1/a.json", "{\"schema\": \"perfgate-baseline\", \"schema_version\": 1, ");
  gate::test::commit_all(dir, "broken");
  const std::string sha = git(dir, {"rev-parse", "HEAD"});
  BaselineHistory h = BaselineHistory::walk(dir, "HEAD", "HEAD", "r1");
  std::string m = error_of([&] { h.for_each_suite_baseline([](const auto&, const auto&) {}); });
  BOOST_TEST(contains(m, sha.substr(0, 12) + ":baselines/r1/a.json"), m);
}

// Shallow clones: libgit2 1.5 cannot walk past the boundary, so the walk
// must stop before it and say what to fetch; what it says must work.
BOOST_AUTO_TEST_CASE(a_shallow_clone_names_the_fetch_that_fixes_it) {
  Repo& r = repo();
  TempDir tmp;
  const std::string url = "file://" + r.dir.string();
  const fs::path clone = tmp / "clone";
  git(tmp.path(), {"clone", "-q", "--depth", "3", url, clone.string()});
  git(clone, {"fetch", "-q", "--depth=1", "origin", "+refs/tags/v1.0:refs/tags/v1.0", "+refs/tags/v1.1:refs/tags/v1.1"});
  BOOST_TEST_REQUIRE(gate::is_shallow_repository(clone));

  std::string m = error_of([&] { (void)BaselineHistory::walk(clone, "v1.0", "v1.1", "r1"); });
  BOOST_TEST(contains(m, "this clone is shallow"), m);
  BOOST_TEST(contains(m, "git fetch --unshallow"), m);
  const std::string hint = "git fetch --shallow-since=";
  BOOST_TEST_REQUIRE(contains(m, hint), m);
  // The date is a day before v1.0's commit.
  const std::string date = m.substr(m.find(hint) + hint.size(), 10);
  BOOST_TEST(date == "2024-01-03");

  // The narrower fetch is enough: still shallow, but the range is whole.
  git(clone, {"fetch", "-q", "--shallow-since=" + date});
  BOOST_TEST(gate::is_shallow_repository(clone));
  BaselineHistory fetched = BaselineHistory::walk(clone, "v1.0", "v1.1", "r1");
  BOOST_TEST(shas(fetched) == r.points, boost::test_tools::per_element());

  // And so is the wider one.
  const fs::path other = tmp / "other";
  git(tmp.path(), {"clone", "-q", "--depth", "2", url, other.string()});
  m = error_of([&] { (void)BaselineHistory::walk(other, "HEAD~1", "HEAD", "r1"); });
  BOOST_TEST(m == "no error");  // the range fits in the two commits it has
  m = error_of([&] { (void)BaselineHistory::walk(other, "v1.0", "HEAD", "r1"); });
  BOOST_TEST(contains(m, "ref 'v1.0' not found"), m);  // not fetched: the ref's own hint
  git(other, {"fetch", "-q", "--unshallow"});
  BaselineHistory whole = BaselineHistory::walk(other, "v1.0", "v1.1", "r1");
  BOOST_TEST(shas(whole) == r.points, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
