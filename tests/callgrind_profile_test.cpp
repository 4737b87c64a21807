// tests/callgrind_profile_test.cpp — whole callgrind profiles function by
// function (name compression, calls, jumps, subpositions, broken files), gzip
// in and out, and the difference of two real profiles of a program whose
// slower build does more work in one function.
#include <boost/test/unit_test.hpp>

#include <string>

#include "gate/error.hpp"
#include "gate/formats/callgrind_profile.hpp"
#include "gate/judge/profile_diff.hpp"
#include "test_programs.hpp"
#include "test_support.hpp"

using gate::parse_callgrind_profile;

namespace {

// A profile in the form callgrind 3.19 writes, reduced: two positions,
// compressed names defined once and used after, a call, a recursive call,
// a jump, relative and "*" subpositions, a short cost line and a hex count.
const char* const k_profile =
    "# callgrind format\n"
    "version: 1\n"
    "creator: callgrind-3.19.0\n"
    "desc: Trigger: Client Request: BM_Parse/8 iterations=2\n"
    "\n"
    "positions: instr line\n"
    "events: Ir Dr\n"
    "summary: 1000 300\n"
    "\n"
    "ob=(1) /bin/prog\n"
    "fl=(1) /src/prog.cpp\n"
    "fn=(1) main\n"
    "0x10 3 10 2\n"
    "+4 +1 5\n"
    "cfn=(2) parse(char const*)\n"
    "calls=1 0x40 20\n"
    "* * 700 200\n"
    "fn=(2)\n"
    "0x40 20 100 40\n"
    "jump=3 +8 21\n"
    "+2 *\n"
    "cfl=(2) /src/lex.cpp\n"
    "cfn=(3) next_token()\n"
    "calls=40 0x80 7\n"
    "+4 * 400 100\n"
    "cfn=(2)\n"
    "calls=1 0x40 20\n"
    "* * 50 10\n"
    "-6 -1 0xa\n"
    "fl=(2)\n"
    "fn=(3)\n"
    "0x80 7 400 100\n"
    "totals: 925 242\n";

const gate::FunctionCost& function(const gate::Profile& p, const std::string& name) {
  for (const auto& f : p.functions) {
    if (f.name == name) return f;
  }
  throw std::runtime_error("no function " + name);
}

std::string error_of(const std::string& text) {
  try {
    (void)parse_callgrind_profile(text, "callgrind.out.7");
  } catch (const gate::Error& e) {
    return e.what();
  }
  return "no error";
}

std::string header(const std::string& body) { return "positions: line\nevents: Ir Dr\n" + body; }

/// Runs `program` under callgrind and returns the profile's path.
std::filesystem::path profile_of(const std::string& program, const gate::test::TempDir& dir, const std::string& name) {
  const auto out = dir / name;
  auto r = gate::test::run({"/usr/bin/env", "valgrind", "--tool=callgrind", "--callgrind-out-file=" + out.string(), program});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(callgrind_profile)

BOOST_AUTO_TEST_CASE(self_and_inclusive_counts_per_function) {
  auto p = parse_callgrind_profile(k_profile, "prof");
  BOOST_TEST(p.events == (std::vector<std::string>{"Ir", "Dr"}));
  BOOST_TEST(p.trigger == "Client Request: BM_Parse/8 iterations=2");
  BOOST_TEST(p.totals == (std::vector<std::uint64_t>{1000, 300}));  // the summary, not the totals line
  BOOST_TEST(p.functions.size() == 3u);

  const auto& main_fn = function(p, "main");
  BOOST_TEST(main_fn.file == "/src/prog.cpp");
  BOOST_TEST(main_fn.object == "/bin/prog");
  BOOST_TEST(main_fn.self == (std::vector<std::uint64_t>{15, 2}));  // "+4 +1 5": the Dr count left out is 0
  BOOST_TEST(main_fn.inclusive == (std::vector<std::uint64_t>{715, 202}));

  const auto& parse = function(p, "parse(char const*)");
  BOOST_TEST(parse.self == (std::vector<std::uint64_t>{110, 40}));  // 100 + 0xa; the jump's line costs nothing
  // Its recursive call (50) is inside the outer call already: only next_token's 400 is added.
  BOOST_TEST(parse.inclusive == (std::vector<std::uint64_t>{510, 140}));
  BOOST_TEST(parse.calls == 2u);

  const auto& token = function(p, "next_token()");
  BOOST_TEST(token.file == "/src/lex.cpp");
  BOOST_TEST(token.self == (std::vector<std::uint64_t>{400, 100}));
  BOOST_TEST(token.calls == 40u);
}

BOOST_AUTO_TEST_CASE(totals_are_the_sum_of_self_costs_when_the_file_has_none) {
  auto p = parse_callgrind_profile(header("fn=a\n1 5 1\nfn=b\n2 7\n"), "prof");
  BOOST_TEST(p.totals == (std::vector<std::uint64_t>{12, 1}));
}

BOOST_AUTO_TEST_CASE(broken_profiles_are_errors_with_their_place) {
  BOOST_TEST(error_of("fn=a\n1 2\n") == "callgrind.out.7:1:1: 'fn=' before the 'events:' line");
  BOOST_TEST(error_of("version: 1\n") == "callgrind.out.7:1:1: no 'events:' line — not a callgrind output file");
  BOOST_TEST(error_of(header("fn=a\n1 2 x\n")) ==
             "callgrind.out.7:4:5: count 'x' of event 'Dr' is not a non-negative integer");
  BOOST_TEST(error_of(header("fn=a\n1 2 3 4\n")) == "callgrind.out.7:4:7: 3 counts for the 2 events of line 2");
  BOOST_TEST(error_of(header("fn=(4)\n")) == "callgrind.out.7:3:4: function name id (4) is used before it is defined");
  BOOST_TEST(error_of(header("1 2\n")) == "callgrind.out.7:3:1: a cost line before any 'fn='");
  BOOST_TEST(error_of(header("fn=a\nq 2\n")) ==
             "callgrind.out.7:4:1: 'q 2' is neither a cost line nor a \"key: value\" or \"key=value\" line");
  BOOST_TEST(error_of(header("fn=a\ncalls=1 2\n3 4\n")) == "callgrind.out.7:4:1: 'calls=' before any 'cfn='");
  BOOST_TEST(error_of(header("fn=a\nx7 2\n")) ==
             "callgrind.out.7:4:1: 'x7 2' is neither a cost line nor a \"key: value\" or \"key=value\" line");
  // What the file holds is quoted safely: one line, no raw control character.
  BOOST_TEST(error_of(header("fn=a\n1 \x1b[2J\n")) ==
             "callgrind.out.7:4:3: count '\\x1b[2J' of event 'Ir' is not a non-negative integer");
  BOOST_TEST(error_of("positions: instr line\nevents: Ir\nfn=a\n1\n") ==
             "callgrind.out.7:4:1: 1 subpositions where 'positions:' names 2");
}

BOOST_AUTO_TEST_CASE(gzip_round_trip_and_plain_text_passes_through) {
  const std::string text = k_profile;
  const std::string packed = gate::gzip_compress(text);
  BOOST_TEST(packed.size() < text.size());
  BOOST_TEST(gate::gzip_decompress(packed, "p.gz") == text);
  BOOST_TEST(gate::gzip_decompress(text, "p") == text);
  std::string broken = packed.substr(0, packed.size() / 2);
  BOOST_CHECK_THROW((void)gate::gzip_decompress(broken, "p.gz"), gate::Error);

  gate::test::TempDir dir;
  gate::test::write_file(dir / "p.gz", packed);
  BOOST_TEST(gate::read_callgrind_profile(dir / "p.gz").functions.size() == 3u);
}

BOOST_AUTO_TEST_CASE(a_hand_made_diff_orders_by_growth_and_divides_by_iterations) {
  auto base = parse_callgrind_profile(header("fn=a\n1 100\nfn=b\n1 50\ncfn=a\ncalls=1 1\n1 100\n"), "base");
  auto head = parse_callgrind_profile(header("fn=a\n1 200\nfn=b\n1 60\ncfn=a\ncalls=1 1\n1 200\nfn=c\n1 60\n"),
                                      "head");
  // The contender ran two iterations: per iteration a is unchanged, b halved, c is new.
  auto d = gate::diff_profiles(base, head, "Ir", 1, 2);
  BOOST_TEST(d.base_total == 150.0);
  BOOST_TEST(d.contender_total == 160.0);
  BOOST_TEST_REQUIRE(d.functions.size() == 3u);
  BOOST_TEST(d.functions[0].name == "c");
  BOOST_TEST(d.functions[0].contender_self == 30.0);
  BOOST_TEST(d.functions[1].name == "a");
  BOOST_TEST(d.functions[2].name == "b");
  BOOST_TEST(d.functions[2].self_delta() == -20.0);
  BOOST_TEST(gate::top_by_self(d, 0).size() == 1u);
  BOOST_TEST(gate::top_by_inclusive(d, 5).size() == 1u);
  BOOST_CHECK_THROW((void)gate::diff_profiles(base, head, "Bc"), gate::Error);
}

BOOST_AUTO_TEST_CASE(real_profiles_of_a_slower_build_name_the_slower_function_first) {
  gate::test::TempDir dir;
  const auto base = gate::read_callgrind_profile(profile_of(gate::test::programs::profile_subject, dir, "base.out"));
  const auto head =
      gate::read_callgrind_profile(profile_of(gate::test::programs::profile_subject_slower, dir, "head.out"));
  const auto d = gate::diff_profiles(base, head, "Ir");
  BOOST_TEST(d.contender_total > d.base_total);
  const auto by_self = gate::top_by_self(d, 3);
  BOOST_TEST_REQUIRE(!by_self.empty());
  BOOST_TEST(by_self.front().name.find("checksum") != std::string::npos, by_self.front().name);
  // Four passes instead of one: at least three times the instructions.
  BOOST_TEST(by_self.front().contender_self >= 3 * by_self.front().base_self);
  // The same function leads the inclusive growth below main, which includes it.
  bool seen = false;
  for (const auto& f : gate::top_by_inclusive(d, 0)) seen = seen || f.name.find("checksum") != std::string::npos;
  BOOST_TEST(seen);
  // The functions that did not change did not move.
  for (const auto& f : d.functions) {
    if (f.name.find("count_odd") != std::string::npos) BOOST_TEST(f.self_delta() == 0.0, f.name);
  }
}

BOOST_AUTO_TEST_SUITE_END()
