// tests/release_report_test.cpp — `gate report` end to end on a throwaway
// repository: 30 commits of recorded baselines between two tags, one
// benchmark 20% slower from commit 12, one 30% faster from commit 20, the
// rest pure noise. The built gate must name exactly those commits as change
// points, show the change and status in its table, escape hostile names and
// subjects in Markdown and HTML, and in a shallow clone print the two-ref
// table and exit 2 with the fetch that fixes it. The HTML is opened in
// headless Chromium when it is installed.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "gate/formats/bundle.hpp"
#include "gate/model/metrics.hpp"
#include "git_support.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using gate::test::git;
using gate::test::read_file;
using gate::test::run_gate;
using gate::test::TempDir;
using gate::test::write_file;

namespace {

using gate::test::GitEnvironment;
BOOST_TEST_GLOBAL_FIXTURE(GitEnvironment);

const std::string k_hostile = "BM_<script>alert(1)</script>|`x`[y](z)@team";
const std::string k_hostile_subject = "Faster <img src=x onerror=alert(1)> see https://evil.example @team";

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string suite_file(int commit, std::mt19937_64& rng) {
  std::lognormal_distribution<double> noise(0.0, 0.02);
  gate::RunBundle meta;
  meta.runner.id = "r1";
  meta.runner.fingerprint = {{"cpu_model", "test"}, {"logical_cores", "2"}};
  meta.commit = std::to_string(commit);
  meta.time = "2026-01-01T00:00:00Z";
  gate::Suite suite;
  suite.name = "bench_x";
  suite.context = {{"executable", "bench_x"}, {"build_type", "Release"}};
  const std::vector<std::string> names = {"BM_Slower", "BM_Faster", "BM_Noise/1", "BM_Noise/2", "BM_Noise/3", k_hostile};
  for (std::size_t b = 0; b < names.size(); ++b) {
    gate::Benchmark bench;
    bench.name = names[b];
    bench.repetitions = 10;
    bench.iterations = 1000;
    double level = 1e6 * static_cast<double>(b + 1);
    if (b == 0 && commit >= 12) level *= 1.2;
    if (b == 1 && commit >= 20) level *= 0.7;
    gate::Metric m;
    m.name = "cpu_time";
    m.unit = "ns";
    for (int r = 0; r < 10; ++r) m.samples.push_back(level * noise(rng));
    bench.metrics.push_back(std::move(m));
    suite.benchmarks.push_back(std::move(bench));
  }
  return gate::write_baseline(meta, suite);
}

// Commit k (1..30) records the suite; v1.0 tags commit 1, v1.1 commit 30.
// Every fifth commit is followed by one that touches no baseline.
struct ReleaseRepo {
  TempDir tmp;
  fs::path dir = tmp / "repo";
  ReleaseRepo() {
    gate::test::init_repo(dir);
    std::mt19937_64 rng(2026);
    write_file(dir / "gate.json",
               R"({"version": 1, "rules": [{"match": "BM_Slower", "cpu_time": "< 1.1ms"},
                                            {"match": "BM_Faster", "cpu_time": "< 2.1ms"}]})");
    write_file(dir / "baselines/r1/runner.json", R"({"id": "r1", "fingerprint": {"cpu_model": "test", "logical_cores": "2"}})");
    for (int k = 1; k <= 30; ++k) {
      write_file(dir / "baselines/r1/bench_x.json", suite_file(k, rng));
      gate::test::commit_all(dir, k == 25 ? k_hostile_subject : "Update baselines " + std::to_string(k));
      if (k == 1) git(dir, {"tag", "v1.0"});
      if (k % 5 == 0 && k < 30) {
        write_file(dir / "README.md", "update " + std::to_string(k) + "\n");
        gate::test::commit_all(dir, "Docs " + std::to_string(k));
      }
    }
    git(dir, {"tag", "v1.1"});
  }
};

