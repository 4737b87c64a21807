// components/sigma/include/sigma/walker.hpp — depth-first and breadth-first
// traversal without recursion, so trees of any depth are safe to walk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "sigma/tree.hpp"

namespace perfgate::sigma {

/// Walks a Tree iteratively. Keeps its work stack and queue between walks, so
/// a walker reused across trees allocates only when a tree is bigger or deeper
/// than any it walked before. Not thread-safe: one walker per thread.
class TreeWalker {
 public:
  /// Visits every node of `tree` in preorder (parent before children, children
  /// in order) as visit(NodeId id, std::uint32_t depth), the root at depth 0.
  /// The stack holds ancestors only: memory grows with depth, not size.
  template <typename Visit>
  void dfs(const Tree& tree, Visit&& visit) {
    if (tree.empty()) {
      return;
    }
    m_stack.clear();
    NodeId id = tree.root();
    for (;;) {
      const Node& n = tree.node(id);
      visit(id, static_cast<std::uint32_t>(m_stack.size()));
      if (n.first_child != no_node) {
        m_stack.push_back(id);
        id = n.first_child;
        continue;
      }
      // A leaf: climb until some ancestor (or this node) has a next sibling.
      while (tree.node(id).next_sibling == no_node) {
        if (m_stack.empty()) {
          return;
        }
        id = m_stack.back();
        m_stack.pop_back();
      }
      id = tree.node(id).next_sibling;
    }
  }

  /// Visits every node level by level, left to right, as visit(id, depth).
  template <typename Visit>
  void bfs(const Tree& tree, Visit&& visit) {
    if (tree.empty()) {
      return;
    }
    m_queue.clear();
    m_queue.emplace_back(tree.root(), 0U);
    // A vector with a moving head instead of std::deque: one allocation that
    // is kept for the next walk.
    for (std::size_t head = 0; head < m_queue.size(); ++head) {
      const auto [id, depth] = m_queue[head];
      visit(id, depth);
      for (NodeId c = tree.node(id).first_child; c != no_node; c = tree.node(c).next_sibling) {
        m_queue.emplace_back(c, depth + 1);
      }
    }
  }

 private:
  std::vector<NodeId> m_stack;
  std::vector<std::pair<NodeId, std::uint32_t>> m_queue;
};

}  // namespace perfgate::sigma
