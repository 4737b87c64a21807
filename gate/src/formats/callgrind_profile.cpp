// gate/src/formats/callgrind_profile.cpp — a whole callgrind output file read
// function by function, and gzip in and out for the profiles `gate run` keeps.
// callgrind.cpp reads only the totals of a dump; this file reads its cost
// lines, which say where the instructions went.
#include "gate/formats/callgrind_profile.hpp"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <tuple>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <system_error>
#include <utility>

#include <fmt/core.h>

#include "gate/error.hpp"
#include "gate/formats/callgrind.hpp"
#include "formats/file_text.hpp"
#include "formats/text_location.hpp"

namespace gate {
namespace {

std::string_view trim(std::string_view s) { return detail::trim_line(s); }

/// One whitespace-separated word of a line and its 1-based column.
struct Word {
  std::string_view text;
  std::size_t column = 0;
};

std::vector<Word> split_words(std::string_view line, std::size_t first_column) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    if (i == line.size()) break;
    std::size_t end = i;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '\r') ++end;
    words.push_back({line.substr(i, end - i), first_column + i});
    i = end;
  }
  return words;
}

/// A count: decimal, or hexadecimal with "0x" (the format allows both).
bool parse_count(std::string_view text, std::uint64_t& out) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out, base);
  return ec == std::errc() && ptr == text.data() + text.size();
}

/// A subposition: a number, "+n" or "-n" relative to the one before, or "*"
/// (the same as before). Only its form is checked: the gate sums costs per
/// function and needs no line numbers.
bool is_subposition(std::string_view text) {
  if (text == "*") return true;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
  std::uint64_t ignored = 0;
  return parse_count(text, ignored);
}

/// One of the three name spaces of compressed names.
class NameTable {
 public:
  explicit NameTable(const char* what) : m_what(what) {}

  /// "(id) name" defines and returns name, "(id)" looks it up, "name" is itself.
  std::string resolve(std::string_view value, const std::string& source, std::size_t line, std::size_t column) {
    value = trim(value);
    if (value.empty() || value.front() != '(') return std::string(value);
    const auto close = value.find(')');
    std::uint64_t id = 0;
    if (close == std::string_view::npos || !parse_count(value.substr(1, close - 1), id)) {
      throw Error(fmt::format("{}:{}:{}: '{}' is not a compressed {} name \"(id) name\"", source, line, column, value,
                              m_what));
    }
    const std::string_view name = trim(value.substr(close + 1));
    if (!name.empty()) {
      m_names[id] = std::string(name);
      return std::string(name);
    }
    auto it = m_names.find(id);
    if (it == m_names.end()) {
      throw Error(fmt::format("{}:{}:{}: {} name id ({}) is used before it is defined", source, line, column, m_what,
                              id));
    }
    return it->second;
  }

 private:
  const char* m_what;
  std::map<std::uint64_t, std::string> m_names;
};

class Parser {
 public:
  Parser(std::string_view text, const std::string& source) : m_text(text), m_source(source) {}

  Profile parse() {
    m_profile.source = m_source;
    std::size_t pos = 0;
    while (pos < m_text.size()) {
      auto nl = m_text.find('\n', pos);
      std::string_view line = m_text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      pos = nl == std::string_view::npos ? m_text.size() : nl + 1;
      ++m_line;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      handle(line);
    }
    if (m_profile.events.empty()) {
      throw Error(fmt::format("{}:1:1: no 'events:' line — not a callgrind output file", m_source));
    }
    finish();
    return std::move(m_profile);
  }

