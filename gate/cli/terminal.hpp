// gate/cli/terminal.hpp — what the output streams are connected to: a live
// terminal gets colour and redrawn progress lines, a pipe or a CI log plain
// text.
#pragma once

#include <cstdio>

namespace gate::cli {

/// True when `stream` (stdout or stderr) is a terminal that can redraw a
/// line: a tty whose TERM is not "dumb".
[[nodiscard]] bool is_live_terminal(std::FILE* stream);

/// True when reports on stdout may be coloured: a live terminal and no
/// NO_COLOR in the environment (https://no-color.org).
[[nodiscard]] bool wants_color();

}  // namespace gate::cli
