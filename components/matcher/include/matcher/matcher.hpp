// components/matcher/include/matcher/matcher.hpp — the static command matcher:
// a natural-language request in, a shell command out, by keyword index and
// patterns compiled once (no model, no regex compiled per query).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace perfgate::matcher {

/// What generate() found.
struct Match {
  std::string command;     ///< a single shell command line; user-supplied names are single-quoted when needed
  std::string_view pattern;  ///< id of the pattern that produced it, e.g. "find-files"; points at static storage
};

class PatternTable;

/// Turns requests such as "list files", "files larger than 100MB" or "find
/// files modified today larger than 1GB excluding node_modules" into commands.
///
/// How: the query is lowercased and split into words once; each word is
/// mapped to a canonical keyword (show/display/list → list, folder/dir →
/// directory, …) through one hash lookup; slots (sizes, times, extensions,
/// exclusions, directories, names, quoted text, counts) are read in the same
/// pass. A keyword index gives the patterns that mention any of the query's
/// keywords; of those whose keyword groups are all present, the most specific
/// wins (ties: the one declared first) and builds the command from the slots.
/// Everything the query is matched against is built in the constructor.
///
/// Thread-safe: generate() is const and keeps its scratch per thread.
class Matcher {
 public:
  Matcher();
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  /// The command for `query`, or nullopt when no pattern matches (the caller
  /// falls back to a model). Never throws but std::bad_alloc.
  [[nodiscard]] std::optional<Match> generate(std::string_view query) const;
  /// Number of patterns known.
  [[nodiscard]] std::size_t pattern_count() const noexcept;

 private:
  std::unique_ptr<const PatternTable> m_table;
};

}  // namespace perfgate::matcher
