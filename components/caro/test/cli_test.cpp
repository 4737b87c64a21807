// components/caro/test/cli_test.cpp — the `caro` program as a user runs it:
// the request from arguments or standard input, the command on standard
// output, and the exit status and first line of standard error for a
// refusal, a request without a command and a usage error.
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct Run {
  int status = -1;  // the exit status; -1 when it did not exit normally
  std::string out;
  std::string err;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs the built caro with `args`, `input` on its standard input (a file, so
// that it is not a terminal) and both outputs captured in files.
Run run_caro(const std::vector<std::string>& args, const std::string& input = "") {
  const fs::path dir = fs::temp_directory_path() / ("caro_cli_test." + std::to_string(getpid()));
  fs::create_directories(dir);
  {
    std::ofstream(dir / "in", std::ios::binary) << input;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, (dir / "in").c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, (dir / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, (dir / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> storage = {CARO_BIN};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : storage) {
    argv.push_back(s.data());
  }
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, CARO_BIN, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  BOOST_TEST_REQUIRE(rc == 0, "posix_spawn " << CARO_BIN << ": " << rc);
  int status = 0;
  BOOST_TEST_REQUIRE(waitpid(pid, &status, 0) == pid);
  Run r;
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(dir / "out");
  r.err = read_file(dir / "err");
  fs::remove_all(dir);
  return r;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

BOOST_AUTO_TEST_SUITE(cli)

BOOST_AUTO_TEST_CASE(a_request_in_arguments_prints_its_command) {
  const Run r = run_caro({"show", "the", "5", "largest", "files"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out == "find . -type f -printf '%s\\t%p\\n' | sort -nr | head -n 5\n");
  BOOST_TEST(r.err.empty());
  BOOST_TEST(run_caro({"list files"}).out == "ls -la\n");
}

BOOST_AUTO_TEST_CASE(a_request_on_standard_input_is_one_line) {
  const Run r = run_caro({}, "find all\nlog files\n");
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out == "find . -type f -name '*.log'\n");
  // "--" ends the options: what follows is the request, or nothing.
  BOOST_TEST(run_caro({"--"}, "  git status \n").out == "git status\n");
}

BOOST_AUTO_TEST_CASE(a_dangerous_command_is_refused_with_status_1) {
  const Run r = run_caro({"delete", "empty", "directories", "in", "/"});
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(first_line(r.err) ==
             "caro: refused: 'find / -type d -empty -delete' is critical: find deleting from the root, a system "
             "or a home directory (rule find-delete-root)");
}

BOOST_AUTO_TEST_CASE(a_request_without_a_command_exits_3) {
  const Run r = run_caro({"write a haiku about autumn"});
  BOOST_TEST(r.status == 3);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(first_line(r.err).starts_with("caro: no command for this request ("));
  // An option-like request after "--" is a request, not an option.
  BOOST_TEST(run_caro({"--", "--help"}).status == 3);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2_with_one_line) {
  Run r = run_caro({"--bogus", "list", "files"});
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err == "caro: error: unknown option '--bogus' (see caro --help)\n");
  r = run_caro({}, " \n\t\n");
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err == "caro: error: the request is empty (see caro --help)\n");
  r = run_caro({"--help"});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(first_line(r.out) == "usage: caro REQUEST...");
}

BOOST_AUTO_TEST_SUITE_END()
