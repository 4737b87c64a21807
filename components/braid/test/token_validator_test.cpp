// components/braid/test/token_validator_test.cpp — token-by-token validation
// of generated code: what each constraint kind accepts and rejects, where a
// rejection happens, and that a rejected token changes nothing; and the
// tokenizer the benchmarks replay code with.
#include <boost/test/unit_test.hpp>

#include <numeric>
#include <string>
#include <vector>

#include "braid/compile.hpp"
#include "braid/ir.hpp"
#include "braid/token_validator.hpp"
#include "braid/tokens.hpp"

using namespace perfgate::braid;

namespace {

struct Rule {
  ConstraintKind kind;
  std::string subject;
  std::string value;
};

Ir ir_of(const std::vector<Rule>& rules) {
  std::vector<Constraint> cs;
  for (const Rule& r : rules) {
    Constraint c;
    c.id = static_cast<std::uint32_t>(cs.size());
    c.kind = r.kind;
    c.subject = r.subject;
    c.value = r.value;
    c.origin = "rules.py:" + std::to_string(c.id + 1);
    cs.push_back(std::move(c));
  }
  return compile(std::move(cs));
}

// A rejected token, and what was said about it.
struct Rejection {
  std::string token;
  std::uint32_t constraint = 0;
  std::string reason;
};

// Feeds `tokens` in order; a rejected token is dropped, as a decoder would drop it.
std::vector<Rejection> feed_all(TokenValidator& v, const std::vector<std::string>& tokens) {
  std::vector<Rejection> out;
  for (const std::string& t : tokens) {
    const TokenVerdict verdict = v.feed(t);
    if (!verdict.accepted) {
      out.push_back({t, verdict.constraint, std::string(verdict.reason)});
    }
  }
  return out;
}

std::vector<std::string> tokens_of(std::string_view text) {
  std::vector<std::string> out;
  for (const std::string_view t : split_tokens(text)) {
    out.emplace_back(t);
  }
  return out;
}

std::vector<Rejection> validate(const std::vector<Rule>& rules, std::string_view text) {
  TokenValidator v(ir_of(rules));
  return feed_all(v, tokens_of(text));
}

constexpr auto syntactic = ConstraintKind::syntactic;
constexpr auto type_safety = ConstraintKind::type_safety;
constexpr auto security = ConstraintKind::security;
constexpr auto architectural = ConstraintKind::architectural;

}  // namespace

BOOST_AUTO_TEST_SUITE(tokens)

BOOST_AUTO_TEST_CASE(pieces_concatenate_to_the_text) {
  const std::string text = "def process_12(path: str) -> int:\n    return  len(path)  # n\n\n";
  const auto pieces = split_tokens(text);
  const std::string joined = std::accumulate(pieces.begin(), pieces.end(), std::string(),
                                             [](std::string a, std::string_view b) { return a.append(b); });
  BOOST_TEST(joined == text);
}

