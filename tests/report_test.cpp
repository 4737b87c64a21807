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
  v.name = name;
  v.metric = "cpu_time";
  v.unit = "ns";
  v.status = s;
  v.statistic = Statistic{StatisticKind::median};
  v.test = Test::rank_beyond_limit;
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
                   "\"statistic\"", "\"schema_version\": 2", "\"scope\"", "\"notes\"", "\"suspects\""}) {
    BOOST_TEST(j.find(key) != std::string::npos, key);
  }
}

// One row model: a suspect shows as a suspect, with its note, in every
// format; the headline agrees with the rows.
BOOST_AUTO_TEST_CASE(every_format_shows_the_same_state_and_note_of_a_row) {
  Comparison c = comparison(2);
  c.verdicts.erase(c.verdicts.begin());  // no regression: only the suspect can fail
  Verdict suspect = verdict("BM_Suspect", Status::suspect, 2.22);
  suspect.add_note("a timing regression against a stored baseline: confirmed or cleared by a same-job re-run");
  c.verdicts.insert(c.verdicts.begin(), suspect);

  const std::string note = "confirmed or cleared by a same-job re-run";
  auto table = render_table(c);
  auto md = render_markdown(c);
  auto junit = render_junit(c);
  auto json = render_json(c);
  BOOST_TEST(table.find("suspect    BM_Suspect") != std::string::npos, table);
  BOOST_TEST(table.find(note) != std::string::npos, table);
  BOOST_TEST(md.find("| :x: suspect | BM\\_Suspect") != std::string::npos, md);
  BOOST_TEST(md.find(note) != std::string::npos, md);
  BOOST_TEST(junit.find("<failure message=\"suspect cpu_time") != std::string::npos, junit);
  BOOST_TEST(junit.find(note) != std::string::npos, junit);
  BOOST_TEST(json.find("\"status\": \"suspect\"") != std::string::npos);
  BOOST_TEST(json.find(note) != std::string::npos);
  // A suspect no confirmation has seen fails: no format says PASSED.
  BOOST_TEST(c.exit_code() == 1);
  BOOST_TEST(md.rfind("## perfgate: FAILED", 0) == 0u, md.substr(0, 200));
  BOOST_TEST(table.find("\nFAILED: 1 suspect, 1 noisy, 2 unchanged") != std::string::npos, table);
  BOOST_TEST(json.find("\"outcome\": \"failed\"") != std::string::npos);

  // When the policy lets it pass, the headline says so and the row is not a failure.
  c.policy.defaults.unconfirmed = Unconfirmed::pass;
  auto lenient = render_markdown(c);
  BOOST_TEST(lenient.rfind("## perfgate: PASSED with 1 unconfirmed suspect\n", 0) == 0u, lenient.substr(0, 200));
  BOOST_TEST(lenient.find("| :warning: suspect | BM\\_Suspect") != std::string::npos, lenient);
  BOOST_TEST(render_table(c).find("\nPASSED with 1 unconfirmed suspect: 1 suspect") != std::string::npos);
  BOOST_TEST(render_junit(c).find("<failure ") == std::string::npos);
}

// Names come from the pull request: nothing in them may split a row, hide
// one, or reorder what a reviewer reads.
BOOST_AUTO_TEST_CASE(control_characters_in_names_are_shown_escaped_never_obeyed) {
  Comparison c = comparison(0);
  c.verdicts.push_back(verdict("BM_A\nPASSED: 1 unchanged\x1b[8mhidden\a\r\xe2\x80\xae", Status::unchanged, 0.0));
  c.verdicts.back().add_note("suite said: line one\nline two\x1b[2J");
  auto table = render_table(c, {.color = false, .show_all = true});
  BOOST_TEST(table.find("BM_A\\nPASSED: 1 unchanged\\x1b[8mhidden\\x07\\r\\u202e") != std::string::npos, table);
  for (char bad : {'\x1b', '\a', '\r'}) BOOST_TEST(table.find(bad) == std::string::npos);
  BOOST_TEST(table.find("\xe2\x80\xae") == std::string::npos);
  BOOST_TEST(table.find("\nPASSED") == std::string::npos);
  auto md = render_markdown(c);
  BOOST_TEST(md.find('\x1b') == std::string::npos);
  BOOST_TEST(md.find("\xe2\x80\xae") == std::string::npos);
  auto junit = render_junit(c);
  BOOST_TEST(junit.find('\x1b') == std::string::npos);
}

// The comment is rendered by GitHub: nothing a benchmark name holds may
// become a link, an image, a mention or a reference there.
BOOST_AUTO_TEST_CASE(markdown_defuses_links_references_mentions_and_addresses) {
  Comparison c = comparison(0);
  for (const char* name : {"> [x]: https://evil.example/p.png", "- [y]: http://evil.example", "![z][x]",
                           "GH-12 closes", "see www.evil.example", "@octocat", "#12", "<img src=x>"}) {
    c.verdicts.push_back(verdict(name, Status::regressed, 0.5));
  }
  const std::string md = render_markdown(c);
  BOOST_TEST(md.find("](") == std::string::npos);
  BOOST_TEST(md.find("[x]:") == std::string::npos, md);
  BOOST_TEST(md.find("https://") == std::string::npos, md);
  BOOST_TEST(md.find("http://") == std::string::npos, md);
  BOOST_TEST(md.find("www.evil") == std::string::npos, md);
  BOOST_TEST(md.find("GH-12") == std::string::npos, md);
  BOOST_TEST(md.find("@octocat") == std::string::npos, md);
  BOOST_TEST(md.find(" #12") == std::string::npos, md);
  BOOST_TEST(md.find("<img") == std::string::npos, md);
  // Shown, not dropped: the reader still sees the names.
  BOOST_TEST(md.find("\\[x\\]: https:\u200b//evil.example") != std::string::npos, md);
  BOOST_TEST(md.find("GH\u200b-12 closes") != std::string::npos, md);
}

BOOST_AUTO_TEST_SUITE_END()
