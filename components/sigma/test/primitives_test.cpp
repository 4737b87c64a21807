// components/sigma/test/primitives_test.cpp — the primitive registry and the
// cache in front of it: lookups, LRU eviction against a reference model, and
// the hit and miss counts the benchmarks report.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <list>
#include <stdexcept>
#include <string>
#include <vector>

#include "sigma/primitives.hpp"
#include "sigma/sample.hpp"
#include "sigma/walker.hpp"

using namespace perfgate::sigma;

namespace {

PrimitiveRegistry numbered(int n) {
  std::vector<Primitive> ps;
  for (int i = 0; i < n; ++i) {
    ps.push_back({static_cast<std::uint32_t>(i), "p" + std::to_string(i), PrimitiveTier::learned});
  }
  return PrimitiveRegistry(std::move(ps));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(primitives)

BOOST_AUTO_TEST_CASE(the_standard_registry_names_every_glyph_of_the_sample_trees) {
  const PrimitiveRegistry& r = PrimitiveRegistry::standard();
  BOOST_TEST(r.size() == 257U);
  BOOST_TEST(r.find("entity")->glyph == 0U);
  BOOST_TEST(r.find("code.0")->glyph == 16U);
  BOOST_TEST(r.find("learned.127")->glyph == 255U);
  BOOST_TEST(r.find(1000U)->name == "sentence");
  BOOST_TEST(r.find("nothing") == nullptr);
  BOOST_TEST(r.find(999U) == nullptr);
  const Tree tree = sample_tree(7, 1024);
  TreeWalker walker;
  std::size_t unnamed = 0;
  walker.dfs(tree, [&](NodeId id, std::uint32_t) { unnamed += r.find(tree.node(id).glyph) == nullptr ? 1 : 0; });
  BOOST_TEST(unnamed == 0U);
}

BOOST_AUTO_TEST_CASE(a_registry_refuses_duplicates_and_empty_names) {
  BOOST_CHECK_THROW(PrimitiveRegistry({{1, "a", PrimitiveTier::domain}, {2, "a", PrimitiveTier::domain}}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(PrimitiveRegistry({{1, "a", PrimitiveTier::domain}, {1, "b", PrimitiveTier::domain}}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(PrimitiveRegistry({{1, "", PrimitiveTier::domain}}), std::invalid_argument);
  BOOST_CHECK_THROW(PrimitiveCache(PrimitiveRegistry::standard(), 0), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(the_cache_answers_what_the_registry_answers_and_counts) {
  const PrimitiveRegistry& r = PrimitiveRegistry::standard();
  PrimitiveCache cache(r, 4);
  BOOST_TEST(cache.hit_rate() == 0.0);
  BOOST_TEST(cache.resolve("agent") == r.find("agent"));
  BOOST_TEST(cache.resolve("agent") == r.find("agent"));
  BOOST_TEST(cache.resolve("math.3") == r.find("math.3"));
  BOOST_TEST(cache.resolve("agent") == r.find("agent"));
  BOOST_TEST(cache.hits() == 2U);
  BOOST_TEST(cache.misses() == 2U);
  BOOST_TEST(cache.hit_rate() == 0.5);
  // An unknown name is a miss every time and takes no room.
  BOOST_TEST(cache.resolve("unknown") == nullptr);
  BOOST_TEST(cache.resolve("unknown") == nullptr);
  BOOST_TEST(cache.misses() == 4U);
  BOOST_TEST(cache.size() == 2U);
  cache.clear();
  BOOST_TEST(cache.size() == 0U);
  BOOST_TEST(cache.hits() == 0U);
  BOOST_TEST(cache.hit_rate() == 0.0);
  BOOST_TEST(cache.resolve("agent") == r.find("agent"));
  BOOST_TEST(cache.misses() == 1U);
}

BOOST_AUTO_TEST_CASE(eviction_is_least_recently_used_as_a_reference_model_says) {
  const PrimitiveRegistry r = numbered(20);
  for (const std::size_t capacity : {1U, 3U, 8U, 19U}) {
    PrimitiveCache cache(r, capacity);
    std::list<std::string> model;  // most recent first
    std::uint64_t hits = 0;
    std::uint64_t state = capacity * 7919 + 1;
    for (int step = 0; step < 2000; ++step) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      // Skewed: low numbers come up more often, as common primitives do.
      const auto n = static_cast<int>((state >> 33) % 20) * static_cast<int>((state >> 40) % 20) / 19;
      const std::string name = "p" + std::to_string(n);
      const auto it = std::find(model.begin(), model.end(), name);
      if (it != model.end()) {
        ++hits;
        model.erase(it);
      } else if (model.size() == capacity) {
        model.pop_back();
      }
      model.push_front(name);
      BOOST_TEST_REQUIRE(cache.resolve(name) == r.find(name));
      BOOST_TEST_REQUIRE(cache.hits() == hits);
      BOOST_TEST_REQUIRE(cache.size() == model.size());
    }
    BOOST_TEST(cache.hits() + cache.misses() == 2000U);
  }
}

BOOST_AUTO_TEST_SUITE_END()
