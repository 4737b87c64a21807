// components/braid/include/braid/tokens.hpp — text cut into the pieces a code
// model emits, so that generated code can be replayed one token at a time.
#pragma once

#include <string_view>
#include <vector>

namespace perfgate::braid {

/// Splits `text` roughly as a BPE tokenizer of code does (about 3 bytes a
/// token on Python source, as such tokenizers give):
/// - a newline together with the indentation after it is one token;
/// - a word (letters, digits, '_') is cut into pieces of at most 4 bytes, and
///   one space right before it travels with its first piece (" proc", "ess_", "1");
/// - any other run of spaces or tabs is one token;
/// - every other byte is a token of its own.
/// Concatenated, the pieces give `text` back. They point into `text`, which
/// must outlive them. Deterministic; linear in the size of `text`.
[[nodiscard]] std::vector<std::string_view> split_tokens(std::string_view text);

}  // namespace perfgate::braid
