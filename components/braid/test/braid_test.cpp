// components/braid/test/braid_test.cpp — compiling constraint sets: order,
// graph, conflicts (against a brute-force reference), malformed sets, and
// the canonical bytes.
#define BOOST_TEST_MODULE braid
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <random>
#include <set>
#include <utility>

#include "braid/compile.hpp"
#include "braid/error.hpp"
#include "braid/generate.hpp"
#include "braid/ir.hpp"

using namespace perfgate::braid;

namespace {

Constraint make(std::uint32_t id, ConstraintKind kind, std::string subject, std::string value,
                std::vector<std::uint32_t> deps = {}) {
  Constraint c;
  c.id = id;
  c.kind = kind;
  c.subject = std::move(subject);
  c.value = std::move(value);
  c.origin = "t.py:" + std::to_string(id);
  c.depends_on = std::move(deps);
  return c;
}

// The reference: every pair through conflicts_with, independent of the
// grouping in detect_conflicts.
std::set<std::pair<std::uint32_t, std::uint32_t>> brute_force(const std::vector<Constraint>& cs) {
  std::set<std::pair<std::uint32_t, std::uint32_t>> out;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    for (std::size_t j = i + 1; j < cs.size(); ++j) {
      if (conflicts_with(cs[i], cs[j])) {
        out.emplace(std::min(cs[i].id, cs[j].id), std::max(cs[i].id, cs[j].id));
      }
    }
  }
  return out;
}

