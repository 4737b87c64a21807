// fuzz/bundle_fuzz.cpp — libFuzzer target: any bytes as a run bundle or a
// baseline file (told by content, as read_results does), read, written and
// read again. A finding is a sanitizer report, an exception other than
// gate::Error, an error that is not one located line, a file that reads but
// cannot be written, or a written file that does not read back to the same
// data (its second writing differs from its first: the writer is
// deterministic, so equal text is equal data).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "gate/formats/bundle.hpp"

namespace {

constexpr std::string_view k_source = "fuzz.json";

template <typename Write, typename Read>
void round_trip(Write write, Read read) {
  std::string first;
  try {
    first = write();
  } catch (const gate::Error& e) {
    gate::fuzz::finding("a file that reads cannot be written", e.what());
  }
  std::string second;
  try {
    second = read(first);
  } catch (const gate::Error& e) {
    gate::fuzz::finding("a written file does not read back", std::string(e.what()) + "\n---\n" + first);
  }
  if (first != second) gate::fuzz::finding("a written file reads back different", first + "\n---\n" + second);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string source(k_source);
  try {
    switch (gate::detect_results_format(text, source)) {
      case gate::ResultsFormat::perfgate_bundle: {
        gate::RunBundle bundle = gate::parse_bundle(text, source);
        round_trip([&] { return gate::write_bundle(bundle); },
                   [](const std::string& t) { return gate::write_bundle(gate::parse_bundle(t, "written.json")); });
        break;
      }
      case gate::ResultsFormat::perfgate_baseline: {
        gate::BaselineFile file = gate::parse_baseline(text, source);
        gate::RunBundle meta;
        meta.runner = file.runner;
        meta.commit = file.commit;
        meta.time = file.time;
        round_trip([&] { return gate::write_baseline(meta, file.suite); },
                   [&](const std::string& t) {
                     gate::BaselineFile back = gate::parse_baseline(t, "written.json");
                     gate::RunBundle back_meta;
                     back_meta.runner = back.runner;
                     back_meta.commit = back.commit;
                     back_meta.time = back.time;
                     return gate::write_baseline(back_meta, back.suite);
                   });
        break;
      }
      case gate::ResultsFormat::google_benchmark: break;  // google_benchmark_fuzz's
    }
  } catch (const gate::Error& e) {
    gate::fuzz::check_error(e, k_source);
  }
  return 0;
}
