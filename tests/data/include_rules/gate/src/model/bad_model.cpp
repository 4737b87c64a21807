// The library reaching into the code under gate: include_rules_catch must name it.
#include "gate/model/run_bundle.hpp"
#include "clew/extract.hpp"
