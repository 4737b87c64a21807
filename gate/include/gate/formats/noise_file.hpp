// gate/include/gate/formats/noise_file.hpp — noise.json, the file a runner's
// calibrated noise is kept in: writing it deterministically, reading it back.
#pragma once

#include <string>
#include <string_view>

#include "gate/model/noise.hpp"

namespace gate {

inline constexpr std::string_view k_noise_schema = "perfgate-noise";
inline constexpr int k_noise_schema_version = 1;

/// noise.json's text: schema, version, runner, the statistic in words, then
/// suites, benchmarks and metrics in sorted order, spreads rounded to 1e-6
/// and a final newline — the same table gives the same bytes.
[[nodiscard]] std::string write_noise(const NoiseTable& table);

/// Reads what write_noise() wrote. NoiseTable::source = `source`. Throws
/// gate::Error "<source>:<line>:<col>: <what>" for invalid JSON, another
/// schema, a newer version, a missing or ill-typed field, a negative or
/// non-finite spread, or an invalid runner id.
[[nodiscard]] NoiseTable parse_noise(std::string_view text, const std::string& source);

}  // namespace gate
