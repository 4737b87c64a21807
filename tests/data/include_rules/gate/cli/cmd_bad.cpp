// A subcommand that includes a private header: include_rules_catch must name it.
#include "gate/error.hpp"
#include "judge/judging.hpp"
