// components/matcher/src/pattern_table.hpp — private: the compiled patterns,
// the keyword map and the keyword → pattern index behind Matcher.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matcher/matcher.hpp"
#include "query.hpp"

namespace perfgate::matcher {

class PatternTable {
 public:
  using Kw = detail::Kw;
  using Query = detail::Query;

  /// One way to turn a request into a command.
  struct Pattern {
    std::string_view id;
    std::vector<std::vector<Kw>> all_of;  ///< each group needs one of its keywords present
    std::vector<Kw> none_of;              ///< none of these may be present
    bool (*when)(const Query&) = nullptr;  ///< an extra condition on the slots, or none
    std::string (*build)(const Query&) = nullptr;
    int specificity = 0;  ///< groups + condition: the more, the more specific
  };

  PatternTable();

  [[nodiscard]] std::optional<Match> generate(std::string_view request) const;
  [[nodiscard]] std::size_t size() const noexcept { return m_patterns.size(); }

 private:
  [[nodiscard]] bool applies(const Pattern& p, const Query& q) const noexcept;

  std::vector<Pattern> m_patterns;
  detail::KeywordMap m_keywords;
  std::array<std::vector<std::uint16_t>, detail::kw_count> m_index;  ///< keyword → patterns that name it
};

/// The patterns, in priority order (an earlier one wins a tie).
[[nodiscard]] std::vector<PatternTable::Pattern> make_patterns();

}  // namespace perfgate::matcher
