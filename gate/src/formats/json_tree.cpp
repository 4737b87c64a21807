// gate/src/formats/json_tree.cpp — building a located JSON tree with JsonReader.
#include "formats/json_tree.hpp"

#include <algorithm>

namespace gate::detail {
namespace {

// Recursion is bounded: every level opens an object or an array, which
// JsonReader refuses beyond max_depth (at most k_max_json_depth).
void read_node(JsonReader& r, JsonNode& node) {
  node.offset = r.value_offset();
  node.type = r.peek();
  switch (node.type) {
    case JsonType::object:
      r.begin_object();
      while (r.next_member()) {
        JsonMember& m = node.members.emplace_back();
        m.key = std::string(r.key());
        m.key_offset = r.key_offset();
        read_node(r, m.value);
      }
      return;
    case JsonType::array:
      r.begin_array();
      while (r.next_element()) read_node(r, node.elements.emplace_back());
      return;
    case JsonType::string: node.text = std::string(r.read_string()); return;
    case JsonType::number:
    case JsonType::non_finite: node.text = std::string(r.read_number_text()); return;
    case JsonType::boolean: node.text = r.read_bool() ? "true" : "false"; return;
    case JsonType::null: r.read_null(); return;
  }
}

}  // namespace

const JsonMember* JsonNode::find(std::string_view key) const {
  auto it = std::find_if(members.begin(), members.end(), [&](const JsonMember& m) { return m.key == key; });
  return it == members.end() ? nullptr : &*it;
}

JsonNode read_json_tree(JsonReader& reader) {
  JsonNode root;
  read_node(reader, root);
  reader.expect_end();
  return root;
}

}  // namespace gate::detail
