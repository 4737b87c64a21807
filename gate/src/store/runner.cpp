// gate/src/store/runner.cpp — runner identity: fingerprint from /proc, /sys and
// /etc/os-release, the derived id, id validation, runner.json.
#include "gate/store/runner.hpp"

#include <fmt/core.h>
#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gate/error.hpp"
#include "gate/model/names.hpp"

namespace gate {
namespace {

constexpr std::size_t k_max_id_length = k_max_runner_id;
// Budgets of the readable parts of a derived id: 28 + "-" + "256c" + "-" + 16
// + "-" + 8 hex stays within k_max_id_length.
constexpr std::size_t k_max_cpu_slug = 28;
constexpr std::size_t k_max_os_slug = 16;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string trim(std::string_view s) {
  auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  auto end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

// Runs of whitespace become one space, so that a model name padded by the
// kernel compares equal to itself on another boot.
std::string collapse_spaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : trim(s)) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

struct CpuInfo {
  std::string model;
  int processors = 0;
};

CpuInfo read_cpuinfo(const std::filesystem::path& file) {
  CpuInfo info;
  std::map<std::string, std::string> first;  // first value of each key
  std::istringstream in(read_text(file));
  for (std::string line; std::getline(in, line);) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = trim(std::string_view(line).substr(0, colon));
    std::string value = collapse_spaces(std::string_view(line).substr(colon + 1));
    if (key == "processor") ++info.processors;
    first.emplace(key, value);
  }
  // x86 says "model name"; other architectures name the part differently.
  for (const char* key : {"model name", "Model", "Hardware", "cpu model", "uarch", "cpu"}) {
    auto it = first.find(key);
    if (it != first.end() && !it->second.empty()) {
      info.model = it->second;
      return info;
    }
  }
  auto implementer = first.find("CPU implementer");
  auto part = first.find("CPU part");
  if (implementer != first.end() && part != first.end()) {
    info.model = fmt::format("arm implementer {} part {}", implementer->second, part->second);
  }
  return info;
}

// "L1d:48K L1i:64K L2:2048K L3:491520K", in index order.
std::string read_caches(const std::filesystem::path& dir) {
  std::vector<std::pair<int, std::string>> caches;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("index", 0) != 0) continue;
    std::string digits = name.substr(5);
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    std::string level = trim(read_text(entry.path() / "level"));
    std::string type = trim(read_text(entry.path() / "type"));
    std::string size = trim(read_text(entry.path() / "size"));
    if (level.empty() || size.empty()) continue;
    std::string suffix = type == "Data" ? "d" : type == "Instruction" ? "i" : "";
    caches.emplace_back(std::atoi(digits.c_str()), fmt::format("L{}{}:{}", level, suffix, size));
  }
  std::sort(caches.begin(), caches.end());
  std::string out;
  for (const auto& [index, text] : caches) {
    if (!out.empty()) out += ' ';
    out += text;
  }
  return out;
}

std::string unquote_os_release(std::string_view value) {
  std::string v = trim(value);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    v = v.substr(1, v.size() - 2);
  }
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) ++i;
    out += v[i];
  }
  return out;
}

// "debian 12"; os-release(5) says to fall back to /usr/lib/os-release.
std::string read_os(const std::filesystem::path& root) {
  std::string text = read_text(root / "etc/os-release");
  if (text.empty()) text = read_text(root / "usr/lib/os-release");
  std::string id;
  std::string version;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = trim(std::string_view(line).substr(0, eq));
    if (key == "ID") id = unquote_os_release(std::string_view(line).substr(eq + 1));
    if (key == "VERSION_ID") version = unquote_os_release(std::string_view(line).substr(eq + 1));
  }
  if (id.empty()) return {};
  return version.empty() ? id : id + " " + version;
}

