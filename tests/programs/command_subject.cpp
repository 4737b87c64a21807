// tests/programs/command_subject.cpp — a small command for the tests of the
// policy's "commands": it sleeps, checks its stdin, counts its runs and
// exits with the status it is told.
//   --exit N            exit with status N (default 0)
//   --sleep-ms M        sleep M milliseconds first
//   --expect-stdin T    exit 5 unless the first line of stdin is T
//   --counter F --fail-after K
//                       count runs in file F; from run K+1 on, exit 4
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>

int main(int argc, char** argv) {
  int status = 0;
  std::string counter;
  long fail_after = -1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--exit") {
      status = std::atoi(value.c_str());
    } else if (flag == "--sleep-ms") {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::atol(value.c_str())));
    } else if (flag == "--expect-stdin") {
      std::string line;
      std::getline(std::cin, line);
      if (line != value) {
        std::cerr << "command_subject: stdin was '" << line << "', expected '" << value << "'\n";
        return 5;
      }
    } else if (flag == "--counter") {
      counter = value;
    } else if (flag == "--fail-after") {
      fail_after = std::atol(value.c_str());
    }
  }
  if (!counter.empty()) {
    long runs = 0;
    std::ifstream(counter) >> runs;
    std::ofstream(counter, std::ios::trunc) << ++runs;
    if (fail_after >= 0 && runs > fail_after) {
      std::cerr << "command_subject: run " << runs << " fails\n";
      return 4;
    }
  }
  return status;
}
