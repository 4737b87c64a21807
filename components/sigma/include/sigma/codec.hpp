// components/sigma/include/sigma/codec.hpp — the binary encoding of a semantic
// tree and its decoder, which rejects truncated or corrupt input cleanly.
//
// Format (all integers are varints, see varint.hpp):
//   'S' 'G' version(=1)  node_count  record*node_count
//   record = glyph_word [child_count] [payload_size payload_bytes]
//   glyph_word = glyph << 2 | has_payload << 1 | has_children
// Records are the nodes in preorder; a node's child_count says how many of the
// following subtrees are its children. Nothing may follow the last record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "sigma/tree.hpp"

namespace perfgate::sigma {

/// Thrown for input that is not a valid encoding. The message reads
/// "decoding sigma tree at byte N: <cause>"; the tree being decoded into is
/// left empty.
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The format version this code writes and reads.
inline constexpr std::uint8_t codec_version = 1;

/// Encodes `tree` into `out`, replacing its contents (its capacity is kept:
/// pass a pooled buffer to avoid allocating). An empty tree encodes to a header
/// with node_count 0. Iterative; any depth.
void encode(const Tree& tree, std::vector<std::uint8_t>& out);
/// Encodes `tree` into a new buffer.
[[nodiscard]] std::vector<std::uint8_t> encode(const Tree& tree);

/// Decodes `in` into `out`, replacing its contents and reusing its storage.
/// Throws DecodeError on a bad magic or version, a truncated or overlong varint,
/// a payload running past the end, a glyph above 2^32 - 1, a node count or
/// child counts that do not add up to one tree, or trailing bytes.
/// Iterative; memory is bounded by the input's size, whatever it claims.
void decode(std::span<const std::uint8_t> in, Tree& out);
/// Decodes `in` into a new tree; throws DecodeError as above.
[[nodiscard]] Tree decode(std::span<const std::uint8_t> in);

}  // namespace perfgate::sigma
