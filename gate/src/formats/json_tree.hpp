// gate/src/formats/json_tree.hpp — a small JSON document tree that remembers
// where each key and value stands, read with JsonReader, for files that are
// small and read as a whole (gate.json): a reader that checks keys against a
// table, reads sections in an order of its own and reports every problem at
// its key or value needs the whole document at hand, with positions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "formats/json_reader.hpp"

namespace gate::detail {

struct JsonMember;

/// One value of the document. Strings hold their decoded text, numbers their
/// text as written (a double is known to hold them: JsonReader refuses any
/// other), booleans "true" or "false".
struct JsonNode {
  JsonType type = JsonType::null;
  std::size_t offset = 0;  ///< byte offset of the value's first byte in the text
  std::string text;        ///< string, number or boolean value
  std::vector<JsonMember> members;  ///< an object's, in file order, duplicates kept
  std::vector<JsonNode> elements;   ///< an array's

  [[nodiscard]] bool is(JsonType t) const { return type == t; }
  /// The first member named `key`, or nullptr.
  [[nodiscard]] const JsonMember* find(std::string_view key) const;
};

struct JsonMember {
  std::string key;             ///< decoded
  std::size_t key_offset = 0;  ///< byte offset of the key's opening quote
  JsonNode value;
};

/// Reads the whole text, which must be one JSON value and nothing else (with
/// reader's options: comments, depth), into a tree. Throws gate::Error from
/// JsonReader on any syntax error, with its location. The tree is built with
/// one stack frame per level of nesting, so its depth is bounded by the
/// reader's max_depth (at most k_max_json_depth). Duplicate keys are kept:
/// whether they are allowed is the format's to say.
[[nodiscard]] JsonNode read_json_tree(JsonReader& reader);

}  // namespace gate::detail