BOOST_AUTO_TEST_CASE(words_are_cut_into_pieces_of_four_with_their_space) {
  const auto pieces = split_tokens("def process_12(x)\n    return  y");
  const std::vector<std::string_view> expected = {"def", " proc", "ess_", "12", "(",  "x",
                                                  ")",   "\n    ", "retu", "rn",  "  ", "y"};
  BOOST_TEST(pieces == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(token_validator)

BOOST_AUTO_TEST_CASE(a_conforming_definition_is_accepted_token_by_token) {
  const auto rejected = validate({{syntactic, "f", "(x: int, flag: bool = False) -> str"},
                                  {type_safety, "f.x", "int"},
                                  {type_safety, "f.flag", "bool"},
                                  {type_safety, "f.return", "str"}},
                                 "def f(x: int, flag: bool = False) -> str:\n    return str(x)\n");
  BOOST_TEST(rejected.empty());
}

BOOST_AUTO_TEST_CASE(a_wrong_annotation_is_rejected_at_its_first_character_and_can_be_replaced) {
  TokenValidator v(ir_of({{type_safety, "f.x", "int"}}));
  BOOST_TEST(v.feed("def f(x:").accepted);
  const TokenVerdict wrong = v.feed(" str");
  BOOST_TEST(!wrong.accepted);
  BOOST_TEST(wrong.constraint == 0U);
  BOOST_TEST(wrong.reason == "annotation differs");
  BOOST_TEST(v.feed(" int").accepted);
  BOOST_TEST(v.feed("):").accepted);
}

BOOST_AUTO_TEST_CASE(an_annotation_that_stops_short_is_rejected_where_it_ends) {
  TokenValidator v(ir_of({{type_safety, "f.x", "int"}, {type_safety, "f.return", "bool"}}));
  BOOST_TEST(v.feed("def f(x: in").accepted);
  BOOST_TEST(!v.feed(")").accepted);
  BOOST_TEST(v.feed("t) ->").accepted);
  BOOST_TEST(v.feed(" bo").accepted);
  const TokenVerdict early = v.feed(":");
  BOOST_TEST(!early.accepted);
  BOOST_TEST(early.constraint == 1U);
  BOOST_TEST(v.feed("ol:").accepted);
}

BOOST_AUTO_TEST_CASE(a_signature_is_checked_as_it_grows_and_where_it_ends) {
  const std::vector<Rule> rules = {{syntactic, "f", "(x: int) -> None"}};
  // An extra parameter: wrong from its first character on.
  auto rejected = validate(rules, "def f(x: int, y) -> None:\n    pass\n");
  BOOST_TEST_REQUIRE(!rejected.empty());
  BOOST_TEST(rejected.front().token == " y");
  BOOST_TEST(rejected.front().reason == "signature differs");
  // No return annotation: a prefix until the ':' ends the header.
  TokenValidator v(ir_of(rules));
  BOOST_TEST(v.feed("def f(x: int)").accepted);
  BOOST_TEST(!v.feed(":").accepted);
  BOOST_TEST(v.feed(" -> None:").accepted);
}

BOOST_AUTO_TEST_CASE(a_multi_line_header_is_normalised_as_clew_extracts_it) {
  const auto rejected = validate(
      {{syntactic, "Handler.update", "(self, item: dict[str, int], *, force: bool = False) -> None"},
       {type_safety, "Handler.update.item", "dict[str, int]"}},
      "class Handler:\n"
      "    def update(\n"
      "        self,\n"
      "        item: dict[str, int],  # the new value\n"
      "        *,\n"
      "        force: bool = False,\n"
      "    ) -> None:\n"
      "        self._item = item\n");
  BOOST_TEST(rejected.empty());
}

BOOST_AUTO_TEST_CASE(a_line_break_inside_a_parameter_reads_as_one_space) {
  const std::vector<Rule> rules = {{syntactic, "f", "(x: dict[str, int], y: int) -> None"},
                                   {type_safety, "f.x", "dict[str, int]"}};
  BOOST_TEST(validate(rules, "def f(x:\n        dict[str,\n             int], y: int) -> None:\n    pass\n").empty());
  // Blanks on one line are kept as they are: two spaces are not one.
  const auto rejected = validate(rules, "def f(x: dict[str,  int], y: int) -> None:\n    pass\n");
  BOOST_TEST_REQUIRE(!rejected.empty());
  BOOST_TEST(rejected[0].reason == "annotation differs");
}

BOOST_AUTO_TEST_CASE(methods_are_named_after_their_class) {
  const std::vector<Rule> rules = {{syntactic, "Handler.update", "(self, item: int)"}};
  // Rejected tokens are dropped without a replacement here, so one wrong
  // token can make the rest of the header wrong too: only the first counts.
  auto rejected = validate(rules, "class Handler:\n    def update(self, item: str):\n        pass\n");
  BOOST_TEST_REQUIRE(!rejected.empty());
  BOOST_TEST(rejected[0].token == " str");
  BOOST_TEST(rejected[0].reason == "signature differs");
  // A function of the same name outside the class is not constrained.
  BOOST_TEST(validate(rules, "def update(self, item: str):\n    pass\n").empty());
}

BOOST_AUTO_TEST_CASE(prohibited_calls_are_rejected_at_the_parenthesis_inside_their_function_only) {
  const std::vector<Rule> rules = {{security, "f", "!eval"}, {security, "<module>", "!exec"}};
  auto rejected = validate(rules,
                           "def f(x):\n"
                           "    y = evaluate(x) + obj.eval(x)\n"
                           "    s = \"eval(x)\"  # eval(x)\n"
                           "    return eval(x)\n"
                           "def g(x):\n"
                           "    exec(x)\n"
                           "    return eval(x)\n"
                           "exec(code)\n");
  BOOST_TEST_REQUIRE(rejected.size() == 2U);
  BOOST_TEST(rejected[0].token == "(");
  BOOST_TEST(rejected[0].constraint == 0U);
  BOOST_TEST(rejected[0].reason == "prohibited call");
  BOOST_TEST(rejected[1].constraint == 1U);
}

BOOST_AUTO_TEST_CASE(shell_true_and_pickle_loads_are_prohibited_calls) {
  TokenValidator v(ir_of({{security, "run", "!shell"}, {security, "run", "!pickle"}}));
  BOOST_TEST(v.feed("def run(cmd, data):\n    subprocess.run(cmd, shell=False)\n").accepted);
  BOOST_TEST(v.feed("    if shell == True:\n        pickle.dumps(data)\n").accepted);
  // "True" could still grow into another name: the character after it decides.
  BOOST_TEST(v.feed("    subprocess.run(cmd, shell = True").accepted);
  const TokenVerdict shell = v.feed(")");
  BOOST_TEST(!shell.accepted);
  BOOST_TEST(shell.constraint == 0U);
  BOOST_TEST(shell.reason == "prohibited call");
  BOOST_TEST(v.feed("ish)\n").accepted);
  const TokenVerdict pickle = v.feed("    return pickle.loads(data)\n");
  BOOST_TEST(!pickle.accepted);
  BOOST_TEST(pickle.constraint == 1U);
}

BOOST_AUTO_TEST_CASE(prohibited_imports_are_rejected_once_the_name_is_complete) {
  const std::vector<Rule> rules = {{architectural, "module:os", "!import"},
                                   {architectural, "module:subprocess", "!import call"},
                                   {architectural, "module:json", "import"}};
  BOOST_TEST(validate(rules, "import osmosis, json\nfrom subprocess import run as call\nimport ossify.os\n").empty());
  const auto check = [&rules](std::string_view text, std::string_view token, std::uint32_t id) {
    const auto rejected = validate(rules, text);
    BOOST_TEST_REQUIRE(!rejected.empty(), text);
    BOOST_TEST(rejected[0].token == token, text);
    BOOST_TEST(rejected[0].constraint == id, text);
    BOOST_TEST(rejected[0].reason == "prohibited import", text);
  };
  check("import sys, os\n", "\n", 0);
  check("import os.path\n", "\n", 0);  // a submodule imports its package
  check("from os import path\n", " impo", 0);
  check("from subprocess import (run, call)\n", ")", 1);
}

BOOST_AUTO_TEST_CASE(a_class_must_list_its_required_bases) {
  const std::vector<Rule> rules = {{architectural, "class:Handler", "extends Base"}};
  BOOST_TEST(validate(rules, "class Handler(Mixin, Base, metaclass=Meta):\n    pass\n").empty());
  auto rejected = validate(rules, "class Handler(Mixin, metaclass=Base):\n    pass\n");
  BOOST_TEST_REQUIRE(rejected.size() == 1U);
  BOOST_TEST(rejected[0].token == ":");
  BOOST_TEST(rejected[0].reason == "base class missing");
  BOOST_TEST(validate(rules, "class Other(Mixin):\n    pass\n").empty());
}

BOOST_AUTO_TEST_CASE(module_and_class_level_annotations_are_checked) {
  const std::vector<Rule> rules = {{type_safety, "limit", "int"}, {type_safety, "Handler.limit", "float"}};
  BOOST_TEST(validate(rules, "limit: int = 3\nclass Handler:\n    limit: float = 2.5\n").empty());
  auto rejected = validate(rules, "limit: str = 'a'\n");
  BOOST_TEST_REQUIRE(!rejected.empty());
  BOOST_TEST(rejected[0].token == " str");
  BOOST_TEST(rejected[0].constraint == 0U);
  rejected = validate(rules, "class Handler:\n    limit: int\n");
  BOOST_TEST_REQUIRE(!rejected.empty());
  BOOST_TEST(rejected[0].token == " int");
  BOOST_TEST(rejected[0].constraint == 1U);
  // Inside a function an annotated name is a local: not checked.
  BOOST_TEST(validate(rules, "def f():\n    limit: str = 'a'\n").empty());
}

BOOST_AUTO_TEST_CASE(strings_and_comments_are_not_code) {
  const std::vector<Rule> rules = {{syntactic, "f", "(x: int)"}, {security, "<module>", "!eval"}};
  BOOST_TEST(validate(rules,
                      "\"\"\"\ndef f(x: str):\n    eval(x)\n\"\"\"\n"
                      "s = 'def f(y):'  # eval(1)\n"
                      "t = \"\" + ''\n"
                      "u = '\\'eval(2)'\n"
                      "def f(x: int):\n    pass\n")
                 .empty());
}

BOOST_AUTO_TEST_CASE(a_rejected_token_leaves_everything_as_it_was) {
  // The bad token ends f, starts g and breaks g's annotation; once rejected,
  // the validator is still inside f, where eval is prohibited.
  const Ir ir = ir_of({{security, "f", "!eval"}, {type_safety, "g.x", "int"}});
  TokenValidator v(ir);
  BOOST_TEST(v.feed("def f(x):\n    y = 1").accepted);
  const TokenVerdict bad = v.feed("\ndef g(x: str");
  BOOST_TEST(!bad.accepted);
  BOOST_TEST(bad.constraint == 1U);
  BOOST_TEST(!v.feed("\n    eval(").accepted);
  BOOST_TEST(v.feed("\n    z = 2\ndef g(x: int):\n    eval(").accepted);
}

BOOST_AUTO_TEST_CASE(reset_starts_a_new_file) {
  TokenValidator v(ir_of({{security, "f", "!eval"}}));
  BOOST_TEST(v.feed("def f(x):\n    y = 1").accepted);
  v.reset();
  BOOST_TEST(v.feed("eval(x)\n").accepted);
  BOOST_TEST(v.feed("def f(x):\n    y = 1\n    ").accepted);
  BOOST_TEST(!v.feed("eval(").accepted);
}

BOOST_AUTO_TEST_CASE(conflicting_signatures_accept_either) {
  const std::vector<Rule> rules = {{syntactic, "f", "(x: int)"}, {syntactic, "f", "(x: str)"}};
  BOOST_TEST(validate(rules, "def f(x: int):\n    pass\n").empty());
  BOOST_TEST(validate(rules, "def f(x: str):\n    pass\n").empty());
  const auto rejected = validate(rules, "def f(x: bytes):\n    pass\n");
  BOOST_TEST_REQUIRE(!rejected.empty());
  BOOST_TEST(rejected[0].token == " byte");
}

BOOST_AUTO_TEST_CASE(only_the_kinds_a_token_stream_decides_are_checked) {
  const Ir ir = ir_of({{syntactic, "f", "()"},
                       {ConstraintKind::semantic, "f", "asserts x"},
                       {ConstraintKind::operational, "f", "raises ValueError"},
                       {security, "f", "!eval"},
                       {architectural, "module:os", "import"}});
  BOOST_TEST(TokenValidator(ir).checked_constraints() == 2U);
}

BOOST_AUTO_TEST_SUITE_END()
