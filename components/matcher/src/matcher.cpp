// components/matcher/src/matcher.cpp — matching a request against the pattern
// table through the keyword index.
#include "matcher/matcher.hpp"

#include <algorithm>
#include <stdexcept>

#include "pattern_table.hpp"

namespace perfgate::matcher {

PatternTable::PatternTable() : m_patterns(make_patterns()), m_keywords(detail::make_keyword_map()) {
  if (m_patterns.size() > UINT16_MAX) {
    throw std::length_error("building matcher: too many patterns");
  }
  for (std::size_t i = 0; i < m_patterns.size(); ++i) {
    Pattern& p = m_patterns[i];
    p.specificity = static_cast<int>(p.all_of.size()) + (p.when != nullptr ? 1 : 0);
    // Index a pattern under every keyword of its first group: a request that
    // has none of them cannot match it, so it need not even be looked at.
    if (!p.all_of.empty()) {
      for (const Kw k : p.all_of.front()) {
        m_index[static_cast<std::size_t>(k)].push_back(static_cast<std::uint16_t>(i));
      }
    }
  }
}

bool PatternTable::applies(const Pattern& p, const Query& q) const noexcept {
  for (const auto& group : p.all_of) {
    bool any = false;
    for (const Kw k : group) {
      any = any || q.has(k);
    }
    if (!any) {
      return false;
    }
  }
  for (const Kw k : p.none_of) {
    if (q.has(k)) {
      return false;
    }
  }
  return p.when == nullptr || p.when(q);
}

std::optional<Match> PatternTable::generate(std::string_view request) const {
  // Per thread, so generate() is const and thread-safe, and a thread's later
  // requests reuse the storage of its earlier ones.
  thread_local Query q;
  detail::analyse(request, m_keywords, q);
  const Pattern* best = nullptr;
  std::size_t best_index = 0;
  for (std::size_t k = 0; k < detail::kw_count; ++k) {
    if (!q.keywords.test(k)) {
      continue;
    }
    for (const std::uint16_t i : m_index[k]) {
      const Pattern& p = m_patterns[i];
      // A pattern can sit under several keywords of the request: the index
      // comparison keeps the result independent of visiting order.
      if (best != nullptr && (p.specificity < best->specificity ||
                              (p.specificity == best->specificity && i >= best_index))) {
        continue;
      }
      if (applies(p, q)) {
        best = &p;
        best_index = i;
      }
    }
  }
  if (best == nullptr) {
    return std::nullopt;
  }
  return Match{best->build(q), best->id};
}

Matcher::Matcher() : m_table(std::make_unique<const PatternTable>()) {}

Matcher::~Matcher() = default;

std::optional<Match> Matcher::generate(std::string_view query) const { return m_table->generate(query); }

std::size_t Matcher::pattern_count() const noexcept { return m_table->size(); }

}  // namespace perfgate::matcher
