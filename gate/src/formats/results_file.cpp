// gate/src/formats/results_file.cpp — a results file read whole and handed to
// the reader its content calls for.
#include "gate/formats/results_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <system_error>

#include "gate/error.hpp"
#include "gate/formats/bundle.hpp"
#include "gate/formats/google_benchmark.hpp"

namespace gate {
namespace {

std::string read_whole_file(const std::filesystem::path& path) {
  const std::string shown = "reading results '" + path.string() + "'";
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) throw Error(shown + ": no such file");
  if (std::filesystem::is_directory(status)) throw Error(shown + ": is a directory, expected a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(shown + ": " + std::strerror(errno));
  std::string text;
  in.seekg(0, std::ios::end);
  auto size = in.tellg();
  if (size > 0) {
    text.resize(static_cast<std::size_t>(size));
    in.seekg(0);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
  }
  if (in.bad() || (size > 0 && in.gcount() != static_cast<std::streamsize>(text.size()))) {
    throw Error(shown + ": read failed");
  }
  return text;
}

}  // namespace

RunBundle read_results(const std::filesystem::path& path) {
  std::string text = read_whole_file(path);
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
