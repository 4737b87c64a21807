// tests/git_support.hpp — throwaway git repositories for tests, made with the
// git program. Tests never read the checkout's own history.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace gate::test {

/// A private HOME for this process and every git child process (libgit2
/// reads the global configuration from there), with the variables that could
/// point git elsewhere removed. Use it as the module's global fixture:
/// `using gate::test::GitEnvironment; BOOST_TEST_GLOBAL_FIXTURE(GitEnvironment);`
struct GitEnvironment {
  GitEnvironment();
  TempDir home;
};

/// Runs /usr/bin/git in `cwd`; a failure fails the test with git's stderr.
/// Returns stdout without trailing newlines.
std::string git(const std::filesystem::path& cwd, std::vector<std::string> args);

/// `git init -b main` with a local identity (unless `identity` is false).
void init_repo(const std::filesystem::path& dir, bool identity = true);

/// `git add -A && git commit -m message`.
void commit_all(const std::filesystem::path& dir, const std::string& message);

}  // namespace gate::test
