// gate/src/formats/callgrind.cpp — callgrind output files into per-benchmark counters.
// Only the header and the summary are read: the per-function costs are for
// KCachegrind, the gate needs the totals of each dump.
#include "gate/formats/callgrind.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <system_error>
#include <tuple>

#include <fmt/core.h>

#include "gate/error.hpp"
#include "gate/model/names.hpp"
#include "formats/file_text.hpp"
#include "formats/text_location.hpp"

namespace gate {
namespace {

std::string_view trim(std::string_view s) { return detail::trim_line(s); }

/// The value of a "key: value" line, or nullopt when the line has another key.
std::optional<std::string_view> value_of(std::string_view line, std::string_view key) {
  if (line.size() <= key.size() || line.substr(0, key.size()) != key || line[key.size()] != ':') return std::nullopt;
  return trim(line.substr(key.size() + 1));
}

std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> words;
  while (true) {
    s = trim(s);
    if (s.empty()) break;
    auto end = s.find_first_of(" \t");
    words.push_back(s.substr(0, end));
    if (end == std::string_view::npos) break;
    s.remove_prefix(end);
  }
  return words;
}

template <typename Int>
bool parse_integer(std::string_view text, Int& out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

/// gate::Error "<source>:<line>:<col>: <what>", escaped so that text quoted
/// from the file cannot break the line.
[[noreturn]] void fail(const std::string& source, std::size_t line, std::size_t column, std::string_view what) {
  // A dump put together by hand (tests) has no lines: its first one is named.
  throw Error(detail::escape_for_message(fmt::format("{}:{}:{}: {}", source, std::max<std::size_t>(line, 1),
                                                     std::max<std::size_t>(column, 1), what)));
}

/// The 1-based column of `part`, a view into `line`.
std::size_t column_of(std::string_view line, std::string_view part) {
  return static_cast<std::size_t>(part.data() - line.data()) + 1;
}

std::string read_whole(const std::filesystem::path& path) {
  return std::string(detail::FileText(path, "reading callgrind output").text());
}

}  // namespace

CallgrindDump parse_callgrind_dump(std::string_view text, const std::string& source) {
  CallgrindDump dump;
  std::vector<std::string_view> event_names;
  std::optional<std::string_view> summary;
  std::optional<std::string_view> totals;
  std::string_view summary_text, totals_text;  // the whole lines, for columns
  std::size_t summary_line = 0;
  std::size_t totals_line = 0;
  std::size_t events_line = 0;

  // A text file holds no NUL: one in a name or a count would cut it short
  // wherever the text is handled as a C string.
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    auto at = detail::locate(text, nul);
    fail(source, at.line, at.column, "NUL byte: not a callgrind output file");
  }

  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    // Cost and position lines start with a digit, '+', '-', '*' or a
    // "fn=" style key; only "key:" lines matter here.
    if (line.empty() || line.front() < 'a' || line.front() > 'z') continue;
    if (auto v = value_of(line, "events")) {
      event_names = split_words(*v);
      events_line = line_no;
      dump.events_line = line_no;
    } else if (auto s = value_of(line, "summary")) {
      summary = *s;
      summary_text = line;
      summary_line = line_no;
    } else if (auto t = value_of(line, "totals")) {
      totals = *t;
      totals_text = line;
      totals_line = line_no;
    } else if (auto p = value_of(line, "part")) {
      if (!parse_integer(*p, dump.part) || dump.part < 0) {
        fail(source, line_no, column_of(line, *p), fmt::format("part '{}' is not a whole number", *p));
      }
    } else if (auto d = value_of(line, "desc")) {
      if (auto trig = value_of(*d, "Trigger")) {
        dump.trigger = std::string(*trig);
        dump.trigger_line = line_no;
        dump.trigger_column = column_of(line, *trig);
      }
    }
  }

  const auto end = detail::locate(text, text.size());
  if (event_names.empty()) fail(source, 1, 1, "no 'events:' line — not a callgrind output file");
  const bool use_summary = summary.has_value();
  if (!use_summary && !totals) {
    fail(source, end.line, end.column, "no 'summary:' or 'totals:' line — the file is truncated");
  }
  const auto counts = split_words(use_summary ? *summary : *totals);
  const std::string_view counts_text = use_summary ? summary_text : totals_text;
  const std::size_t counts_line = use_summary ? summary_line : totals_line;
  if (counts.size() > event_names.size()) {
    fail(source, counts_line, column_of(counts_text, counts[event_names.size()]),
         fmt::format("{} counts for the {} events of line {}", counts.size(), event_names.size(), events_line));
  }
  for (std::size_t i = 0; i < event_names.size(); ++i) {
    std::uint64_t value = 0;
    if (i < counts.size() && !parse_integer(counts[i], value)) {
      fail(source, counts_line, column_of(counts_text, counts[i]),
           fmt::format("count '{}' of event '{}' is not a non-negative integer", counts[i], event_names[i]));
    }
    if (!dump.events.emplace(std::string(event_names[i]), value).second) {
      fail(source, events_line, 1, fmt::format("event '{}' is named twice", event_names[i]));
    }
  }
  return dump;
}

