// components/sigma/src/sample.cpp — the deterministic sample workloads.
#include "sigma/sample.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "sigma/walker.hpp"

namespace perfgate::sigma {
namespace {

// splitmix64: tiny, fast and the same on every platform, unlike the
// distributions of <random>.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : m_state(seed) {}
  std::uint64_t next() noexcept {
    std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n); n > 0.
  std::size_t below(std::size_t n) noexcept { return static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t m_state;
};

constexpr std::array<std::string_view, 32> words = {
    "the",  "a",     "cache", "tree",   "glyph",  "encode", "decode", "fast",  "slow",    "meaning", "token",
    "node", "delta", "agent", "runs",   "reads",  "writes", "buffer", "pool",  "version", "of",      "in",
    "on",   "with",  "large", "small",  "quick",  "value",  "key",    "north", "report",  "query"};

std::uint32_t pick_glyph(Rng& rng) {
  // A quarter of the nodes use one of four common primitives, as real
  // semantic trees do; the rest spread over 64.
  return rng.below(4) == 0 ? static_cast<std::uint32_t>(rng.below(4)) : static_cast<std::uint32_t>(rng.below(64));
}

std::string_view pick_word(Rng& rng) { return words[rng.below(words.size())]; }

}  // namespace

Tree sample_tree(std::uint64_t seed, std::size_t nodes) {
  Rng rng(seed);
  Tree tree;
  nodes = std::max<std::size_t>(nodes, 1);
  tree.reserve(nodes, nodes * 6);
  tree.add_root(1000, "sentence");
  // Grow breadth-first from a frontier of open phrases: each gets 1 to 4
  // children, some of which open phrases of their own.
  std::vector<NodeId> frontier{tree.root()};
  std::size_t head = 0;
  while (tree.size() < nodes) {
    if (head == frontier.size()) {
      frontier.push_back(static_cast<NodeId>(rng.below(tree.size())));
    }
    const NodeId parent = frontier[head++];
    const std::size_t fanout = 1 + rng.below(4);
    for (std::size_t i = 0; i < fanout && tree.size() < nodes; ++i) {
      const bool phrase = rng.below(3) == 0;
      const NodeId child = tree.add_child(parent, pick_glyph(rng), phrase ? std::string_view{} : pick_word(rng));
      if (phrase) {
        frontier.push_back(child);
      }
    }
  }
  return tree;
}

Tree chain_tree(std::size_t depth) {
  Tree tree;
  depth = std::max<std::size_t>(depth, 1);
  tree.reserve(depth, depth * 2);
  NodeId id = tree.add_root(0, "r");
  for (std::size_t i = 1; i < depth; ++i) {
    id = tree.add_child(id, static_cast<std::uint32_t>(i % 64), i % 2 == 0 ? "ev" : "od");
  }
  return tree;
}

Tree edited_tree(const Tree& tree, std::uint64_t seed, std::size_t edits) {
  if (tree.empty() || edits == 0) {
    return tree;
  }
  Rng rng(seed);
  enum Edit : std::uint8_t { none, change, add_leaf, drop };
  std::vector<Edit> plan(tree.size(), none);
  for (std::size_t e = 0; e < edits; ++e) {
    const std::size_t at = rng.below(tree.size());
    const auto kind = static_cast<Edit>(1 + rng.below(3));
    plan[at] = (at == tree.root() && kind == drop) ? change : kind;
  }
  // Rebuild in preorder. `parents[d]` is the new id of the last node kept at
  // depth d; a dropped node hides everything deeper until the walk climbs back.
  Tree out;
  out.reserve(tree.size() + edits, tree.payload_bytes() + edits * 8);
  std::vector<NodeId> parents;
  std::size_t hide_below = SIZE_MAX;
  TreeWalker walker;
  walker.dfs(tree, [&](NodeId id, std::uint32_t depth) {
    if (depth > hide_below) {
      return;
    }
    hide_below = SIZE_MAX;
    if (plan[id] == drop) {
      hide_below = depth;
      return;
    }
    const Node& n = tree.node(id);
    std::string payload(tree.payload(id));
    if (plan[id] == change) {
      payload = std::string(pick_word(rng)) + "'";
    }
    const NodeId nid = depth == 0 ? out.add_root(n.glyph, payload) : out.add_child(parents[depth - 1], n.glyph, payload);
    parents.resize(depth + 1);
    parents[depth] = nid;
    if (plan[id] == add_leaf) {
      out.add_child(nid, pick_glyph(rng), pick_word(rng));
    }
  });
  return out;
}

}  // namespace perfgate::sigma
