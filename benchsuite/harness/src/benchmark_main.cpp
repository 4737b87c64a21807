// perfgate's benchmark_main — main() of a suite that links
// perfgate::benchmark_main instead of benchmark::benchmark_main. It is
// compiled as part of that suite, so that the build type and compiler it
// records are the suite's own (PERFGATE_THIS_BUILD).
#include <perfgate/harness.hpp>

PERFGATE_BENCHMARK_MAIN()
