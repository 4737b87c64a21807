// components/sigma/src/delta.cpp — delta encoding of one tree version against
// the previous one, and its application.
#include "sigma/delta.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include "record.hpp"
#include "sigma/varint.hpp"
#include "sigma/walker.hpp"

namespace perfgate::sigma {
namespace {

constexpr std::uint8_t magic0 = 'S';
constexpr std::uint8_t magic1 = 'D';
constexpr std::uint8_t delta_version = 1;

enum OpKind : std::uint8_t { op_copy = 0, op_skip = 1, op_literal = 2 };

// How many base records with the same hash the encoder tries before it gives
// up on a resynchronisation and sends a literal: bounds the work per record
// when many records are alike (the same word in many leaves).
constexpr int max_candidates = 8;

detail::Record record_of(const Tree& tree, NodeId id) noexcept {
  const Node& n = tree.node(id);
  return {n.glyph, n.child_count, tree.payload(id)};
}

// A 64-bit hash of a record: FNV-1a over the payload, then the glyph and child
// count folded in and the bits mixed (the finaliser of splitmix64), so records
// that differ only in glyph or child count spread too.
std::uint64_t record_hash(const detail::Record& r) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char ch : r.payload) {
    h = (h ^ static_cast<std::uint8_t>(ch)) * 0x100000001b3ULL;
  }
  h ^= (static_cast<std::uint64_t>(r.glyph) << 32 | r.child_count) * 0x9e3779b97f4a7c15ULL;
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

// Order matters: the fingerprint of a sequence, not of a set.
std::uint64_t fingerprint_step(std::uint64_t fp, std::uint64_t record) noexcept {
  return (fp ^ record) * 0x100000001b3ULL + 0x9e3779b97f4a7c15ULL;
}

// Fills `order` with the tree's node ids in preorder and, when `hashes` is
// given, their record hashes; returns the sequence's fingerprint.
std::uint64_t index_preorder(const Tree& tree, std::vector<NodeId>& order, std::vector<std::uint64_t>* hashes) {
  thread_local TreeWalker walker;
  order.clear();
  order.reserve(tree.size());
  if (hashes != nullptr) {
    hashes->clear();
    hashes->reserve(tree.size());
  }
  std::uint64_t fp = 0;  // the empty sequence's fingerprint, as in the headers' defaults
  walker.dfs(tree, [&](NodeId id, std::uint32_t) {
    const std::uint64_t h = record_hash(record_of(tree, id));
    order.push_back(id);
    if (hashes != nullptr) {
      hashes->push_back(h);
    }
    fp = fingerprint_step(fp, h);
  });
  return fp;
}

void put_u64_le(std::vector<std::uint8_t>& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
}

[[noreturn]] void fail(std::size_t pos, std::string_view cause) {
  throw DeltaError("applying sigma delta at byte " + std::to_string(pos) + ": " + std::string(cause));
}

// One run of operations of the same kind; `start` is the first literal record
// (an index into the new version's preorder).
struct Op {
  OpKind kind;
  std::size_t count;
  std::size_t start;
};

void emit(std::vector<Op>& ops, OpKind kind, std::size_t count, std::size_t start) {
  if (!ops.empty() && ops.back().kind == kind) {
    ops.back().count += count;
  } else {
    ops.push_back({kind, count, start});
  }
}

}  // namespace

void DeltaEncoder::encode(const Tree& next, std::vector<std::uint8_t>& out) {
  index_preorder(next, m_next_order, &m_next_hashes);
  const std::size_t m = m_next_order.size();
  const std::size_t k = m_order.size();
  const auto same = [&](std::size_t i, std::size_t c) {
    return m_next_hashes[i] == m_hashes[c] && record_of(next, m_next_order[i]) == record_of(m_base, m_order[c]);
  };

  thread_local std::vector<Op> ops;
  ops.clear();
  m_stats = {};
  std::size_t i = 0;
  std::size_t c = 0;
  while (i < m) {
    if (c < k && same(i, c)) {
      emit(ops, op_copy, 1, 0);
      ++m_stats.copied;
      ++i;
      ++c;
      continue;
    }
    // A changed record in place: the ones after it line up again.
    if (c + 1 < k && i + 1 < m && same(i + 1, c + 1)) {
      emit(ops, op_literal, 1, i);
      emit(ops, op_skip, 1, 0);
      ++m_stats.literal;
      ++m_stats.skipped;
      ++i;
      ++c;
      continue;
    }
    // Records deleted from the base: this one (and the next, so that a lone
    // common leaf does not pull the cursor far ahead) appear further on.
    bool resynced = false;
    auto it = std::lower_bound(m_index.begin(), m_index.end(),
                               std::pair<std::uint64_t, std::uint32_t>{m_next_hashes[i], static_cast<std::uint32_t>(c + 1)});
    for (int tries = 0; tries < max_candidates && it != m_index.end() && it->first == m_next_hashes[i]; ++tries, ++it) {
      const std::size_t p = it->second;
      if (same(i, p) && (i + 1 == m || (p + 1 < k && same(i + 1, p + 1)))) {
        emit(ops, op_skip, p - c, 0);
        m_stats.skipped += p - c;
        c = p;
        resynced = true;
        break;
      }
    }
    if (!resynced) {
      emit(ops, op_literal, 1, i);
      ++m_stats.literal;
      ++i;
    }
  }

  out.clear();
  out.push_back(magic0);
  out.push_back(magic1);
  out.push_back(delta_version);
  varint_append(out, k);
  put_u64_le(out, m_fingerprint);
  varint_append(out, m);
  for (const Op& op : ops) {
    varint_append(out, static_cast<std::uint64_t>(op.count) << 2 | op.kind);
    if (op.kind == op_literal) {
      for (std::size_t j = op.start; j < op.start + op.count; ++j) {
        detail::append_record(record_of(next, m_next_order[j]), out);
      }
    }
  }

  // The new version becomes the base. Copying the tree keeps node ids, so the
  // preorder and hashes computed above stay valid for it.
  m_base = next;
  std::swap(m_order, m_next_order);
  std::swap(m_hashes, m_next_hashes);
  m_fingerprint = 0;
  m_index.clear();
  m_index.reserve(m_hashes.size());
  for (std::size_t j = 0; j < m_hashes.size(); ++j) {
    m_fingerprint = fingerprint_step(m_fingerprint, m_hashes[j]);
    m_index.emplace_back(m_hashes[j], static_cast<std::uint32_t>(j));
  }
  std::sort(m_index.begin(), m_index.end());
}

