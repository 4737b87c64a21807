// gate/cli/terminal.cpp — terminal detection, written once for every subcommand.
#include "terminal.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace gate::cli {

bool is_live_terminal(std::FILE* stream) {
  const char* term = std::getenv("TERM");
  return isatty(fileno(stream)) != 0 && (term == nullptr || std::strcmp(term, "dumb") != 0);
}

bool wants_color() { return is_live_terminal(stdout) && std::getenv("NO_COLOR") == nullptr; }

}  // namespace gate::cli
