// gate/src/report/text.hpp — untrusted text (benchmark, suite and metric
// names, error messages a suite printed) made safe for one output: shown,
// never obeyed. A name with a newline must not split a row, an escape
// sequence must not recolour or hide the terminal, a right-to-left override
// must not reorder what a reviewer reads.
#pragma once

#include <string>
#include <string_view>

namespace gate::detail {

/// For a terminal and any one-line text: printable UTF-8 as is; control
/// characters (C0, DEL, C1), bidirectional controls (U+061C, U+200E,
/// U+200F, U+202A–U+202E, U+2066–U+2069) and line or paragraph separators
/// (U+2028, U+2029) shown escaped — "\n", "\r", "\t", "\x1b", "\u202e" —
/// and bytes that are not valid UTF-8 as "\xNN". The result never holds a
/// byte below 0x20 and is always one line.
[[nodiscard]] std::string visible(std::string_view text);

/// For a cell or line of GitHub-flavoured Markdown: visible(), then
/// HTML-significant characters as entities, Markdown punctuation and '|'
/// backslash-escaped, and a zero-width space after '@', in "GH-<digit>",
/// "://" and "www." so that nothing becomes a mention, a reference or a link.
[[nodiscard]] std::string markdown_text(std::string_view text);

}  // namespace gate::detail
