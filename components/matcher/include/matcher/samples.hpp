// components/matcher/include/matcher/samples.hpp — a fixed corpus of requests
// with the commands expected for them: the matcher's tests check them and its
// benchmarks replay them.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace perfgate::matcher {

/// The guide's query classes (seed 003): simple ("list files"), filter
/// ("files larger than 100MB"), complex ("find files modified today larger
/// than 1GB excluding node_modules").
enum class QueryClass : std::uint8_t { simple, filter, complex };

struct SampleQuery {
  QueryClass query_class;
  std::string_view query;
  std::string_view command;  ///< what generate() must return; empty: no match expected
};

/// The corpus: over 60 requests across the three classes, plus a few that
/// must not match. Static storage; the same on every call.
[[nodiscard]] std::span<const SampleQuery> sample_queries() noexcept;

/// "simple", "filter", "complex".
[[nodiscard]] std::string_view to_string(QueryClass c) noexcept;

}  // namespace perfgate::matcher
