// A judge that reaches into the suite runner: include_rules_catch must name it.
#include "gate/judge/verdict.hpp"
#include "gate/run/run.hpp"
