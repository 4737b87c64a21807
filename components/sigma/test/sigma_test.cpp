// components/sigma/test/sigma_test.cpp — the semantic tree codec: varints,
// trees, walking, encode/decode roundtrips and rejection of bad input, deltas
// and the buffer pool.
#define BOOST_TEST_MODULE sigma
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "sigma/buffer_pool.hpp"
#include "sigma/codec.hpp"
#include "sigma/delta.hpp"
#include "sigma/sample.hpp"
#include "sigma/tree.hpp"
#include "sigma/varint.hpp"
#include "sigma/walker.hpp"

using namespace perfgate::sigma;
using Bytes = std::vector<std::uint8_t>;

namespace {

// root(1,"a") → [ x(2), y(3,"b") → [ z(4,"c") ] ]
Tree small_tree() {
  Tree t;
  const NodeId r = t.add_root(1, "a");
  t.add_child(r, 2);
  const NodeId y = t.add_child(r, 3, "b");
  t.add_child(y, 4, "c");
  return t;
}

std::string dfs_trace(const Tree& t) {
  std::string s;
  TreeWalker w;
  w.dfs(t, [&](NodeId id, std::uint32_t depth) { s += std::to_string(t.node(id).glyph) + "@" + std::to_string(depth) + " "; });
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(varint)

BOOST_AUTO_TEST_CASE(roundtrips_boundary_values_with_expected_sizes) {
  const std::vector<std::pair<std::uint64_t, std::size_t>> cases = {
      {0, 1}, {127, 1}, {128, 2}, {16383, 2}, {16384, 3}, {UINT32_MAX, 5}, {1ULL << 63, 10}, {UINT64_MAX, 10}};
  for (const auto& [value, size] : cases) {
    Bytes buf;
    varint_append(buf, value);
    BOOST_TEST(buf.size() == size);
    BOOST_TEST(varint_size(value) == size);
    std::size_t pos = 0;
    const auto back = varint_decode(buf, pos);
    BOOST_TEST_REQUIRE(back.has_value());
    BOOST_TEST(*back == value);
    BOOST_TEST(pos == size);
  }
}

BOOST_AUTO_TEST_CASE(known_bytes) {
  Bytes buf;
  varint_append(buf, 300);
  BOOST_TEST((buf == Bytes{0xAC, 0x02}));
}

BOOST_AUTO_TEST_CASE(rejects_truncated_and_overlong_input) {
  std::size_t pos = 0;
  BOOST_TEST(!varint_decode(Bytes{}, pos).has_value());
  BOOST_TEST(!varint_decode(Bytes{0x80, 0x80}, pos).has_value());
  BOOST_TEST(pos == 0);
  // Eleven bytes, and ten whose last carries more than the 64th bit.
  BOOST_TEST(!varint_decode(Bytes(10, 0xFF), pos).has_value());
  Bytes too_big(9, 0xFF);
  too_big.push_back(0x02);
  BOOST_TEST(!varint_decode(too_big, pos).has_value());
  Bytes max(9, 0xFF);
  max.push_back(0x01);
  BOOST_TEST(varint_decode(max, pos).value() == UINT64_MAX);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tree)

BOOST_AUTO_TEST_CASE(children_keep_their_order_and_links) {
  const Tree t = small_tree();
  BOOST_TEST(t.size() == 4U);
  BOOST_TEST(t.node(0).child_count == 2U);
  BOOST_TEST(t.node(t.node(0).first_child).glyph == 2U);
  BOOST_TEST(t.node(t.node(t.node(0).first_child).next_sibling).glyph == 3U);
  BOOST_TEST(t.payload(3) == "c");
  BOOST_TEST(t.payload(1).empty());
  BOOST_TEST(t.depth() == 3U);
}

BOOST_AUTO_TEST_CASE(misuse_is_refused) {
  Tree t;
  BOOST_CHECK_THROW(t.add_child(0, 1), std::out_of_range);
  t.add_root(1);
  BOOST_CHECK_THROW(t.add_root(2), std::logic_error);
  BOOST_CHECK_THROW(t.add_child(7, 1), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(equality_is_structural) {
  // The same tree built in another order: y's subtree before x.
  Tree other;
  const NodeId r = other.add_root(1, "a");
  const NodeId x = other.add_child(r, 2);
  const NodeId y = other.add_child(r, 3, "b");
  other.add_child(y, 4, "c");
  (void)x;
  BOOST_TEST((other == small_tree()));
  Tree changed = small_tree();
  BOOST_TEST((changed == small_tree()));
  Tree payload_differs;
  const NodeId r2 = payload_differs.add_root(1, "a");
  payload_differs.add_child(r2, 2);
  const NodeId y2 = payload_differs.add_child(r2, 3, "b");
  payload_differs.add_child(y2, 4, "d");
  BOOST_TEST(!(payload_differs == small_tree()));
  // Same preorder glyphs and payloads, different shape: z is a child of the root.
  Tree shape_differs;
  const NodeId r3 = shape_differs.add_root(1, "a");
  shape_differs.add_child(r3, 2);
  shape_differs.add_child(r3, 3, "b");
  shape_differs.add_child(r3, 4, "c");
  BOOST_TEST(!(shape_differs == small_tree()));
}

BOOST_AUTO_TEST_CASE(dfs_is_preorder_and_bfs_is_level_order) {
  const Tree t = small_tree();
  BOOST_TEST(dfs_trace(t) == "1@0 2@1 3@1 4@2 ");
  std::string bfs;
  TreeWalker w;
  w.bfs(t, [&](NodeId id, std::uint32_t depth) { bfs += std::to_string(t.node(id).glyph) + "@" + std::to_string(depth) + " "; });
  BOOST_TEST(bfs == "1@0 2@1 3@1 4@2 ");
  // A wider tree where the two orders differ.
  Tree u;
  const NodeId r = u.add_root(0);
  const NodeId a = u.add_child(r, 1);
  u.add_child(a, 3);
  u.add_child(r, 2);
  BOOST_TEST(dfs_trace(u) == "0@0 1@1 3@2 2@1 ");
  std::string order;
  w.bfs(u, [&](NodeId id, std::uint32_t) { order += std::to_string(u.node(id).glyph); });
  BOOST_TEST(order == "0123");
}

BOOST_AUTO_TEST_CASE(walks_visit_every_node_once) {
  const Tree t = sample_tree(7, 500);
  std::vector<int> seen(t.size(), 0);
  TreeWalker w;
  w.dfs(t, [&](NodeId id, std::uint32_t) { ++seen[id]; });
  w.bfs(t, [&](NodeId id, std::uint32_t) { ++seen[id]; });
  for (const int s : seen) {
    BOOST_TEST(s == 2);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(codec)

BOOST_AUTO_TEST_CASE(encodes_to_the_documented_bytes) {
  // Root: glyph 1, payload, children → word 1<<2|2|1 = 7, count 2, size 1, 'a'.
  // x: glyph 2, nothing → 8. y: 3<<2|2|1 = 15, 1, 1, 'b'. z: 4<<2|2 = 18, 1, 'c'.
  const Bytes expected = {'S', 'G', 1, 4, 7, 2, 1, 'a', 8, 15, 1, 1, 'b', 18, 1, 'c'};
  BOOST_TEST((encode(small_tree()) == expected));
  BOOST_TEST((decode(expected) == small_tree()));
}

BOOST_AUTO_TEST_CASE(roundtrips_sample_trees) {
  for (const std::size_t nodes : {1U, 2U, 10U, 64U, 1000U, 20000U}) {
    for (const std::uint64_t seed : {1U, 2U, 3U}) {
      const Tree t = sample_tree(seed, nodes);
      BOOST_TEST(t.size() == nodes);
      const Bytes bytes = encode(t);
      const Tree back = decode(bytes);
      BOOST_TEST((back == t), "nodes " << nodes << " seed " << seed);
      BOOST_TEST((encode(back) == bytes));
    }
  }
}

BOOST_AUTO_TEST_CASE(roundtrips_edge_values) {
  Tree empty;
  const Bytes e = encode(empty);
  BOOST_TEST((e == Bytes{'S', 'G', 1, 0}));
  BOOST_TEST(decode(e).empty());

  Tree t;
  const NodeId r = t.add_root(UINT32_MAX, std::string("\0\xff\x80zero", 7));
  t.add_child(r, 0, std::string(300, 'x'));
  for (int i = 0; i < 200; ++i) {
    t.add_child(r, static_cast<std::uint32_t>(i) * 1000003U);
  }
  BOOST_TEST((decode(encode(t)) == t));
}

BOOST_AUTO_TEST_CASE(deep_trees_need_no_recursion) {
  // Far deeper than any call stack would survive recursively.
  const Tree chain = chain_tree(200000);
  BOOST_TEST(chain.depth() == 200000U);
  const Tree back = decode(encode(chain));
  BOOST_TEST((back == chain));
  std::uint32_t deepest = 0;
  TreeWalker w;
  w.bfs(back, [&](NodeId, std::uint32_t d) { deepest = std::max(deepest, d); });
  BOOST_TEST(deepest == 199999U);
}

BOOST_AUTO_TEST_CASE(decode_reuses_the_output_tree) {
  Tree out = sample_tree(9, 100);
  decode(encode(small_tree()), out);
  BOOST_TEST((out == small_tree()));
}

BOOST_AUTO_TEST_CASE(every_truncation_is_rejected) {
  const Bytes bytes = encode(sample_tree(4, 300));
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    Tree out = small_tree();
    BOOST_CHECK_THROW(decode(std::span(bytes.data(), n), out), DecodeError);
    BOOST_TEST(out.empty());
  }
}

BOOST_AUTO_TEST_CASE(specific_corruptions_are_rejected_with_a_cause) {
  const auto rejects = [](const Bytes& in, const std::string& cause) {
    try {
      (void)decode(in);
      BOOST_ERROR("accepted corrupt input expected to fail with: " << cause);
    } catch (const DecodeError& e) {
      BOOST_TEST(std::string(e.what()).find(cause) != std::string::npos, e.what() << " lacks " << cause);
      BOOST_TEST(std::string(e.what()).rfind("decoding sigma tree at byte ", 0) == 0U);
    }
  };
  rejects({'X', 'G', 1, 0}, "bad magic");
  rejects({'S', 'G', 9, 0}, "unsupported version 9");
  rejects({'S', 'G', 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 8}, "node count exceeds the input");
  rejects({'S', 'G', 1, 2, 8, 8}, "more than one root");
  rejects({'S', 'G', 1, 2, 5, 3, 8}, "child counts exceed the node count");
  rejects({'S', 'G', 1, 1, 8, 0}, "trailing bytes");
  rejects({'S', 'G', 1, 1, 10, 5, 'a', 'b'}, "payload runs past the end");
  rejects({'S', 'G', 1, 1, 10, 0}, "empty payload flagged as present");
  rejects({'S', 'G', 1, 1, 9, 0}, "child count out of range");
  // Glyph word 2^34 << 0: glyph 2^32, one above the largest.
  rejects({'S', 'G', 1, 1, 0x80, 0x80, 0x80, 0x80, 0x40}, "glyph above 2^32 - 1");
}

BOOST_AUTO_TEST_CASE(flipped_bytes_never_crash) {
  // Each single-byte corruption either fails cleanly or decodes to some valid
  // tree; the sanitizer build is what proves there is no undefined behaviour.
  const Bytes good = encode(sample_tree(5, 120));
  std::size_t rejected = 0;
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (const unsigned mask : {0x01U, 0x80U, 0xFFU}) {
      Bytes bad = good;
      bad[i] = static_cast<std::uint8_t>(bad[i] ^ mask);
      try {
        const Tree t = decode(bad);
        BOOST_TEST((decode(encode(t)) == t));
      } catch (const DecodeError&) {
        ++rejected;
      }
    }
  }
  BOOST_TEST(rejected > good.size());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(delta)

BOOST_AUTO_TEST_CASE(versions_replay_exactly) {
  DeltaEncoder enc;
  DeltaDecoder dec;
  Tree version = sample_tree(11, 400);
  for (std::uint64_t v = 0; v < 30; ++v) {
    const Bytes d = enc.encode(version);
    const Tree& got = dec.apply(d);
    BOOST_TEST_REQUIRE((got == version), "version " << v);
    version = edited_tree(version, 100 + v, 1 + v % 5);
  }
}

BOOST_AUTO_TEST_CASE(small_edits_give_small_deltas) {
  const Tree v1 = sample_tree(12, 2000);
  const Tree v2 = edited_tree(v1, 77, 3);
  BOOST_TEST(!(v1 == v2));
  DeltaEncoder enc;
  DeltaDecoder dec;
  dec.apply(enc.encode(v1));
  const Bytes d = enc.encode(v2);
  BOOST_TEST(d.size() * 10 < encode(v2).size(), "delta " << d.size() << " vs full " << encode(v2).size());
  BOOST_TEST(enc.last_stats().copied + 20 > v2.size());
  BOOST_TEST(enc.last_stats().literal < 20U);
  BOOST_TEST((dec.apply(d) == v2));
}

BOOST_AUTO_TEST_CASE(unchanged_version_is_all_copy) {
  const Tree v = sample_tree(13, 300);
  DeltaEncoder enc;
  (void)enc.encode(v);
  const Bytes d = enc.encode(v);
  BOOST_TEST(enc.last_stats().copied == v.size());
  BOOST_TEST(enc.last_stats().literal == 0U);
  BOOST_TEST(d.size() < 20U);
}

BOOST_AUTO_TEST_CASE(empty_versions_are_fine) {
  DeltaEncoder enc;
  DeltaDecoder dec;
  BOOST_TEST(dec.apply(enc.encode(Tree{})).empty());
  const Tree v = small_tree();
  BOOST_TEST((dec.apply(enc.encode(v)) == v));
  BOOST_TEST(dec.apply(enc.encode(Tree{})).empty());
  BOOST_TEST((dec.apply(enc.encode(v)) == v));
}

BOOST_AUTO_TEST_CASE(a_delta_for_another_base_is_refused_and_changes_nothing) {
  DeltaEncoder enc;
  DeltaDecoder dec;
  const Tree a = sample_tree(1, 50);
  const Tree b = edited_tree(a, 2, 2);
  dec.apply(enc.encode(a));
  const Bytes a_to_b = enc.encode(b);
  DeltaDecoder fresh;
  BOOST_CHECK_THROW(fresh.apply(a_to_b), DeltaError);
  BOOST_TEST(fresh.base().empty());
  // Same size, different content: caught by the fingerprint.
  DeltaDecoder other;
  other.apply(DeltaEncoder{}.encode(sample_tree(99, 50)));
  BOOST_CHECK_THROW(other.apply(a_to_b), DeltaError);
  BOOST_TEST((other.base() == sample_tree(99, 50)));
  BOOST_TEST((dec.apply(a_to_b) == b));
}

BOOST_AUTO_TEST_CASE(truncated_and_corrupt_deltas_are_rejected) {
  const Tree a = sample_tree(21, 200);
  const Tree b = edited_tree(a, 22, 6);
  DeltaEncoder enc;
  const Bytes first = enc.encode(a);
  const Bytes d = enc.encode(b);
  for (std::size_t n = 0; n < d.size(); ++n) {
    DeltaDecoder dec;
    dec.apply(first);
    BOOST_CHECK_THROW(dec.apply(std::span(d.data(), n)), DeltaError);
    BOOST_TEST((dec.base() == a));
  }
  for (std::size_t i = 0; i < d.size(); ++i) {
    Bytes bad = d;
    bad[i] = static_cast<std::uint8_t>(bad[i] ^ 0x41);
    DeltaDecoder dec;
    dec.apply(first);
    try {
      (void)dec.apply(bad);
    } catch (const DeltaError&) {
      BOOST_TEST((dec.base() == a));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(buffer_pool)

BOOST_AUTO_TEST_CASE(returned_buffers_are_reused_empty) {
  BufferPool pool(2, 64);
  const std::uint8_t* data = nullptr;
  {
    PooledBuffer b = pool.acquire();
    BOOST_TEST(b.bytes().capacity() >= 64U);
    encode(sample_tree(3, 40), b.bytes());
    data = b.bytes().data();
  }
  BOOST_TEST(pool.idle() == 1U);
  PooledBuffer again = pool.acquire();
  BOOST_TEST(again.bytes().empty());
  BOOST_TEST(again.bytes().data() == data);
  BOOST_TEST(pool.idle() == 0U);
}

BOOST_AUTO_TEST_CASE(keeps_at_most_max_pooled_and_drops_huge_buffers) {
  BufferPool pool(2, 16, 1024);
  {
    PooledBuffer a = pool.acquire();
    PooledBuffer b = pool.acquire();
    PooledBuffer c = pool.acquire();
  }
  BOOST_TEST(pool.idle() == 2U);
  {
    PooledBuffer big = pool.acquire();
    PooledBuffer big2 = pool.acquire();
    big.bytes().resize(4096);
  }
  BOOST_TEST(pool.idle() == 1U);
}

BOOST_AUTO_TEST_CASE(moved_loans_return_once) {
  BufferPool pool(4, 16);
  {
    PooledBuffer a = pool.acquire();
    PooledBuffer b = std::move(a);
    PooledBuffer c = pool.acquire();
    c = std::move(b);  // c's own buffer goes back now, b's when c dies
    BOOST_TEST(pool.idle() == 1U);
  }
  BOOST_TEST(pool.idle() == 2U);
}

BOOST_AUTO_TEST_SUITE_END()
