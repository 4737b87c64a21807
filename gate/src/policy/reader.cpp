// gate/src/policy/reader.cpp — reading gate.json: the text through the gate's
// one JSON reader into a located tree, the checks that hold for the whole
// document, and the typed access every section uses, each error at the key
// or value it is about: "gate.json:<line>:<col>: <path>: <what>".
#include "policy/reader.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <unordered_set>

#include <fmt/format.h>

#include "gate/error.hpp"
#include "policy/fit.hpp"
#include "policy/suggest.hpp"
#include "policy/text.hpp"

namespace gate {
namespace detail {
namespace {

constexpr std::size_t k_npos = std::string::npos;

// Names gate::describe_metric knows, for suggestions only: whether a name is
// known is decided by describe_metric itself (see known_metric).
// clang-format off
constexpr std::string_view k_common_metrics[] = {
    "real_time", "cpu_time", "items_per_second", "bytes_per_second",
    "allocs_per_iter", "max_bytes_used", "total_allocated_bytes", "net_heap_growth", "peak_bytes", "allocations",
    "instructions", "est_cycles", "l1i_misses", "l1d_misses", "ll_misses", "lli_misses", "lld_misses",
    "branch_misses"};
// clang-format on

/// The first control character (C0 or DEL) in `s`, or k_npos.
std::size_t control_at(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return i;
  }
  return k_npos;
}

}  // namespace

std::string child_display(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return fmt::format("{}.\"{}\"", parent, key);
}

std::string element_display(const std::string& parent, std::size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

PolicyNode PolicyNode::child(std::string_view key) const {
  const JsonMember* m = json->find(key);
  // A reader bug, not bad input: every caller asks has() first. The fuzz
  // target reports any exception other than gate::Error.
  if (m == nullptr) throw std::logic_error("policy reader: no member '" + std::string(key) + "'");
  return member(*m);
}

PolicyNode PolicyNode::member(const JsonMember& m) const {
  return {&m.value, m.key_offset, child_display(display, m.key)};
}

PolicyNode PolicyNode::element(std::size_t i) const {
  return {&json->elements.at(i), k_npos, element_display(display, i)};
}

PolicyReader::PolicyReader(std::string_view text, const std::string& source, const JsonNode& root)
    : m_text(text),
      m_source(source),
      m_lines(text),
      m_root{&root, k_npos, ""},
      m_compiled(std::make_shared<CompiledPolicy>()) {}

std::pair<Policy, std::shared_ptr<const CompiledPolicy>> PolicyReader::read() {
  m_policy.source = m_source;
  check_document(*m_root.json, m_root.display);
  if (!m_root.json->is(JsonType::object)) {
    fail_value(m_root, fmt::format("expected an object, found {}", detail::describe(m_root.json->type)));
  }
  std::vector<std::string_view> keys;
  for (const auto& section : sections()) keys.push_back(section.key);
  check_keys(m_root, keys);
  // Sections are read in the table's order, whatever their order in the
  // file: metric overrides first (limits are checked against them), then
  // the defaults (rules are checked against the primary metric).
  for (const auto& section : sections()) {
    if (m_root.has(section.key)) (this->*section.read)(m_root.child(section.key));
  }
  return {std::move(m_policy), std::move(m_compiled)};
}

// Recursion is bounded by the reader's depth limit, which built the tree.
void PolicyReader::check_document(const JsonNode& node, const std::string& display) const {
  auto refuse_control = [&](std::string_view s, std::size_t offset, const std::string& shown, std::string_view what) {
    std::size_t at = control_at(s);
    if (at == k_npos) return;
    fail_at(offset, shown,
            fmt::format("control character {} in {} — gate.json's keys and strings hold none, escaped or not",
                        escape_for_message(s.substr(at, 1)), what));
  };
  switch (node.type) {
    case JsonType::object: {
      std::unordered_set<std::string_view> seen;
      for (const JsonMember& m : node.members) {
        std::string shown = child_display(display, m.key);
        refuse_control(m.key, m.key_offset, shown, "a key");
        if (!seen.insert(m.key).second) {
          fail_at(m.key_offset, shown, "duplicate key — each key may appear once in an object");
        }
        check_document(m.value, shown);
      }
      return;
    }
    case JsonType::array:
      for (std::size_t i = 0; i < node.elements.size(); ++i) {
        check_document(node.elements[i], element_display(display, i));
      }
      return;
    case JsonType::string: refuse_control(node.text, node.offset, display, "a string"); return;
    default: return;
  }
}

// --- errors -------------------------------------------------------------------

std::string PolicyReader::location(std::size_t offset) const {
  return fmt::format("{}:{}", m_source, to_string(m_lines.locate(offset)));
}

void PolicyReader::fail_at(std::size_t offset, const std::string& display, std::string_view what) const {
  if (display.empty()) throw Error(escape_for_message(fmt::format("{}: {}", location(offset), what)));
  throw Error(escape_for_message(fmt::format("{}: {}: {}", location(offset), display, what)));
}

void PolicyReader::fail_value(const PolicyNode& n, std::string_view what) const {
  fail_at(n.json->offset, n.display, what);
}

void PolicyReader::fail_key(const PolicyNode& n, std::string_view what) const {
  fail_at(n.key_offset != k_npos ? n.key_offset : n.json->offset, n.display, what);
}

// --- types --------------------------------------------------------------------

void PolicyReader::expect_object(const PolicyNode& n) const {
  if (!n.json->is(JsonType::object)) fail_value(n, fmt::format("expected an object, found {}", detail::describe(n.json->type)));
}

void PolicyReader::expect_array(const PolicyNode& n) const {
  if (!n.json->is(JsonType::array)) fail_value(n, fmt::format("expected an array, found {}", detail::describe(n.json->type)));
}

std::string PolicyReader::string_of(const PolicyNode& n, std::string_view example) const {
  if (!n.json->is(JsonType::string)) {
    fail_value(n, fmt::format("expected a string such as {}, found {}", example, detail::describe(n.json->type)));
  }
  return n.json->text;
}

long long PolicyReader::integer_of(const PolicyNode& n, long long min, long long max) const {
  if (!n.json->is(JsonType::number)) {
    fail_value(n, fmt::format("expected a whole number, found {}", detail::describe(n.json->type)));
  }
  const std::string& text = n.json->text;
  if (text.find_first_of(".eE") != k_npos) fail_value(n, fmt::format("expected a whole number, found {}", text));
  long long v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc::result_out_of_range) {
    if (text.starts_with('-')) fail_value(n, fmt::format("{} is too small — at least {}", text, min));
    fail_value(n, fmt::format("{} is out of range — at most {}", text, max));
  }
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    fail_value(n, fmt::format("expected a whole number, found {}", text));
  }
  if (v < min) fail_value(n, fmt::format("{} is too small — at least {}", v, min));
  if (v > max) fail_value(n, fmt::format("{} is out of range — at most {}", v, max));
  return v;
}

