// components/sigma/src/codec.cpp — encoding a tree to bytes and back.
#include "sigma/codec.hpp"

#include <stdexcept>
#include <string>
#include <string_view>

#include "record.hpp"
#include "sigma/varint.hpp"
#include "sigma/walker.hpp"

namespace perfgate::sigma {
namespace {

constexpr std::uint8_t magic0 = 'S';
constexpr std::uint8_t magic1 = 'G';
constexpr std::size_t header_size = 3;

[[noreturn]] void fail(std::size_t pos, std::string_view cause) {
  throw DecodeError("decoding sigma tree at byte " + std::to_string(pos) + ": " + std::string(cause));
}

}  // namespace

void encode(const Tree& tree, std::vector<std::uint8_t>& out) {
  // One resize to an upper bound, writes through a pointer, one shrink at the
  // end: no per-record capacity checks or reallocations in the loop.
  const std::size_t bound = header_size + max_varint_bytes + tree.size() * 3 * max_varint_bytes + tree.payload_bytes();
  out.resize(bound);
  std::uint8_t* p = out.data();
  *p++ = magic0;
  *p++ = magic1;
  *p++ = codec_version;
  p = varint_encode(tree.size(), p);
  // thread_local: the walker's stack is reused across calls on one thread.
  thread_local TreeWalker walker;
  walker.dfs(tree, [&](NodeId id, std::uint32_t) {
    const Node& n = tree.node(id);
    p = detail::write_record({n.glyph, n.child_count, tree.payload(id)}, p);
  });
  out.resize(static_cast<std::size_t>(p - out.data()));
}

std::vector<std::uint8_t> encode(const Tree& tree) {
  std::vector<std::uint8_t> out;
  encode(tree, out);
  return out;
}

void decode(std::span<const std::uint8_t> in, Tree& out) {
  out.clear();
  if (in.size() < header_size) {
    fail(in.size(), "truncated header");
  }
  if (in[0] != magic0 || in[1] != magic1) {
    fail(0, "not a sigma tree (bad magic)");
  }
  if (in[2] != codec_version) {
    fail(2, "unsupported version " + std::to_string(in[2]));
  }
  std::size_t pos = header_size;
  const auto count = varint_decode(in, pos);
  if (!count) {
    fail(pos, "truncated or overlong node count");
  }
  // Every record takes at least one byte, so a count above the bytes left is
  // a lie; checking it first keeps a hostile count from reserving gigabytes.
  if (*count > in.size() - pos) {
    fail(pos, "node count exceeds the input");
  }
  const auto node_count = static_cast<std::size_t>(*count);
  thread_local detail::PreorderBuilder builder;
  try {
    out.reserve(node_count, in.size() - pos);
    builder.start(out);
    detail::Record r;
    for (std::size_t i = 0; i < node_count; ++i) {
      const std::size_t at = pos;
      if (const char* cause = detail::read_record(in, pos, r)) {
        fail(pos, cause);
      }
      if (const char* cause = builder.add(r)) {
        fail(at, cause);
      }
      if (builder.pending() > node_count - i - 1) {
        fail(at, "child counts exceed the node count");
      }
    }
    if (const char* cause = builder.finish()) {
      fail(pos, cause);
    }
    if (pos != in.size()) {
      fail(pos, "trailing bytes after the last node");
    }
  } catch (const DecodeError&) {
    out.clear();
    throw;
  } catch (const std::length_error& e) {
    out.clear();
    fail(pos, e.what());
  }
}

Tree decode(std::span<const std::uint8_t> in) {
  Tree tree;
  decode(in, tree);
  return tree;
}

}  // namespace perfgate::sigma
