// gate/src/workflow/merge.cpp — results files merged into one bundle: whole
// suites from several files, and the shards of `gate run --shard i/n` joined
// suite by suite.
#include "gate/workflow/merge.hpp"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <system_error>
#include <map>
#include <string>
#include <string_view>

#include "gate/error.hpp"
#include "gate/formats/callgrind_profile.hpp"
#include "gate/store/runner.hpp"

namespace gate {
namespace {

/// Every shard of the count once: refuses a count that differs, a shard
/// given twice and a shard that is missing, naming the files.
void check_shards(const std::vector<RunBundle>& parts) {
  std::map<int, std::string> seen;  // index → file
  const RunBundle* first = nullptr;
  for (const auto& part : parts) {
    if (!part.shard) continue;
    if (first == nullptr) first = &part;
    if (part.shard->count != first->shard->count) {
      throw Error(fmt::format("merging '{}': it is shard {} but '{}' is shard {} — shards of different splits",
                              part.source, to_string(*part.shard), first->source, to_string(*first->shard)));
    }
    auto [it, inserted] = seen.emplace(part.shard->index, part.source);
    if (!inserted) {
      throw Error(fmt::format("merging '{}': shard {} is also in '{}' — overlapping shards", part.source,
                              to_string(*part.shard), it->second));
    }
  }
  if (first == nullptr) return;
  std::vector<std::string> missing;
  for (int i = 1; i <= first->shard->count; ++i) {
    if (!seen.contains(i)) missing.push_back(to_string(Shard{i, first->shard->count}));
  }
  if (!missing.empty()) {
    throw Error(fmt::format("merging shards: shard{} {} missing ({} of {} given) — merge all of them",
                            missing.size() == 1 ? "" : "s", fmt::join(missing, ", "), seen.size(),
                            first->shard->count));
  }
}

/// Adds one shard's part of a suite to the part joined so far.
void join_suite(Suite& into, const std::string& into_source, const Suite& part, const std::string& part_source) {
  const std::string a = into.binary ? into.binary->text_hash : std::string();
  const std::string b = part.binary ? part.binary->text_hash : std::string();
  if (a != b) {
    throw Error(fmt::format("merging '{}': suite '{}' was measured from another binary than in '{}' (code hash {} "
                            "there, {} here) — shards must run the same build",
                            part_source, part.name, into_source, a.empty() ? "unknown" : a,
                            b.empty() ? "unknown" : b));
  }
  for (const auto& benchmark : part.benchmarks) {
    if (into.find(benchmark.name) != nullptr) {
      throw Error(fmt::format("merging '{}': benchmark '{}' of suite '{}' is also in '{}' — overlapping shards",
                              part_source, benchmark.name, part.name, into_source));
    }
    into.benchmarks.push_back(benchmark);
  }
  into.complexity.insert(into.complexity.end(), part.complexity.begin(), part.complexity.end());
  for (const auto& [key, value] : part.context) into.context.emplace(key, value);
  if (part.failure) into.failure = into.failure ? *into.failure + "\n" + *part.failure : *part.failure;
}

}  // namespace

void merge_profiles(const std::vector<std::filesystem::path>& files, const std::filesystem::path& out) {
  const auto target = profiles_dir_of(out);
  for (const auto& f : files) {
    const auto dir = profiles_dir_of(f);
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    std::filesystem::create_directories(target, ec);
    if (!ec) {
      std::filesystem::copy(dir, target,
                            std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing,
                            ec);
    }
    if (ec) {
      throw Error(fmt::format("merging the profiles of '{}' into '{}': {}", f.string(), target.string(), ec.message()));
    }
  }
}

namespace {

/// Adds the suites of one file (`side` of it: the head side or, of an A/B
/// bundle, the base side) to the suites merged so far.
void add_suites(std::vector<Suite>& into, std::map<std::string, std::string>& suite_source,
                const std::vector<Suite>& suites, const RunBundle& part, const std::vector<RunBundle>& parts,
                std::string_view side) {
  for (const auto& suite : suites) {
    auto [it, inserted] = suite_source.emplace(suite.name, part.source);
    if (inserted) {
      into.push_back(suite);
      continue;
    }
    // The same suite twice is a shard's part of it, or a mistake.
    const RunBundle* other = nullptr;
    for (const auto& p : parts) {
      if (p.source == it->second) other = &p;
    }
    if (!part.shard || other == nullptr || !other->shard) {
      throw Error(fmt::format("merging '{}': suite '{}'{} is also in '{}'", part.source, suite.name, side, it->second));
    }
    auto joined = std::find_if(into.begin(), into.end(), [&](const Suite& s) { return s.name == suite.name; });
    join_suite(*joined, it->second, suite, part.source);
  }
}

/// The A/B facts of the shards of one A/B run: the same rounds and builds in
/// every shard. Each shard has its own schedule; the merged bundle keeps the
/// seed of the first file and, per suite, the order of the first file that
/// ran it.
void merge_ab(AbRun& into, const std::string& into_source, const AbRun& part, const std::string& part_source) {
  if (part.rounds != into.rounds) {
    throw Error(fmt::format("merging '{}': an a/b run of {} rounds, '{}' of {} — shards must run the same rounds",
                            part_source, part.rounds, into_source, into.rounds));
  }
  if (part.pairing != into.pairing || part.cpu != into.cpu || part.min_time != into.min_time) {
    auto how = [](const AbRun& ab) {
      return fmt::format("paired {} by {}, {}, {}", to_string(ab.pairing), to_string(ab.pairing),
                         ab.cpu ? fmt::format("on CPU {}", *ab.cpu) : std::string("not pinned"),
                         ab.min_time ? fmt::format("min_time {}s", *ab.min_time) : std::string("the suites' min_time"));
    };
    throw Error(fmt::format("merging '{}': an a/b run {}, '{}' {} — shards must be measured the same way", part_source,
                            how(part), into_source, how(into)));
  }
  for (const auto& [suite, letters] : part.first) into.first.emplace(suite, letters);
}

}  // namespace

RunBundle merge_results(const std::vector<RunBundle>& parts) {
  check_shards(parts);
  RunBundle out;
  std::map<std::string, std::string> suite_source;
  std::map<std::string, std::string> base_source;
  std::vector<std::string> sources;
  std::string commit_source;
  const RunBundle* first_ab = nullptr;
  for (const auto& part : parts) {
    sources.push_back(part.source);
    if (part.ab.has_value() != parts.front().ab.has_value()) {
      const RunBundle& ab = part.ab ? part : parts.front();
      const RunBundle& plain = part.ab ? parts.front() : part;
      throw Error(fmt::format("merging '{}': it is an a/b run of two builds, '{}' a run of one — merge the shards of "
                              "one kind of run",
                              ab.source, plain.source));
    }
    if (out.runner.id.empty() && !part.runner.id.empty()) {
      out.runner = part.runner;
    } else if (!part.runner.id.empty()) {
      auto diff = fingerprint_differences(out.runner, part.runner);
      if (out.runner.id != part.runner.id || !diff.empty()) {
        throw Error(fmt::format("merging '{}': measured on runner '{}', the others on '{}'{}", part.source,
                                part.runner.id, out.runner.id,
                                diff.empty() ? "" : fmt::format(" (differs in {})", fmt::join(diff, ", "))));
      }
    }
    if (part.shard && !part.commit.empty() && !out.commit.empty() && part.commit != out.commit) {
      throw Error(fmt::format("merging '{}': shard {} was measured at commit {}, '{}' at {}", part.source,
                              to_string(*part.shard), part.commit, commit_source, out.commit));
    }
    if (out.commit.empty()) {
      out.commit = part.commit;
      commit_source = part.source;
    }
    if (out.ref.empty()) out.ref = part.ref;
    if (out.time.empty()) out.time = part.time;
    if (part.ab) {
      if (first_ab == nullptr) {
        first_ab = &part;
        out.ab = *part.ab;
        out.ab->base_suites.clear();
      } else {
        merge_ab(*out.ab, first_ab->source, *part.ab, part.source);
      }
    }
    add_suites(out.suites, suite_source, part.suites, part, parts, part.ab ? " (head build)" : "");
    if (part.ab) add_suites(out.ab->base_suites, base_source, part.ab->base_suites, part, parts, " (base build)");
  }
  out.source = sources.size() == 1 ? sources.front() : fmt::format("{}", fmt::join(sources, " + "));
  return out;
}

}  // namespace gate
