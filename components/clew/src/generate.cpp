// components/clew/src/generate.cpp — deterministic Python-like modules.
#include "clew/generate.hpp"

#include <array>

namespace perfgate::clew {
namespace {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : m_state(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& options) {
    return options[static_cast<std::size_t>(next() % N)];
  }

 private:
  std::uint64_t m_state;
};

constexpr std::array<const char*, 8> k_types = {"int",       "str",  "float",          "bool",
                                                "list[int]", "bytes", "dict[str, int]", "Optional[str]"};
constexpr std::array<const char*, 6> k_errors = {"ValueError",   "KeyError", "TypeError",
                                                 "RuntimeError", "OSError",  "LookupError"};
constexpr std::array<const char*, 6> k_modules = {"os", "sys", "json", "logging", "pathlib", "itertools"};
constexpr std::array<const char*, 5> k_params = {"path", "count", "name", "items", "limit"};
constexpr std::array<const char*, 4> k_decorators = {"staticmethod", "cache", "retry(3)", "property"};

void small_function(std::string& out, std::size_t n, Rng& rng) {
  out += "def f" + std::to_string(n) + "(x: " + rng.pick(k_types) + ") -> int:\n    return 0\n";
}

void function(std::string& out, std::size_t n, Rng& rng) {
  const std::string name = "process_" + std::to_string(n);
  const char* p1 = rng.pick(k_params);
  out += "\n\ndef " + name + "(" + p1 + ": " + rng.pick(k_types) + ", flag: bool = False) -> " + rng.pick(k_types) +
         ":\n";
  out += "    \"\"\"Processes " + std::string(p1) + " and returns the result.\"\"\"\n";
  out += "    assert " + std::string(p1) + " is not None, \"missing input\"\n";
  out += "    try:\n        result = helper_" + std::to_string(n % 17) + "(" + p1 + ")  # may fail\n";
  out += "    except (" + std::string(rng.pick(k_errors)) + ", " + rng.pick(k_errors) + ") as exc:\n";
  out += "        raise " + std::string(rng.pick(k_errors)) + "(\"cannot process\") from exc\n";
  if (rng.next() % 8 == 0) {
    out += "    if flag:\n        result = eval(str(result))\n";
  }
  out += "    return result\n";
}

void klass(std::string& out, std::size_t n, Rng& rng) {
  const std::string name = "Handler" + std::to_string(n);
  out += "\n\nclass " + name + "(Base" + std::to_string(n % 5) + "):\n";
  out += "    \"\"\"\n    A handler with a limit and a value.\n    \"\"\"\n";
  out += "    limit: int = " + std::to_string(n % 100) + "\n\n";
  out += "    @" + std::string(rng.pick(k_decorators)) + "\n";
  out += "    def value(self) -> " + std::string(rng.pick(k_types)) + ":\n        return self._value\n\n";
  out += "    def update(\n        self,\n        item: " + std::string(rng.pick(k_types)) +
         ",\n        *,\n        force: bool = False,\n    ) -> None:\n";
  out += "        if force and item is None:\n            raise " + std::string(rng.pick(k_errors)) + "(item)\n";
  out += "        self._value = item\n";
}

}  // namespace

std::string generate_source(std::size_t approx_bytes, std::uint64_t seed) {
  Rng rng(seed);
  std::string out = "import " + std::string(rng.pick(k_modules)) + "\n";
  if (out.size() < approx_bytes) {
    small_function(out, 0, rng);
  }
  if (out.size() < approx_bytes) {
    out += "from typing import Optional, List\nimport " + std::string(rng.pick(k_modules)) + ", " +
           rng.pick(k_modules) + "\n";
  }
  for (std::size_t n = 1; out.size() < approx_bytes; ++n) {
    if (n % 3 == 0) {
      klass(out, n, rng);
    } else {
      function(out, n, rng);
    }
  }
  return out;
}

}  // namespace perfgate::clew
