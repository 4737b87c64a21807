// components/clew/include/clew/generate.hpp — deterministic Python-like
// source files for benchmarks and tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace perfgate::clew {

/// A Python module of about `approx_bytes` bytes (it stops at the first
/// piece that reaches the size, so it may exceed it by one function): imports,
/// classes with annotated methods, decorators, docstrings, try/except, raise,
/// assertions and the odd eval. Same (approx_bytes, seed), same text.
[[nodiscard]] std::string generate_source(std::size_t approx_bytes, std::uint64_t seed = 1);

}  // namespace perfgate::clew
