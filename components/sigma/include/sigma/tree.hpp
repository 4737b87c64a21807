// components/sigma/include/sigma/tree.hpp — a semantic tree in flat storage:
// nodes in one vector linked by index, payloads in one string arena.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace perfgate::sigma {

using NodeId = std::uint32_t;

/// "No node": the first_child of a leaf, the next_sibling of a last child.
inline constexpr NodeId no_node = std::numeric_limits<NodeId>::max();

/// One node. Links are indices into the owning Tree, never pointers, so a
/// tree can be copied, moved and destroyed without recursion however deep it is.
struct Node {
  std::uint32_t glyph = 0;           ///< the semantic primitive this node stands for
  std::uint32_t payload_offset = 0;  ///< into the tree's payload arena
  std::uint32_t payload_size = 0;    ///< bytes; 0 for no payload
  std::uint32_t child_count = 0;
  NodeId first_child = no_node;
  NodeId last_child = no_node;
  NodeId next_sibling = no_node;
};

/// A rooted, ordered tree of glyphs with optional byte payloads. Node 0 is the
/// root once there is one. Children keep the order in which they were added.
class Tree {
 public:
  /// Removes every node and payload but keeps the storage for reuse.
  void clear() noexcept;
  /// Reserves room for `nodes` nodes and `payload_bytes` bytes of payload.
  void reserve(std::size_t nodes, std::size_t payload_bytes);

  /// Adds the root. Throws std::logic_error if the tree already has one, and
  /// std::length_error past 2^32 - 1 nodes or 4 GiB of payload.
  NodeId add_root(std::uint32_t glyph, std::string_view payload = {});
  /// Appends a child to `parent` (after its existing children). Throws
  /// std::out_of_range for an unknown parent, std::length_error as add_root.
  NodeId add_child(NodeId parent, std::uint32_t glyph, std::string_view payload = {});

  [[nodiscard]] bool empty() const noexcept { return m_nodes.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return m_nodes.size(); }
  /// The root's id; only meaningful when !empty().
  [[nodiscard]] NodeId root() const noexcept { return 0; }
  /// The node `id`; `id` must be < size().
  [[nodiscard]] const Node& node(NodeId id) const noexcept { return m_nodes[id]; }
  /// The payload of node `id`, valid until the tree is next modified.
  [[nodiscard]] std::string_view payload(NodeId id) const noexcept {
    const Node& n = m_nodes[id];
    return {m_payloads.data() + n.payload_offset, n.payload_size};
  }
  /// Total payload bytes held.
  [[nodiscard]] std::size_t payload_bytes() const noexcept { return m_payloads.size(); }
  /// The number of levels (1 for a lone root, 0 for an empty tree); iterative.
  [[nodiscard]] std::size_t depth() const;

  /// Structural equality: same shape, glyphs and payloads in the same order,
  /// whatever order the nodes were created in. Iterative.
  friend bool operator==(const Tree& a, const Tree& b);

 private:
  NodeId append_node(std::uint32_t glyph, std::string_view payload);

  std::vector<Node> m_nodes;
  std::string m_payloads;
};

}  // namespace perfgate::sigma
