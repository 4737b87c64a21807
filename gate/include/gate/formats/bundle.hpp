// gate/include/gate/formats/bundle.hpp — the run bundle and baseline file formats:
// writing them (deterministic, diff-friendly JSON), reading them back, and
// telling a results file's kind by its content. The schema is documented,
// with its version history, in docs/bundle-format.md.
#pragma once

#include <string>
#include <string_view>

#include "gate/model/run_bundle.hpp"

namespace gate {

inline constexpr std::string_view k_bundle_schema = "perfgate-bundle";
inline constexpr std::string_view k_baseline_schema = "perfgate-baseline";
/// The schema version this gate writes, and the newest it reads. Raised when
/// a change would be misread by an older gate; readers ignore keys they do
/// not know, so additions that may be ignored do not raise it.
inline constexpr int k_schema_version = 1;

/// What a results file is.
enum class ResultsFormat { google_benchmark, perfgate_bundle, perfgate_baseline };

/// Tells the kind of a results file from its top-level keys: "schema" names a
/// perfgate file, "benchmarks" without "schema" is Google Benchmark JSON.
/// Reads the top level only (skipping values), so it costs a fraction of a
/// parse. Throws gate::Error "<source>:<line>:<col>: <what>" (or
/// "<source>: <what>") for an empty file, text that is not JSON, a top level
/// that is not an object, an unknown schema, or an object that is neither.
[[nodiscard]] ResultsFormat detect_results_format(std::string_view text, const std::string& source);

/// The run bundle as JSON (schema "perfgate-bundle", version
/// k_schema_version, this gate's version as tool_version). Deterministic:
/// the same bundle gives the same bytes. Keys in a fixed order (maps sorted,
/// benchmarks, metrics and sections in model order), 2-space indentation,
/// one metric per line, doubles in the shortest form that reads back to the
/// same value, strings as valid UTF-8 (invalid bytes become U+FFFD).
/// RunBundle::source is not written. A same-job A/B run (RunBundle::ab)
/// adds the optional top-level "ab" object (the base side) and per metric
/// the optional "rounds" list; older readers skip both and read the head
/// side as a plain run. Throws gate::Error for a value JSON cannot hold (a
/// NaN or infinite sample), naming the suite, benchmark and metric.
[[nodiscard]] std::string write_bundle(const RunBundle& bundle);

/// Reads what write_bundle() wrote. RunBundle::source = `source`. Throws
/// gate::Error "<source>:<line>:<col>: <what>" for invalid JSON, a missing or
/// ill-typed field, an unknown schema, a schema_version newer than
/// k_schema_version, a runner id that is not sanitised, a benchmark, suite or
/// metric named twice, a metric whose "rounds" do not match its samples one
/// for one.
[[nodiscard]] RunBundle parse_bundle(std::string_view text, const std::string& source);

/// One suite's baseline: baselines/<runner>/<suite>.json.
struct BaselineFile {
  Runner runner;
  std::string commit;
  std::string time;
  std::string tool_version;  ///< the gate version that wrote the file
  Suite suite;
};

/// The baseline file of `suite` (schema "perfgate-baseline"), with the
/// runner, commit and time of `meta`. Same form and guarantees as
/// write_bundle().
[[nodiscard]] std::string write_baseline(const RunBundle& meta, const Suite& suite);

/// Reads what write_baseline() wrote; errors as parse_bundle().
[[nodiscard]] BaselineFile parse_baseline(std::string_view text, const std::string& source);

}  // namespace gate
