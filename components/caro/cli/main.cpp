// components/caro/cli/main.cpp — `caro`: a request in plain words (arguments
// or standard input) in, a validated shell command out.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>

#include "caro/assistant.hpp"

namespace {

constexpr std::string_view k_usage =
    "usage: caro REQUEST...\n"
    "       echo REQUEST | caro\n"
    "\n"
    "Turns a request in plain words into one shell command, checked for safety\n"
    "before it is shown. Prints the command on standard output.\n"
    "\n"
    "exit status:\n"
    "  0  a command (a caution about it goes to standard error)\n"
    "  1  refused: the command for this request would be dangerous\n"
    "  2  usage error, or the command could not be written\n"
    "  3  no command for this request\n";

// Exit statuses, as the usage text says.
constexpr int k_ok = 0;
constexpr int k_refused = 1;
constexpr int k_usage_error = 2;
constexpr int k_no_match = 3;

int usage_error(std::string_view what) {
  std::cerr << "caro: error: " << what << " (see caro --help)\n";
  return k_usage_error;
}

// Line breaks and tabs become spaces: a request piped in is one request.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') {
      c = ' ';
    }
  }
  const auto first = text.find_first_not_of(' ');
  if (first == std::string::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::string request;
  bool options = true;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (options && (arg == "-h" || arg == "--help")) {
      std::cout << k_usage;
      return k_ok;
    }
    if (options && arg == "--") {
      options = false;
      continue;
    }
    if (options && arg.size() > 1 && arg.starts_with('-')) {
      return usage_error("unknown option '" + std::string(arg) + "'");
    }
    if (!request.empty()) {
      request += ' ';
    }
    request += arg;
  }
  if (argc == 1 || (request.empty() && !options)) {
    if (isatty(STDIN_FILENO) != 0) {
      return usage_error("no request: give it as arguments or on standard input");
    }
    request.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  request = one_line(std::move(request));
  if (request.empty()) {
    return usage_error("the request is empty");
  }

  const perfgate::caro::Assistant assistant;
  const perfgate::caro::Answer answer = assistant.answer(request);
  switch (answer.outcome) {
    case perfgate::caro::Outcome::command:
      if (answer.verdict.risk != perfgate::safety::Risk::safe) {
        std::cerr << "caro: caution: " << answer.verdict.reason << " (rule " << answer.verdict.rule << ")\n";
      }
      std::cout << answer.command << '\n';
      std::cout.flush();
      if (!std::cout) {
        std::cerr << "caro: error: writing the command to standard output failed\n";
        return k_usage_error;
      }
      return k_ok;
    case perfgate::caro::Outcome::refused:
      std::cerr << "caro: refused: '" << answer.command << "' is " << to_string(answer.verdict.risk) << ": "
                << answer.verdict.reason << " (rule " << answer.verdict.rule << ")\n";
      return k_refused;
    case perfgate::caro::Outcome::no_match:
      std::cerr << "caro: no command for this request (" << assistant.pattern_count()
                << " patterns known; a request they do not cover needs a model)\n";
      return k_no_match;
  }
  return k_no_match;
}