const ReleaseRepo& repo() {
  static const ReleaseRepo r;
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(release_report)

BOOST_AUTO_TEST_CASE(change_points_are_the_commits_that_moved_the_benchmarks) {
  TempDir out;
  auto r = run_gate({"report", "--from", "v1.0", "--to", "v1.1", "--json-out", (out / "r.json").string()}, repo().dir);
  BOOST_TEST_REQUIRE(r.exit_code == 1, r.err);  // BM_Slower regressed and misses its target
  const auto j = nlohmann::json::parse(read_file(out / "r.json"));
  BOOST_TEST(j["schema"] == "perfgate-release-report");
  const auto& runner = j["runners"][0];
  BOOST_TEST(runner["runner"] == "r1");
  BOOST_TEST(runner["commits"].size() == 30u);  // v1.0's commit and the 29 updates after it; docs commits are not points
  std::vector<std::string> found;
  for (const auto& cp : runner["change_points"]) {
    found.push_back(cp["benchmark"].get<std::string>() + "@" + cp["commit"]["subject"].get<std::string>());
  }
  const std::vector<std::string> expected = {"BM_Slower@Update baselines 12", "BM_Faster@Update baselines 20"};
  BOOST_TEST(found == expected, boost::test_tools::per_element());
  const auto& slow = runner["change_points"][0];
  BOOST_TEST(slow["change"].get<double>() == 0.2, boost::test_tools::tolerance(0.03));
  BOOST_TEST(slow["worse"] == true);
  BOOST_TEST(runner["change_points"][1]["change"].get<double>() == -0.3, boost::test_tools::tolerance(0.03));
  // Each of the 30 versions of bench_x.json is read once: the two ends for
  // the table, the 28 between them by the history.
  BOOST_TEST(runner["blobs_read"] == 28u);
  // Every series has one point per update of its suite.
  for (const auto& s : runner["series"]) BOOST_TEST(s["points"].size() == 30u);
}

BOOST_AUTO_TEST_CASE(the_table_shows_change_target_and_status) {
  TempDir out;
  auto r = run_gate({"report", "--from", "v1.0", "--to", "v1.1", "--json-out", (out / "r.json").string()}, repo().dir);
  BOOST_TEST_REQUIRE(r.exit_code == 1, r.err);
  const auto j = nlohmann::json::parse(read_file(out / "r.json"));
  const auto& runner = j["runners"][0];
  BOOST_TEST(contains(runner["headline"].get<std::string>(), "FAIL:"), runner["headline"]);
  bool slow = false;
  bool fast = false;
  for (const auto& row : runner["rows"]) {
    if (row["name"] == "BM_Slower") {
      slow = true;
      BOOST_TEST(row["status"] == "regressed");
      BOOST_TEST(row["change"].get<double>() == 0.2, boost::test_tools::tolerance(0.03));
      BOOST_TEST(row["target"]["status"] == "target missed");
      BOOST_TEST(row["target"]["margin"].get<double>() < 0);
    }
    if (row["name"] == "BM_Faster") {
      fast = true;
      BOOST_TEST(row["status"] == "improved");
      BOOST_TEST(row["change"].get<double>() == -0.3, boost::test_tools::tolerance(0.03));
      BOOST_TEST(row["target"]["status"] == "target met");
      BOOST_TEST(row["target"]["near"] == false);
    }
  }
  BOOST_TEST(slow);
  BOOST_TEST(fast);
  // The Markdown table a release manager reads: the change, the target, the status.
  BOOST_TEST(contains(r.out, "# Performance report: v1.0 → v1.1"), r.out);
  BOOST_TEST(contains(r.out, "| benchmark | metric | statistic | v1.0 | v1.1 | change | limit | p | n | target | margin | status |"),
             r.out);
  // Each change says what it compared, against which limit, on how many samples.
  BOOST_TEST(contains(r.out, "| BM\\_Slower | cpu\\_time | median | 997 µs | 1.2 ms | +20.6% | +10% | 5.4e-06 | 10/10 |"),
             r.out);
  BOOST_TEST(contains(r.out, "median &lt; 1.1ms"), r.out);
  BOOST_TEST(contains(r.out, "❌ regressed"), r.out);
  BOOST_TEST(contains(r.out, "- [ ] Verify all targets: 1 of 2 missed"), r.out);
  BOOST_TEST(contains(r.out, "Update baselines 12"), r.out);
  // The HTML table has the same columns and the same row.
  auto h = run_gate({"report", "--from", "v1.0", "--to", "v1.1", "--html-out", (out / "r.html").string()}, repo().dir);
  BOOST_TEST_REQUIRE(h.exit_code == 1, h.err);
  const std::string html = read_file(out / "r.html");
  BOOST_TEST(contains(html, "<th>benchmark</th><th>metric</th><th>statistic</th><th>v1.0</th><th>v1.1</th>"
                            "<th>change</th><th>limit</th><th>p</th><th>n</th>"));
  BOOST_TEST(contains(html, "<td>BM_Slower</td><td>cpu_time</td><td>median</td><td class=\"n\">997 µs</td>"
                            "<td class=\"n\">1.2 ms</td><td class=\"n\">+20.6%</td><td class=\"n\">+10%</td>"
                            "<td class=\"n\">5.4e-06</td><td class=\"n\">10/10</td>"));
}

// A limit on instructions added between two releases: the later tag measures
// them, the earlier one did not. The report shows them as new and passes;
// it does not refuse to judge (exit 2) the release over it.
BOOST_AUTO_TEST_CASE(a_metric_first_measured_after_the_earlier_tag_is_new) {
  TempDir tmp;
  const fs::path dir = tmp / "repo";
  gate::test::init_repo(dir);
  write_file(dir / "gate.json", R"({"version": 1, "defaults": {"limits": {"instructions": "+1%"}}})");
  write_file(dir / "baselines/r1/runner.json", R"({"id": "r1", "fingerprint": {"cpu_model": "test", "logical_cores": "2"}})");
  auto record = [&](bool instrumented, const std::string& tag) {
    gate::RunBundle meta;
    meta.runner.id = "r1";
    meta.runner.fingerprint = {{"cpu_model", "test"}, {"logical_cores", "2"}};
    meta.commit = tag;
    meta.time = "2026-01-01T00:00:00Z";
    gate::Suite suite;
    suite.name = "bench_x";
    suite.context = {{"executable", "bench_x"}, {"build_type", "Release"}};
    gate::Benchmark bench;
    bench.name = "BM_Counted";
    bench.repetitions = 10;
    bench.iterations = 1000;
    gate::Metric time = gate::make_metric("cpu_time");
    for (int r = 0; r < 10; ++r) time.samples.push_back(1e6 * (1.0 + 0.001 * r));
    bench.metrics.push_back(std::move(time));
    if (instrumented) {
      gate::Metric count = gate::make_metric("instructions");
      count.kind = gate::MetricKind::deterministic;
      count.samples = {123456.0};
      bench.metrics.push_back(std::move(count));
    }
    suite.benchmarks.push_back(std::move(bench));
    write_file(dir / "baselines/r1/bench_x.json", gate::write_baseline(meta, suite));
    gate::test::commit_all(dir, "Baselines at " + tag);
    git(dir, {"tag", tag});
  };
  record(false, "v1.0");
  record(true, "v1.1");

  auto r = run_gate({"report", "--from", "v1.0", "--to", "v1.1", "--json-out", (tmp / "r.json").string()}, dir);
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err << r.out);
  const auto j = nlohmann::json::parse(read_file(tmp / "r.json"));
  bool counted = false;
  for (const auto& row : j["runners"][0]["rows"]) {
    if (row["name"] == "BM_Counted" && row["metric"] == "instructions") {
      counted = true;
      BOOST_TEST(row["status"] == "new", row.dump());
      BOOST_TEST(row["statistic"] == "value", row.dump());
      BOOST_TEST(row["limit"] == "+1%", row.dump());
    }
  }
  BOOST_TEST(counted, j["runners"][0]["rows"].dump());
  BOOST_TEST(!contains(r.out, "could not"), r.out);

  // A developer's compare of the same two files still needs both sides
  // measured the same way.
  write_file(tmp / "from.json", git(dir, {"show", "v1.0:baselines/r1/bench_x.json"}));
  write_file(tmp / "to.json", git(dir, {"show", "v1.1:baselines/r1/bench_x.json"}));
  auto c = run_gate({"compare", (tmp / "from.json").string(), (tmp / "to.json").string(), "--policy",
                     (dir / "gate.json").string()});
  BOOST_TEST(c.exit_code == 2, c.out << c.err);
  BOOST_TEST(contains(c.out + c.err, "metric 'instructions' has a limit but was not measured in"), c.out << c.err);
}

