// components/caro/test/caro_test.cpp — caro's request path: commands for the
// matcher's corpus, refusals decided by the validator, requests without a
// match, and answers that do not depend on the thread asking.
#define BOOST_TEST_MODULE caro
#include <boost/test/unit_test.hpp>

#include <string>
#include <thread>
#include <vector>

#include "caro/assistant.hpp"
#include "matcher/samples.hpp"
#include "safety/validator.hpp"

using namespace perfgate::caro;
namespace matcher = perfgate::matcher;
namespace safety = perfgate::safety;

namespace {

const Assistant& assistant() {
  static const Assistant a;
  return a;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(assistant_suite)

BOOST_AUTO_TEST_CASE(the_corpus_gets_its_commands) {
  std::size_t commands = 0;
  for (const matcher::SampleQuery& s : matcher::sample_queries()) {
    const Answer a = assistant().answer(s.query);
    if (s.command.empty()) {
      BOOST_TEST((a.outcome == Outcome::no_match), s.query);
      BOOST_TEST(a.command.empty());
      BOOST_TEST(a.pattern.empty());
      continue;
    }
    BOOST_TEST((a.outcome == Outcome::command), s.query);
    BOOST_TEST(a.command == s.command, s.query);
    BOOST_TEST(!a.pattern.empty());
    BOOST_TEST(!a.verdict.blocked());
    ++commands;
  }
  BOOST_TEST(commands > 60U);
}

BOOST_AUTO_TEST_CASE(a_command_the_validator_blocks_is_refused) {
  const Answer a = assistant().answer("delete empty directories in /");
  BOOST_TEST((a.outcome == Outcome::refused));
  BOOST_TEST(a.command == "find / -type d -empty -delete");
  BOOST_TEST(a.pattern == "find-dirs");
  BOOST_TEST((a.verdict.risk == safety::Risk::critical));
  BOOST_TEST(a.verdict.rule == "find-delete-root");
  // The same request elsewhere is an ordinary command.
  const Answer here = assistant().answer("delete empty directories under build");
  BOOST_TEST((here.outcome == Outcome::command));
  BOOST_TEST(here.command == "find build -type d -empty -delete");
}

BOOST_AUTO_TEST_CASE(refusal_is_exactly_what_the_validator_blocks) {
  const safety::Validator validator;
  for (const std::string_view q : {"delete log files in /var/log", "delete python files in /usr",
                                   "find files in / and delete them", "delete files larger than 1GB in /tmp",
                                   "delete tmp files older than 7 days", "kill process named node",
                                   "compress the logs/ folder", "make deploy.sh executable"}) {
    const Answer a = assistant().answer(q);
    BOOST_TEST_REQUIRE((a.outcome != Outcome::no_match), q);
    const safety::Verdict v = validator.validate(a.command);
    BOOST_TEST((a.outcome == Outcome::refused) == v.blocked(), q);
    BOOST_TEST((a.verdict.risk == v.risk), q);
  }
}

BOOST_AUTO_TEST_CASE(answers_do_not_depend_on_the_thread) {
  std::vector<std::string> expected;
  for (const matcher::SampleQuery& s : matcher::sample_queries()) {
    expected.push_back(assistant().answer(s.query).command);
  }
  std::vector<int> wrong(8, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < wrong.size(); ++t) {
    threads.emplace_back([&, t] {
      const auto queries = matcher::sample_queries();
      for (int round = 0; round < 50; ++round) {
        for (std::size_t i = 0; i < queries.size(); ++i) {
          const std::size_t at = (i + t * 7) % queries.size();
          wrong[t] += assistant().answer(queries[at].query).command == expected[at] ? 0 : 1;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  for (const int w : wrong) {
    BOOST_TEST(w == 0);
  }
}

BOOST_AUTO_TEST_CASE(outcomes_have_names) {
  BOOST_TEST(to_string(Outcome::command) == "command");
  BOOST_TEST(to_string(Outcome::refused) == "refused");
  BOOST_TEST(to_string(Outcome::no_match) == "no match");
}

BOOST_AUTO_TEST_SUITE_END()
