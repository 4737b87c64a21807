// gate/src/policy/reader.hpp — the gate.json reader: the document as a located
// tree (formats/json_tree.hpp) into a Policy, every error at its key or value.
// reader.cpp holds the walk and its checks, sections.cpp the meaning of each
// top-level section.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "gate/policy/policy.hpp"
#include "formats/json_tree.hpp"
#include "formats/text_location.hpp"
#include "policy/compiled.hpp"

namespace gate::detail {

/// A value of the document with what messages need: where its key is
/// (npos for the root and array elements: the value's own place is used) and
/// its path as messages show it — top-level keys bare, nested keys quoted,
/// array elements by 0-based index: rules[1]."cpu_time".
struct PolicyNode {
  const JsonNode* json = nullptr;
  std::size_t key_offset = std::string::npos;
  std::string display;

  [[nodiscard]] bool has(std::string_view key) const { return json->find(key) != nullptr; }
  /// The member `key`, which must exist (has() first).
  [[nodiscard]] PolicyNode child(std::string_view key) const;
  [[nodiscard]] PolicyNode member(const JsonMember& m) const;
  [[nodiscard]] PolicyNode element(std::size_t i) const;
};

/// Path of a member as messages show it.
[[nodiscard]] std::string child_display(const std::string& parent, std::string_view key);
/// Path of an array element as messages show it.
[[nodiscard]] std::string element_display(const std::string& parent, std::size_t index);

class PolicyReader {
 public:
  /// `root` is the document read from `text`; both must outlive the reader.
  PolicyReader(std::string_view text, const std::string& source, const JsonNode& root);

  /// The policy, and the rules and size entries that parse_policy attaches
  /// to it (Policy keeps them private).
  std::pair<Policy, std::shared_ptr<const CompiledPolicy>> read();

 private:
  // --- the walk and its checks (reader.cpp) -------------------------------
  /// Duplicate keys and control characters, anywhere in the document,
  /// before any section is read.
  void check_document(const JsonNode& node, const std::string& display) const;

  [[nodiscard]] std::string location(std::size_t offset) const;
  [[nodiscard]] std::string origin(const PolicyNode& n) const { return location(n.json->offset); }
  [[noreturn]] void fail_at(std::size_t offset, const std::string& display, std::string_view what) const;
  [[noreturn]] void fail_value(const PolicyNode& n, std::string_view what) const;
  [[noreturn]] void fail_key(const PolicyNode& n, std::string_view what) const;

  void expect_object(const PolicyNode& n) const;
  void expect_array(const PolicyNode& n) const;
  [[nodiscard]] std::string string_of(const PolicyNode& n, std::string_view example) const;
  [[nodiscard]] long long integer_of(const PolicyNode& n, long long min, long long max) const;
  [[nodiscard]] double number_of(const PolicyNode& n, std::string_view example) const;
  /// Refuses the first key of `obj` that is not in `known`, suggesting the
  /// nearest known one.
  void check_keys(const PolicyNode& obj, std::span<const std::string_view> known) const;

  /// A metric name in a policy must be one the gate knows or one declared
  /// under "metrics": a misspelt "cpu_tme" would otherwise be a limit on a
  /// metric no benchmark reports, and never fail.
  [[nodiscard]] bool known_metric(std::string_view name) const;
  void check_metric(const PolicyNode& at, const std::string& name, bool at_key) const;
  [[nodiscard]] MetricInfo describe(std::string_view metric) const { return m_policy.describe(metric); }

  [[nodiscard]] Limit limit_at(const PolicyNode& n, std::string_view example = "'+10%'") const;
  /// A limit that must fit `metric` (checked here, where the metric is known).
  [[nodiscard]] Limit metric_limit_at(const PolicyNode& n, const std::string& metric) const;
  [[nodiscard]] Limit size_limit_at(const PolicyNode& n) const;
  [[nodiscard]] Glob glob_at(const PolicyNode& n, std::string_view example) const;

  // --- the sections (sections.cpp) ----------------------------------------
  struct Section {
    std::string_view key;
    void (PolicyReader::*read)(const PolicyNode&);
  };
  /// The top-level keys of gate.json, in the order they are read. A new one
  /// is a line here and a reader function; anything not listed is refused,
  /// so typos never pass silently.
  static std::span<const Section> sections();

  void read_version(const PolicyNode& n);
  void read_metrics(const PolicyNode& n);
  void read_defaults(const PolicyNode& n);
  void read_suites(const PolicyNode& n);
  void read_binaries(const PolicyNode& n);
  void read_derived(const PolicyNode& n);
  void read_commands(const PolicyNode& n);
  void read_ab(const PolicyNode& n);
  void read_rules(const PolicyNode& n);
  void read_size(const PolicyNode& n);
  [[nodiscard]] CompiledRule read_rule(const PolicyNode& r);
  void read_rule_key(const PolicyNode& k, const std::string& key, const std::string& primary, CompiledRule& rule);
  /// The "name" of a suite or product binary: it names a baseline file, so
  /// it must be safe as one and unique among both.
  [[nodiscard]] std::string baseline_name(const PolicyNode& entry, std::string_view what, std::string_view example);
  /// The "binary" of a suite or product binary: a path, not empty.
  [[nodiscard]] std::string binary_path(const PolicyNode& entry, std::string_view what, std::string_view example);
  /// A timeout such as "600s" (`example`, unquoted): a positive time.
  [[nodiscard]] std::chrono::nanoseconds timeout_at(const PolicyNode& n, std::string_view example) const;
  [[nodiscard]] double size_max_at(const PolicyNode& n, std::string& text) const;
  [[nodiscard]] SectionBudget section_budget_at(const PolicyNode& s) const;

  std::string_view m_text;
  const std::string& m_source;
  LineIndex m_lines;
  PolicyNode m_root;
  Policy m_policy;
  std::shared_ptr<CompiledPolicy> m_compiled;
};

}  // namespace gate::detail
