// components/clew/test/clew_test.cpp — extraction of each constraint form,
// scopes and dependencies, odd input, and the content-hash cache.
#define BOOST_TEST_MODULE clew
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>

#include "braid/compile.hpp"
#include "clew/cache.hpp"
#include "clew/extract.hpp"
#include "clew/generate.hpp"

using perfgate::braid::Constraint;
using perfgate::braid::ConstraintKind;
using namespace perfgate::clew;

namespace {

const Constraint* find(const Constraints& cs, ConstraintKind kind, const std::string& subject,
                       const std::string& value) {
  const auto it = std::find_if(cs.begin(), cs.end(), [&](const Constraint& c) {
    return c.kind == kind && c.subject == subject && c.value == value;
  });
  return it == cs.end() ? nullptr : &*it;
}

bool has(const Constraints& cs, ConstraintKind kind, const std::string& subject, const std::string& value) {
  return find(cs, kind, subject, value) != nullptr;
}

const std::string k_sample = R"py(import os, sys as system
from typing import (Optional, List as L)

LIMIT: int = 10  # a module constant


class Store(Base, metaclass=Meta):
    """
    def not_a_function(x: int) -> int:
    """
    size: int = 0

    @property
    def path(self) -> str:
        return self._path

    def load(
        self,
        name: str,
        *args: int,
        retries: Optional[int] = None,
    ) -> dict[str, int]:
        assert name, "name required"
        try:
            data = eval(name)
        except (KeyError, ValueError) as exc:
            raise RuntimeError("bad") from exc
        except:
            raise
        return data


def run(cmd) -> None:
    subprocess.run(cmd, shell=True)
    raise ValueError
    raise ValueError("again")
)py";

}  // namespace

BOOST_AUTO_TEST_SUITE(extraction)

BOOST_AUTO_TEST_CASE(finds_every_form) {
  const Constraints cs = extract(k_sample, "store.py");
  using K = ConstraintKind;
  BOOST_TEST(has(cs, K::architectural, "module:os", "import"));
  BOOST_TEST(has(cs, K::architectural, "module:sys", "import"));
  BOOST_TEST(has(cs, K::architectural, "module:typing", "import Optional"));
  BOOST_TEST(has(cs, K::architectural, "module:typing", "import List"));
  BOOST_TEST(has(cs, K::type_safety, "LIMIT", "int"));
  BOOST_TEST(has(cs, K::architectural, "class:Store", "extends Base"));
  BOOST_TEST(!has(cs, K::architectural, "class:Store", "extends metaclass=Meta"));
  BOOST_TEST(has(cs, K::type_safety, "Store.size", "int"));
  BOOST_TEST(has(cs, K::syntactic, "Store.path", "(self) -> str"));
  BOOST_TEST(has(cs, K::semantic, "Store.path", "decorated @property"));
  BOOST_TEST(has(cs, K::syntactic, "Store.load",
                 "(self, name: str, *args: int, retries: Optional[int] = None) -> dict[str, int]"));
  BOOST_TEST(has(cs, K::type_safety, "Store.load.name", "str"));
  BOOST_TEST(has(cs, K::type_safety, "Store.load.args", "int"));
  BOOST_TEST(has(cs, K::type_safety, "Store.load.retries", "Optional[int]"));
  BOOST_TEST(has(cs, K::type_safety, "Store.load.return", "dict[str, int]"));
  BOOST_TEST(has(cs, K::semantic, "Store.load", "asserts name"));
  BOOST_TEST(has(cs, K::security, "Store.load", "!eval"));
  BOOST_TEST(has(cs, K::operational, "Store.load", "handles KeyError"));
  BOOST_TEST(has(cs, K::operational, "Store.load", "handles ValueError"));
  BOOST_TEST(has(cs, K::operational, "Store.load", "handles *"));
  BOOST_TEST(has(cs, K::operational, "Store.load", "raises RuntimeError"));
  BOOST_TEST(has(cs, K::syntactic, "run", "(cmd) -> None"));
  BOOST_TEST(has(cs, K::security, "run", "!shell"));
  BOOST_TEST(has(cs, K::operational, "run", "raises ValueError"));
  // The docstring's def is text, not code.
  BOOST_TEST(!has(cs, K::syntactic, "Store.not_a_function", "(x: int) -> int"));
  BOOST_TEST(!has(cs, K::syntactic, "not_a_function", "(x: int) -> int"));
}