BOOST_AUTO_TEST_CASE(hostile_names_and_subjects_are_escaped) {
  TempDir out;
  auto r = run_gate({"report", "--from", "v1.0", "--to", "v1.1", "--markdown-out", (out / "r.md").string(),
                     "--html-out", (out / "r.html").string()},
                    repo().dir);
  BOOST_TEST_REQUIRE(r.exit_code == 1, r.err);
  const std::string md = read_file(out / "r.md");
  BOOST_TEST(md == r.out);
  BOOST_TEST(!contains(md, "<script>"));
  BOOST_TEST(!contains(md, "<img"));
  BOOST_TEST(!contains(md, "|`x`"));
  BOOST_TEST(!contains(md, "@team"));
  BOOST_TEST(!contains(md, "https://"));
  BOOST_TEST(contains(md, "BM\\_&lt;script&gt;alert(1)&lt;/script&gt;\\|\\`x\\`\\[y\\](z)@\u200bteam"), md);
  const std::string html = read_file(out / "r.html");
  BOOST_TEST(!contains(html, "<script"));
  BOOST_TEST(!contains(html, "<img"));
  BOOST_TEST(contains(html, "BM_&lt;script&gt;alert(1)&lt;/script&gt;|`x`[y](z)@team"));
  BOOST_TEST(contains(html, "Faster &lt;img src=x onerror=alert(1)&gt;"));
  // One file that fetches nothing: no address, no script, no external sheet.
  BOOST_TEST(!contains(html, "http://"));
  BOOST_TEST(!contains(html, "https://"));
  BOOST_TEST(!contains(html, "<link"));
  BOOST_TEST(contains(html, "<svg"));
}

