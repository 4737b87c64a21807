// gate/include/gate/model/names.hpp — the naming rules, written once: which
// names a suite, a runner and a baseline file may have, and how long a
// benchmark or counter name may be. Names become paths and appear in every
// report, so each reader checks them with these functions and nothing else.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gate {

/// Longest benchmark name (name, run_name) and counter name accepted, in
/// bytes. A name is a baseline key and appears in every report: anything
/// longer is refused as bad input rather than carried into PR comments.
inline constexpr std::size_t k_max_name_bytes = 4096;

/// Why `name` cannot be a benchmark's, a metric's or a counter's name (or a
/// suite's inside a run bundle, where it is not a file name), or
/// std::nullopt when it can: 1 to k_max_name_bytes bytes, without a control
/// character — C0 (NUL, newline, ESC, ...), DEL, or C1 (U+0080–U+009F).
/// Such names are keys in baselines and appear in every report: a reader
/// refuses them, it does not repair them. The reason reads after "name
/// '<name>' is not allowed: ".
[[nodiscard]] std::optional<std::string> benchmark_name_problem(std::string_view name);

/// Longest suite name: it is the stem of a baseline file name.
inline constexpr std::size_t k_max_suite_name = 100;
/// Longest runner id: it is a directory name under baselines/.
inline constexpr std::size_t k_max_runner_id = 64;

/// The runner's fingerprint file inside baselines/<runner>/.
inline constexpr std::string_view k_runner_file = "runner.json";
/// The runner's calibrated noise inside baselines/<runner>/ (gate calibrate).
inline constexpr std::string_view k_noise_file = "noise.json";

/// Why `name` cannot be a suite's (or a product binary's) name, or
/// std::nullopt when it can. A suite name is the stem of its baseline file
/// (baselines/<runner>/<name>.json), so the rule is a file name's: 1 to
/// k_max_suite_name characters from A-Z a-z 0-9 . _ -, starting with a
/// letter or digit, and not one of the stems the runner's directory reserves
/// for itself ("runner", "noise", "gate"), in any case — a case-insensitive
/// file system would confuse "Noise.json" with "noise.json". The reason reads
/// after "suite name '<name>' is not allowed: ".
[[nodiscard]] std::optional<std::string> suite_name_problem(std::string_view name);

/// The baseline file name of a suite: "<suite>.json". Throws gate::Error when
/// suite_name_problem() refuses the name.
[[nodiscard]] std::string baseline_file_name(std::string_view suite);

/// True for a file that may live in baselines/<runner>/: runner.json,
/// noise.json, or "<suite>.json" for a suite name suite_name_problem()
/// accepts.
[[nodiscard]] bool is_valid_baseline_file_name(std::string_view name);

/// The suite a baseline file name holds ("bench_clew.json" → "bench_clew"),
/// or std::nullopt for runner.json, noise.json and anything that is not a
/// valid suite file name.
[[nodiscard]] std::optional<std::string> suite_of_baseline_file(std::string_view name);

/// Why `id` cannot be a runner id, or std::nullopt when it can: 1 to
/// k_max_runner_id characters from a-z 0-9 . _ -, not starting with '.' (so
/// neither "." nor ".."). The reason reads after "runner id '<id>' is not
/// allowed: ".
[[nodiscard]] std::optional<std::string> runner_id_problem(std::string_view id);

/// Returns `id` unchanged when it is a valid runner id. Throws gate::Error
/// naming the id (control characters shown escaped) and the rule otherwise.
/// User-given ids are checked, never repaired: "../../etc" is refused before
/// it becomes a path.
std::string sanitize_runner_id(std::string_view id);

}  // namespace gate
