// gate/include/gate/formats/results_file.hpp — reading any results file the
// gate accepts, told by its content: a perfgate run bundle, a baseline file
// or plain Google Benchmark JSON.
#pragma once

#include <filesystem>

#include "gate/model/run_bundle.hpp"

namespace gate {

/// Reads a results file: a perfgate run bundle (as is), a perfgate baseline
/// file (a bundle with its one suite, runner, commit and time, and
/// RunBundle::stored set) or Google
/// Benchmark JSON (a bundle with one suite and an empty runner). The kind is
/// told by the content (detect_results_format), not the file name.
/// RunBundle::source is the path. Throws gate::Error naming the path when the
/// file is missing, unreadable or a directory, and the errors of the readers
/// above (with the path as source) for bad content.
[[nodiscard]] RunBundle read_results(const std::filesystem::path& path);

}  // namespace gate
