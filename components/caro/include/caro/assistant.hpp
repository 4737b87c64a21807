// components/caro/include/caro/assistant.hpp — caro's request path: a request
// in plain words, the static matcher's command for it, the safety validator's
// verdict on that command, and the answer a user gets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "matcher/matcher.hpp"
#include "safety/validator.hpp"

namespace perfgate::caro {

enum class Outcome : std::uint8_t {
  command,   ///< a command to run: the validator found it safe, or worth a caution only
  refused,   ///< the matched command is dangerous or critical: not to be run
  no_match,  ///< no pattern matches the request: a model would have to answer it
};

/// "command", "refused", "no match".
[[nodiscard]] std::string_view to_string(Outcome outcome) noexcept;

struct Answer {
  Outcome outcome = Outcome::no_match;
  std::string command;       ///< the matched command (also when refused); empty on no_match
  std::string_view pattern;  ///< the matcher's pattern id; empty on no_match
  safety::Verdict verdict;   ///< the validator's judgement of `command`; safe on no_match
};

/// The static matcher and the safety validator, built once. The constructor
/// is the in-process share of caro's start-up.
class Assistant {
 public:
  Assistant() = default;

  /// The answer to `request`. Every command is validated before it is given:
  /// one the validator blocks (Verdict::blocked()) is refused. Const and
  /// thread-safe (both parts are); never throws but std::bad_alloc.
  [[nodiscard]] Answer answer(std::string_view request) const;

  /// Patterns the matcher knows.
  [[nodiscard]] std::size_t pattern_count() const noexcept { return m_matcher.pattern_count(); }

 private:
  matcher::Matcher m_matcher;
  safety::Validator m_validator;
};

}  // namespace perfgate::caro
