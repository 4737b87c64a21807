// gate/src/run/ab_run.cpp — same-job A/B runs: the chosen suites from two
// builds, interleaved round by round in a seeded random schedule, each round's
// samples tagged with it, both sides in one bundle.
#include <sched.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <map>
#include <numeric>
#include <random>
#include <string_view>
#include <system_error>

#include <fmt/core.h>

#include "gate/error.hpp"
#include "gate/model/metrics.hpp"
#include "gate/policy/policy.hpp"
#include "gate/run/run.hpp"
#include "gate/store/runner.hpp"
#include "run/command_runner.hpp"
#include "run/run_setup.hpp"
#include "run/suite_runner.hpp"

namespace gate {

using detail::SuiteRunner;
using detail::Valgrind;
using detail::WorkDir;
using std::chrono::nanoseconds;

namespace {

/// One build's side of one suite in an A/B run.
struct AbSide {
  std::filesystem::path binary;
  bool present = false;  ///< the build has the suite's binary
  detail::Listed listed;
  Suite suite;
};

/// One suite of an A/B run: both sides and the schedule.
struct AbEntry {
  const SuiteSpec* spec = nullptr;
  AbSide base;
  AbSide head;
  bool active = true;   ///< still running rounds: no failure on either side yet
  bool base_starts = true;  ///< the side that runs first in odd rounds
  std::string first;    ///< 'b' or 'h' per round run
  std::string filter;   ///< a shard's filter of this suite; empty: the run's
  /// Paired benchmark by benchmark: what each build runs back to back in
  /// the rounds after the first (which runs the whole suite); empty: the
  /// whole suite in every round.
  std::vector<std::vector<std::string>> units;
};

/// Keeps of `listed` the names in `part` (a shard's, sorted).
void keep_only(detail::Listed& listed, const std::vector<std::string>& part) {
  if (!listed) return;
  std::erase_if(*listed, [&](const std::string& name) { return !std::binary_search(part.begin(), part.end(), name); });
}

/// The family a benchmark instance belongs to, as Google Benchmark names
/// the complexity fit of a family: the instance's name without its
/// arguments ("BM_Scan/64/min_time:0.002" → "BM_Scan/min_time:0.002";
/// named arguments "size:64" go too, the benchmark's own settings stay).
std::string family_of(const std::string& instance) {
  static constexpr std::array<std::string_view, 8> k_settings = {
      "min_time", "min_warmup_time", "iterations", "repeats", "threads", "real_time", "manual_time", "process_time"};
  auto is_number = [](std::string_view s) {
    if (s.starts_with('-')) s.remove_prefix(1);
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  std::string family;
  std::size_t at = 0;
  for (bool first = true; at <= instance.size(); first = false) {
    std::size_t slash = instance.find('/', at);
    if (slash == std::string::npos) slash = instance.size();
    const std::string_view segment = std::string_view(instance).substr(at, slash - at);
    const std::size_t colon = segment.find(':');
    const bool argument = !first && (is_number(segment) || (colon != std::string_view::npos &&
                                                            is_number(segment.substr(colon + 1)) &&
                                                            std::find(k_settings.begin(), k_settings.end(),
                                                                      segment.substr(0, colon)) == k_settings.end()));
    if (!argument) family += (first ? "" : "/") + std::string(segment);
    at = slash + 1;
  }
  return family;
}

/// The benchmarks a build's side measured in the first round, which ran the
/// whole suite: its listing may hold more lines than benchmarks (a suite
/// that prints while it lists), its results hold what runs. The suite's own
/// process, k_process_benchmark, is no benchmark to run.
bool measured(const AbSide& side, const std::string& name) {
  return name != k_process_benchmark && side.suite.find(name) != nullptr;
}

/// The units of an A/B round paired benchmark by benchmark, from the first
/// round, which ran the whole suite: every benchmark alone, except the
/// instances of a family Google Benchmark fitted a complexity class to,
/// which run together so that every round fits the class again.
std::vector<std::vector<std::string>> benchmark_units(const AbEntry& e) {
  std::vector<std::string> names;  // the head build's, then what only the base build measured
  for (const AbSide* side : {&e.head, &e.base}) {
    for (const auto& b : side->suite.benchmarks) {
      if (measured(*side, b.name) && std::find(names.begin(), names.end(), b.name) == names.end()) {
        names.push_back(b.name);
      }
    }
  }
  std::vector<std::string> families;
  for (const Suite* s : {&e.head.suite, &e.base.suite}) {
    for (const auto& fit : s->complexity) families.push_back(fit.family);
  }
  std::vector<std::vector<std::string>> units;
  std::map<std::string, std::size_t> family_unit;
  for (const auto& name : names) {
    auto family = std::find(families.begin(), families.end(), family_of(name));
    if (family == families.end()) {
      units.push_back({name});
      continue;
    }
    auto [it, fresh] = family_unit.try_emplace(*family, units.size());
    if (fresh) units.emplace_back();
    units[it->second].push_back(name);
  }
  return units;
}

/// The names of `unit` that `side` measured in the first round, in the unit's order.
std::vector<std::string> measured_of(const std::vector<std::string>& unit, const AbSide& side) {
  std::vector<std::string> out;
  for (const auto& n : unit) {
    if (measured(side, n)) out.push_back(n);
  }
  return out;
}

/// How a unit is named in progress displays: its benchmark, or its family's
/// first instance and how many run with it.
std::string unit_label(const std::vector<std::string>& unit) {
  if (unit.empty()) return {};
  if (unit.size() == 1) return ", " + unit.front();
  return fmt::format(", {} and {} more", unit.front(), unit.size() - 1);
}


/// Appends one A/B round's results to a build's side: every sample gets
/// its round, so that pairs are made by round whatever a benchmark did in
/// the other rounds. The context is the first round's; complexity fits
/// are kept from every round, each with its round; an error is kept from
/// the first round that had it.
void append_round(Suite& side, Suite round_results, int round) {
  if (side.context.empty()) side.context = std::move(round_results.context);
  for (auto& fit : round_results.complexity) {
    fit.round = round;
    side.complexity.push_back(std::move(fit));
  }
  for (auto& b : round_results.benchmarks) {
    auto it = std::find_if(side.benchmarks.begin(), side.benchmarks.end(),
                           [&](const Benchmark& x) { return x.name == b.name; });
    if (it == side.benchmarks.end()) {
      Benchmark fresh;
      fresh.name = b.name;
      fresh.threads = b.threads;
      side.benchmarks.push_back(std::move(fresh));
      it = std::prev(side.benchmarks.end());
    }
    Benchmark& into = *it;
    into.label = b.label;
    into.iterations = b.iterations;
    into.repetitions += b.repetitions;
    if (b.error && !into.error) into.error = b.error;
    if (b.skipped && !into.skipped) into.skipped = b.skipped;
    for (auto& m : b.metrics) {
      Metric* target = into.metric(m.name);
      if (target == nullptr) {
        Metric fresh;
        fresh.name = m.name;
        fresh.unit = m.unit;
        fresh.direction = m.direction;
        fresh.kind = m.kind;
        into.metrics.push_back(std::move(fresh));
        target = &into.metrics.back();
      }
      for (double x : m.samples) {
        target->samples.push_back(x);
        target->rounds.push_back(round);
      }
    }
  }
}

/// One round of a same-job A/B run: every benchmark of the suite once
/// (one repetition, no interleaving, so that a benchmark sits at the same
/// place in both builds' runs), the samples appended to `side` tagged
/// with `round`. Returns the failure, empty when none. `label` names the
/// step in progress displays ("bench_x: base, round 3/15").
std::string ab_round(SuiteRunner& runner, const SuiteSpec& spec, const std::filesystem::path& binary,
                     nanoseconds timeout, const detail::Listed& listed, const std::string& label, int round,
                     Suite& side) {
  SuiteRunner::TimedRun run = runner.timed_run(spec, label, binary, timeout, listed, 1, false);
  if (run.outcome == SuiteRunner::Outcome::nothing_matched) return {};
  if (run.measured) append_round(side, std::move(*run.measured), round);
  return run.failure.value_or(std::string());
}

/// The CPU `wanted` names (k_last_cpu: the highest-numbered one this gate
/// may use); refuses one the gate may not run on, before anything runs:
/// pinned there, every benchmark would fail to start.
int usable_cpu(int wanted, std::string_view from) {
  const std::string asked = wanted == k_last_cpu ? std::string("last") : std::to_string(wanted);
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (::sched_getaffinity(0, sizeof allowed, &allowed) != 0) {
    throw Error(fmt::format("running an a/b pair: {} {}: the CPUs this gate may use are unknown: {}", from, asked,
                            std::system_category().message(errno)));
  }
  std::string list;
  int last = -1;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (!CPU_ISSET(c, &allowed)) continue;
    list += (list.empty() ? "" : ", ") + std::to_string(c);
    last = c;
  }
  if (wanted == k_last_cpu && last >= 0) return last;
  if (wanted >= 0 && wanted < CPU_SETSIZE && CPU_ISSET(wanted, &allowed)) return wanted;
  throw Error(fmt::format("running an a/b pair: {} {}: not a CPU this gate may use (it may use {})", from, asked, list));
}

/// Pinned to one CPU, a benchmark of several threads runs them all there:
/// its time is their work, not how they scale. Said once, after the first
/// round (which ran every benchmark), naming them.
void say_threads_on_one_cpu(SuiteRunner& runner, const std::vector<AbEntry>& entries, int cpu) {
  std::vector<std::string> names;
  for (const auto& e : entries) {
    for (const Suite* side : {&e.head.suite, &e.base.suite}) {
      for (const auto& b : side->benchmarks) {
        std::string name = e.spec->name + " " + b.name;
        if (b.threads > 1 && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
      }
    }
  }
  if (names.empty()) return;
  std::string shown;
  for (std::size_t i = 0; i < names.size() && i < 3; ++i) shown += (i == 0 ? "" : ", ") + names[i];
  runner.notice(fmt::format("pinned to CPU {}: {} benchmark{} of several threads run{} them on that one CPU ({}{}): "
                            "{} times measure the threads' work, not how they scale",
                            cpu, names.size(), names.size() == 1 ? "" : "s", names.size() == 1 ? "s" : "", shown,
                            names.size() > 3 ? ", …" : "", names.size() == 1 ? "its" : "their"));
}

}  // namespace

RunBundle run_ab(const Policy& policy, const AbOptions& options, RunObserver* observer) {
  const RunOptions& run = options.run;
  if (!run.timed) throw Error("running an a/b pair: --instrument-only measures no time to pair — drop it, or use --instrument");
  if (options.base_build_dir.empty()) throw Error("running an a/b pair: no base build directory given");
  // Sizes are not paired: product binaries are measured by a plain run.
  RunOptions suites_only = run;
  suites_only.products = false;
  const auto chosen = detail::chosen_suites(policy, suites_only);
  std::vector<const CommandSpec*> commands;  // product commands, paired round by round too (command_runner.hpp)
  for (const CommandSpec* c : detail::chosen_commands(policy, run)) {
    if (detail::command_selected(*c, run.filter)) commands.push_back(c);
  }
  // Pairs need more rounds than unpaired repetitions: with 10 pairs the
  // signed-rank test's smallest p is 0.002, which the false discovery rate
  // control over a few dozen benchmarks pushes above alpha (measured: nothing
  // was caught, even at +100%). Without --repetitions, A/B runs at least
  // k_min_ab_rounds rounds.
  RunOptions paired = run;
  if (!paired.repetitions) {
    paired.repetitions = policy.ab.rounds.value_or(std::max(policy.defaults.repetitions, k_min_ab_rounds));
  }
  // The command line's settings, else the policy's "ab" section.
  const AbPairing pairing = options.pairing.value_or(policy.ab.pairing);
  std::optional<int> cpu = options.cpu ? options.cpu : policy.ab.cpu;
  if (cpu == k_no_cpu) cpu.reset();  // --pin none: not pinned, whatever the policy says
  const std::optional<double> min_time = options.min_time ? options.min_time : policy.ab.min_time;
  if (cpu) cpu = usable_cpu(*cpu, options.cpu ? "--pin" : "the policy's ab.cpu");
  if (min_time && !(*min_time > 0 && *min_time <= 60)) {
    throw Error(fmt::format("running an a/b pair: --min-time {:g}: expected seconds above 0 and at most 60", *min_time));
  }
  const int rounds = detail::choose_repetitions(policy, paired, observer);
  detail::check_timeout(run.timeout);
  detail::check_filter(run.filter);
  (void)resolve_runner(run.runner);
  std::optional<Valgrind> valgrind;
  if (run.instrument) valgrind = detail::find_valgrind();
  std::error_code ec;
  if (std::filesystem::equivalent(options.base_build_dir, run.build_dir, ec) && observer != nullptr) {
    observer->notice(fmt::format("base and head are the same build ('{}'): an A/A run, which measures the noise",
                                 run.build_dir.string()));
  }

  RunBundle bundle;
  bundle.time = iso8601_utc(std::chrono::system_clock::now());
  WorkDir work;
  SuiteRunner runner(run, 1, valgrind, work, observer);

  // With a min_time, each suite runs with it after the policy's own
  // arguments (Google Benchmark takes the last of a flag given twice).
  std::vector<SuiteSpec> timed_specs;
  timed_specs.reserve(chosen.size());
  for (const SuiteSpec* spec : chosen) {
    timed_specs.push_back(*spec);
    if (min_time) timed_specs.back().args.push_back(fmt::format("--benchmark_min_time={}", *min_time));
  }

  // Which build has which suite. A suite missing from the base build is new
  // in the head build (judged as new); missing from the head build it is a
  // failed suite, as in a plain run. A build that has none of the suites is
  // a wrong directory, refused before anything runs.
  std::vector<AbEntry> entries;
  std::size_t base_present = 0;
  std::size_t head_present = 0;
  for (const SuiteSpec& timed : timed_specs) {
    const SuiteSpec* spec = &timed;
    AbEntry e;
    e.spec = spec;
    e.base.binary = SuiteRunner::resolve(*spec, options.base_build_dir);
    e.head.binary = SuiteRunner::resolve(*spec, run.build_dir);
    e.base.present = !SuiteRunner::missing_binary(*spec, e.base.binary);
    e.head.present = !SuiteRunner::missing_binary(*spec, e.head.binary);
    e.base.suite.name = e.head.suite.name = spec->name;
    base_present += e.base.present ? 1 : 0;
    head_present += e.head.present ? 1 : 0;
    entries.push_back(std::move(e));
  }
  auto none_found = [&](const char* side, const std::filesystem::path& dir) {
    std::string looked;
    for (const SuiteSpec* spec : chosen) looked += (looked.empty() ? "" : ", ") + spec->binary;
    return Error(fmt::format("running an a/b pair: the {} build '{}' has none of the suite binaries ({}) — build it, "
                             "or check the directory",
                             side, dir.string(), looked));
  };
  if (base_present == 0 && !chosen.empty()) throw none_found("base", options.base_build_dir);
  if (head_present == 0 && !chosen.empty()) throw none_found("head", run.build_dir);

  const std::uint32_t seed = options.seed ? *options.seed : std::random_device{}();
  std::mt19937 rng(seed);
  for (auto& e : entries) {
    const nanoseconds timeout = run.timeout.value_or(e.spec->timeout);
    if (!e.head.present) {
      e.head.suite.failure = *SuiteRunner::missing_binary(*e.spec, e.head.binary) +
                             " in the head build — build it, or check the directory";
      e.active = false;
    } else if (!e.base.present) {
      runner.notice(fmt::format("suite '{}': {} in the base build: its benchmarks are new", e.spec->name,
                                *SuiteRunner::missing_binary(*e.spec, e.base.binary)));
    }
    runner.set_suite_filter({});  // the listing applies the run's filter
    for (auto [side, label] : {std::pair{&e.base, "base"}, std::pair{&e.head, "head"}}) {
      if (!side->present) continue;
      side->suite.binary = runner.size_of(*e.spec, side->binary, e.spec->name + " (" + label + ")");
      if (!e.active) continue;
      auto listing = runner.list(*e.spec, side->binary, timeout);
      if (!listing.failure && run.shard && !listing.names) {
        listing.failure = "listing its benchmarks (--benchmark_list_tests) failed, so they cannot be split into shards";
      }
      if (listing.failure) {
        side->suite.failure = *listing.failure;
        e.active = false;
      }
      side->listed = listing.names;
    }
    if (e.active && run.shard) {
      // Both builds run the shard's part of the names either lists: the
      // split depends on the names alone, so a benchmark new in the head
      // build falls in the same shard as it will once it is in the base.
      std::vector<std::string> names;
      for (const AbSide* side : {&e.base, &e.head}) {
        if (side->present && side->listed) names.insert(names.end(), side->listed->begin(), side->listed->end());
      }
      std::sort(names.begin(), names.end());
      names.erase(std::unique(names.begin(), names.end()), names.end());
      detail::ShardPart part = detail::shard_part(names, *run.shard);
      if (part.names.empty()) {
        runner.notice(fmt::format("suite '{}': none of its benchmarks falls in shard {}; not run", e.spec->name,
                                  to_string(*run.shard)));
        e.spec = nullptr;
        continue;
      }
      std::sort(part.names.begin(), part.names.end());
      keep_only(e.base.listed, part.names);
      keep_only(e.head.listed, part.names);
      e.filter = std::move(part.filter);
    }
    // A filter that leaves a suite nothing in either build drops it, as in a plain run.
    const bool head_none = e.head.listed && e.head.listed->empty();
    const bool base_none = !e.base.present || (e.base.listed && e.base.listed->empty());
    if (e.active && !run.filter.empty() && head_none && base_none) {
      runner.notice(fmt::format("suite '{}': no benchmark matches the filter '{}'; not run", e.spec->name, run.filter));
      e.spec = nullptr;
    }
    e.base_starts = (rng() & 1u) == 0;
  }
  std::erase_if(entries, [](const AbEntry& e) { return e.spec == nullptr; });
  // A shard may hold no benchmark of any suite (more shards than
  // benchmarks); it is still one of the n parts that gate merge expects.
  if (entries.empty() && commands.empty() && !run.shard) {
    throw Error(fmt::format("running an a/b pair: no benchmark of any suite matches the filter '{}'", run.filter));
  }

  // The schedule: in every round the suites in a fresh random order, and for
  // each suite both builds back to back, so that whatever the machine does
  // during those seconds it does to both halves of the pair. Paired by
  // benchmark (the default), the first round runs each suite whole, and the
  // later rounds each benchmark (a complexity family together) from both
  // builds back to back, in a fresh random order: the two runs of a pair are
  // then a fraction of a second apart instead of a suite's run time. Which
  // build goes first alternates from round to round (starting at random per
  // suite), so that a warm cache or a frequency step after the first run
  // favours each build equally often.
  auto runs = [](const AbSide& side) { return side.present && !(side.listed && side.listed->empty()); };
  auto count_steps = [&](int from_round) {
    std::size_t n = 0;
    for (const auto& e : entries) {
      if (!e.active) continue;
      const std::size_t sides = (runs(e.base) ? 1 : 0) + (runs(e.head) ? 1 : 0);
      for (int r = from_round; r <= rounds; ++r) {
        std::size_t units = 1;
        if (pairing == AbPairing::benchmark && r > 1) {
          units = !e.units.empty() ? e.units.size() : e.head.listed ? e.head.listed->size() : 1;
        }
        n += sides * units;
      }
    }
    return n;
  };
  std::size_t steps = count_steps(1);
  std::size_t step = 0;
  std::vector<std::size_t> order(entries.size());
  std::iota(order.begin(), order.end(), 0);
  const std::vector<std::vector<std::string>> whole_suite = {{}};
  runner.set_cpu(cpu);
  for (int round = 1; round <= rounds; ++round) {
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t i : order) {
      AbEntry& e = entries[i];
      if (!e.active) continue;
      const nanoseconds timeout = run.timeout.value_or(e.spec->timeout);
      const bool base_first = (round % 2 == 1) == e.base_starts;
      e.first += base_first && e.base.present ? 'b' : 'h';
      const std::array<std::pair<AbSide*, const char*>, 2> sides = {
          base_first ? std::pair{&e.base, "base"} : std::pair{&e.head, "head"},
          base_first ? std::pair{&e.head, "head"} : std::pair{&e.base, "base"}};
      std::vector<std::vector<std::string>> units = e.units.empty() ? whole_suite : e.units;
      if (units.size() > 1) std::shuffle(units.begin(), units.end(), rng);
      for (const auto& unit : units) {
        for (auto [side, label] : sides) {
          if (!runs(*side)) continue;
          detail::Listed listed = side->listed;
          if (!unit.empty()) {
            listed = measured_of(unit, *side);
            if (listed->empty()) continue;  // a benchmark the other build alone has
          }
          runner.set_suite_filter(unit.empty() ? e.filter : detail::exact_filter(*listed));
          runner.set_position(step++, steps);
          std::string failure = ab_round(
              runner, *e.spec, side->binary, timeout, listed,
              fmt::format("{}: {}, round {}/{}{}", e.spec->name, label, round, rounds, unit_label(unit)), round,
              side->suite);
          if (!failure.empty()) {
            side->suite.failure = fmt::format("round {} of {}: {}", round, rounds, failure);
            e.active = false;  // the pairs of this suite are broken: it cannot be judged
            break;
          }
        }
        if (!e.active) break;
      }
      if (round == 1 && e.active && pairing == AbPairing::benchmark) e.units = benchmark_units(e);
    }
    if (round == 1) {
      steps = step + count_steps(2);
      if (cpu) say_threads_on_one_cpu(runner, entries, *cpu);
    }
  }
  runner.set_cpu(std::nullopt);
  if (run.instrument) {
    std::size_t passes = 0;
    for (const auto& e : entries) passes += e.active ? (e.base.present ? 2 : 1) : 0;
    std::size_t pass = 0;
    for (auto& e : entries) {
      if (!e.active) continue;
      const nanoseconds timeout = run.timeout.value_or(e.spec->timeout);
      runner.set_suite_filter(e.filter);
      for (AbSide* side : {&e.base, &e.head}) {
        if (!side->present) continue;
        runner.set_position(pass++, passes);
        runner.set_profile_side(side == &e.base ? "base" : "head");
        (void)runner.instrumented_pass(*e.spec, side->binary, timeout, side->listed, side->suite);
      }
    }
  }

  detail::CommandPairs pairs;
  if (!commands.empty()) {
    pairs = detail::run_commands_ab(commands, rounds, options.base_build_dir, run, work, observer, steps, steps + 1, rng,
                                    cpu);
  }

  AbRun ab;
  ab.base_build_dir = options.base_build_dir.string();
  ab.head_build_dir = run.build_dir.string();
  ab.rounds = rounds;
  ab.seed = seed;
  ab.pairing = pairing;
  ab.cpu = cpu;
  ab.min_time = min_time;
  for (auto& e : entries) {
    if (!e.first.empty()) ab.first[e.spec->name] = e.first;
    if (e.base.present) ab.base_suites.push_back(std::move(e.base.suite));
    bundle.suites.push_back(std::move(e.head.suite));
  }
  for (auto& s : pairs.head) bundle.suites.push_back(std::move(s));
  for (auto& s : pairs.base) ab.base_suites.push_back(std::move(s));
  ab.first.merge(pairs.first);
  bundle.ab = std::move(ab);
  detail::stamp(bundle, run);
  bundle.shard = run.shard;
  return bundle;
}

}  // namespace gate
