// components/sigma/src/record.hpp — private: one node's record in the codec's
// format, and the builder that turns preorder records back into a tree. Shared
// by the tree codec and the delta codec, which both speak in records.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "sigma/tree.hpp"
#include "sigma/varint.hpp"

namespace perfgate::sigma::detail {

/// One node as the codec sees it: what it is and how many subtrees follow.
struct Record {
  std::uint32_t glyph = 0;
  std::uint32_t child_count = 0;
  std::string_view payload;

  friend bool operator==(const Record&, const Record&) = default;
};

/// Upper bound on the bytes write_record appends for `r`.
[[nodiscard]] inline std::size_t record_size_bound(const Record& r) noexcept {
  return 3 * max_varint_bytes + r.payload.size();
}

/// Appends `r` at `out`, which must have record_size_bound(r) bytes of room;
/// returns the byte after the last one written.
inline std::uint8_t* write_record(const Record& r, std::uint8_t* out) noexcept {
  const std::uint64_t word = static_cast<std::uint64_t>(r.glyph) << 2 |
                             static_cast<std::uint64_t>(!r.payload.empty()) << 1 |
                             static_cast<std::uint64_t>(r.child_count != 0);
  out = varint_encode(word, out);
  if (r.child_count != 0) {
    out = varint_encode(r.child_count, out);
  }
  if (!r.payload.empty()) {
    out = varint_encode(r.payload.size(), out);
    const auto* src = reinterpret_cast<const std::uint8_t*>(r.payload.data());
    out = std::copy(src, src + r.payload.size(), out);
  }
  return out;
}

/// Appends `r` to `out`, growing it as needed.
inline void append_record(const Record& r, std::vector<std::uint8_t>& out) {
  const std::size_t old = out.size();
  out.resize(old + record_size_bound(r));
  std::uint8_t* end = write_record(r, out.data() + old);
  out.resize(static_cast<std::size_t>(end - out.data()));
}

/// Reads one record at `pos`, advancing it. Returns nullptr on success, else
/// the cause (a static string), with `pos` at the offending byte. The payload
/// views `in`.
[[nodiscard]] inline const char* read_record(std::span<const std::uint8_t> in, std::size_t& pos, Record& r) noexcept {
  const auto word = varint_decode(in, pos);
  if (!word) {
    return "truncated or overlong glyph";
  }
  if ((*word >> 2) > UINT32_MAX) {
    return "glyph above 2^32 - 1";
  }
  r.glyph = static_cast<std::uint32_t>(*word >> 2);
  r.child_count = 0;
  r.payload = {};
  if ((*word & 1U) != 0) {
    const auto count = varint_decode(in, pos);
    if (!count) {
      return "truncated or overlong child count";
    }
    if (*count == 0 || *count > UINT32_MAX) {
      return "child count out of range";
    }
    r.child_count = static_cast<std::uint32_t>(*count);
  }
  if ((*word & 2U) != 0) {
    const auto size = varint_decode(in, pos);
    if (!size) {
      return "truncated or overlong payload size";
    }
    if (*size == 0) {
      return "empty payload flagged as present";
    }
    if (*size > in.size() - pos) {
      return "payload runs past the end";
    }
    r.payload = {reinterpret_cast<const char*>(in.data() + pos), static_cast<std::size_t>(*size)};
    pos += static_cast<std::size_t>(*size);
  }
  return nullptr;
}

/// Rebuilds a tree from records in preorder, checking that they form exactly
/// one tree. Keeps its stack between uses.
class PreorderBuilder {
 public:
  /// Starts a new tree in `out` (cleared).
  void start(Tree& out) {
    m_tree = &out;
    out.clear();
    m_open.clear();
    m_pending = 0;
  }

  /// Adds the next record. Returns nullptr or the cause of the failure.
  [[nodiscard]] const char* add(const Record& r) {
    NodeId id = 0;
    if (m_tree->empty()) {
      id = m_tree->add_root(r.glyph, r.payload);
    } else {
      if (m_open.empty()) {
        return "more than one root";
      }
      auto& [parent, remaining] = m_open.back();
      id = m_tree->add_child(parent, r.glyph, r.payload);
      --m_pending;
      if (--remaining == 0) {
        m_open.pop_back();
      }
    }
    if (r.child_count != 0) {
      m_open.emplace_back(id, r.child_count);
      m_pending += r.child_count;
    }
    return nullptr;
  }

  /// Children announced but not yet added.
  [[nodiscard]] std::uint64_t pending() const noexcept { return m_pending; }

  /// Returns nullptr when every announced child arrived, else the cause.
  [[nodiscard]] const char* finish() const noexcept {
    return m_pending == 0 ? nullptr : "input ends before the announced children";
  }

 private:
  Tree* m_tree = nullptr;
  std::vector<std::pair<NodeId, std::uint32_t>> m_open;
  std::uint64_t m_pending = 0;
};

}  // namespace perfgate::sigma::detail
