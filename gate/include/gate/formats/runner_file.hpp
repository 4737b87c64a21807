// gate/include/gate/formats/runner_file.hpp — runner.json, the fingerprint a
// runner's baselines were measured on (baselines/<runner>/runner.json).
#pragma once

#include <string>
#include <string_view>

#include "gate/model/run_bundle.hpp"

namespace gate {

/// runner.json: {"id": ..., "fingerprint": {...}} with keys in a fixed order
/// (id first, fingerprint keys sorted), two-space indent, final newline — so
/// the same runner always gives the same bytes and git diffs stay small.
[[nodiscard]] std::string runner_to_json(const Runner& runner);

/// Parses runner.json. `source` names the file in messages. Throws
/// gate::Error "<source>:<line>:<col>: <what>" on invalid JSON, a missing or
/// invalid id, a fingerprint that is not an object of strings, a key given
/// twice, or a key other than these two (a typo would hide a field).
[[nodiscard]] Runner runner_from_json(std::string_view text, std::string_view source);

}  // namespace gate
