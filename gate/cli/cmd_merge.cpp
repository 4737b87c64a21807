// gate/cli/cmd_merge.cpp — `gate merge`: several run bundles (one per shard
// or per job) into one, for comparing and recording as a whole.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "commands.hpp"
#include "gate/store/atomic_file.hpp"
#include "gate/workflow/compare.hpp"
#include "gate/workflow/merge.hpp"
#include "gate/workflow/record.hpp"
#include "gate/formats/bundle.hpp"
#include "gate/formats/google_benchmark.hpp"

namespace gate::cli {
namespace {

struct MergeArgs {
  std::string out;
  std::vector<std::string> files;
};

int run_merge(const MergeArgs& a) {
  std::vector<RunBundle> parts;
  for (const auto& f : a.files) parts.push_back(read_results(f));
  RunBundle merged = merge_results(parts);
  write_file_atomically(a.out, write_bundle(merged));
  merge_profiles(std::vector<std::filesystem::path>(a.files.begin(), a.files.end()), a.out);
  fmt::print(stderr, "gate: wrote '{}': {} suites from {} files\n", a.out, merged.suites.size(), a.files.size());
  return 0;
}

}  // namespace

void add_merge(CLI::App& app, Action& action) {
  auto args = std::make_shared<MergeArgs>();
  auto* cmd = app.add_subcommand("merge", "merge run bundles of one runner (shards, jobs) into one bundle");
  cmd->add_option("--out", args->out, "bundle to write")->required();
  cmd->add_option("files", args->files, "run bundles or Google Benchmark JSON files")->required();
  cmd->callback([args, &action] { action = [args] { return run_merge(*args); }; });
}

}  // namespace gate::cli