double PolicyReader::number_of(const PolicyNode& n, std::string_view example) const {
  if (!n.json->is(JsonType::number)) {
    fail_value(n, fmt::format("expected a number such as {}, found {}", example, detail::describe(n.json->type)));
  }
  const std::string& text = n.json->text;
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  // JsonReader has refused every number a double cannot hold.
  if (ec != std::errc() || ptr != text.data() + text.size()) fail_value(n, "number out of range");
  return v;
}

void PolicyReader::check_keys(const PolicyNode& obj, std::span<const std::string_view> known) const {
  for (const JsonMember& m : obj.json->members) {
    if (std::find(known.begin(), known.end(), m.key) != known.end()) continue;
    std::string expected;
    for (std::string_view k : known) expected += expected.empty() ? std::string(k) : ", " + std::string(k);
    fail_key(obj.member(m), fmt::format("unknown key{} (expected one of: {})", did_you_mean(m.key, known), expected));
  }
}

// --- metrics ------------------------------------------------------------------

bool PolicyReader::known_metric(std::string_view name) const {
  if (m_policy.metrics.find(name) != m_policy.metrics.end()) return true;
  if (name.starts_with("hw_")) return true;
  MetricInfo info = describe_metric(name);
  return !info.unit.empty() || info.kind == MetricKind::deterministic;
}

