// gate/src/model/names.cpp — the naming rules for suites, runners and
// baseline files.
#include "gate/model/names.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "gate/error.hpp"

namespace gate {
namespace {

constexpr std::string_view k_json_suffix = ".json";

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A name in a message: printable ASCII as is, anything else as \xNN, cut at
// a length that keeps the message on one readable line.
std::string shown(std::string_view name, std::size_t max) {
  std::string out;
  for (char c : name.substr(0, max)) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || c == '\'') {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  if (name.size() > max) out += "...";
  return "'" + out + "'";
}

std::string describe_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return u >= 0x20 && u < 0x7f ? fmt::format("'{}'", c) : fmt::format("byte 0x{:02x}", u);
}

}  // namespace

std::optional<std::string> benchmark_name_problem(std::string_view name) {
  if (name.empty()) return "it is empty";
  if (name.size() > k_max_name_bytes) {
    return fmt::format("it has {} bytes, more than {}", name.size(), k_max_name_bytes);
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto u = static_cast<unsigned char>(name[i]);
    if (u < 0x20 || u == 0x7f) return fmt::format("it contains the control character {}", describe_char(name[i]));
    // C1 controls are U+0080..U+009F, in UTF-8 0xC2 0x80..0x9F.
    if (u == 0xc2 && i + 1 < name.size()) {
      auto next = static_cast<unsigned char>(name[i + 1]);
      if (next >= 0x80 && next <= 0x9f) return fmt::format("it contains the control character U+{:04X}", next);
    }
  }
  return std::nullopt;
}

std::optional<std::string> suite_name_problem(std::string_view name) {
  if (name.empty()) return "it is empty";
  if (name.size() > k_max_suite_name) return fmt::format("it has {} characters, more than {}", name.size(), k_max_suite_name);
  for (char c : name) {
    if (!is_alnum(c) && c != '.' && c != '_' && c != '-') return fmt::format("it contains {}", describe_char(c));
  }
  if (!is_alnum(name.front())) return "it must start with a letter or digit";
  static constexpr std::array<std::string_view, 3> reserved = {"runner", "noise", "gate"};
  const std::string lower = lowercase(name);
  for (auto r : reserved) {
    if (lower == r) return fmt::format("'{}' is reserved: baselines/<runner>/{}.json is not a suite's file", r, r);
  }
  return std::nullopt;
}

std::string baseline_file_name(std::string_view suite) {
  if (auto why = suite_name_problem(suite)) {
    throw Error(fmt::format("suite name {} is not allowed: {} (it names the baseline file; use 1 to {} characters "
                            "from A-Z a-z 0-9 . _ -, starting with a letter or digit)",
                            shown(suite, 80), *why, k_max_suite_name));
  }
  return std::string(suite) + std::string(k_json_suffix);
}

std::optional<std::string> suite_of_baseline_file(std::string_view name) {
  if (name.size() <= k_json_suffix.size() || !name.ends_with(k_json_suffix)) return std::nullopt;
  std::string_view stem = name.substr(0, name.size() - k_json_suffix.size());
  if (suite_name_problem(stem)) return std::nullopt;
  return std::string(stem);
}

bool is_valid_baseline_file_name(std::string_view name) {
  return name == k_runner_file || name == k_noise_file || suite_of_baseline_file(name).has_value();
}

std::optional<std::string> runner_id_problem(std::string_view id) {
  if (id.empty()) return "it is empty";
  if (id.size() > k_max_runner_id) return fmt::format("it has {} characters", id.size());
  for (char c : id) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!allowed) return fmt::format("it contains {}", describe_char(c));
  }
  if (id.front() == '.') return "it starts with '.'";
  return std::nullopt;
}

std::string sanitize_runner_id(std::string_view id) {
  if (auto why = runner_id_problem(id)) {
    throw Error(fmt::format("runner id {} is not allowed: {} (use 1 to {} characters from a-z 0-9 . _ -, "
                            "not starting with '.')",
                            shown(id, k_max_runner_id), *why, k_max_runner_id));
  }
  return std::string(id);
}

}  // namespace gate