 private:
  void handle(std::string_view line) {
    if (trim(line).empty() || line.front() == '#') return;
    const char c = line.front();
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '*') {
      cost_line(line);
      return;
    }
    const auto sep = line.find_first_of(":=");
    if (sep == std::string_view::npos) {
      throw Error(fmt::format("{}:{}:1: '{}' is neither a cost line nor a \"key: value\" or \"key=value\" line",
                              m_source, m_line, line.substr(0, 40)));
    }
    const std::string_view key = line.substr(0, sep);
    const std::string_view value = line.substr(sep + 1);
    const std::size_t column = sep + 2;
    if (line[sep] == ':') {
      header(key, value, column);
    } else {
      specification(key, value, column);
    }
  }

  void header(std::string_view key, std::string_view value, std::size_t column) {
    if (key == "events") {
      if (!m_profile.events.empty()) return;  // the format allows it once; a repeat changes nothing we read
      for (const auto& w : split_words(value, column)) m_profile.events.emplace_back(w.text);
      m_events_line = m_line;
    } else if (key == "positions") {
      m_positions = split_words(value, column).size();
      if (m_positions == 0) throw Error(fmt::format("{}:{}:{}: 'positions:' names no subposition", m_source, m_line, column));
    } else if (key == "summary" || key == "totals") {
      if (key == "totals" && !m_totals.empty()) return;  // summary wins: it is the part's own total
      m_totals = counts(split_words(value, column), 0);
    } else if (key == "desc") {
      const std::string_view d = trim(value);
      constexpr std::string_view trigger = "Trigger:";
      if (d.substr(0, trigger.size()) == trigger) m_profile.trigger = std::string(trim(d.substr(trigger.size())));
    }
  }

  void specification(std::string_view key, std::string_view value, std::size_t column) {
    if (key == "fl") {
      m_file = m_files.resolve(value, m_source, m_line, column);
    } else if (key == "fi" || key == "fe") {
      (void)m_files.resolve(value, m_source, m_line, column);  // inlined code: costs stay with the function
    } else if (key == "ob") {
      m_object = m_objects.resolve(value, m_source, m_line, column);
    } else if (key == "fn") {
      const std::string name = m_functions.resolve(value, m_source, m_line, column);
      m_function = function(m_file, name);
    } else if (key == "cob") {
      (void)m_objects.resolve(value, m_source, m_line, column);
    } else if (key == "cfi" || key == "cfl") {
      m_callee_file = m_files.resolve(value, m_source, m_line, column);
    } else if (key == "cfn") {
      m_callee = m_functions.resolve(value, m_source, m_line, column);
    } else if (key == "calls") {
      const auto words = split_words(value, column);
      std::uint64_t count = 0;
      if (words.empty() || !parse_count(words.front().text, count)) {
        throw Error(fmt::format("{}:{}:{}: 'calls=' needs a call count", m_source, m_line, column));
      }
      if (!m_callee) throw Error(fmt::format("{}:{}:1: 'calls=' before any 'cfn='", m_source, m_line));
      m_pending = Pending::call;
      m_call_count = count;
    } else if (key == "jump" || key == "jcnd") {
      m_pending = Pending::jump;  // the next line is the jump's source position, without costs
    }
    // Other specifications (such as "ct=" or future ones) carry nothing the gate reads.
  }

  void cost_line(std::string_view line) {
    if (m_profile.events.empty()) {
      throw Error(fmt::format("{}:{}:1: a cost line before the 'events:' line", m_source, m_line));
    }
    const auto words = split_words(line, 1);
    if (words.size() < m_positions) {
      throw Error(fmt::format("{}:{}:1: {} subpositions where 'positions:' names {}", m_source, m_line, words.size(),
                              m_positions));
    }
    for (std::size_t i = 0; i < m_positions; ++i) {
      if (!is_subposition(words[i].text)) {
        throw Error(fmt::format("{}:{}:{}: '{}' is not a position", m_source, m_line, words[i].column, words[i].text));
      }
    }
    const Pending pending = std::exchange(m_pending, Pending::none);
    if (pending == Pending::jump) return;
    if (!m_function) throw Error(fmt::format("{}:{}:1: a cost line before any 'fn='", m_source, m_line));
    const auto values = counts(words, m_positions);
    FunctionCost& f = m_profile.functions[*m_function];
    if (pending == Pending::call) {
      const std::string callee = *m_callee;
      const std::string callee_file = m_callee_file.value_or(m_file);
      m_callee_file.reset();
      m_calls[{callee_file, callee}] += m_call_count;
      // A call of a function to itself is inside the outer call already.
      if (callee == f.name) return;
      for (std::size_t i = 0; i < values.size(); ++i) f.inclusive[i] += values[i];
      return;
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
      f.self[i] += values[i];
      f.inclusive[i] += values[i];
    }
  }

  /// The counts of words[first...], one per event; fewer are padded with 0.
  std::vector<std::uint64_t> counts(const std::vector<Word>& words, std::size_t first) {
    if (m_profile.events.empty()) {
      throw Error(fmt::format("{}:{}:1: counts before the 'events:' line", m_source, m_line));
    }
    std::vector<std::uint64_t> out(m_profile.events.size(), 0);
    if (words.size() - first > out.size()) {
      throw Error(fmt::format("{}:{}:{}: {} counts for the {} events of line {}", m_source, m_line,
                              words[first + out.size()].column, words.size() - first, out.size(), m_events_line));
    }
    for (std::size_t i = first; i < words.size(); ++i) {
      if (!parse_count(words[i].text, out[i - first])) {
        throw Error(fmt::format("{}:{}:{}: count '{}' of event '{}' is not a non-negative integer", m_source, m_line,
                                words[i].column, words[i].text, m_profile.events[i - first]));
      }
    }
    return out;
  }

  std::size_t function(const std::string& file, const std::string& name) {
    auto [it, inserted] = m_index.try_emplace({file, name}, m_profile.functions.size());
    if (inserted) {
      if (m_profile.events.empty()) {
        m_index.erase(it);
        throw Error(fmt::format("{}:{}:1: 'fn=' before the 'events:' line", m_source, m_line));
      }
      FunctionCost f;
      f.name = name;
      f.file = file.empty() ? "???" : file;
      f.object = m_object;
      f.self.assign(m_profile.events.size(), 0);
      f.inclusive.assign(m_profile.events.size(), 0);
      m_profile.functions.push_back(std::move(f));
    }
    return it->second;
  }

  void finish() {
    // Calls are counted where they are made; the callee is found by its file
    // and name, or by its name alone when the caller named no file for it.
    for (const auto& [key, count] : m_calls) {
      auto it = m_index.find(key);
      if (it != m_index.end()) {
        m_profile.functions[it->second].calls += count;
        continue;
      }
      FunctionCost* only = nullptr;
      int matches = 0;
      for (auto& f : m_profile.functions) {
        if (f.name == key.second) {
          only = &f;
          ++matches;
        }
      }
      if (matches == 1) only->calls += count;
    }
    if (m_totals.empty()) {
      m_totals.assign(m_profile.events.size(), 0);
      for (const auto& f : m_profile.functions) {
        for (std::size_t i = 0; i < f.self.size(); ++i) m_totals[i] += f.self[i];
      }
    }
    m_profile.totals = std::move(m_totals);
  }

  enum class Pending { none, call, jump };

  std::string_view m_text;
  const std::string& m_source;
  Profile m_profile;
  std::size_t m_line = 0;
  std::size_t m_events_line = 0;
  std::size_t m_positions = 1;  // "positions: line" when the header names none
  std::vector<std::uint64_t> m_totals;
  NameTable m_files{"file"};
  NameTable m_functions{"function"};
  NameTable m_objects{"object"};
  std::string m_file;
  std::string m_object;
  std::optional<std::size_t> m_function;
  std::optional<std::string> m_callee;
  std::optional<std::string> m_callee_file;
  Pending m_pending = Pending::none;
  std::uint64_t m_call_count = 0;
  std::map<std::pair<std::string, std::string>, std::size_t> m_index;
  std::map<std::pair<std::string, std::string>, std::uint64_t> m_calls;
};

