// components/maze/test/maze_test.cpp — cache keys, compilation, the LRU cache
// against a reference model, the sharded cache and the orchestrator, also
// from several threads. Passes under every GATE_INJECT.
#define BOOST_TEST_MODULE maze
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <list>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "braid/compile.hpp"
#include "braid/generate.hpp"
#include "maze/cache_key.hpp"
#include "maze/compiled.hpp"
#include "maze/concurrent_cache.hpp"
#include "maze/lru_cache.hpp"
#include "maze/orchestrator.hpp"

using namespace perfgate::maze;
namespace braid = perfgate::braid;

namespace {

CacheKey key(std::uint64_t n) { return {n * 0x9e3779b97f4a7c15ULL + 1, n}; }

// A value that says which key it was stored under.
CachedConstraint value_for(std::uint64_t n) {
  auto c = std::make_shared<CompiledConstraint>();
  c->grammar = std::to_string(n);
  return c;
}

std::vector<std::uint64_t> ids(const std::vector<CacheKey>& keys) {
  std::vector<std::uint64_t> out;
  for (const auto& k : keys) {
    out.push_back(k.high);
  }
  return out;
}

// The obviously right LRU, to compare against: a list, most recent first.
class ModelLru {
 public:
  explicit ModelLru(std::size_t capacity) : m_capacity(capacity) {}
  bool find(std::uint64_t k) {
    const auto it = std::find(m_list.begin(), m_list.end(), k);
    if (it == m_list.end()) {
      return false;
    }
    m_list.erase(it);
    m_list.push_front(k);
    return true;
  }
  std::optional<std::uint64_t> insert(std::uint64_t k) {
    if (find(k)) {
      return std::nullopt;
    }
    std::optional<std::uint64_t> evicted;
    if (m_list.size() == m_capacity) {
      evicted = m_list.back();
      m_list.pop_back();
    }
    m_list.push_front(k);
    return evicted;
  }
  bool erase(std::uint64_t k) {
    const auto it = std::find(m_list.begin(), m_list.end(), k);
    if (it == m_list.end()) {
      return false;
    }
    m_list.erase(it);
    return true;
  }
  std::vector<std::uint64_t> order() const { return {m_list.begin(), m_list.end()}; }

