// fuzz/noise_fuzz.cpp — libFuzzer target: any bytes as a runner's noise.json
// and as its runner.json, each read, written and read again. A finding is a
// sanitizer report, an exception other than gate::Error, an error that is
// not one located line, a file that reads but cannot be written, or a
// written file that does not read back to the same data (its second writing
// differs from its first).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "gate/formats/noise_file.hpp"
#include "gate/formats/runner_file.hpp"

namespace {

constexpr std::string_view k_source = "fuzz.json";

void check_same(const std::string& first, const std::string& second) {
  if (first != second) gate::fuzz::finding("a written file reads back different", first + "\n---\n" + second);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string source(k_source);
  try {
    gate::NoiseTable table = gate::parse_noise(text, source);
    const std::string first = gate::write_noise(table);
    std::string second;
    try {
      second = gate::write_noise(gate::parse_noise(first, "written.json"));
    } catch (const gate::Error& e) {
      gate::fuzz::finding("a written noise.json does not read back", std::string(e.what()) + "\n---\n" + first);
    }
    check_same(first, second);
  } catch (const gate::Error& e) {
    gate::fuzz::check_error(e, k_source);
  }
  try {
    gate::Runner runner = gate::runner_from_json(text, source);
    const std::string first = gate::runner_to_json(runner);
    std::string second;
    try {
      second = gate::runner_to_json(gate::runner_from_json(first, "written.json"));
    } catch (const gate::Error& e) {
      gate::fuzz::finding("a written runner.json does not read back", std::string(e.what()) + "\n---\n" + first);
    }
    check_same(first, second);
  } catch (const gate::Error& e) {
    gate::fuzz::check_error(e, k_source);
  }
  return 0;
}
