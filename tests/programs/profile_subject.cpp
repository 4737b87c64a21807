// tests/programs/profile_subject.cpp — a small program with three functions
// of its own work, run under callgrind by the profile tests. Built twice: the
// GATE_SLOWER_CHECKSUM build makes checksum() do four times its work and
// leaves the other functions as they are, so the profiles' difference must
// name checksum() first.
#include <cstdint>
#include <cstdio>
#include <vector>

namespace {

[[gnu::noinline]] std::vector<std::uint32_t> make_values(std::uint32_t n) {
  std::vector<std::uint32_t> values(n);
  std::uint32_t x = 12345;
  for (auto& v : values) {
    x = x * 1103515245u + 12345u;
    v = x >> 8;
  }
  return values;
}

[[gnu::noinline]] std::uint64_t checksum(const std::vector<std::uint32_t>& values) {
  std::uint64_t sum = 0;
#ifdef GATE_SLOWER_CHECKSUM
  constexpr int passes = 4;
#else
  constexpr int passes = 1;
#endif
  for (int pass = 0; pass < passes; ++pass) {
    for (auto v : values) sum = sum * 31 + v + static_cast<std::uint64_t>(pass);
  }
  return sum;
}

[[gnu::noinline]] std::uint32_t count_odd(const std::vector<std::uint32_t>& values) {
  std::uint32_t odd = 0;
  for (auto v : values) odd += v & 1u;
  return odd;
}

}  // namespace

int main() {
  const auto values = make_values(20000);
  const std::uint64_t sum = checksum(values);
  const std::uint32_t odd = count_odd(values);
  std::printf("%llu %u\n", static_cast<unsigned long long>(sum), odd);
  return 0;
}
