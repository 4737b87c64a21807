// components/caro/src/assistant.cpp — match, then validate.
#include "caro/assistant.hpp"

#include <utility>

namespace perfgate::caro {

std::string_view to_string(Outcome outcome) noexcept {
  switch (outcome) {
    case Outcome::command:
      return "command";
    case Outcome::refused:
      return "refused";
    case Outcome::no_match:
      return "no match";
  }
  return "unknown";
}

Answer Assistant::answer(std::string_view request) const {
  Answer a;
  auto match = m_matcher.generate(request);
  if (!match) {
    return a;
  }
  a.command = std::move(match->command);
  a.pattern = match->pattern;
  // The guide's order: the command is generated, then checked; nothing the
  // validator blocks leaves this function as something to run.
  a.verdict = m_validator.validate(a.command);
  a.outcome = a.verdict.blocked() ? Outcome::refused : Outcome::command;
  return a;
}

}  // namespace perfgate::caro