BOOST_AUTO_TEST_CASE(a_shallow_clone_prints_the_table_and_the_fetch_that_fixes_it) {
  TempDir tmp;
  const fs::path clone = tmp / "clone";
  const std::string url = "file://" + repo().dir.string();
  git(tmp.path(), {"clone", "-q", "--depth", "1", "--branch", "v1.1", url, clone.string()});
  git(clone, {"fetch", "-q", "--depth=1", "origin", "+refs/tags/v1.0:refs/tags/v1.0"});
  auto r = run_gate({"report", "--from", "v1.0", "--to", "v1.1", "--html-out", (tmp / "r.html").string()}, clone);
  BOOST_TEST(r.exit_code == 2, r.err);
  BOOST_TEST(contains(r.first_err_line(), "gate: error: walking the history"), r.err);
  BOOST_TEST(contains(r.err, "this clone is shallow"), r.err);
  BOOST_TEST(contains(r.err, "git fetch --unshallow"), r.err);
  BOOST_TEST(contains(r.out, "COULD NOT JUDGE: the history could not be read"), r.out);
  BOOST_TEST(contains(r.out, "| BM\\_Slower | cpu\\_time |"), r.out);
  BOOST_TEST(contains(r.out, "- [ ] Fetch the history between the releases"), r.out);
  BOOST_TEST(fs::exists(tmp / "r.html"));
  // After the fetch it names, the history is there.
  git(clone, {"fetch", "-q", "--unshallow"});
  auto again = run_gate({"report", "--from", "v1.0", "--to", "v1.1"}, clone);
  BOOST_TEST(again.exit_code == 1, again.err);
  BOOST_TEST(contains(again.out, "Update baselines 20"), again.out);
}

