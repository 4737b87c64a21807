// components/sigma/include/sigma/delta.hpp — incremental delta compression:
// each version of a tree is sent as the edits against the version before it.
//
// Both sides see a tree as its preorder sequence of records (glyph, child
// count, payload; see codec.hpp). A delta is a list of operations on the base's
// sequence: copy the next n base records, skip n base records, or insert n
// literal records. The encoder finds them in one pass over the new version,
// O(m log m) for m records, with an index of the base's records by hash that
// it keeps from one version to the next instead of diffing pairs of nodes.
//
// Format (integers are varints unless said otherwise):
//   'S' 'D' version(=1)  base_count  base_fingerprint(8 bytes, little-endian)
//   new_count  op*      op = n << 2 | kind (0 copy, 1 skip, 2 literal), n >= 1,
//                       a literal op followed by its n records
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "sigma/tree.hpp"

namespace perfgate::sigma {

/// Thrown by DeltaDecoder for a delta that is corrupt or was made against a
/// different base. The message reads "applying sigma delta at byte N: <cause>".
class DeltaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What the last DeltaEncoder::encode did, in records.
struct DeltaStats {
  std::size_t copied = 0;   ///< taken from the base
  std::size_t skipped = 0;  ///< base records dropped
  std::size_t literal = 0;  ///< sent in full
};

/// The sender's side. Starts from the empty tree.
class DeltaEncoder {
 public:
  /// Writes the delta from the current base to `next` into `out` (replacing
  /// its contents), then makes a copy of `next` the base.
  void encode(const Tree& next, std::vector<std::uint8_t>& out);
  /// As above, into a new buffer.
  [[nodiscard]] std::vector<std::uint8_t> encode(const Tree& next);
  /// Forgets the base: the next delta carries the whole tree.
  void reset();

  [[nodiscard]] const Tree& base() const noexcept { return m_base; }
  [[nodiscard]] const DeltaStats& last_stats() const noexcept { return m_stats; }

 private:
  Tree m_base;
  std::vector<NodeId> m_order;           // the base's node ids in preorder
  std::vector<std::uint64_t> m_hashes;   // record hashes, same order
  std::uint64_t m_fingerprint = 0;
  // (hash, preorder position), sorted: "the first base record with this hash
  // after position p" is one binary search, and rebuilding it reuses storage.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> m_index;
  std::vector<NodeId> m_next_order;
  std::vector<std::uint64_t> m_next_hashes;
  DeltaStats m_stats;
};

/// The receiver's side. Starts from the empty tree.
class DeltaDecoder {
 public:
  /// Applies `delta` to the current base and makes the result the new base,
  /// which it returns (valid until the next apply or reset). Throws DeltaError
  /// for a delta made against another base, a bad header, an operation past
  /// the base's end, a corrupt literal record, records that do not form one
  /// tree, a count mismatch or trailing bytes; the base is then unchanged.
  const Tree& apply(std::span<const std::uint8_t> delta);
  /// Forgets the base.
  void reset();

  [[nodiscard]] const Tree& base() const noexcept { return m_base; }

 private:
  void index_base();

  Tree m_base;
  Tree m_scratch;
  std::vector<NodeId> m_order;
  std::uint64_t m_fingerprint = 0;
};

}  // namespace perfgate::sigma
