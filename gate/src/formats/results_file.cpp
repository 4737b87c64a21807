// gate/src/formats/results_file.cpp — a results file read whole and handed to
// the reader its content calls for.
#include "gate/formats/results_file.hpp"

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "gate/error.hpp"
#include "gate/formats/bundle.hpp"
#include "gate/formats/google_benchmark.hpp"
#include "formats/file_text.hpp"

namespace gate {
RunBundle read_results(const std::filesystem::path& path) {
  const detail::FileText contents(path, "reading results");
  const std::string_view text = contents.text();
  std::string source = path.string();
  RunBundle bundle;
  switch (detect_results_format(text, source)) {
    case ResultsFormat::perfgate_bundle: bundle = parse_bundle(text, source); break;
    case ResultsFormat::perfgate_baseline: {
      BaselineFile file = parse_baseline(text, source);
      bundle.runner = std::move(file.runner);
      bundle.commit = std::move(file.commit);
      bundle.time = std::move(file.time);
      bundle.suites.push_back(std::move(file.suite));
      bundle.stored = true;
      break;
    }
    case ResultsFormat::google_benchmark: bundle.suites.push_back(read_google_benchmark(text, source)); break;
  }
  bundle.source = source;
  return bundle;
}

}  // namespace gate