BOOST_AUTO_TEST_CASE(ids_origins_dependencies_and_no_repeats) {
  const Constraints cs = extract(k_sample, "store.py");
  for (std::size_t i = 0; i < cs.size(); ++i) {
    BOOST_TEST(cs[i].id == i);
  }
  const Constraint* sig = find(cs, ConstraintKind::syntactic, "Store.load",
                               "(self, name: str, *args: int, retries: Optional[int] = None) -> dict[str, int]");
  BOOST_TEST_REQUIRE(sig != nullptr);
  BOOST_TEST(sig->origin == "store.py:17");  // where the def starts
  const Constraint* handles = find(cs, ConstraintKind::operational, "Store.load", "handles KeyError");
  BOOST_TEST_REQUIRE(handles != nullptr);
  BOOST_TEST(handles->depends_on == std::vector<std::uint32_t>{sig->id});
  BOOST_TEST(handles->origin == "store.py:26");
  const Constraint* module_import = find(cs, ConstraintKind::architectural, "module:os", "import");
  BOOST_TEST_REQUIRE(module_import != nullptr);
  BOOST_TEST(module_import->depends_on.empty());
  // "raise ValueError" twice in run(): one constraint.
  BOOST_TEST(std::count_if(cs.begin(), cs.end(), [](const Constraint& c) {
               return c.subject == "run" && c.value == "raises ValueError";
             }) == 1);
  // Extracted sets compile: dependencies point backwards and exist.
  BOOST_CHECK_NO_THROW((void)perfgate::braid::compile(cs));
}

BOOST_AUTO_TEST_CASE(odd_input_yields_what_it_can) {
  BOOST_TEST(extract("").empty());
  BOOST_TEST(extract("\n\n   \n").empty());
  BOOST_TEST(extract("def broken(x: int\n").empty());  // never closed
  BOOST_TEST(extract("def (x):\n").empty());
  BOOST_TEST(extract("\"\"\"never closed\nimport os\n").empty());
  const std::string binary("\0\xff\x01import os\x00", 13);
  BOOST_CHECK_NO_THROW((void)extract(binary));
  // No trailing newline.
  BOOST_TEST(extract("import os").size() == 1u);
}

BOOST_AUTO_TEST_CASE(generated_sources_have_the_requested_sizes_and_compile) {
  for (std::size_t size : {50U, 5'000U, 500'000U}) {
    const std::string src = generate_source(size, 1);
    BOOST_TEST(src.size() >= size);
    BOOST_TEST(src.size() < size + 1'000);
    BOOST_TEST(generate_source(size, 1) == src);
    const Constraints cs = extract(src, "gen.py");
    BOOST_TEST(!cs.empty());
    BOOST_CHECK_NO_THROW((void)perfgate::braid::compile(cs));
  }
  BOOST_TEST(generate_source(5'000, 1) != generate_source(5'000, 2));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cache)

BOOST_AUTO_TEST_CASE(hit_returns_the_same_result_without_extracting) {
  Cache cache(4);
  const std::string src = generate_source(5'000, 9);
  const auto first = cache.extract(src, "a.py");
  const auto second = cache.extract(src, "a.py");
  BOOST_TEST(cache.misses() == 1u);
  BOOST_TEST(cache.hits() == 1u);
  BOOST_TEST(first.get() == second.get());
  BOOST_TEST((*first == extract(src, "a.py")));
}

BOOST_AUTO_TEST_CASE(name_and_content_are_both_part_of_the_key) {
  Cache cache(4);
  const auto a = cache.extract("import os\n", "a.py");
  const auto b = cache.extract("import os\n", "b.py");
  const auto c = cache.extract("import sys\n", "a.py");
  BOOST_TEST(cache.misses() == 3u);
  BOOST_TEST(cache.hits() == 0u);
  BOOST_TEST(a->front().origin == "a.py:1");
  BOOST_TEST(b->front().origin == "b.py:1");
  BOOST_TEST(c->front().subject == "module:sys");
}

BOOST_AUTO_TEST_CASE(evicts_the_oldest_when_full_and_results_outlive_eviction) {
  Cache cache(2);
  const auto one = cache.extract("import one\n", "f.py");
  (void)cache.extract("import two\n", "f.py");
  (void)cache.extract("import three\n", "f.py");  // evicts "one"
  BOOST_TEST(cache.size() == 2u);
  BOOST_TEST(one->front().subject == "module:one");
  (void)cache.extract("import three\n", "f.py");
  BOOST_TEST(cache.hits() == 1u);
  (void)cache.extract("import one\n", "f.py");
  BOOST_TEST(cache.misses() == 4u);
  cache.clear();
  BOOST_TEST(cache.size() == 0u);
  Cache tiny(0);
  (void)tiny.extract("import a\n");
  (void)tiny.extract("import a\n");
  BOOST_TEST(tiny.hits() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
