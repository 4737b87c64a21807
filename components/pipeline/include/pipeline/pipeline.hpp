// components/pipeline/include/pipeline/pipeline.hpp — one constrained
// generation end to end: constraints from the context files (clew), their IR
// (braid), the grammar maze compiles from it (cached), and the generated code
// checked token by token (braid's validator).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "braid/ir.hpp"
#include "clew/cache.hpp"
#include "maze/orchestrator.hpp"

namespace perfgate::pipeline {

/// A file the model is shown.
struct SourceFile {
  std::string name;  ///< e.g. "app/handlers.py"; becomes part of each constraint's origin
  std::string text;  ///< Python source
};

/// One generation: the context and what the model emitted, token by token.
struct Request {
  std::vector<SourceFile> context;
  /// The generated code as the model emits it (braid::split_tokens cuts text
  /// the same way). The views must stay valid during run().
  std::vector<std::string_view> tokens;
};

/// A generated token the validator refused (the model would sample again).
struct Rejection {
  std::size_t token = 0;         ///< index into Request::tokens
  std::uint32_t constraint = 0;  ///< id in Result::ir
  std::string_view reason;       ///< static text from braid::TokenVerdict
};

struct Result {
  braid::Ir ir;                       ///< the constraints of the whole context, compiled
  maze::CachedConstraint grammar;     ///< maze's compiled constraint for `ir`
  bool grammar_cached = false;        ///< whether maze had it before this request
  std::size_t accepted = 0;           ///< tokens accepted
  std::vector<Rejection> rejections;  ///< tokens refused, in order
};

/// The stages in Ananke's order, with the guides' caches: clew's results per
/// file (content-addressed) and maze's compiled constraints per IR. Not
/// thread-safe (clew's cache is not): one pipeline per thread.
class Pipeline {
 public:
  /// Caches of `files` extraction results and `grammars` compiled constraints.
  explicit Pipeline(std::size_t files = 256, std::size_t grammars = 1024);

  /// Runs one request. The constraints of the context files are merged into
  /// one set: each file's ids are shifted past the previous files' (and its
  /// dependencies with them), so the IR's ids are 0..n-1 in file order.
  /// Rejected tokens are recorded and skipped, as a decoder that resamples
  /// would skip them. Throws braid::Error if the merged set does not compile
  /// (clew's never fails to) and std::length_error past 2^32 constraints.
  [[nodiscard]] Result run(const Request& request);

  /// Extraction results reused and computed so far.
  [[nodiscard]] std::uint64_t file_hits() const noexcept { return m_files.hits(); }
  [[nodiscard]] std::uint64_t file_misses() const noexcept { return m_files.misses(); }
  [[nodiscard]] maze::CacheStats grammar_stats() const noexcept { return m_grammars.stats(); }

 private:
  clew::Cache m_files;
  maze::Orchestrator m_grammars;
};

}  // namespace perfgate::pipeline
