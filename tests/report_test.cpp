// tests/report_test.cpp — the renderings of a comparison: the table's header
// facts and hiding of quiet rows, Markdown's size limit and escaping, JUnit
// XML's structure and escaping.
#include <boost/test/unit_test.hpp>

#include "gate/report/report.hpp"

using namespace gate;

namespace {

Verdict verdict(const std::string& name, Status s, double change) {
  Verdict v;
  v.suite = "bench_x";
  v.benchmark = name;
  v.metric = "cpu_time";
  v.unit = "ns";
  v.status = s;
  v.statistic = "median";
  v.test = "mann-whitney u";
  v.baseline = 1000;
  v.contender = 1000 * (1 + change);
  v.change = change;
  v.threshold = "+10%";
  v.p_value = 0.001;
  v.q_value = 0.01;
  v.n_baseline = 10;
  v.n_contender = 10;
  return v;
}

Comparison comparison(std::size_t unchanged) {
  Comparison c;
  c.baseline_source = "baselines/r1 @ origin/main";
  c.baseline_commit = "0123456789abcdef0123456789abcdef01234567";
  c.runner = "r1";
  c.contender_source = "run.json";
  c.policy_source = "gate.json";
  c.verdicts.push_back(verdict("BM_<Slow>&\"Bad\"", Status::regressed, 0.25));
  c.verdicts.push_back(verdict("BM_Noisy", Status::noisy, 0.15));
  for (std::size_t i = 0; i < unchanged; ++i) c.verdicts.push_back(verdict("BM_Ok/" + std::to_string(i), Status::unchanged, 0.01));
  return c;
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(report)

BOOST_AUTO_TEST_CASE(the_table_names_its_inputs_and_summarises_quiet_rows) {
  auto c = comparison(100);
  auto t = render_table(c);
  BOOST_TEST(t.find("baselines/r1 @ origin/main @ 0123456789ab") != std::string::npos, t);
  BOOST_TEST(t.find("runner:     r1") != std::string::npos);
  BOOST_TEST(t.find("policy:     gate.json") != std::string::npos);
  BOOST_TEST(t.find("FAILED: 1 regressed, 1 noisy, 100 unchanged") != std::string::npos);
  BOOST_TEST(t.find("BM_Ok/5") == std::string::npos);  // 100 quiet rows are counted, not listed
  BOOST_TEST(t.find("100 unchanged or met rows not shown") != std::string::npos);
  BOOST_TEST(render_table(c, {.color = false, .show_all = true}).find("BM_Ok/5") != std::string::npos);
  // Worst first, as compare() ordered them.
  BOOST_TEST(t.find("regressed") < t.find("noisy  "));
  BOOST_TEST(t.find("\x1b[") == std::string::npos);
  BOOST_TEST(render_table(c, {.color = true}).find("\x1b[31m") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(markdown_stays_within_the_limit_and_counts_what_it_drops) {
  auto c = comparison(5000);
  auto md = render_markdown(c);
  BOOST_TEST(md.size() <= 60000u);
  BOOST_TEST(md.find("more rows not shown") != std::string::npos);
  // The failing row is never the one dropped.
  BOOST_TEST(md.find("BM\\_&lt;Slow&gt;&amp;&quot;Bad&quot;") != std::string::npos, md.substr(0, 2000));
  auto small = render_markdown(comparison(3));
  BOOST_TEST(small.find("more rows not shown") == std::string::npos);
  BOOST_TEST(small.find("<details><summary>3 unchanged or met</summary>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(junit_has_a_case_per_verdict_and_a_failure_per_failing_one) {
  auto x = render_junit(comparison(3));
  BOOST_TEST(x.rfind("<?xml", 0) == 0);
  BOOST_TEST(occurrences(x, "<testcase ") == 5u);
  BOOST_TEST(occurrences(x, "<failure ") == 1u);
  BOOST_TEST(occurrences(x, "<skipped ") == 1u);
  BOOST_TEST(x.find("tests=\"5\" failures=\"1\" skipped=\"1\"") != std::string::npos, x);
  BOOST_TEST(x.find("BM_&lt;Slow&gt;&amp;&quot;Bad&quot;") != std::string::npos);
  BOOST_TEST(x.find("<Slow>") == std::string::npos);
  BOOST_TEST(occurrences(x, "<testsuite ") == occurrences(x, "</testsuite>"));
}

BOOST_AUTO_TEST_CASE(json_carries_every_input_of_a_verdict) {
  auto j = render_json(comparison(0));
  for (auto key : {"\"p_value\"", "\"q_value\"", "\"n_baseline\"", "\"threshold\"", "\"commit\"", "\"runner\"",
                   "\"statistic\"", "\"schema_version\": 1"}) {
    BOOST_TEST(j.find(key) != std::string::npos, key);
  }
}

BOOST_AUTO_TEST_SUITE_END()