BOOST_AUTO_TEST_CASE(bad_refs_and_runners_are_errors) {
  auto r = run_gate({"report", "--from", "v0.9", "--to", "v1.1"}, repo().dir);
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.first_err_line(), "gate: error:"), r.err);
  BOOST_TEST(contains(r.err, "v0.9"), r.err);
  auto swapped = run_gate({"report", "--from", "v1.1", "--to", "v1.0"}, repo().dir);
  BOOST_TEST(swapped.exit_code == 2);
  BOOST_TEST(contains(swapped.err, "the other way round"), swapped.err);
  auto runner = run_gate({"report", "--from", "v1.0", "--to", "v1.1", "--runner", "nobody"}, repo().dir);
  BOOST_TEST(runner.exit_code == 2);
  BOOST_TEST(contains(runner.err, "no baselines for runner 'nobody'"), runner.err);
}

// What release-report.yml runs: the report of the tag at HEAD from the tag
// before it, the three files, the job summary, gate's exit code.
BOOST_AUTO_TEST_CASE(the_ci_script_reports_from_the_previous_tag) {
  TempDir out;
  const char* gate_bin = std::getenv("GATE_BIN");
  BOOST_TEST_REQUIRE(gate_bin != nullptr);
  auto r = gate::test::run({"/bin/bash", std::string(GATE_SOURCE_DIR) + "/scripts/ci/release-report", "write", "--out",
                            (out / "reports").string()},
                           repo().dir,
                           {std::string("GATE=") + gate_bin, "GITHUB_REF_TYPE=",
                            "GITHUB_STEP_SUMMARY=" + (out / "summary.md").string()});
  BOOST_TEST(r.exit_code == 1, r.out + r.err);
  BOOST_TEST(contains(r.out, "report --from v1.0 --to v1.1"), r.out);
  for (const char* ext : {"md", "html", "json"}) {
    BOOST_TEST(fs::exists(out / "reports" / (std::string("perf-report-v1.1.") + ext)), ext);
  }
  BOOST_TEST(contains(read_file(out / "summary.md"), "# Performance report: v1.0 → v1.1"));
}

// Headless Chromium renders the HTML: a screenshot that is not blank, and a
// DOM with the table and the charts. Its own CTest test, skipped with the
// reason when chromium is not installed; disabled in the module's own run.
BOOST_AUTO_TEST_CASE(html_renders_in_headless_chromium, *boost::unit_test::disabled()) {
  std::string browser;
  for (const char* name : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (fs::exists(name)) browser = name;
  }
  if (browser.empty()) {
    BOOST_TEST_MESSAGE("perfgate-test-skipped: chromium is not installed (Debian: apt-get install chromium)");
    std::printf("perfgate-test-skipped: chromium is not installed (Debian: apt-get install chromium)\n");
    return;
  }
  TempDir out;
  auto r = run_gate({"report", "--from", "v1.0", "--to", "v1.1", "--html-out", (out / "r.html").string()}, repo().dir);
  BOOST_TEST_REQUIRE(r.exit_code == 1, r.err);
  const std::string page = "file://" + (out / "r.html").string();
  const std::vector<std::string> common = {browser, "--headless", "--no-sandbox", "--disable-gpu",
                                           "--no-first-run", "--user-data-dir=" + (out / "profile").string()};
  auto shot_args = common;
  shot_args.push_back("--screenshot=" + (out / "r.png").string());
  shot_args.push_back("--window-size=1200,2400");
  shot_args.push_back(page);
  auto shot = gate::test::run(shot_args, out.path(), {"HOME=" + out.path().string()});
  BOOST_TEST_REQUIRE(fs::exists(out / "r.png"), shot.err);
  const std::string png = read_file(out / "r.png");
  BOOST_TEST(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
  // A blank page compresses to a few kilobytes; tables and charts do not.
  BOOST_TEST(png.size() > 30'000u, png.size());
  auto dom_args = common;
  dom_args.push_back("--dump-dom");
  dom_args.push_back(page);
  auto dom = gate::test::run(dom_args, out.path(), {"HOME=" + out.path().string()});
  BOOST_TEST(contains(dom.out, "<table id=\"benchmarks\">"), dom.err);
  BOOST_TEST(contains(dom.out, "<svg"));
  BOOST_TEST(contains(dom.out, "<circle"));
  BOOST_TEST(!contains(dom.out, "<script"));
}

BOOST_AUTO_TEST_SUITE_END()