std::vector<std::uint8_t> DeltaEncoder::encode(const Tree& next) {
  std::vector<std::uint8_t> out;
  encode(next, out);
  return out;
}

void DeltaEncoder::reset() {
  m_base.clear();
  m_order.clear();
  m_hashes.clear();
  m_index.clear();
  m_fingerprint = 0;
  m_stats = {};
}

void DeltaDecoder::index_base() {
  m_fingerprint = index_preorder(m_base, m_order, nullptr);
}

const Tree& DeltaDecoder::apply(std::span<const std::uint8_t> delta) {
  if (delta.size() < 3) {
    fail(delta.size(), "truncated header");
  }
  if (delta[0] != magic0 || delta[1] != magic1) {
    fail(0, "not a sigma delta (bad magic)");
  }
  if (delta[2] != delta_version) {
    fail(2, "unsupported version " + std::to_string(delta[2]));
  }
  std::size_t pos = 3;
  const auto base_count = varint_decode(delta, pos);
  if (!base_count) {
    fail(pos, "truncated base count");
  }
  if (delta.size() - pos < 8) {
    fail(pos, "truncated base fingerprint");
  }
  std::uint64_t fingerprint = 0;
  for (int b = 0; b < 8; ++b) {
    fingerprint |= static_cast<std::uint64_t>(delta[pos + static_cast<std::size_t>(b)]) << (8 * b);
  }
  if (*base_count != m_order.size() || fingerprint != m_fingerprint) {
    fail(pos, "made against another base (" + std::to_string(*base_count) + " records) than this one (" +
                  std::to_string(m_order.size()) + " records)");
  }
  pos += 8;
  const auto new_count = varint_decode(delta, pos);
  if (!new_count) {
    fail(pos, "truncated new count");
  }
  // Literal records take a byte each at least and copies are bounded by the
  // base, so a larger count is a lie; refusing it bounds the reservation.
  if (*new_count > m_order.size() + (delta.size() - pos)) {
    fail(pos, "new count exceeds what the delta can hold");
  }
  const auto total = static_cast<std::size_t>(*new_count);

  thread_local detail::PreorderBuilder builder;
  std::size_t added = 0;
  std::size_t cursor = 0;
  const auto add = [&](const detail::Record& r, std::size_t at) {
    if (added == total) {
      fail(at, "more records than announced");
    }
    if (const char* cause = builder.add(r)) {
      fail(at, cause);
    }
    ++added;
    if (builder.pending() > total - added) {
      fail(at, "child counts exceed the announced count");
    }
  };
  try {
    m_scratch.reserve(total, m_base.payload_bytes() + delta.size());
    builder.start(m_scratch);
    detail::Record r;
    while (pos < delta.size()) {
      const std::size_t at = pos;
      const auto word = varint_decode(delta, pos);
      if (!word) {
        fail(at, "truncated or overlong operation");
      }
      const std::uint64_t n = *word >> 2;
      const std::uint64_t kind = *word & 3U;
      if (n == 0) {
        fail(at, "empty operation");
      }
      switch (kind) {
        case op_copy:
          if (n > m_order.size() - cursor) {
            fail(at, "copy past the end of the base");
          }
          for (std::uint64_t j = 0; j < n; ++j) {
            add(record_of(m_base, m_order[cursor++]), at);
          }
          break;
        case op_skip:
          if (n > m_order.size() - cursor) {
            fail(at, "skip past the end of the base");
          }
          cursor += static_cast<std::size_t>(n);
          break;
        case op_literal:
          if (n > delta.size() - pos) {
            fail(at, "literal count exceeds the delta");
          }
          for (std::uint64_t j = 0; j < n; ++j) {
            const std::size_t rec_at = pos;
            if (const char* cause = detail::read_record(delta, pos, r)) {
              fail(pos, cause);
            }
            add(r, rec_at);
          }
          break;
        default:
          fail(at, "unknown operation " + std::to_string(kind));
      }
    }
    if (added != total) {
      fail(pos, "fewer records than announced");
    }
    if (const char* cause = builder.finish()) {
      fail(pos, cause);
    }
  } catch (const DeltaError&) {
    m_scratch.clear();
    throw;
  } catch (const std::length_error& e) {
    m_scratch.clear();
    fail(pos, e.what());
  }
  std::swap(m_base, m_scratch);
  m_scratch.clear();
  index_base();
  return m_base;
}

void DeltaDecoder::reset() {
  m_base.clear();
  m_scratch.clear();
  m_order.clear();
  m_fingerprint = 0;
}

}  // namespace perfgate::sigma
