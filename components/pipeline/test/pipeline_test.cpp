// components/pipeline/test/pipeline_test.cpp — one generation end to end: a
// file checked against the constraints clew extracts from it, the caches of
// a repeated request, merging several files, and a violation traced back to
// the file it came from.
#define BOOST_TEST_MODULE pipeline
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "braid/tokens.hpp"
#include "clew/extract.hpp"
#include "clew/generate.hpp"
#include "pipeline/pipeline.hpp"

using namespace perfgate::pipeline;
namespace braid = perfgate::braid;
namespace clew = perfgate::clew;

namespace {

std::size_t count_of(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

Request request_for(std::vector<SourceFile> context, std::string_view output) {
  Request r;
  r.context = std::move(context);
  r.tokens = braid::split_tokens(output);
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pipeline_suite)

// The validator reads definitions the way clew extracts them: a file passes
// its own signatures, annotations, imports and bases, and is refused exactly
// at the calls clew marked as prohibited (each `eval(` it contains).
BOOST_AUTO_TEST_CASE(a_file_meets_its_own_constraints_except_its_prohibited_calls) {
  std::size_t evals = 0;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const std::string source = clew::generate_source(20000, seed);
    Pipeline p;
    const Result result = p.run(request_for({{"gen.py", source}}, source));
    const auto tokens = braid::split_tokens(source);
    BOOST_TEST(result.ir.constraints.size() > 100U);
    BOOST_TEST(result.accepted + result.rejections.size() == tokens.size());
    BOOST_TEST(result.rejections.size() == count_of(source, "eval("), "seed " << seed);
    for (const Rejection& r : result.rejections) {
      BOOST_TEST(r.reason == "prohibited call");
      BOOST_TEST(tokens[r.token] == "(");
      BOOST_TEST(result.ir.constraints[r.constraint].value == "!eval");
    }
    evals += result.rejections.size();
  }
  BOOST_TEST(evals > 0U);  // the generator does emit some
}

// Headers written over several lines, as people write them: the validator
// reads them as clew does.
BOOST_AUTO_TEST_CASE(headers_over_several_lines_meet_their_own_constraints) {
  const std::string source =
      "class Store(Base,\n            Mixin):\n"
      "    def put(\n        self,\n        key: str,  # the key\n        value: dict[str,\n"
      "                    list[int]] = None,\n    ) -> Optional[\n        int]:\n"
      "        return None\n";
  Pipeline p;
  const Result result = p.run(request_for({{"store.py", source}}, source));
  const auto& cs = result.ir.constraints;
  BOOST_TEST(std::any_of(cs.begin(), cs.end(), [](const braid::Constraint& c) {
    return c.subject == "Store.put.value" && c.value == "dict[str, list[int]]";
  }));
  BOOST_TEST(result.rejections.empty());
  // And a different annotation is refused.
  std::string changed = source;
  changed.replace(changed.find("list[int]"), 9, "list[str]");
  BOOST_TEST(!p.run(request_for({{"store.py", source}}, changed)).rejections.empty());
}

BOOST_AUTO_TEST_CASE(a_repeated_request_reuses_both_caches) {
  const std::string a = clew::generate_source(3000, 1);
  const std::string b = clew::generate_source(3000, 2);
  Pipeline p;
  const Request request = request_for({{"a.py", a}, {"b.py", b}}, a);
  const Result first = p.run(request);
  BOOST_TEST(!first.grammar_cached);
  BOOST_TEST(p.file_misses() == 2U);
  const Result second = p.run(request);
  BOOST_TEST(second.grammar_cached);
  BOOST_TEST(second.grammar.get() == first.grammar.get());
  BOOST_TEST(p.file_hits() == 2U);
  BOOST_TEST(p.grammar_stats().hits == 1U);
  BOOST_TEST((second.ir == first.ir));
  BOOST_TEST(second.rejections.size() == first.rejections.size());
  // Another context is another IR: compiled anew.
  const Result other = p.run(request_for({{"b.py", b}}, b));
  BOOST_TEST(!other.grammar_cached);
  BOOST_TEST(p.grammar_stats().misses == 2U);
}

BOOST_AUTO_TEST_CASE(the_constraints_of_several_files_are_merged_with_unique_ids) {
  const std::string a = clew::generate_source(4000, 3);
  const std::string b = clew::generate_source(4000, 4);
  const auto from_a = clew::extract(a, "a.py");
  const auto from_b = clew::extract(b, "b.py");
  Pipeline p;
  const Result result = p.run(request_for({{"a.py", a}, {"b.py", b}}, ""));
  BOOST_TEST_REQUIRE(result.ir.constraints.size() == from_a.size() + from_b.size());
  for (std::size_t i = 0; i < result.ir.constraints.size(); ++i) {
    const braid::Constraint& c = result.ir.constraints[i];
    BOOST_TEST(c.id == i);
    const bool in_a = i < from_a.size();
    const braid::Constraint& original = in_a ? from_a[i] : from_b[i - from_a.size()];
    BOOST_TEST(c.subject == original.subject);
    BOOST_TEST(c.origin == original.origin);
    BOOST_TEST(c.origin.starts_with(in_a ? "a.py:" : "b.py:"));
    // A dependency stays within its file.
    for (const std::uint32_t dep : c.depends_on) {
      BOOST_TEST(result.ir.constraints[dep].origin.substr(0, 5) == c.origin.substr(0, 5));
    }
  }
  BOOST_TEST(result.accepted == 0U);
  BOOST_TEST(result.rejections.empty());
  BOOST_TEST(result.grammar->rules == result.ir.constraints.size());
}

BOOST_AUTO_TEST_CASE(a_violation_names_the_constraint_of_the_file_it_comes_from) {
  const std::string helpers = "import json\n\ndef load(path: str) -> dict:\n    return json.loads(path)\n";
  const std::string app = "from helpers import load\n\ndef parse(path: str, strict: bool = True) -> dict:\n"
                          "    return load(path)\n";
  Pipeline p;
  const Result result =
      p.run(request_for({{"helpers.py", helpers}, {"app.py", app}},
                        "def parse(path: bytes, strict: bool = True) -> dict:\n    return load(path)\n"));
  BOOST_TEST_REQUIRE(!result.rejections.empty());
  const braid::Constraint& broken = result.ir.constraints[result.rejections[0].constraint];
  BOOST_TEST(broken.subject == "parse.path");
  BOOST_TEST(broken.value == "str");
  BOOST_TEST(broken.origin == "app.py:3");
  BOOST_TEST(result.rejections[0].reason == "annotation differs");
}

BOOST_AUTO_TEST_CASE(an_empty_request_is_an_empty_ir) {
  Pipeline p;
  const Result result = p.run(Request{});
  BOOST_TEST(result.ir.constraints.empty());
  BOOST_TEST(result.grammar->rules == 0U);
  BOOST_TEST(result.accepted == 0U);
}

BOOST_AUTO_TEST_SUITE_END()
