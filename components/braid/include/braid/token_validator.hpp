// components/braid/include/braid/token_validator.hpp — checking generated code
// against a compiled IR one token at a time, as a constrained decoder does on
// the inference path (seeds 000/001: "constraint validation < 50 µs per token").
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "braid/ir.hpp"

namespace perfgate::braid {

/// What TokenValidator::feed decided about one token.
struct TokenVerdict {
  bool accepted = true;
  std::uint32_t constraint = 0;  ///< id of the constraint the token would break; only when !accepted
  std::string_view reason;       ///< static text, e.g. "signature differs"; empty when accepted
};

/// Validates Python code as a model generates it, token by token, against the
/// constraints of an IR. A token is rejected as soon as the text so far can no
/// longer satisfy a constraint, and a rejected token leaves the validator as
/// it was, so a decoder can offer another candidate in its place.
///
/// What is checked (the constraint kinds that a token stream can decide):
/// - syntactic, subject "f" (or "C.f" for a method), value "(x: int, y) -> str":
///   the header of `def f` must read as that signature, normalised the way
///   clew extracts it (parameters trimmed and joined with ", ", " -> " before
///   the return annotation). Checked as every character arrives: a header that
///   stops being a prefix of every allowed signature is rejected there; a
///   header that ends (its ':') short of all of them is rejected at the ':'.
///   When an IR holds several signatures for one function (a conflict braid
///   reports), any of them is accepted.
/// - type_safety, subject "f.x" / "f.return" / "name": the annotation of that
///   parameter, return value, or module- or class-level name, checked the same
///   way (prefix as it grows, exact where it ends: at '=', ',', ')' or ':').
/// - security, value "!X" (subject: the function, or "<module>"): no call of
///   X inside that function ("!shell": no keyword argument shell=True;
///   "!pickle": no pickle.loads call). Rejected at the '(' that makes it a call.
/// - architectural, subject "module:M": value "!import" forbids importing M,
///   "!import N" forbids `from M import N`; subject "class:C", value
///   "extends B": the header of `class C` must list base B (checked at its ':').
/// Semantic and operational constraints (assertions, raised and handled
/// errors) describe behaviour that no single token decides; they are not checked.
///
/// Strings and comments are skipped, brackets continue a line, scopes follow
/// indentation as in clew. Work per token is linear in its length plus a hash
/// lookup per definition, import or call; nothing already fed is read again.
/// Not thread-safe: one validator per generation.
class TokenValidator {
 public:
  /// Indexes the constraints of `ir` (copied: the IR need not outlive it).
  explicit TokenValidator(const Ir& ir);
  ~TokenValidator();
  TokenValidator(TokenValidator&&) noexcept;
  TokenValidator& operator=(TokenValidator&&) noexcept;
  TokenValidator(const TokenValidator&) = delete;
  TokenValidator& operator=(const TokenValidator&) = delete;

  /// Validates `token` as the continuation of what was accepted so far. When
  /// accepted, the token becomes part of the text; when rejected, nothing
  /// changes. Never throws but std::bad_alloc.
  [[nodiscard]] TokenVerdict feed(std::string_view token);

  /// Starts a new file: forgets the text accepted so far, keeps the index and
  /// the storage (no allocation once warm).
  void reset() noexcept;

  /// Number of constraints the validator checks (of the kinds listed above).
  [[nodiscard]] std::size_t checked_constraints() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace perfgate::braid
