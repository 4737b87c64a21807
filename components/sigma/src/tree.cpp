// components/sigma/src/tree.cpp — building, measuring and comparing trees.
#include "sigma/tree.hpp"

#include <algorithm>
#include <stdexcept>

#include "sigma/walker.hpp"

namespace perfgate::sigma {

void Tree::clear() noexcept {
  m_nodes.clear();
  m_payloads.clear();
}

void Tree::reserve(std::size_t nodes, std::size_t payload_bytes) {
  m_nodes.reserve(nodes);
  m_payloads.reserve(payload_bytes);
}

NodeId Tree::append_node(std::uint32_t glyph, std::string_view payload) {
  // Ids and offsets are 32-bit to keep a Node at 28 bytes; refuse to wrap.
  if (m_nodes.size() >= no_node) {
    throw std::length_error("adding a sigma tree node: more than 2^32 - 1 nodes");
  }
  if (payload.size() > UINT32_MAX - m_payloads.size()) {
    throw std::length_error("adding a sigma tree node: more than 4 GiB of payload");
  }
  Node n;
  n.glyph = glyph;
  n.payload_offset = static_cast<std::uint32_t>(m_payloads.size());
  n.payload_size = static_cast<std::uint32_t>(payload.size());
  m_payloads.append(payload);
  m_nodes.push_back(n);
  return static_cast<NodeId>(m_nodes.size() - 1);
}

NodeId Tree::add_root(std::uint32_t glyph, std::string_view payload) {
  if (!m_nodes.empty()) {
    throw std::logic_error("adding a sigma tree root: the tree has one already");
  }
  return append_node(glyph, payload);
}

NodeId Tree::add_child(NodeId parent, std::uint32_t glyph, std::string_view payload) {
  if (parent >= m_nodes.size()) {
    throw std::out_of_range("adding a sigma tree node: no parent node " + std::to_string(parent));
  }
  const NodeId id = append_node(glyph, payload);
  Node& p = m_nodes[parent];
  if (p.last_child == no_node) {
    p.first_child = id;
  } else {
    m_nodes[p.last_child].next_sibling = id;
  }
  p.last_child = id;
  ++p.child_count;
  return id;
}

std::size_t Tree::depth() const {
  std::uint32_t deepest = 0;
  TreeWalker walker;
  walker.dfs(*this, [&](NodeId, std::uint32_t d) { deepest = std::max(deepest, d + 1); });
  return deepest;
}

bool operator==(const Tree& a, const Tree& b) {
  if (a.size() != b.size() || a.payload_bytes() != b.payload_bytes()) {
    return false;
  }
  // Preorder sequences of (glyph, child count, payload) determine a tree, so
  // comparing them compares the trees whatever their node ids are.
  std::vector<NodeId> order_a;
  std::vector<NodeId> order_b;
  order_a.reserve(a.size());
  order_b.reserve(b.size());
  TreeWalker walker;
  walker.dfs(a, [&](NodeId id, std::uint32_t) { order_a.push_back(id); });
  walker.dfs(b, [&](NodeId id, std::uint32_t) { order_b.push_back(id); });
  for (std::size_t i = 0; i < order_a.size(); ++i) {
    const Node& x = a.node(order_a[i]);
    const Node& y = b.node(order_b[i]);
    if (x.glyph != y.glyph || x.child_count != y.child_count || a.payload(order_a[i]) != b.payload(order_b[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace perfgate::sigma
