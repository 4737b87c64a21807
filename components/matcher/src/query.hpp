// components/matcher/src/query.hpp — private: a request after analysis: its
// words, the canonical keywords they stand for, and the slots read from them.
#pragma once

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace perfgate::matcher::detail {

/// Canonical keywords: many surface words map to one (see keyword_surfaces).
enum class Kw : std::uint8_t {
  list, file, dir, find, del, larger, smaller, large, small, largest, modified, recent, old,
  count, line, disk, usage, space, free, memory, cpu, process, running, kill, port, network,
  git, commit, branch, status, diff, undo, compress, extract, hidden, sort, size, date, docker,
  image, service, contain, text, empty, symlink, executable, create, kernel, os, user, host,
  uptime, current, env, path, ping, download, head, tail, follow, replace, unique, home, all,
  history, public_,
  count_  // number of keywords; keep last
};
inline constexpr std::size_t kw_count = static_cast<std::size_t>(Kw::count_);

/// Surface word → keyword, built once by the pattern table.
using KeywordMap = std::unordered_map<std::string_view, Kw>;
[[nodiscard]] KeywordMap make_keyword_map();

/// One word of the request.
struct Word {
  std::string_view lower;     ///< lowercased, trailing punctuation removed
  std::string_view original;  ///< as typed, same span
  bool quoted = false;        ///< was '…' or "…" in the request
  std::optional<Kw> keyword;
  bool used = false;          ///< consumed by a slot
};

struct SizeFilter {
  char sign = '+';  ///< '+' larger than, '-' smaller than
  std::uint64_t amount = 0;
  char unit = 'M';  ///< find -size units: 'k', 'M', 'G'
};

struct TimeFilter {
  bool minutes = false;  ///< -mmin instead of -mtime
  char sign = '-';       ///< '-' within, '+' older than, ' ' exactly
  std::uint32_t amount = 0;
};

/// Everything analysis read from the request.
struct Query {
  std::vector<Word> words;
  std::bitset<kw_count> keywords;
  std::optional<SizeFilter> size;
  std::optional<TimeFilter> time;
  std::string_view extension;  ///< without the dot: "log"
  std::array<std::string_view, 4> excludes{};
  std::size_t exclude_count = 0;
  std::string_view directory;  ///< "." for "current directory", "~" for "home directory"
  std::string_view name;       ///< after "named"/"called"
  std::string_view text;       ///< quoted, or after "containing"
  std::string_view target;     ///< first file-, path-, host- or URL-like word not used otherwise
  std::optional<std::uint32_t> limit;   ///< "top 5", "first 20", "10 largest"
  std::optional<std::uint32_t> number;  ///< first bare number not used otherwise
  std::string lowered;  ///< storage for Word::lower

  [[nodiscard]] bool has(Kw k) const noexcept { return keywords.test(static_cast<std::size_t>(k)); }
  [[nodiscard]] bool has_any(std::initializer_list<Kw> ks) const noexcept {
    for (const Kw k : ks) {
      if (has(k)) {
        return true;
      }
    }
    return false;
  }
  /// Whether any slot that narrows a file search is set.
  [[nodiscard]] bool has_file_filter() const noexcept {
    return size || time || !extension.empty() || exclude_count > 0 || !name.empty() || has(Kw::empty) ||
           has(Kw::large) || has(Kw::small) || has(Kw::hidden);
  }
};

/// Analyses `request` into `q` (reusing its storage). Views in `q` point into
/// `request` and into q.lowered: both must outlive the use of `q`.
void analyse(std::string_view request, const KeywordMap& keywords, Query& q);

}  // namespace perfgate::matcher::detail
