// gate/src/policy/policy.cpp — reading gate.json into a Policy, and resolving the
// rules that apply to one benchmark.
//
// nlohmann's DOM keeps no positions, yet every message about a policy must
// say where the offending key or value is. So the text is read twice: once
// by nlohmann (which also reports syntax errors with a byte offset), then by
// a small scanner that walks the now known-good text and records the byte
// offset of every key and value under its JSON pointer. The scanner also
// refuses duplicate keys, which nlohmann would silently collapse.
#include "gate/policy/policy.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <span>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gate/error.hpp"
#include "gate/model/names.hpp"
#include "policy/glob.hpp"
#include "formats/text_location.hpp"

namespace gate {
namespace detail {

struct RuleLimit {
  std::string metric;
  Limit limit;
};

struct RuleTarget {
  Target target;
  std::string path;  // rules[2]."p95", for messages raised while resolving
};

struct CompiledRule {
  std::string path;  // "rules[2]"
  std::vector<Glob> match;
  std::optional<Glob> suite;
  std::optional<std::string> primary_metric;
  std::optional<Limit> threshold;
  std::vector<RuleLimit> limits;
  std::vector<RuleTarget> targets;

  [[nodiscard]] bool matches(std::string_view suite_name, std::string_view benchmark) const {
    if (suite && !suite->matches(suite_name)) return false;
    return std::any_of(match.begin(), match.end(), [&](const Glob& g) { return g.matches(benchmark); });
  }
};

struct SizeEntry {
  Glob glob;
  std::optional<double> max;
  std::string max_text;
  std::optional<Limit> growth;
  std::map<std::string, SectionBudget> sections;
};

struct CompiledPolicy {
  std::vector<CompiledRule> rules;
  std::vector<SizeEntry> size;
};

}  // namespace detail

namespace {

using Json = nlohmann::ordered_json;
constexpr std::size_t k_npos = std::string::npos;

constexpr const auto& k_statistics = k_target_statistics;

bool is_statistic(std::string_view s) {
  return parse_target_statistic(s).has_value();
}

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// ---------------------------------------------------------------------------
// Limits and targets

Quantity parse_part(std::string_view whole, std::string_view part, std::string_view what) {
  std::string why;
  auto q = try_parse_quantity(part, why);
  if (!q) throw Error(fmt::format("bad {} '{}': {}", what, whole, why));
  return *q;
}

std::string join_list(std::initializer_list<std::string_view> items) {
  std::string out;
  for (auto item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Which absolute values fit which metric

std::string unit_phrase(std::string_view unit) {
  switch (dimension_of_unit(unit)) {
    case Dimension::time:
      return "a time (ns)";
    case Dimension::bytes:
      return "a size in bytes";
    case Dimension::rate:
      return "a rate (1/s)";
    case Dimension::percent:
      return "a percentage";
    case Dimension::count:
      break;
  }
  return "a plain count";
}

std::string dimension_phrase(Dimension d) {
  switch (d) {
    case Dimension::time:
      return "a time";
    case Dimension::bytes:
      return "bytes";
    case Dimension::rate:
      return "a rate";
    case Dimension::percent:
      return "a percentage";
    case Dimension::count:
      break;
  }
  return "a plain count";
}

// A bare number is accepted for bytes and rates (it is in their base unit
// already) but not for times, where "30" could be any of four units.
bool fits(Dimension d, std::string_view metric_unit) {
  switch (dimension_of_unit(metric_unit)) {
    case Dimension::time:
      return d == Dimension::time;
    case Dimension::bytes:
      return d == Dimension::bytes || d == Dimension::count;
    case Dimension::rate:
      return d == Dimension::rate || d == Dimension::count;
    case Dimension::percent:
      return d == Dimension::percent;
    case Dimension::count:
      return d == Dimension::count;
  }
  return false;
}

// Empty when the limit fits the metric, else the cause.
std::string limit_misfit(const Limit& limit, std::string_view metric, const MetricInfo& info) {
  if (!limit.absolute || fits(limit.absolute_dimension, info.unit)) return {};
  return fmt::format("'{}' is {}, but '{}' is {}", limit.text, dimension_phrase(limit.absolute_dimension), metric,
                     unit_phrase(info.unit));
}

std::string target_misfit(const Target& target, std::string_view metric, const MetricInfo& info) {
  if (fits(target.dimension, info.unit)) return {};
  return fmt::format("'{}' is {}, but '{}' is {}", target.text, dimension_phrase(target.dimension), metric,
                     unit_phrase(info.unit));
}

// ---------------------------------------------------------------------------
// Suggestions for typos

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

template <typename Range>
std::string did_you_mean(std::string_view word, const Range& candidates) {
  std::string_view best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (std::string_view c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best.empty() ? std::string() : fmt::format(" — did you mean '{}'?", best);
}

// Names gate::describe_metric knows, for suggestions only: whether a name is
// known is decided by describe_metric itself (see Reader::known_metric).
// clang-format off
constexpr std::string_view k_common_metrics[] = {
    "real_time", "cpu_time", "items_per_second", "bytes_per_second",
    "allocs_per_iter", "max_bytes_used", "total_allocated_bytes", "net_heap_growth", "peak_bytes", "allocations",
    "instructions", "est_cycles", "l1i_misses", "l1d_misses", "ll_misses", "lli_misses", "lld_misses",
    "branch_misses"};
// clang-format on

// ---------------------------------------------------------------------------
// Positions of keys and values

struct Position {
  std::size_t key = k_npos;    // the opening quote of the member's key
  std::size_t value = k_npos;  // the first byte of the value
};

std::string escape_pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

// Paths as messages show them: top-level keys bare, nested keys quoted,
// array elements by 0-based index — rules[1]."cpu_time".
std::string child_display(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return fmt::format("{}.\"{}\"", parent, key);
}

std::string element_display(const std::string& parent, std::size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

std::string location_prefix(std::string_view source, std::string_view text, std::size_t offset) {
  return fmt::format("{}:{}", source, detail::to_string(detail::locate(text, offset)));
}

class PositionScanner {
 public:
  PositionScanner(std::string_view text, const std::string& source) : m_text(text), m_source(source) {}

  std::unordered_map<std::string, Position> scan() {
    if (m_text.starts_with("\xEF\xBB\xBF")) m_pos = 3;  // a UTF-8 byte order mark, which nlohmann skips too
    value("", "");
    return std::move(m_index);
  }

 private:
  void skip() {
    for (;;) {
      while (m_pos < m_text.size() &&
             (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n' || m_text[m_pos] == '\r')) {
        ++m_pos;
      }
      if (m_text.substr(m_pos).starts_with("//")) {
        m_pos = std::min(m_text.find('\n', m_pos), m_text.size());
      } else if (m_text.substr(m_pos).starts_with("/*")) {
        auto end = m_text.find("*/", m_pos + 2);
        m_pos = end == k_npos ? m_text.size() : end + 2;
      } else {
        return;
      }
    }
  }

  char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }

  std::string_view string_token() {
    std::size_t start = m_pos++;
    while (m_pos < m_text.size() && m_text[m_pos] != '"') m_pos += m_text[m_pos] == '\\' ? 2 : 1;
    m_pos = std::min(m_pos + 1, m_text.size());
    return m_text.substr(start, m_pos - start);
  }

  void value(const std::string& pointer, const std::string& display) {
    skip();
    m_index[pointer].value = m_pos;
    char c = peek();
    if (c == '{') {
      ++m_pos;
      skip();
      if (peek() == '}') {
        ++m_pos;
        return;
      }
      std::unordered_set<std::string> seen;
      while (m_pos < m_text.size()) {
        skip();
        std::size_t key_at = m_pos;
        // Keys are decoded by nlohmann so that escapes resolve exactly as in
        // the DOM the policy is read from.
        auto key = Json::parse(string_token()).get<std::string>();
        std::string child_pointer = pointer + "/" + escape_pointer_token(key);
        std::string shown = child_display(display, key);
        if (!seen.insert(key).second) {
          throw Error(fmt::format("{}: {}: duplicate key — each key may appear once in an object",
                                  location_prefix(m_source, m_text, key_at), shown));
        }
        m_index[child_pointer].key = key_at;
        skip();
        ++m_pos;  // ':'
        value(child_pointer, shown);
        skip();
        if (peek() != ',') break;
        ++m_pos;
      }
      ++m_pos;  // '}'
    } else if (c == '[') {
      ++m_pos;
      skip();
      if (peek() == ']') {
        ++m_pos;
        return;
      }
      for (std::size_t i = 0; m_pos < m_text.size(); ++i) {
        value(pointer + "/" + std::to_string(i), element_display(display, i));
        skip();
        if (peek() != ',') break;
        ++m_pos;
      }
      ++m_pos;  // ']'
    } else if (c == '"') {
      string_token();
    } else {
      while (m_pos < m_text.size() && std::string_view(",]} \t\r\n/").find(m_text[m_pos]) == k_npos) ++m_pos;
    }
  }

  std::string_view m_text;
  const std::string& m_source;
  std::size_t m_pos = 0;
  std::unordered_map<std::string, Position> m_index;
};

// ---------------------------------------------------------------------------
// The reader: gate.json's DOM into a Policy, every error located.

struct Node {
  const Json* json;
  std::string pointer;
  std::string display;

  [[nodiscard]] Node child(const std::string& key) const {
    return {&(*json)[key], pointer + "/" + escape_pointer_token(key), child_display(display, key)};
  }
  [[nodiscard]] Node element(std::size_t i) const {
    return {&(*json)[i], pointer + "/" + std::to_string(i), element_display(display, i)};
  }
  [[nodiscard]] bool has(const std::string& key) const { return json->contains(key); }
};

std::string_view type_name(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "a number";
    default:
      return "a value";
  }
}

class Reader {
 public:
  Reader(std::string_view text, const std::string& source, const Json& root)
      : m_text(text), m_source(source), m_root{&root, "", ""}, m_compiled(std::make_shared<detail::CompiledPolicy>()) {
    m_index = PositionScanner(text, source).scan();
  }

  /// The policy, and the rules and size entries that parse_policy attaches
  /// to it (Policy keeps them private).
  std::pair<Policy, std::shared_ptr<const detail::CompiledPolicy>> read() {
    m_policy.source = m_source;
    if (!m_root.json->is_object())
      fail_value(m_root, fmt::format("expected an object, found {}", type_name(*m_root.json)));
    std::vector<std::string_view> keys;
    for (const auto& section : sections()) keys.push_back(section.key);
    check_keys(m_root, keys);
    // Sections are read in this fixed order, whatever their order in the
    // file: metric overrides first (limits are checked against them), then
    // the defaults (rules are checked against the primary metric).
    for (const auto& section : sections()) {
      if (m_root.has(std::string(section.key))) (this->*section.read)(m_root.child(std::string(section.key)));
    }
    return {std::move(m_policy), std::move(m_compiled)};
  }

 private:
  struct Section {
    std::string_view key;
    void (Reader::*read)(const Node&);
  };
  // The top-level keys of gate.json. A new one is a line here and a reader
  // function; anything not listed is refused, so typos never pass silently.
  static std::span<const Section> sections() {
    static constexpr Section table[] = {
        {"version", &Reader::read_version}, {"metrics", &Reader::read_metrics}, {"defaults", &Reader::read_defaults},
        {"suites", &Reader::read_suites},   {"rules", &Reader::read_rules},     {"size", &Reader::read_size},
        {"binaries", &Reader::read_binaries},
    };
    return table;
  }

  // --- errors -------------------------------------------------------------

  std::size_t value_offset(const Node& n) const {
    auto it = m_index.find(n.pointer);
    return it == m_index.end() || it->second.value == k_npos ? 0 : it->second.value;
  }
  std::size_t key_offset(const Node& n) const {
    auto it = m_index.find(n.pointer);
    if (it == m_index.end()) return 0;
    return it->second.key != k_npos ? it->second.key : it->second.value;
  }
  std::string origin(const Node& n) const { return location_prefix(m_source, m_text, value_offset(n)); }

  [[noreturn]] void fail_at(std::size_t offset, const std::string& display, std::string_view what) const {
    if (display.empty()) throw Error(fmt::format("{}: {}", location_prefix(m_source, m_text, offset), what));
    throw Error(fmt::format("{}: {}: {}", location_prefix(m_source, m_text, offset), display, what));
  }
  [[noreturn]] void fail_value(const Node& n, std::string_view what) const {
    fail_at(value_offset(n), n.display, what);
  }
  [[noreturn]] void fail_key(const Node& n, std::string_view what) const { fail_at(key_offset(n), n.display, what); }

  // --- types --------------------------------------------------------------

  void expect_object(const Node& n) const {
    if (!n.json->is_object()) fail_value(n, fmt::format("expected an object, found {}", type_name(*n.json)));
  }
  void expect_array(const Node& n) const {
    if (!n.json->is_array()) fail_value(n, fmt::format("expected an array, found {}", type_name(*n.json)));
  }
  std::string string_of(const Node& n, std::string_view example) const {
    if (!n.json->is_string()) {
      fail_value(n, fmt::format("expected a string such as {}, found {}", example, type_name(*n.json)));
    }
    return n.json->get<std::string>();
  }
  long long integer_of(const Node& n, long long min, long long max) const {
    if (!n.json->is_number_integer() && !n.json->is_number_unsigned()) {
      fail_value(
          n, fmt::format("expected a whole number, found {}", n.json->is_number() ? "a fraction" : type_name(*n.json)));
    }
    if (n.json->is_number_unsigned() && n.json->get<unsigned long long>() > static_cast<unsigned long long>(max)) {
      fail_value(n, fmt::format("{} is out of range — at most {}", n.json->dump(), max));
    }
    long long v = n.json->get<long long>();
    if (v < min) fail_value(n, fmt::format("{} is too small — at least {}", v, min));
    if (v > max) fail_value(n, fmt::format("{} is out of range — at most {}", v, max));
    return v;
  }

  template <typename Range>
  void check_keys(const Node& obj, const Range& known) const {
    for (const auto& item : obj.json->items()) {
      const std::string& key = item.key();
      if (std::find(std::begin(known), std::end(known), key) != std::end(known)) continue;
      std::string expected;
      for (std::string_view k : known) expected += expected.empty() ? std::string(k) : ", " + std::string(k);
      fail_key(obj.child(key), fmt::format("unknown key{} (expected one of: {})", did_you_mean(key, known), expected));
    }
  }

  // --- metrics ------------------------------------------------------------

  // A metric name in a policy must be one the gate knows or one declared
  // under "metrics": a misspelt "cpu_tme" would otherwise be a limit on a
  // metric no benchmark reports, and never fail.
  bool known_metric(std::string_view name) const {
    if (m_policy.metrics.find(name) != m_policy.metrics.end()) return true;
    if (name.starts_with("hw_")) return true;
    MetricInfo info = describe_metric(name);
    return !info.unit.empty() || info.kind == MetricKind::deterministic;
  }

  void check_metric(const Node& at, const std::string& name, bool at_key) const {
    if (known_metric(name)) return;
    std::vector<std::string_view> candidates(std::begin(k_common_metrics), std::end(k_common_metrics));
    for (const auto& [declared, unused] : m_policy.metrics) candidates.push_back(declared);
    std::string what = fmt::format("unknown metric '{}'{} (a user counter must be declared under \"metrics\")", name,
                                   did_you_mean(name, candidates));
    if (at_key) fail_key(at, what);
    fail_value(at, what);
  }

  MetricInfo describe(std::string_view metric) const { return m_policy.describe(metric); }

  // --- limits and targets -------------------------------------------------

  Limit limit_at(const Node& n, std::string_view example = "'+10%'") const {
    std::string text = string_of(n, example);
    Limit limit;
    try {
      limit = parse_limit(text);
    } catch (const Error& e) {
      fail_value(n, e.what());
    }
    limit.origin = origin(n);
    return limit;
  }

  // A limit that must fit `metric` (checked here, where the metric is known).
  Limit metric_limit_at(const Node& n, const std::string& metric) const {
    Limit limit = limit_at(n);
    if (auto why = limit_misfit(limit, metric, describe(metric)); !why.empty()) fail_value(n, why);
    return limit;
  }

  Limit size_limit_at(const Node& n) const {
    Limit limit = limit_at(n, "'+10% or +5MB'");
    if (limit.absolute && !fits(limit.absolute_dimension, "B")) {
      fail_value(
          n, fmt::format("'{}' is {}, but a size is in bytes", limit.text, dimension_phrase(limit.absolute_dimension)));
    }
    return limit;
  }

  static bool is_target_text(std::string_view text) {
    text = trim(text);
    return !text.empty() && (text.front() == '<' || text.front() == '>');
  }

  // --- sections -----------------------------------------------------------

  void read_version(const Node& n) {
    if (!n.json->is_number_integer() && !n.json->is_number_unsigned()) {
      fail_value(n, fmt::format("expected the number 1, found {}", type_name(*n.json)));
    }
    if (n.json->get<long long>() != 1) {
      fail_value(n, fmt::format("unsupported version {} — this gate reads version 1", n.json->dump()));
    }
  }

  void read_metrics(const Node& n) {
    expect_object(n);
    for (const auto& item : n.json->items()) {
      Node m = n.child(item.key());
      const std::string& name = item.key();
      if (name.empty() || name.find('.') != std::string::npos) {
        fail_key(m,
                 "a metric name must be non-empty and without '.' (the dot separates a statistic: \"real_time.p95\")");
      }
      expect_object(m);
      check_keys(m, std::initializer_list<std::string_view>{"direction", "kind", "unit"});
      MetricOverride o;
      if (m.has("direction")) {
        Node d = m.child("direction");
        std::string v = string_of(d, "\"lower\" or \"higher\"");
        if (v == "lower")
          o.direction = Direction::lower_is_better;
        else if (v == "higher")
          o.direction = Direction::higher_is_better;
        else
          fail_value(d, fmt::format("unknown direction '{}' — expected \"lower\" or \"higher\" (which is better)", v));
      }
      if (m.has("kind")) {
        Node k = m.child("kind");
        std::string v = string_of(k, "\"noisy\" or \"deterministic\"");
        if (v == "noisy")
          o.kind = MetricKind::noisy;
        else if (v == "deterministic")
          o.kind = MetricKind::deterministic;
        else
          fail_value(k, fmt::format("unknown kind '{}' — expected \"noisy\" or \"deterministic\"", v));
      }
      if (m.has("unit")) {
        Node u = m.child("unit");
        std::string v = string_of(u, "\"ns\"");
        if (v != "ns" && v != "B" && v != "1/s" && !v.empty()) {
          fail_value(u, fmt::format("unknown unit '{}' — expected \"ns\", \"B\", \"1/s\" or \"\" (a plain count)", v));
        }
        o.unit = v;
      }
      m_policy.metrics[name] = o;
    }
  }

  void read_defaults(const Node& n) {
    expect_object(n);
    check_keys(n, std::initializer_list<std::string_view>{"primary_metric", "threshold", "alpha", "min_repetitions",
                                                          "repetitions", "limits", "size_growth", "timing", "noise_k",
                                                          "noise_ceiling"});
    Defaults& d = m_policy.defaults;
    if (n.has("primary_metric")) {
      Node p = n.child("primary_metric");
      d.primary_metric = string_of(p, "\"cpu_time\"");
      check_metric(p, d.primary_metric, false);
    }
    if (n.has("threshold")) {
      d.threshold = metric_limit_at(n.child("threshold"), d.primary_metric);
    } else if (auto why = limit_misfit(d.threshold, d.primary_metric, describe(d.primary_metric)); !why.empty()) {
      fail_value(n.has("primary_metric") ? n.child("primary_metric") : n,
                 "the built-in threshold does not fit it: " + why);
    }
    if (n.has("alpha")) {
      Node a = n.child("alpha");
      if (!a.json->is_number())
        fail_value(a, fmt::format("expected a number such as 0.05, found {}", type_name(*a.json)));
      d.alpha = a.json->get<double>();
      if (!(d.alpha > 0 && d.alpha < 1)) {
        fail_value(a,
                   fmt::format("{} is out of range — alpha must lie between 0 and 1 (0.05 is usual)", a.json->dump()));
      }
    }
    if (n.has("min_repetitions")) {
      // Mann–Whitney needs two samples a side to say anything at all.
      d.min_repetitions = static_cast<int>(integer_of(n.child("min_repetitions"), 2, 100'000));
    }
    if (n.has("repetitions")) {
      // With this machine's noise (10–16% coefficient of variation) fewer
      // than 9 repetitions leave a 10% change of the median unresolvable.
      d.repetitions = static_cast<int>(integer_of(n.child("repetitions"), 9, 100'000));
    }
    if (d.repetitions < d.min_repetitions) {
      Node at = n.has("repetitions") ? n.child("repetitions") : n.child("min_repetitions");
      fail_value(at, fmt::format("repetitions ({}) is below min_repetitions ({}) — every comparison would go unjudged",
                                 d.repetitions, d.min_repetitions));
    }
    if (n.has("limits")) {
      Node l = n.child("limits");
      expect_object(l);
      for (const auto& item : l.json->items()) {
        Node m = l.child(item.key());
        check_metric(m, item.key(), true);
        if (m.json->is_null()) {
          d.limits.erase(item.key());
          continue;
        }
        if (m.json->is_string() && is_target_text(m.json->get<std::string>())) {
          fail_value(
              m, "defaults.limits holds limits (changes such as '+5%'); put targets in a rule with \"match\": \"*\"");
        }
        d.limits.insert_or_assign(item.key(), metric_limit_at(m, item.key()));
      }
    }
    if (n.has("size_growth")) {
      Node g = n.child("size_growth");
      if (g.json->is_null())
        d.size_growth.reset();
      else
        d.size_growth = size_limit_at(g);
    }
    if (n.has("timing")) {
      Node t = n.child("timing");
      std::string v = string_of(t, "\"confirm\"");
      if (v == "judge") {
        d.timing = TimingMode::judge;
      } else if (v == "confirm") {
        d.timing = TimingMode::confirm;
      } else {
        fail_value(t, fmt::format("unknown timing '{}' — expected \"judge\" (a timing regression against a stored "
                                  "baseline fails) or \"confirm\" (it fails once a same-job re-run confirms it)",
                                  v));
      }
    }
    if (n.has("noise_k")) {
      Node k = n.child("noise_k");
      if (!k.json->is_number()) fail_value(k, fmt::format("expected a number such as 3, found {}", type_name(*k.json)));
      d.noise_k = k.json->get<double>();
      if (!(d.noise_k > 0 && d.noise_k <= 100)) {
        fail_value(k, fmt::format("{} is out of range — noise_k must be above 0 and at most 100 (3 is usual)",
                                  k.json->dump()));
      }
    }
    if (n.has("noise_ceiling")) {
      Node c = n.child("noise_ceiling");
      std::string text = string_of(c, "\"50%\"");
      std::string why;
      auto q = try_parse_quantity(text, why);
      if (!q) fail_value(c, fmt::format("bad noise_ceiling '{}': {}", text, why));
      if (q->dim != Dimension::percent || !(q->value > 0)) {
        fail_value(c, fmt::format("bad noise_ceiling '{}': expected a positive percentage such as \"50%\"", text));
      }
      d.noise_ceiling = q->value;
    }
  }

  void read_suites(const Node& n) {
    expect_array(n);
    for (std::size_t i = 0; i < n.json->size(); ++i) {
      Node s = n.element(i);
      expect_object(s);
      check_keys(s, std::initializer_list<std::string_view>{"name", "binary", "args", "timeout"});
      SuiteSpec spec;
      spec.name = baseline_name(s, "suite", "\"bench_clew\"");
      spec.binary = binary_path(s, "suite", "\"benchsuite/bench_clew\"");
      if (s.has("args")) {
        Node args = s.child("args");
        expect_array(args);
        for (std::size_t a = 0; a < args.json->size(); ++a)
          spec.args.push_back(string_of(args.element(a), "\"--benchmark_filter=BM_\""));
      }
      if (s.has("timeout")) {
        Node t = s.child("timeout");
        std::string text = string_of(t, "\"600s\"");
        std::string why;
        auto q = try_parse_quantity(text, why);
        if (!q) fail_value(t, fmt::format("bad timeout '{}': {}", text, why));
        if (q->dim != Dimension::time)
          fail_value(t, fmt::format("bad timeout '{}': expected a time such as '600s'", text));
        if (!(q->value > 0)) fail_value(t, fmt::format("bad timeout '{}': must be positive", text));
        if (q->value > 1e18) fail_value(t, fmt::format("bad timeout '{}': too long", text));
        spec.timeout = std::chrono::nanoseconds(static_cast<long long>(std::llround(q->value)));
      }
      m_policy.suites.push_back(std::move(spec));
    }
  }

  /// The "name" of a suite or product binary `entry`: it becomes a file name
  /// (baselines/<runner>/<name>.json), so it must be safe as one and unique
  /// among both.
  std::string baseline_name(const Node& entry, std::string_view what, std::string_view example) {
    if (!entry.has("name")) fail_value(entry, fmt::format("a {} needs a \"name\"", what));
    Node name = entry.child("name");
    std::string text = string_of(name, example);
    if (auto why = suite_name_problem(text)) {
      fail_value(name, fmt::format("bad {} name '{}': {} — it names the baseline file: use 1 to {} characters from "
                                   "A-Z a-z 0-9 . _ -, starting with a letter or digit",
                                   what, text, *why, k_max_suite_name));
    }
    if (m_policy.find_suite(text) != nullptr) fail_value(name, fmt::format("duplicate name '{}': a suite has it", text));
    if (m_policy.find_binary(text) != nullptr)
      fail_value(name, fmt::format("duplicate name '{}': a product binary has it", text));
    return text;
  }

  /// The "binary" of a suite or product binary `entry`: a path, not empty.
  std::string binary_path(const Node& entry, std::string_view what, std::string_view example) {
    if (!entry.has("binary")) {
      fail_value(entry, fmt::format("a {} needs a \"binary\" (its path, relative to the build directory or absolute)", what));
    }
    Node binary = entry.child("binary");
    std::string path = string_of(binary, example);
    if (path.empty()) fail_value(binary, "empty path");
    return path;
  }

  void read_binaries(const Node& n) {
    expect_array(n);
    for (std::size_t i = 0; i < n.json->size(); ++i) {
      Node b = n.element(i);
      expect_object(b);
      check_keys(b, std::initializer_list<std::string_view>{"name", "binary"});
      BinarySpec spec;
      spec.name = baseline_name(b, "product binary", "\"gate\"");
      spec.binary = binary_path(b, "product binary", "\"gate/gate\"");
      m_policy.binaries.push_back(std::move(spec));
    }
  }

  detail::Glob glob_at(const Node& n, std::string_view example) const {
    std::string pattern = string_of(n, example);
    if (pattern.empty()) fail_value(n, "empty pattern — use \"*\" to match everything");
    try {
      return detail::Glob(pattern);
    } catch (const Error& e) {
      fail_value(n, fmt::format("bad pattern '{}': {}", pattern, e.what()));
    }
  }

  static constexpr std::string_view k_rule_keys[] = {"match", "suite", "primary_metric", "threshold"};

  void read_rules(const Node& n) {
    expect_array(n);
    for (std::size_t i = 0; i < n.json->size(); ++i) m_compiled->rules.push_back(read_rule(n.element(i)));
  }

  detail::CompiledRule read_rule(const Node& r) {
    expect_object(r);
    detail::CompiledRule rule;
    rule.path = r.display;
    if (!r.has("match")) fail_value(r, "a rule needs \"match\": a benchmark name pattern such as \"BM_Sort*\"");
    Node match = r.child("match");
    if (match.json->is_array()) {
      if (match.json->empty()) fail_value(match, "an empty list matches nothing — give at least one pattern");
      for (std::size_t i = 0; i < match.json->size(); ++i)
        rule.match.push_back(glob_at(match.element(i), "\"BM_Sort*\""));
    } else {
      rule.match.push_back(glob_at(match, "\"BM_Sort*\" (or a list of them)"));
    }
    if (r.has("suite")) rule.suite = glob_at(r.child("suite"), "\"bench_*\"");

    // The primary metric this rule's own keys are checked against: its own,
    // else the defaults'. Another rule may change it for some benchmarks;
    // rules_for checks the combination again.
    std::string primary = m_policy.defaults.primary_metric;
    if (r.has("primary_metric")) {
      Node p = r.child("primary_metric");
      primary = string_of(p, "\"real_time\"");
      check_metric(p, primary, false);
      rule.primary_metric = primary;
      if (!r.has("threshold")) {
        if (auto why = limit_misfit(m_policy.defaults.threshold, primary, describe(primary)); !why.empty()) {
          fail_value(p, fmt::format("the default threshold does not fit this primary metric: {} — give the rule a "
                                    "\"threshold\" of its own",
                                    why));
        }
      }
    }
    if (r.has("threshold")) rule.threshold = metric_limit_at(r.child("threshold"), primary);

    for (const auto& item : r.json->items()) {
      const std::string& key = item.key();
      if (std::find(std::begin(k_rule_keys), std::end(k_rule_keys), key) != std::end(k_rule_keys)) continue;
      Node k = r.child(key);
      // A near miss of a rule key is a typo, not a metric.
      if (auto hint = did_you_mean(key, k_rule_keys); !hint.empty() && !known_metric(key) && !is_statistic(key)) {
        fail_key(k, fmt::format("unknown key{}", hint));
      }
      std::string metric = key;
      std::string statistic;
      if (is_statistic(key)) {
        metric.clear();
        statistic = key;
      } else if (auto dot = key.rfind('.'); dot != std::string::npos) {
        metric = key.substr(0, dot);
        statistic = key.substr(dot + 1);
        if (!is_statistic(statistic)) {
          fail_key(k, fmt::format("unknown statistic '{}'{} (expected one of: {})", statistic,
                                  did_you_mean(statistic, k_statistics),
                                  join_list({"median", "mean", "min", "max", "p50", "p90", "p95", "p99"})));
        }
      }
      if (statistic.empty() && !known_metric(metric)) {
        if (auto hint = did_you_mean(key, k_statistics); !hint.empty()) fail_key(k, fmt::format("unknown key{}", hint));
      }
      if (!metric.empty()) check_metric(k, metric, true);
      std::string value = string_of(k, statistic.empty() ? "'+5%' or '< 10ms'" : "'< 10ms'");
      const std::string& judged = metric.empty() ? primary : metric;
      if (is_target_text(value)) {
        Target t;
        try {
          t = parse_target(key, value);
        } catch (const Error& e) {
          fail_value(k, e.what());
        }
        t.origin = origin(k);
        if (auto why = target_misfit(t, judged, describe(judged)); !why.empty()) fail_value(k, why);
        rule.targets.push_back({std::move(t), k.display});
      } else {
        if (!statistic.empty()) {
          fail_value(k, fmt::format("'{}' takes a target — a bound such as '< 10ms'; limits (changes such as '{}') "
                                    "apply to a metric's median",
                                    key, value));
        }
        rule.limits.push_back({metric, metric_limit_at(k, metric)});
      }
    }
    return rule;
  }

  std::optional<double> size_max_at(const Node& n, std::string& text) const {
    text = string_of(n, "\"50MB\"");
    std::string_view bound = trim(text);
    // "max" is a bound already; "< 50MB" is accepted too, as rules write targets.
    if (bound.starts_with("<="))
      bound.remove_prefix(2);
    else if (bound.starts_with("<"))
      bound.remove_prefix(1);
    std::string why;
    auto q = try_parse_quantity(bound, why);
    if (!q) fail_value(n, fmt::format("bad size '{}': {}", text, why));
    if (q->dim != Dimension::bytes && q->dim != Dimension::count) {
      fail_value(n, fmt::format("bad size '{}': expected bytes such as '50MB' or '64KiB'", text));
    }
    if (q->value < 0) fail_value(n, fmt::format("bad size '{}': must not be negative", text));
    text = std::string(trim(text));
    return q->value;
  }

  void read_size(const Node& n) {
    expect_object(n);
    for (const auto& item : n.json->items()) {
      Node e = n.child(item.key());
      detail::Glob glob = [&] {
        try {
          return detail::Glob(item.key());
        } catch (const Error& err) {
          fail_key(e, fmt::format("bad pattern '{}': {}", item.key(), err.what()));
        }
      }();
      expect_object(e);
      check_keys(e, std::initializer_list<std::string_view>{"max", "growth", "sections"});
      detail::SizeEntry entry{std::move(glob), {}, {}, {}, {}};
      if (e.has("max")) entry.max = size_max_at(e.child("max"), entry.max_text);
      if (e.has("growth")) entry.growth = size_limit_at(e.child("growth"));
      if (e.has("sections")) {
        Node secs = e.child("sections");
        expect_object(secs);
        for (const auto& sec : secs.json->items()) {
          Node s = secs.child(sec.key());
          SectionBudget budget;
          if (s.json->is_string()) {
            budget.growth = size_limit_at(s);
          } else if (s.json->is_object()) {
            check_keys(s, std::initializer_list<std::string_view>{"max", "growth"});
            if (s.has("max")) budget.max = size_max_at(s.child("max"), budget.max_text);
            if (s.has("growth")) budget.growth = size_limit_at(s.child("growth"));
          } else {
            fail_value(s, fmt::format("expected a growth limit such as \"+10%\" or an object with \"max\" and "
                                      "\"growth\", found {}",
                                      type_name(*s.json)));
          }
          entry.sections[sec.key()] = std::move(budget);
        }
      }
      m_compiled->size.push_back(std::move(entry));
    }
  }

  std::string_view m_text;
  const std::string& m_source;
  Node m_root;
  std::unordered_map<std::string, Position> m_index;
  Policy m_policy;
  std::shared_ptr<detail::CompiledPolicy> m_compiled;
};

}  // namespace

// ---------------------------------------------------------------------------
// Limit and Target

double Limit::worse_change(double baseline, double contender, Direction direction) {
  return direction == Direction::lower_is_better ? contender - baseline : baseline - contender;
}

bool Limit::exceeded(double baseline, double contender, Direction direction) const {
  if (std::isnan(baseline) || std::isnan(contender)) return true;
  double worse = worse_change(baseline, contender, direction);
  if (!(worse > 0)) return false;
  // The tolerance keeps "+0%" and exact absolute limits from failing on the
  // last bits of a division (allocations per iteration are a quotient).
  constexpr double k_tolerance = 1e-9;
  double base = std::fabs(baseline);
  bool relative_exceeded = false;
  bool absolute_exceeded = false;
  if (relative) {
    double change = base == 0 ? std::numeric_limits<double>::infinity() : worse / base;
    relative_exceeded = change > *relative + k_tolerance;
  }
  if (absolute) absolute_exceeded = worse > *absolute + k_tolerance * std::max(base, *absolute);
  switch (join) {
    case Join::both:
      return relative_exceeded && absolute_exceeded;
    case Join::either:
      return relative_exceeded || absolute_exceeded;
    case Join::single:
      break;
  }
  if (relative) return relative_exceeded;
  if (absolute) return absolute_exceeded;
  return true;  // a limit with no part tolerates nothing
}

double Limit::allowed(double baseline, Direction direction) const {
  std::optional<double> rel_margin;
  if (relative) rel_margin = *relative * std::fabs(baseline);
  double margin = 0;
  if (rel_margin && absolute) {
    margin = join == Join::either ? std::min(*rel_margin, *absolute) : std::max(*rel_margin, *absolute);
  } else if (rel_margin) {
    margin = *rel_margin;
  } else if (absolute) {
    margin = *absolute;
  }
  return direction == Direction::lower_is_better ? baseline + margin : baseline - margin;
}

Limit parse_limit(std::string_view text) {
  std::string_view whole = trim(text);
  if (whole.empty()) throw Error("bad limit '': empty — expected a change such as '+10%', '+30ns' or '+2% and +30ns'");
  if (whole.front() == '<' || whole.front() == '>') {
    throw Error(
        fmt::format("bad limit '{}': a bound is a target, not a limit — a limit is a change such as '+10%'", whole));
  }
  // Split on the words "and" / "or" (any case), which must stand apart.
  std::vector<std::string> parts(1);
  Limit limit;
  limit.text = std::string(whole);
  std::size_t i = 0;
  while (i < whole.size()) {
    while (i < whole.size() && (whole[i] == ' ' || whole[i] == '\t')) ++i;
    std::size_t start = i;
    while (i < whole.size() && whole[i] != ' ' && whole[i] != '\t') ++i;
    std::string_view word = whole.substr(start, i - start);
    if (word.empty()) break;
    std::string w = lower(word);
    if (w == "and" || w == "or") {
      if (limit.join != Limit::Join::single) {
        throw Error(fmt::format("bad limit '{}': at most two parts, joined by one 'and' or 'or'", whole));
      }
      if (parts.back().empty()) throw Error(fmt::format("bad limit '{}': '{}' needs a change on each side", whole, w));
      limit.join = w == "and" ? Limit::Join::both : Limit::Join::either;
      parts.emplace_back();
      continue;
    }
    if (!parts.back().empty()) parts.back() += ' ';
    parts.back() += word;
  }
  if (parts.back().empty()) {
    throw Error(fmt::format("bad limit '{}': '{}' needs a change on each side", whole,
                            limit.join == Limit::Join::both ? "and" : "or"));
  }
  for (const auto& part : parts) {
    Quantity q = parse_part(whole, part, "limit");
    double magnitude = std::fabs(q.value);
    if (q.dim == Dimension::percent) {
      if (limit.relative) {
        throw Error(
            fmt::format("bad limit '{}': both parts are relative — join a relative and an absolute change", whole));
      }
      limit.relative = magnitude;
    } else {
      if (limit.absolute) {
        throw Error(
            fmt::format("bad limit '{}': both parts are absolute — join a relative and an absolute change", whole));
      }
      limit.absolute = magnitude;
      limit.absolute_dimension = q.dim;
    }
  }
  return limit;
}

Limit builtin_limit(std::string_view text) {
  Limit limit = parse_limit(text);
  limit.origin = "built-in default";
  return limit;
}

bool Target::met(double value) const {
  switch (op) {
    case Op::lt:
      return value < bound;
    case Op::le:
      return value <= bound;
    case Op::gt:
      return value > bound;
    case Op::ge:
      return value >= bound;
  }
  return false;
}

Target parse_target(std::string_view key, std::string_view value) {
  Target t;
  std::string_view text = trim(value);
  t.text = std::string(text);
  std::string_view rest = text;
  if (rest.starts_with("<="))
    t.op = Target::Op::le, rest.remove_prefix(2);
  else if (rest.starts_with(">="))
    t.op = Target::Op::ge, rest.remove_prefix(2);
  else if (rest.starts_with("<"))
    t.op = Target::Op::lt, rest.remove_prefix(1);
  else if (rest.starts_with(">"))
    t.op = Target::Op::gt, rest.remove_prefix(1);
  else
    throw Error(fmt::format("bad target '{}': expected '<', '<=', '>' or '>=' before the bound", text));
  Quantity q = parse_part(text, rest, "target");
  if (q.dim == Dimension::percent) {
    throw Error(fmt::format(
        "bad target '{}': a bound is absolute, such as '< 10ms' — a percentage is a change (a limit)", text));
  }
  t.bound = q.value;
  t.dimension = q.dim;

  key = trim(key);
  if (auto s = parse_target_statistic(key)) {
    t.statistic = *s;
  } else if (auto dot = key.rfind('.'); dot != std::string_view::npos) {
    t.metric = std::string(key.substr(0, dot));
    auto stat = parse_target_statistic(key.substr(dot + 1));
    if (!stat || t.metric.empty()) {
      throw Error(
          fmt::format("bad target key '{}': expected a statistic (median, mean, min, max, p50, p90, p95, p99), "
                      "a metric, or metric.statistic",
                      key));
    }
    t.statistic = *stat;
  } else {
    if (key.empty()) throw Error("bad target key '': expected a statistic or a metric");
    t.metric = std::string(key);
    t.statistic = Statistic{StatisticKind::median};
  }
  return t;
}

// ---------------------------------------------------------------------------
// Policy

BenchmarkRules Policy::rules_for(std::string_view suite, std::string_view benchmark) const {
  BenchmarkRules out;
  out.primary_metric = defaults.primary_metric;
  out.limits = defaults.limits;
  const Limit* threshold = &defaults.threshold;
  std::string threshold_path = "defaults.\"threshold\"";
  std::vector<const detail::RuleTarget*> targets;
  if (m_compiled) {
    for (const auto& rule : m_compiled->rules) {
      if (!rule.matches(suite, benchmark)) continue;
      if (rule.primary_metric) out.primary_metric = *rule.primary_metric;
      if (rule.threshold) {
        threshold = &*rule.threshold;
        threshold_path = rule.path + ".\"threshold\"";
      }
      for (const auto& l : rule.limits) out.limits.insert_or_assign(l.metric, l.limit);
      for (const auto& t : rule.targets) {
        auto same = std::find_if(targets.begin(), targets.end(), [&](const detail::RuleTarget* seen) {
          return seen->target.metric == t.target.metric && seen->target.statistic == t.target.statistic;
        });
        if (same != targets.end())
          *same = &t;
        else
          targets.push_back(&t);
      }
    }
  }
  // A rule can change the primary metric of benchmarks that other rules give
  // thresholds or targets written for another metric: check the outcome.
  const std::string& primary = out.primary_metric;
  std::optional<MetricInfo> primary_info;
  auto info = [&]() -> const MetricInfo& {
    if (!primary_info) primary_info = describe(primary);
    return *primary_info;
  };
  if (out.limits.find(primary) == out.limits.end()) {
    if (threshold->absolute) {
      if (auto why = limit_misfit(*threshold, primary, info()); !why.empty()) {
        throw Error(fmt::format("{}: {}: cannot judge '{}' in suite '{}': {}", threshold->origin, threshold_path,
                                benchmark, suite, why));
      }
    }
    out.limits.emplace(primary, *threshold);
  }
  out.targets.reserve(targets.size());
  for (const auto* t : targets) {
    if (t->target.metric.empty()) {
      if (auto why = target_misfit(t->target, primary, info()); !why.empty()) {
        throw Error(fmt::format("{}: {}: cannot judge '{}' in suite '{}': {}", t->target.origin, t->path, benchmark,
                                suite, why));
      }
    }
    out.targets.push_back(t->target);
  }
  return out;
}

MetricInfo Policy::describe(std::string_view metric) const {
  MetricInfo info = describe_metric(metric);
  if (auto it = metrics.find(metric); it != metrics.end()) {
    if (it->second.direction) info.direction = *it->second.direction;
    if (it->second.kind) info.kind = *it->second.kind;
    if (it->second.unit) info.unit = *it->second.unit;
  }
  return info;
}

std::optional<SizeBudget> Policy::size_budget_for(std::string_view suite) const {
  SizeBudget budget;
  bool any = false;
  if (defaults.size_growth) {
    budget.growth = defaults.size_growth;
    any = true;
  }
  if (m_compiled) {
    for (const auto& entry : m_compiled->size) {
      if (!entry.glob.matches(suite)) continue;
      any = true;
      if (entry.max) {
        budget.max = entry.max;
        budget.max_text = entry.max_text;
      }
      if (entry.growth) budget.growth = entry.growth;
      for (const auto& [name, section] : entry.sections) {
        SectionBudget& merged = budget.sections[name];
        if (section.max) {
          merged.max = section.max;
          merged.max_text = section.max_text;
        }
        if (section.growth) merged.growth = section.growth;
      }
    }
  }
  if (!any) return std::nullopt;
  return budget;
}

const SuiteSpec* Policy::find_suite(std::string_view name) const {
  for (const auto& s : suites) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const BinarySpec* Policy::find_binary(std::string_view name) const {
  for (const auto& b : binaries) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

std::size_t Policy::rule_count() const { return m_compiled ? m_compiled->rules.size() : 0; }

std::string_view to_string(TimingMode mode) { return mode == TimingMode::judge ? "judge" : "confirm"; }
std::string_view to_string(Unconfirmed mode) { return mode == Unconfirmed::fail ? "fail" : "pass"; }

Policy default_policy() { return Policy{}; }

Policy parse_policy(std::string_view text, const std::string& source) {
  Json root;
  try {
    root = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann's message starts "[json.exception.parse_error.101] parse
    // error at line 3, column 6: "; our location replaces that prefix.
    std::string what = e.what();
    if (auto at = what.find("parse error"); at != std::string::npos) {
      auto colon = what.find(": ", at);
      if (colon != std::string::npos) what = what.substr(colon + 2);
    }
    // "last read: '...'" can quote the rest of the file (an unterminated
    // comment); the location says enough.
    if (auto last = what.find("; last read: "); last != std::string::npos) {
      auto expected = what.find("; expected", last);
      what.erase(last, expected == std::string::npos ? std::string::npos : expected - last);
    }
    std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    throw Error(fmt::format("{}: invalid JSON: {}", location_prefix(source, text, offset), what));
  }
  auto [policy, compiled] = Reader(text, source, root).read();
  policy.m_compiled = std::move(compiled);
  return policy;
}

Policy load_policy(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    bool exists = std::filesystem::exists(path, ec);
    throw Error(
        fmt::format("reading policy '{}': {}", path.string(), exists ? "cannot open the file" : "no such file"));
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw Error(fmt::format("reading policy '{}': read error", path.string()));
  return parse_policy(content.str(), path.string());
}

}  // namespace gate