std::string read_whole(const std::filesystem::path& path) {
  return std::string(detail::FileText(path, "reading profile").text());
}

}  // namespace

Profile parse_callgrind_profile(std::string_view text, const std::string& source) {
  try {
    return Parser(text, source).parse();
  } catch (const Error& e) {
    // Messages quote the file (names, counts, whole lines): made safe to
    // stand on one line, as every reader's are.
    throw Error(detail::escape_for_message(e.what()));
  }
}

Profile read_callgrind_profile(const std::filesystem::path& path) {
  const std::string source = path.string();
  return parse_callgrind_profile(gzip_decompress(read_whole(path), source), source);
}

std::filesystem::path profiles_dir_of(const std::filesystem::path& bundle) {
  auto dir = bundle;
  dir.replace_extension(".profiles");
  return dir;
}

std::string profile_file_name(const std::string& benchmark) {
  std::string out;
  for (const char c : benchmark) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                       c == '_' || c == '-';
    if (plain) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
  }
  return out + ".callgrind.gz";
}

std::filesystem::path profile_path(const std::filesystem::path& dir, const std::string& suite,
                                   const std::string& benchmark) {
  return dir / suite / profile_file_name(benchmark);
}

std::vector<HarnessDump> harness_dumps(const std::filesystem::path& dir) {
  struct Found {
    std::string pid;
    int part = 0;
    HarnessDump dump;
  };
  std::vector<Found> found;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) throw Error(fmt::format("reading callgrind output in '{}': {}", dir.string(), ec.message()));
  constexpr std::string_view prefix = "callgrind.out.";
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0 || !entry.is_regular_file()) continue;
    const CallgrindDump dump = parse_callgrind_dump(read_whole(entry.path()), entry.path().string());
    auto label = parse_dump_label(dump.trigger);
    if (!label) continue;
    std::string rest = name.substr(prefix.size());
    found.push_back({rest.substr(0, rest.find('.')), dump.part, {label->benchmark, entry.path()}});
  }
  // The order of read_callgrind_dir: process ids as numbers, then parts.
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return std::make_tuple(a.pid.size(), a.pid, a.part) < std::make_tuple(b.pid.size(), b.pid, b.part);
  });
  std::vector<HarnessDump> out;
  for (auto& f : found) {
    auto same = std::find_if(out.begin(), out.end(), [&](const HarnessDump& d) { return d.benchmark == f.dump.benchmark; });
    if (same != out.end()) {
      same->file = f.dump.file;  // the later run is the one reported
    } else {
      out.push_back(std::move(f.dump));
    }
  }
  return out;
}

std::string gzip_compress(std::string_view text) {
  z_stream z{};
  // 15 + 16: a gzip header and trailer around the deflate stream.
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw Error("compressing a profile: zlib could not start");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const auto written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw Error(fmt::format("compressing a profile: zlib error {}", rc));
  out.resize(written);
  return out;
}

std::string gzip_decompress(std::string_view data, const std::string& source) {
  if (data.size() < 2 || static_cast<unsigned char>(data[0]) != 0x1f || static_cast<unsigned char>(data[1]) != 0x8b) {
    return std::string(data);
  }
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) throw Error(fmt::format("{}: zlib could not start", source));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      throw Error(fmt::format("{}: damaged gzip data ({})", source, z.msg != nullptr ? z.msg : "truncated"));
    }
    out.append(buffer, sizeof buffer - z.avail_out);
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      inflateEnd(&z);
      throw Error(fmt::format("{}: damaged gzip data (truncated)", source));
    }
  }
  inflateEnd(&z);
  return out;
}

}  // namespace gate
