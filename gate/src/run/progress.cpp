// gate/src/run/progress.cpp — `gate run`'s progress on stderr: one live line
// on a terminal, plain lines in CI logs (where a carriage return would leave
// one line per redraw).
#include <fmt/core.h>

#include <string>

#include "gate/run/run.hpp"

namespace gate {
namespace {

std::string human(std::chrono::nanoseconds d) {
  const double s = std::chrono::duration<double>(d).count();
  if (s < 60) return fmt::format("{:.1f} s", s);
  const auto total = static_cast<long long>(s + 0.5);
  if (total < 3600) return fmt::format("{}m {:02}s", total / 60, total % 60);
  return fmt::format("{}h {:02}m", total / 3600, (total % 3600) / 60);
}

std::string first_line(std::string_view text) { return std::string(text.substr(0, text.find('\n'))); }

class ProgressPrinter final : public RunObserver {
 public:
  ProgressPrinter(std::FILE* out, bool live) : m_out(out), m_live(live) {}

  void pass_started(std::size_t index, std::size_t count, std::string_view suite, Pass pass, std::size_t benchmarks,
                    std::optional<std::chrono::nanoseconds> estimate) override {
    m_head = fmt::format("[{}/{}] {} ({})", index + 1, count, suite, to_string(pass));
    m_estimate = estimate;
    m_benchmarks = benchmarks;
    if (m_live) {
      draw(std::chrono::nanoseconds(0));
      return;
    }
    std::string detail;
    if (benchmarks > 0) detail = fmt::format(": {} benchmark{}", benchmarks, benchmarks == 1 ? "" : "s");
    if (estimate) detail += fmt::format(", about {}", human(*estimate));
    fmt::print(m_out, "gate: {} started{}\n", m_head, detail);
    std::fflush(m_out);
  }

  void pass_running(std::chrono::nanoseconds elapsed) override {
    if (m_live) draw(elapsed);
  }

  void pass_finished(std::size_t /*index*/, std::size_t /*count*/, std::string_view /*suite*/, Pass /*pass*/,
                     std::chrono::nanoseconds elapsed, std::string_view failure) override {
    if (m_live) fmt::print(m_out, "\r\033[K");
    if (failure.empty()) {
      fmt::print(m_out, "gate: {} done in {}\n", m_head, human(elapsed));
    } else {
      fmt::print(m_out, "gate: {} FAILED after {}: {}\n", m_head, human(elapsed), first_line(failure));
    }
    m_drawn = false;
    std::fflush(m_out);
  }

  void notice(std::string_view text) override {
    if (m_live && m_drawn) fmt::print(m_out, "\r\033[K");
    fmt::print(m_out, "gate: note: {}\n", text);
    m_drawn = false;
    std::fflush(m_out);
  }

 private:
  void draw(std::chrono::nanoseconds elapsed) {
    std::string line = fmt::format("{}  {}", m_head, human(elapsed));
    if (m_estimate) line += fmt::format(" of ~{}", human(*m_estimate));
    if (m_benchmarks > 0) line += fmt::format("  {} benchmark{}", m_benchmarks, m_benchmarks == 1 ? "" : "s");
    fmt::print(m_out, "\r\033[K{}", line);
    std::fflush(m_out);
    m_drawn = true;
  }

  std::FILE* m_out;
  bool m_live;
  bool m_drawn = false;
  std::string m_head;
  std::optional<std::chrono::nanoseconds> m_estimate;
  std::size_t m_benchmarks = 0;
};

}  // namespace

std::unique_ptr<RunObserver> make_progress_printer(std::FILE* out, bool live) {
  return std::make_unique<ProgressPrinter>(out, live);
}

}  // namespace gate
