// gate/src/model/noise.cpp — look-ups in a runner's noise table.
#include "gate/model/noise.hpp"

namespace gate {

const NoiseEntry* NoiseTable::find(std::string_view suite, std::string_view benchmark, std::string_view metric) const {
  auto s = suites.find(std::string(suite));
  if (s == suites.end()) return nullptr;
  auto b = s->second.benchmarks.find(std::string(benchmark));
  if (b == s->second.benchmarks.end()) return nullptr;
  auto m = b->second.find(std::string(metric));
  return m == b->second.end() ? nullptr : &m->second;
}

}  // namespace gate
