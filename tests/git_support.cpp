// tests/git_support.cpp — throwaway git repositories for tests.
#include "git_support.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>

namespace gate::test {

GitEnvironment::GitEnvironment() {
  setenv("HOME", home.path().c_str(), 1);
  setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
  unsetenv("XDG_CONFIG_HOME");
  for (const char* name : {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                           "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CEILING_DIRECTORIES", "GIT_CONFIG_GLOBAL"}) {
    unsetenv(name);
  }
}

std::string git(const std::filesystem::path& cwd, std::vector<std::string> args) {
  args.insert(args.begin(), "/usr/bin/git");
  auto r = run(args, cwd);
  std::string shown;
  for (const auto& a : args) shown += a + " ";
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, shown << "failed: " << r.err);
  while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
  return r.out;
}

void init_repo(const std::filesystem::path& dir, bool identity) {
  std::filesystem::create_directories(dir);
  git(dir, {"init", "-q", "-b", "main"});
  if (identity) {
    git(dir, {"config", "user.name", "Test User"});
    git(dir, {"config", "user.email", "test@example.com"});
  }
}

void commit_all(const std::filesystem::path& dir, const std::string& message) {
  git(dir, {"add", "-A"});
  git(dir, {"commit", "-q", "-m", message});
}

}  // namespace gate::test