std::optional<DumpLabel> parse_dump_label(std::string_view trigger) {
  constexpr std::string_view prefix = "Client Request: ";
  constexpr std::string_view marker = " iterations=";
  if (trigger.substr(0, prefix.size()) != prefix) return std::nullopt;
  trigger.remove_prefix(prefix.size());
  auto at = trigger.rfind(marker);
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  DumpLabel label;
  label.benchmark = std::string(trigger.substr(0, at));
  if (!parse_integer(trim(trigger.substr(at + marker.size())), label.iterations) || label.iterations <= 0) {
    return std::nullopt;
  }
  return label;
}

CallgrindCounters callgrind_counters(const CallgrindDump& dump, const DumpLabel& label, const std::string& source) {
  if (label.iterations <= 0) {
    fail(source, dump.trigger_line, dump.trigger_column,
         fmt::format("benchmark '{}' reports {} iterations", label.benchmark, label.iterations));
  }
  if (auto why = benchmark_name_problem(label.benchmark)) {
    fail(source, dump.trigger_line, dump.trigger_column,
         fmt::format("benchmark name '{}' is not allowed: {}", label.benchmark, *why));
  }
  auto event = [&](const char* name) -> double {
    auto it = dump.events.find(name);
    if (it == dump.events.end()) {
      fail(source, dump.events_line, 1,
           fmt::format("no '{}' event — run callgrind with --cache-sim=yes --branch-sim=yes", name));
    }
    return static_cast<double>(it->second);
  };
  const double ir = event("Ir");
  const double l1i = event("I1mr");
  const double l1d = event("D1mr") + event("D1mw");
  const double lli = event("ILmr");
  const double lld = event("DLmr") + event("DLmw");
  const double branch = event("Bcm") + event("Bim");
  // KCachegrind's cycle estimate from the simulated caches: an L1 miss
  // that hits the last level costs about 10 cycles, a last-level miss about
  // 100. Branch mispredictions stay a metric of their own.
  const double est_cycles = ir + 10 * (l1i + l1d) + 100 * (lli + lld);

  const auto n = static_cast<double>(label.iterations);
  CallgrindCounters c;
  c.benchmark = label.benchmark;
  c.iterations = label.iterations;
  c.metrics = {{"instructions", ir / n},          {"l1i_misses", l1i / n},   {"l1d_misses", l1d / n},
               {"lli_misses", lli / n},           {"lld_misses", lld / n},   {"ll_misses", (lli + lld) / n},
               {"branch_misses", branch / n},     {"est_cycles", est_cycles / n}};
  return c;
}

std::vector<CallgrindCounters> read_callgrind_dir(const std::filesystem::path& dir) {
  struct Found {
    std::string pid;  // from the file name: dumps of one process are ordered by part
    CallgrindDump dump;
    DumpLabel label;
    std::string source;
  };
  std::vector<Found> found;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) throw Error(fmt::format("reading callgrind output in '{}': {}", dir.string(), ec.message()));
  // Every filesystem call with an error code: a file that vanishes or a
  // directory that cannot be read is said in words, not thrown as
  // std::filesystem_error.
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const auto& entry = *it;
    const std::string name = entry.path().filename().string();
    std::error_code type_ec;
    if (name.rfind("callgrind.out.", 0) != 0 || !entry.is_regular_file(type_ec)) continue;
    std::string source = entry.path().string();
    CallgrindDump dump = parse_callgrind_dump(read_whole(entry.path()), source);
    auto label = parse_dump_label(dump.trigger);
    if (!label) continue;
    std::string rest = name.substr(std::string_view("callgrind.out.").size());
    std::string pid = rest.substr(0, rest.find('.'));
    found.push_back({std::move(pid), std::move(dump), std::move(*label), std::move(source)});
  }
  if (ec) throw Error(fmt::format("reading callgrind output in '{}': {}", dir.string(), ec.message()));
  // Process ids are compared as numbers where they are numbers, so that the
  // order is that of the runs whatever the digits.
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return std::make_tuple(a.pid.size(), a.pid, a.dump.part) < std::make_tuple(b.pid.size(), b.pid, b.dump.part);
  });

  std::vector<CallgrindCounters> result;
  for (const auto& f : found) {
    auto counters = callgrind_counters(f.dump, f.label, f.source);
    auto same = std::find_if(result.begin(), result.end(),
                             [&](const CallgrindCounters& c) { return c.benchmark == counters.benchmark; });
    if (same != result.end()) {
      *same = std::move(counters);  // the later run is the one reported
    } else {
      result.push_back(std::move(counters));
    }
  }
  return result;
}

}  // namespace gate
