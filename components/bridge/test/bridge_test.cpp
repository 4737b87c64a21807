// components/bridge/test/bridge_test.cpp — roundtrips through the C ABI
// (item by item, batched, and the C deep copy), layout facts, and rejected
// C input.
#define BOOST_TEST_MODULE bridge
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "braid/compile.hpp"
#include "braid/generate.hpp"
#include "bridge/c_api.h"
#include "bridge/marshal.hpp"

using namespace perfgate;
using bridge::CIr;

namespace {

braid::Ir sample(std::size_t n) { return braid::compile(braid::generate_constraints(n, 3)); }

// An IR with the awkward values: empty strings, embedded NUL, no deps.
braid::Ir awkward() {
  braid::Constraint a;
  a.id = 4;
  a.kind = braid::ConstraintKind::security;
  a.severity = braid::Severity::hint;
  a.subject = "";
  a.value = std::string("nul\0inside", 10);
  a.origin = "";
  braid::Constraint b;
  b.id = 9;
  b.subject = "x";
  b.value = "int";
  b.depends_on = {4};
  return braid::compile({a, b});
}

std::string str(perfgate_str s) { return std::string(s.data, s.len); }

}  // namespace

BOOST_AUTO_TEST_SUITE(roundtrip)

BOOST_AUTO_TEST_CASE(batched_and_itemwise_give_the_same_ir_back) {
  for (std::size_t n : {0U, 1U, 10U, 50U, 500U}) {
    const braid::Ir ir = sample(n);
    const CIr batched = bridge::to_c_batched(ir);
    const CIr itemwise = bridge::to_c_itemwise(ir);
    BOOST_TEST((bridge::from_c(batched.view()) == ir), "n=" << n);
    BOOST_TEST((bridge::from_c(itemwise.view()) == ir), "n=" << n);
    BOOST_TEST(batched.allocations() == 1u);
    if (n > 0) {
      // Three strings per constraint at least, plus the arrays.
      BOOST_TEST(itemwise.allocations() > 3 * n);
    }
  }
}

BOOST_AUTO_TEST_CASE(awkward_values_survive) {
  const braid::Ir ir = awkward();
  for (const CIr& c : {bridge::to_c_batched(ir), bridge::to_c_itemwise(ir)}) {
    BOOST_TEST((bridge::from_c(c.view()) == ir));
    BOOST_TEST(c.view().constraints[0].value.len == 10u);
  }
}

BOOST_AUTO_TEST_CASE(c_deep_copy_is_independent_of_its_source) {
  const braid::Ir ir = sample(50);
  perfgate_ir* copy = nullptr;
  {
    const CIr original = bridge::to_c_batched(ir);
    copy = perfgate_ir_copy(&original.view());
    BOOST_TEST_REQUIRE(copy != nullptr);
    BOOST_TEST(copy->constraints != original.view().constraints);
  }  // the source is gone; the copy must not point into it
  BOOST_TEST((bridge::from_c(*copy) == ir));
  perfgate_ir_free(copy);
  perfgate_ir_free(nullptr);

  const perfgate_ir empty{};
  perfgate_ir* empty_copy = perfgate_ir_copy(&empty);
  BOOST_TEST_REQUIRE(empty_copy != nullptr);
  BOOST_TEST((bridge::from_c(*empty_copy) == braid::Ir{}));
  perfgate_ir_free(empty_copy);
}

BOOST_AUTO_TEST_CASE(strings_cross_both_ways) {
  for (const std::string& s : {std::string(), std::string("a"), std::string(70, 'x'), std::string("a\0b", 3)}) {
    const bridge::CString c(s);
    BOOST_TEST(c.view().len == s.size());
    BOOST_TEST(c.view().data[s.size()] == '\0');
    BOOST_TEST(bridge::string_from_c(c.view()) == s);
  }
  BOOST_TEST(bridge::string_from_c(perfgate_str{nullptr, 0}).empty());
}

BOOST_AUTO_TEST_CASE(batched_view_is_nul_terminated_and_ordered) {
  const braid::Ir ir = sample(10);
  const CIr c = bridge::to_c_batched(ir);
  const perfgate_ir& v = c.view();
  BOOST_TEST(v.constraints_len == ir.constraints.size());
  for (std::size_t i = 0; i < v.constraints_len; ++i) {
    BOOST_TEST(std::strlen(v.constraints[i].subject.data) == v.constraints[i].subject.len);
    BOOST_TEST(str(v.constraints[i].subject) == ir.constraints[i].subject);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bad_input)

BOOST_AUTO_TEST_CASE(rejected_with_a_reason) {
  const braid::Ir ir = sample(10);
  const CIr good = bridge::to_c_batched(ir);
  std::vector<perfgate_constraint> constraints(good.view().constraints,
                                               good.view().constraints + good.view().constraints_len);
  char err[128];

  auto check = [&](const perfgate_ir& bad, const std::string& expected) {
    BOOST_TEST(perfgate_ir_validate(&bad, err, sizeof err) == -1);
    BOOST_TEST(std::string(err).find(expected) != std::string::npos, err);
    BOOST_TEST(perfgate_ir_copy(&bad) == nullptr);
    try {
      (void)bridge::from_c(bad);
      BOOST_FAIL("accepted: " + expected);
    } catch (const bridge::Error& e) {
      BOOST_TEST(std::string(e.what()).find(expected) != std::string::npos, e.what());
    }
  };

  perfgate_ir bad = good.view();
  bad.constraints = nullptr;
  check(bad, "constraints is NULL with length 10");

  bad = good.view();
  bad.constraints = constraints.data();
  constraints[3].kind = 6;
  check(bad, "constraint at index '3': kind 6 is not one of 0..5");
  constraints[3] = good.view().constraints[3];
  constraints[5].severity = 4;
  check(bad, "constraint at index '5': severity 4");
  constraints[5] = good.view().constraints[5];
  constraints[2].value = perfgate_str{nullptr, 3};
  check(bad, "constraint at index '2': a string has no data but a length");
  constraints[2] = good.view().constraints[2];
  constraints[1].depends_on = nullptr;
  constraints[1].depends_on_len = 2;
  check(bad, "constraint at index '1': depends_on is NULL with length 2");

  BOOST_TEST(perfgate_ir_validate(&good.view(), err, sizeof err) == 0);
  BOOST_TEST(perfgate_ir_validate(nullptr, err, sizeof err) == -1);
  BOOST_TEST(std::string(err) == "the ir is NULL");
  // A too-small error buffer is still NUL-terminated.
  char tiny[4];
  BOOST_TEST(perfgate_ir_validate(nullptr, tiny, sizeof tiny) == -1);
  BOOST_TEST(std::string(tiny) == "the");
}

BOOST_AUTO_TEST_CASE(one_constraint_and_strings) {
  perfgate_constraint c{};
  c.kind = 9;
  BOOST_CHECK_THROW((void)bridge::constraint_from_c(c), bridge::Error);
  c.kind = 1;
  c.subject = perfgate_str{"abc", 3};
  BOOST_TEST(bridge::constraint_from_c(c).subject == "abc");
  BOOST_CHECK_THROW((void)bridge::string_from_c(perfgate_str{nullptr, 1}), bridge::Error);
  const perfgate_str none = perfgate_str_copy(nullptr, 5);
  BOOST_TEST(none.data == nullptr);
  perfgate_str_free(none);
}

BOOST_AUTO_TEST_SUITE_END()