 private:
  std::size_t m_capacity;
  std::list<std::uint64_t> m_list;
};

braid::Ir sample_ir(std::size_t n, std::uint64_t seed) { return braid::compile(braid::generate_constraints(n, seed)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(keys)

BOOST_AUTO_TEST_CASE(hash_is_deterministic_and_spreads) {
  BOOST_TEST((hash_bytes("abc") == hash_bytes(std::string("abc"))));
  BOOST_TEST(!(hash_bytes("abc") == hash_bytes("abd")));
  BOOST_TEST(!(hash_bytes("") == hash_bytes(std::string(1, '\0'))));
  std::set<std::pair<std::uint64_t, std::uint64_t>> seen;
  std::set<std::uint64_t> shards;
  for (int i = 0; i < 5000; ++i) {
    const CacheKey k = hash_bytes("constraint set " + std::to_string(i));
    seen.emplace(k.low, k.high);
    shards.insert(k.high % 16);
  }
  BOOST_TEST(seen.size() == 5000U);
  BOOST_TEST(shards.size() == 16U);
}

BOOST_AUTO_TEST_CASE(equal_irs_share_a_key_and_different_ones_do_not) {
  auto constraints = braid::generate_constraints(40, 3);
  const braid::Ir a = braid::compile(constraints);
  std::reverse(constraints.begin(), constraints.end());
  const braid::Ir b = braid::compile(constraints);
  BOOST_TEST((key_of(a) == key_of(b)));
  BOOST_TEST((key_of(a) == hash_bytes(braid::canonical(a))));
  braid::Ir c = a;
  c.constraints[5].value += "x";
  BOOST_TEST(!(key_of(a) == key_of(c)));
  BOOST_TEST(!(key_of(a) == key_of(sample_ir(40, 4))));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(compile)

BOOST_AUTO_TEST_CASE(one_rule_per_constraint_in_evaluation_order) {
  const braid::Ir ir = sample_ir(30, 5);
  const CompiledConstraint c = compile_constraint(ir);
  BOOST_TEST(c.rules == ir.constraints.size());
  BOOST_TEST(c.conflicts == ir.conflicts.size());
  BOOST_TEST(c.grammar.rfind(R"({"grammar":"braid-ir/1","rules":[{"id":)", 0) == 0U);
  // Rules appear in ir.order.
  std::size_t pos = 0;
  for (const std::uint32_t id : ir.order) {
    const std::size_t at = c.grammar.find(R"({"id":)" + std::to_string(id) + ",", pos);
    BOOST_TEST_REQUIRE(at != std::string::npos, "rule " << id << " missing or out of order");
    pos = at;
  }
  BOOST_TEST((compile_constraint(ir) == c));
}

BOOST_AUTO_TEST_CASE(strings_are_escaped_and_bad_orders_refused) {
  braid::Constraint k;
  k.id = 7;
  k.subject = "say \"hi\"\\";
  k.value = std::string("tab\there");
  braid::Ir ir = braid::compile({k});
  const CompiledConstraint c = compile_constraint(ir);
  BOOST_TEST(c.grammar.find(R"("subject":"say \"hi\"\\")") != std::string::npos, c.grammar);
  BOOST_TEST(c.grammar.find(R"("require":"tab\u0009here")") != std::string::npos, c.grammar);
  ir.order.push_back(99);
  BOOST_CHECK_THROW((void)compile_constraint(ir), std::out_of_range);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(lru)

BOOST_AUTO_TEST_CASE(capacity_must_be_positive) {
  BOOST_CHECK_THROW(LruCache(0), std::invalid_argument);
  BOOST_CHECK_THROW(ConcurrentCache(4, 0), std::invalid_argument);
  BOOST_CHECK_THROW(ConcurrentCache(4, 5), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(evicts_the_least_recently_used) {
  LruCache cache(3);
  BOOST_TEST(!cache.insert(key(1), value_for(1)).has_value());
  BOOST_TEST(!cache.insert(key(2), value_for(2)).has_value());
  BOOST_TEST(!cache.insert(key(3), value_for(3)).has_value());
  BOOST_TEST((ids(cache.keys_by_recency()) == std::vector<std::uint64_t>{3, 2, 1}));
  // Using 1 makes 2 the oldest.
  BOOST_TEST(cache.find(key(1))->grammar == "1");
  const auto evicted = cache.insert(key(4), value_for(4));
  BOOST_TEST_REQUIRE(evicted.has_value());
  BOOST_TEST(evicted->high == 2U);
  BOOST_TEST(!cache.contains(key(2)));
  BOOST_TEST(cache.find(key(2)) == nullptr);
  BOOST_TEST((ids(cache.keys_by_recency()) == std::vector<std::uint64_t>{4, 1, 3}));
  BOOST_TEST(cache.evictions() == 1U);
  BOOST_TEST(cache.size() == 3U);
}

BOOST_AUTO_TEST_CASE(contains_does_not_touch_and_replacing_does_not_evict) {
  LruCache cache(2);
  cache.insert(key(1), value_for(1));
  cache.insert(key(2), value_for(2));
  BOOST_TEST(cache.contains(key(1)));
  BOOST_TEST(cache.insert(key(3), value_for(3))->high == 1U);  // 1 was still the oldest
  BOOST_TEST(!cache.insert(key(3), value_for(33)).has_value());
  BOOST_TEST(cache.find(key(3))->grammar == "33");
  BOOST_TEST(cache.size() == 2U);
}

BOOST_AUTO_TEST_CASE(erase_and_clear) {
  LruCache cache(2);
  cache.insert(key(1), value_for(1));
  cache.insert(key(2), value_for(2));
  BOOST_TEST(cache.erase(key(1)));
  BOOST_TEST(!cache.erase(key(1)));
  BOOST_TEST(!cache.insert(key(3), value_for(3)).has_value());  // room again: no eviction
  BOOST_TEST(cache.insert(key(4), value_for(4))->high == 2U);
  cache.clear();
  BOOST_TEST(cache.size() == 0U);
  BOOST_TEST(cache.find(key(3)) == nullptr);
  cache.insert(key(5), value_for(5));
  BOOST_TEST(cache.find(key(5))->grammar == "5");
}

BOOST_AUTO_TEST_CASE(an_evicted_value_stays_alive_for_its_reader) {
  LruCache cache(1);
  cache.insert(key(1), value_for(1));
  const CachedConstraint held = cache.find(key(1));
  cache.insert(key(2), value_for(2));
  BOOST_TEST(held->grammar == "1");
}

BOOST_AUTO_TEST_CASE(matches_a_reference_model_on_random_operations) {
  std::uint64_t state = 12345;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  for (const std::size_t capacity : {1U, 2U, 7U, 64U}) {
    LruCache cache(capacity);
    ModelLru model(capacity);
    for (int op = 0; op < 20000; ++op) {
      const std::uint64_t k = next() % (capacity * 3);
      switch (next() % 4) {
        case 0:
        case 1: {
          const CachedConstraint got = cache.find(key(k));
          const bool expect = model.find(k);
          BOOST_TEST_REQUIRE((got != nullptr) == expect);
          if (got) {
            BOOST_TEST_REQUIRE(got->grammar == std::to_string(k));
          }
          break;
        }
        case 2: {
          const auto got = cache.insert(key(k), value_for(k));
          const auto expect = model.insert(k);
          BOOST_TEST_REQUIRE(got.has_value() == expect.has_value());
          if (got) {
            BOOST_TEST_REQUIRE(got->high == *expect);
          }
          break;
        }
        default:
          BOOST_TEST_REQUIRE(cache.erase(key(k)) == model.erase(k));
      }
    }
    BOOST_TEST((ids(cache.keys_by_recency()) == model.order()));
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(concurrent)

BOOST_AUTO_TEST_CASE(one_shard_is_an_exact_lru) {
  ConcurrentCache cache(2, 1);
  cache.insert(key(1), value_for(1));
  cache.insert(key(2), value_for(2));
  (void)cache.find(key(1));
  BOOST_TEST(cache.insert(key(3), value_for(3)));
  BOOST_TEST(cache.find(key(2)) == nullptr);
  BOOST_TEST(cache.find(key(1))->grammar == "1");
}

BOOST_AUTO_TEST_CASE(capacity_is_split_over_shards) {
  ConcurrentCache cache(64, 16);
  for (std::uint64_t i = 0; i < 1000; ++i) {
    cache.insert(hash_bytes(std::to_string(i)), value_for(i));
  }
  BOOST_TEST(cache.size() == 64U);
  BOOST_TEST(cache.shards() == 16U);
}

BOOST_AUTO_TEST_CASE(many_threads_never_see_a_wrong_value) {
  ConcurrentCache cache(256, 8);
  std::atomic<int> wrong{0};
  std::atomic<int> hits{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::uint64_t i = 0; i < 20000; ++i) {
        const std::uint64_t k = (i * 7 + static_cast<std::uint64_t>(t)) % 400;
        const CacheKey ck = hash_bytes(std::to_string(k));
        if (const CachedConstraint v = cache.find(ck)) {
          hits.fetch_add(1);
          if (v->grammar != std::to_string(k)) {
            wrong.fetch_add(1);
          }
        } else {
          cache.insert(ck, value_for(k));
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  BOOST_TEST(wrong.load() == 0);
  BOOST_TEST(hits.load() > 0);
  BOOST_TEST(cache.size() <= 256U);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(orchestrator)

BOOST_AUTO_TEST_CASE(second_request_is_a_hit_with_the_same_value) {
  Orchestrator maze(16, 4);
  const braid::Ir ir = sample_ir(20, 1);
  const CachedConstraint first = maze.compile(ir);
  const CachedConstraint second = maze.compile(ir);
  BOOST_TEST(first.get() == second.get());
  BOOST_TEST((*first == compile_constraint(ir)));
  BOOST_TEST(maze.stats().hits == 1U);
  BOOST_TEST(maze.stats().misses == 1U);
  BOOST_TEST(maze.compile(sample_ir(20, 2)).get() != first.get());
  BOOST_TEST(maze.stats().misses == 2U);
}

BOOST_AUTO_TEST_CASE(evicted_irs_are_compiled_again) {
  Orchestrator maze(2, 1);
  const braid::Ir a = sample_ir(5, 1);
  const braid::Ir b = sample_ir(5, 2);
  const braid::Ir c = sample_ir(5, 3);
  (void)maze.compile(a);
  (void)maze.compile(b);
  (void)maze.compile(c);  // evicts a
  (void)maze.compile(a);
  BOOST_TEST(maze.stats().misses == 4U);
  BOOST_TEST(maze.stats().hits == 0U);
  (void)maze.compile(a);
  BOOST_TEST(maze.stats().hits == 1U);
}

BOOST_AUTO_TEST_SUITE_END()