void PolicyReader::check_metric(const PolicyNode& at, const std::string& name, bool at_key) const {
  if (known_metric(name)) return;
  std::vector<std::string_view> candidates(std::begin(k_common_metrics), std::end(k_common_metrics));
  for (const auto& [declared, unused] : m_policy.metrics) candidates.push_back(declared);
  std::string what = fmt::format("unknown metric '{}'{} (a user counter must be declared under \"metrics\")", name,
                                 did_you_mean(name, candidates));
  if (at_key) fail_key(at, what);
  fail_value(at, what);
}

// --- limits, targets, patterns --------------------------------------------------

Limit PolicyReader::limit_at(const PolicyNode& n, std::string_view example) const {
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

Limit PolicyReader::metric_limit_at(const PolicyNode& n, const std::string& metric) const {
  Limit limit = limit_at(n);
  if (auto why = limit_misfit(limit, metric, describe(metric)); !why.empty()) fail_value(n, why);
  return limit;
}

Limit PolicyReader::size_limit_at(const PolicyNode& n) const {
  Limit limit = limit_at(n, "'+10% or +5MB'");
  if (limit.absolute && !fits(limit.absolute_dimension, "B")) {
    fail_value(n,
               fmt::format("'{}' is {}, but a size is in bytes", limit.text, dimension_phrase(limit.absolute_dimension)));
  }
  return limit;
}

Glob PolicyReader::glob_at(const PolicyNode& n, std::string_view example) const {
  std::string pattern = string_of(n, example);
  if (pattern.empty()) fail_value(n, "empty pattern — use \"*\" to match everything");
  try {
    return Glob(pattern);
  } catch (const Error& e) {
    fail_value(n, fmt::format("bad pattern '{}': {}", pattern, e.what()));
  }
}

}  // namespace detail

// --- entry points -----------------------------------------------------------------

Policy parse_policy(std::string_view text, const std::string& source) {
  if (text.size() > k_max_policy_bytes) {
    throw Error(detail::escape_for_message(fmt::format("{}:1:1: a policy of {} bytes — larger than the {} MiB any "
                                                       "gate.json may have",
                                                       source, text.size(), k_max_policy_bytes >> 20)));
  }
  detail::JsonReader reader(text, source,
                            {.allow_non_finite = false,
                             .max_depth = 64,
                             .allow_comments = true,
                             .allow_byte_order_mark = true,
                             .error_label = "invalid JSON"});
  if (reader.at_end()) {
    reader.fail_at(reader.value_offset(), "invalid JSON: no value — a policy is an object, '{}' at the least");
  }
  detail::JsonNode root = detail::read_json_tree(reader);
  auto [policy, compiled] = detail::PolicyReader(text, source, root).read();
  policy.m_compiled = std::move(compiled);
  return policy;
}

Policy load_policy(const std::filesystem::path& path) {
  auto fail = [&](std::string_view why) -> Error {
    return Error(detail::escape_for_message(fmt::format("reading policy '{}': {}", path.string(), why)));
  };
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) throw fail("no such file");
  if (status.type() == std::filesystem::file_type::directory) throw fail("it is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fail("cannot open the file");
  // Read at most one chunk past what a policy may have: a device or a pipe
  // that never ends is refused instead of filling the memory.
  std::string content;
  char chunk[65536];
  while (content.size() <= k_max_policy_bytes && in.read(chunk, sizeof chunk).gcount() > 0) {
    content.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw fail("read error");
  return parse_policy(content, path.string());
}

}  // namespace gate
