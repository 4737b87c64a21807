// components/matcher/test/matcher_test.cpp — the matcher on its corpus of
// requests, slot reading, quoting of user text, and thread safety.
#define BOOST_TEST_MODULE matcher
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "matcher/matcher.hpp"
#include "matcher/samples.hpp"

using namespace perfgate::matcher;

namespace {

const Matcher& matcher() {
  static const Matcher m;
  return m;
}

std::string command_for(std::string_view q) {
  const auto m = matcher().generate(q);
  return m ? m->command : std::string("<no match>");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(matcher_suite)

BOOST_AUTO_TEST_CASE(corpus_gives_the_expected_commands) {
  std::size_t per_class[3] = {0, 0, 0};
  for (const SampleQuery& s : sample_queries()) {
    const auto m = matcher().generate(s.query);
    if (s.command.empty()) {
      BOOST_TEST(!m.has_value(), "'" << s.query << "' matched " << (m ? m->pattern : "") << ": " << (m ? m->command : ""));
      continue;
    }
    BOOST_TEST_REQUIRE(m.has_value(), "'" << s.query << "' did not match");
    BOOST_TEST(m->command == s.command, "'" << s.query << "' via " << m->pattern << " gave: " << m->command);
    ++per_class[static_cast<int>(s.query_class)];
  }
  // The benchmark replays each class: make sure each has enough requests.
  BOOST_TEST(per_class[0] >= 20U);
  BOOST_TEST(per_class[1] >= 20U);
  BOOST_TEST(per_class[2] >= 10U);
  BOOST_TEST(sample_queries().size() >= 50U);
}

BOOST_AUTO_TEST_CASE(case_spacing_and_punctuation_do_not_matter) {
  BOOST_TEST(command_for("LIST FILES") == "ls -la");
  BOOST_TEST(command_for("  list    files?  ") == "ls -la");
  BOOST_TEST(command_for("Files larger than 100 MB.") == "find . -type f -size +100M");
  BOOST_TEST(command_for("files bigger than 2gb") == "find . -type f -size +2G");
  BOOST_TEST(command_for("files below 500kb") == "find . -type f -size -500k");
}

BOOST_AUTO_TEST_CASE(user_text_is_quoted_so_the_shell_cannot_expand_it) {
  BOOST_TEST(command_for("search for '$(reboot)' in the code") == "grep -rn '$(reboot)' .");
  BOOST_TEST(command_for("search for \"it's\" in notes.txt") == "grep -rn 'it'\\''s' notes.txt");
  BOOST_TEST(command_for("create a directory called 'my dir'") == "mkdir -p 'my dir'");
  BOOST_TEST(command_for("find files named '*; rm -rf ~'") == "find . -type f -name '*; rm -rf ~'");
  BOOST_TEST(command_for("find process named 'a b'") == "pgrep -af 'a b'");
}

BOOST_AUTO_TEST_CASE(slots_combine_in_any_order) {
  const std::string expected = "find . -type f -name '*.log' -size +10M -mtime -1";
  BOOST_TEST(command_for("find log files larger than 10mb modified today") == expected);
  BOOST_TEST(command_for("find log files modified today larger than 10mb") == expected);
  BOOST_TEST(command_for("log files modified today bigger than 10 mb") == expected);
}

BOOST_AUTO_TEST_CASE(unknown_requests_do_not_match) {
  for (const auto q : {"", "   ", "hello", "write a poem", "what is the meaning of life", "12345"}) {
    BOOST_TEST(!matcher().generate(q).has_value(), q);
  }
}

BOOST_AUTO_TEST_CASE(patterns_have_distinct_ids_and_many_are_used) {
  std::set<std::string_view> used;
  for (const SampleQuery& s : sample_queries()) {
    if (const auto m = matcher().generate(s.query)) {
      used.insert(m->pattern);
    }
  }
  BOOST_TEST(matcher().pattern_count() >= 50U);
  BOOST_TEST(used.size() >= 50U);
}

BOOST_AUTO_TEST_CASE(same_answers_from_many_threads) {
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &wrong] {
      for (int round = 0; round < 50; ++round) {
        for (const SampleQuery& s : sample_queries()) {
          const auto m = matcher().generate(s.query);
          if ((m ? m->command : std::string()) != s.command) {
            ++wrong[static_cast<std::size_t>(t)];
          }
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  for (const int w : wrong) {
    BOOST_TEST(w == 0);
  }
}

BOOST_AUTO_TEST_SUITE_END()
