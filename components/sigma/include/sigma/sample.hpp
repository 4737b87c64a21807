// components/sigma/include/sigma/sample.hpp — deterministic sample trees (the
// workloads of the tests and benchmarks): sentence-like semantic trees, deep
// chains, and edited versions of a tree for delta compression.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sigma/tree.hpp"

namespace perfgate::sigma {

/// A tree of `nodes` nodes (at least 1) that looks like a parsed sentence: a
/// root primitive, phrases of 1 to 4 children, glyphs drawn from 64 primitives
/// (a few of them common), short word payloads on most leaves. Depends only on
/// `seed` and `nodes`.
[[nodiscard]] Tree sample_tree(std::uint64_t seed, std::size_t nodes);

/// A path of `depth` nodes (at least 1), each the only child of the one
/// before, with a small payload on every node: the worst case for recursion.
[[nodiscard]] Tree chain_tree(std::size_t depth);

/// A new version of `tree` with `edits` random edits (changed payloads, new
/// leaves, removed subtrees other than the root's), depending only on `seed`.
/// Returns a copy when `tree` is empty or `edits` is 0.
[[nodiscard]] Tree edited_tree(const Tree& tree, std::uint64_t seed, std::size_t edits);

}  // namespace perfgate::sigma