bool error_mentions(const Error& e, const std::string& text) {
  return std::string(e.what()).find(text) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(conflict_rules)

BOOST_AUTO_TEST_CASE(single_valued_kinds_clash_on_any_different_value) {
  const auto a = make(1, ConstraintKind::type_safety, "x", "int");
  const auto b = make(2, ConstraintKind::type_safety, "x", "str");
  const auto c = make(3, ConstraintKind::type_safety, "x", "int");
  const auto d = make(4, ConstraintKind::type_safety, "y", "str");
  BOOST_TEST(conflicts_with(a, b));
  BOOST_TEST(conflicts_with(b, a));
  BOOST_TEST(!conflicts_with(a, c));
  BOOST_TEST(!conflicts_with(b, d));
}

BOOST_AUTO_TEST_CASE(other_kinds_clash_only_as_requirement_against_prohibition) {
  const auto handles_value = make(1, ConstraintKind::operational, "f", "handles ValueError");
  const auto handles_key = make(2, ConstraintKind::operational, "f", "handles KeyError");
  const auto not_value = make(3, ConstraintKind::operational, "f", "!handles ValueError");
  BOOST_TEST(!conflicts_with(handles_value, handles_key));
  BOOST_TEST(conflicts_with(handles_value, not_value));
  BOOST_TEST(!conflicts_with(handles_key, not_value));
}

BOOST_AUTO_TEST_CASE(different_kinds_never_clash) {
  BOOST_TEST(!conflicts_with(make(1, ConstraintKind::type_safety, "x", "int"),
                             make(2, ConstraintKind::syntactic, "x", "str")));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(compile_sets)

BOOST_AUTO_TEST_CASE(empty_set_compiles_to_empty_ir) {
  const Ir ir = compile({});
  BOOST_TEST(ir.constraints.empty());
  BOOST_TEST(ir.order.empty());
  BOOST_TEST(ir.conflicts.empty());
}

BOOST_AUTO_TEST_CASE(orders_dependencies_first_with_ties_by_id) {
  // 5 depends on 9 and 2; 9 depends on 2; 7 stands alone.
  std::vector<Constraint> cs = {make(5, ConstraintKind::semantic, "a", "x", {9, 2}),
                                make(9, ConstraintKind::semantic, "b", "x", {2}),
                                make(7, ConstraintKind::semantic, "c", "x"),
                                make(2, ConstraintKind::semantic, "d", "x")};
  const Ir ir = compile(cs);
  BOOST_TEST(ir.order == (std::vector<std::uint32_t>{2, 7, 9, 5}));
  const std::vector<Edge> edges = {{5, 2}, {5, 9}, {9, 2}};
  BOOST_TEST((ir.edges == edges));
  BOOST_TEST(ir.constraints.front().id == 2u);
  BOOST_TEST(ir.constraints.back().id == 9u);
}

BOOST_AUTO_TEST_CASE(duplicate_dependencies_collapse) {
  const Ir ir = compile({make(1, ConstraintKind::semantic, "a", "x"), make(2, ConstraintKind::semantic, "b", "x", {1, 1})});
  BOOST_TEST(ir.edges.size() == 1u);
  BOOST_TEST(ir.constraints[1].depends_on == (std::vector<std::uint32_t>{1}));
}

BOOST_AUTO_TEST_CASE(input_order_does_not_matter) {
  auto cs = generate_constraints(200, 7);
  const Ir a = compile(cs);
  std::mt19937 shuffle_rng(3);
  std::shuffle(cs.begin(), cs.end(), shuffle_rng);
  const Ir b = compile(cs);
  BOOST_TEST((a == b));
  BOOST_TEST(canonical(a) == canonical(b));
}

BOOST_AUTO_TEST_CASE(conflicts_match_brute_force_on_generated_sets) {
  for (std::size_t n : {1U, 5U, 10U, 25U, 50U, 100U, 500U}) {
    const auto cs = generate_constraints(n, n);
    const Ir ir = compile(cs);
    std::set<std::pair<std::uint32_t, std::uint32_t>> found;
    for (const Conflict& c : ir.conflicts) {
      BOOST_TEST(c.first < c.second);
      found.emplace(c.first, c.second);
    }
    BOOST_TEST(found.size() == ir.conflicts.size(), "duplicate conflicts at n=" << n);
    BOOST_TEST((found == brute_force(cs)), "n=" << n);
  }
  // The generator is meant to produce some conflicts at useful sizes.
  BOOST_TEST(!compile(generate_constraints(100, 100)).conflicts.empty());
}

BOOST_AUTO_TEST_CASE(order_respects_every_edge) {
  const Ir ir = compile(generate_constraints(500, 11));
  std::vector<std::size_t> position(500);
  for (std::size_t i = 0; i < ir.order.size(); ++i) {
    position[ir.order[i]] = i;
  }
  BOOST_TEST(ir.order.size() == 500u);
  for (const Edge& e : ir.edges) {
    BOOST_TEST(position[e.to] < position[e.from]);
  }
}

BOOST_AUTO_TEST_CASE(rejects_malformed_sets) {
  try {
    (void)compile({make(1, ConstraintKind::semantic, "a", "x"), make(1, ConstraintKind::semantic, "b", "y")});
    BOOST_FAIL("duplicate id accepted");
  } catch (const Error& e) {
    BOOST_TEST(error_mentions(e, "id '1' is used twice"), e.what());
  }
  try {
    (void)compile({make(1, ConstraintKind::semantic, "a", "x", {4})});
    BOOST_FAIL("unknown dependency accepted");
  } catch (const Error& e) {
    BOOST_TEST(error_mentions(e, "unknown id '4'"), e.what());
  }
  try {
    (void)compile({make(3, ConstraintKind::semantic, "a", "x", {3})});
    BOOST_FAIL("self dependency accepted");
  } catch (const Error& e) {
    BOOST_TEST(error_mentions(e, "depends on itself"), e.what());
  }
  try {
    (void)compile({make(1, ConstraintKind::semantic, "a", "x", {3}), make(2, ConstraintKind::semantic, "b", "x"),
                   make(3, ConstraintKind::semantic, "c", "x", {1})});
    BOOST_FAIL("cycle accepted");
  } catch (const Error& e) {
    BOOST_TEST(error_mentions(e, "dependency cycle through '1', '3'"), e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(canonical_form)

BOOST_AUTO_TEST_CASE(roundtrips) {
  const Ir ir = compile(generate_constraints(100, 5));
  const std::string bytes = canonical(ir);
  BOOST_TEST(bytes.rfind("braid-ir/1", 0) == 0u);
  BOOST_TEST((from_canonical(bytes) == ir));
  BOOST_TEST((from_canonical(canonical(Ir{})) == Ir{}));
}

BOOST_AUTO_TEST_CASE(distinguishes_what_plain_concatenation_would_not) {
  // Moving a character from subject to value must change the bytes.
  const Ir a = compile({make(1, ConstraintKind::semantic, "ab", "c")});
  const Ir b = compile({make(1, ConstraintKind::semantic, "a", "bc")});
  BOOST_TEST(canonical(a) != canonical(b));
  Ir c = a;
  c.constraints[0].severity = Severity::hint;
  BOOST_TEST(canonical(a) != canonical(c));
}

BOOST_AUTO_TEST_CASE(rejects_bad_bytes) {
  const std::string good = canonical(compile(generate_constraints(10, 1)));
  BOOST_CHECK_THROW((void)from_canonical("not an ir"), Error);
  BOOST_CHECK_THROW((void)from_canonical(good.substr(0, good.size() - 1)), Error);
  BOOST_CHECK_THROW((void)from_canonical(good + "x"), Error);
  std::string bad_kind = canonical(compile({make(1, ConstraintKind::semantic, "a", "x")}));
  bad_kind[10 + 4 + 4] = 42;  // tag, count, id, then the kind byte
  BOOST_CHECK_THROW((void)from_canonical(bad_kind), Error);
  std::string huge_count = good;
  huge_count[10] = '\xff';
  huge_count[11] = '\xff';
  huge_count[12] = '\xff';
  huge_count[13] = '\x7f';
  BOOST_CHECK_THROW((void)from_canonical(huge_count), Error);
}

BOOST_AUTO_TEST_SUITE_END()
