// tests/test_support.hpp — what the tests share: fixture paths, temporary
// directories, and running the built `gate` binary as a user would.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gate::test {

/// tests/data/<name> (from GATE_TEST_DATA, set by CTest).
std::filesystem::path data(const std::string& name);

/// The whole file as text; throws std::runtime_error if it cannot be read.
std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);

/// A fresh directory under the system's temporary directory, removed with
/// everything in it when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
  [[nodiscard]] std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

 private:
  std::filesystem::path m_path;
};

struct RunResult {
  int exit_code = -1;  ///< the process's exit status, or 128+signal
  std::string out;
  std::string err;
  [[nodiscard]] std::string first_err_line() const;
};

/// Runs a program with arguments (no shell), in `cwd` when given, with extra
/// environment entries "NAME=value"; captures stdout and stderr.
RunResult run(const std::vector<std::string>& argv, const std::filesystem::path& cwd = {},
              const std::vector<std::string>& env = {});

/// Runs the built gate binary (GATE_BIN) with the given arguments.
RunResult run_gate(const std::vector<std::string>& args, const std::filesystem::path& cwd = {},
                   const std::vector<std::string>& env = {});

}  // namespace gate::test