// "Linux 6.1": the patch level and distribution suffix change with every
// security update and say nothing about the speed of user code.
std::string kernel_family(const utsname& u) {
  std::string_view release = u.release;
  std::size_t dots = 0;
  std::size_t end = 0;
  while (end < release.size()) {
    char c = release[end];
    if (c == '.') {
      if (++dots == 2) break;
    } else if (c < '0' || c > '9') {
      break;
    }
    ++end;
  }
  return fmt::format("{} {}", u.sysname, release.substr(0, end));
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Lowercase words of [a-z0-9] joined by '-', within `budget` characters.
std::string slug(std::string_view text, std::size_t budget, const std::vector<std::string_view>& drop) {
  std::string out;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    if (std::find(drop.begin(), drop.end(), word) == drop.end()) {
      std::size_t needed = word.size() + (out.empty() ? 0 : 1);
      if (out.size() + needed <= budget) {
        if (!out.empty()) out += '-';
        out += word;
      } else if (out.empty()) {
        out = word.substr(0, budget);
      } else {
        budget = out.size();  // full: later words are dropped too
      }
    }
    word.clear();
  };
  for (char c : lower(text)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

std::string cpu_slug(std::string_view model) {
  std::string m = lower(model);
  for (std::string_view mark : {"(r)", "(tm)", "(c)"}) {
    for (auto pos = m.find(mark); pos != std::string::npos; pos = m.find(mark)) m.erase(pos, mark.size());
  }
  // "... CPU @ 2.90GHz": the nominal clock is in the full model, which the
  // hash covers; the readable part stays short.
  if (auto at = m.find('@'); at != std::string::npos) m.erase(at);
  std::string s = slug(m, k_max_cpu_slug, {"cpu", "processor"});
  return s.empty() ? "cpu" : s;
}

}  // namespace

Runner detect_runner(const std::map<std::string, std::string>& benchmark_context, const std::filesystem::path& root) {
  Runner runner;
  auto& fp = runner.fingerprint;

  utsname u{};
  if (uname(&u) == 0) {
    fp["arch"] = u.machine;
    fp["kernel"] = kernel_family(u);
  }
  CpuInfo cpu = read_cpuinfo(root / "proc/cpuinfo");
  if (!cpu.model.empty()) fp["cpu_model"] = cpu.model;
  int cores = cpu.processors;
  if (cores == 0) cores = static_cast<int>(sysconf(_SC_NPROCESSORS_CONF));
  if (cores > 0) fp["logical_cores"] = std::to_string(cores);
  if (std::string caches = read_caches(root / "sys/devices/system/cpu/cpu0/cache"); !caches.empty()) {
    fp["caches"] = caches;
  }
  if (std::string os = read_os(root); !os.empty()) fp["os"] = os;
  // Only these two context keys describe the code under test; everything
  // else Google Benchmark puts there (date, host_name, mhz_per_cpu,
  // load_avg, library_build_type) is volatile or misleading.
  for (const char* key : {"compiler", "build_type"}) {
    auto it = benchmark_context.find(key);
    if (it != benchmark_context.end() && !it->second.empty()) fp[key] = collapse_spaces(it->second);
  }

  runner.id = derive_runner_id(fp);
  return runner;
}

std::string derive_runner_id(const std::map<std::string, std::string>& fingerprint) {
  // The machine alone names the runner. The compiler and build type are
  // known only to suites built with the harness: were they hashed, a suite
  // that adopts the harness would move its baselines to another directory,
  // and `gate runner` could not say which id a run will record.
  std::string canonical;
  for (const auto& [key, value] : fingerprint) {
    if (is_build_field(key)) continue;
    canonical += key + "=" + value + "\n";
  }
  auto hash = static_cast<std::uint32_t>(XXH3_64bits(canonical.data(), canonical.size()) & 0xffffffffU);

  auto get = [&](const char* key) {
    auto it = fingerprint.find(key);
    return it == fingerprint.end() ? std::string() : it->second;
  };
  std::string id = cpu_slug(get("cpu_model"));
  std::string cores = get("logical_cores");
  if (!cores.empty() && cores.size() <= 4 && std::all_of(cores.begin(), cores.end(), [](char c) {
        return c >= '0' && c <= '9';
      })) {
    id += "-" + cores + "c";
  }
  std::string os = slug(get("os"), k_max_os_slug, {});
  os.erase(std::remove(os.begin(), os.end(), '-'), os.end());  // "debian 12" → "debian12"
  id += "-" + (os.empty() ? std::string("os") : os);
  id += fmt::format("-{:08x}", hash);
  return id;
}

std::optional<std::pair<std::string, RunnerIdSource>> given_runner_id(const std::optional<std::string>& flag) {
  if (flag) return std::pair{sanitize_runner_id(*flag), RunnerIdSource::flag};
  if (const char* env = std::getenv("GATE_RUNNER"); env != nullptr && *env != '\0') {
    return std::pair{sanitize_runner_id(env), RunnerIdSource::environment};
  }
  return std::nullopt;
}

Runner resolve_runner(const std::optional<std::string>& flag,
                      const std::map<std::string, std::string>& benchmark_context) {
  Runner runner = detect_runner(benchmark_context);
  if (auto given = given_runner_id(flag)) runner.id = given->first;
  return runner;
}

Runner contender_runner(const RunBundle& contender, const std::optional<std::string>& flag) {
  if (contender.runner.id.empty()) {
    std::map<std::string, std::string> context;
    if (!contender.suites.empty()) context = contender.suites.front().context;
    return resolve_runner(flag, context);
  }
  Runner r = contender.runner;
  if (auto given = given_runner_id(flag)) r.id = given->first;
  return r;
}

bool is_build_field(std::string_view key) { return key == "compiler" || key == "build_type"; }

std::vector<std::string> check_runner_match(const Runner& contender, const Runner& baseline, bool allow) {
  if (baseline.fingerprint.empty() || contender.fingerprint.empty()) return {};
  auto diff = fingerprint_differences(contender, baseline);
  // A build field that one side does not know (a plain Google Benchmark
  // suite records neither) is unknown, not different: the first run after a
  // suite adopts the harness is judged against the baselines recorded before.
  std::erase_if(diff, [&](const std::string& field) {
    return is_build_field(field) && (!contender.fingerprint.contains(field) || !baseline.fingerprint.contains(field));
  });
  if (diff.empty() || allow) return diff;
  std::vector<std::string> details;
  for (const auto& field : diff) {
    auto value = [&](const Runner& r) {
      auto it = r.fingerprint.find(field);
      return it == r.fingerprint.end() ? std::string("(absent)") : "'" + it->second + "'";
    };
    details.push_back(fmt::format("{}: {} here, {} in the baseline", field, value(contender), value(baseline)));
  }
  throw Error(fmt::format("runner mismatch: the contender was not measured on runner '{}' ({}) — judge it against "
                          "its own runner's baselines, or pass --allow-runner-mismatch to compare anyway",
                          baseline.id, fmt::join(details, "; ")));
}

std::vector<std::string> fingerprint_differences(const Runner& a, const Runner& b) {
  std::vector<std::string> out;
  for (const auto& [key, value] : a.fingerprint) {
    auto it = b.fingerprint.find(key);
    if (it == b.fingerprint.end() || it->second != value) out.push_back(key);
  }
  for (const auto& [key, value] : b.fingerprint) {
    if (!a.fingerprint.contains(key)) out.push_back(key);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace gate
