// gate/src/workflow/merge.cpp — results files merged into one bundle.
#include "gate/workflow/merge.hpp"

#include <fmt/core.h>
#include <fmt/format.h>

#include <map>
#include <string>

#include "gate/error.hpp"
#include "gate/store/runner.hpp"

namespace gate {

RunBundle merge_results(const std::vector<RunBundle>& parts) {
  RunBundle out;
  std::map<std::string, std::string> suite_source;
  std::vector<std::string> sources;
  for (const auto& part : parts) {
    sources.push_back(part.source);
    if (out.runner.id.empty() && !part.runner.id.empty()) {
      out.runner = part.runner;
    } else if (!part.runner.id.empty()) {
      auto diff = fingerprint_differences(out.runner, part.runner);
      if (out.runner.id != part.runner.id || !diff.empty()) {
        throw Error(fmt::format("merging '{}': measured on runner '{}', the others on '{}'{}", part.source,
                                part.runner.id, out.runner.id,
                                diff.empty() ? "" : fmt::format(" (differs in {})", fmt::join(diff, ", "))));
      }
    }
    if (out.commit.empty()) out.commit = part.commit;
    if (out.ref.empty()) out.ref = part.ref;
    if (out.time.empty()) out.time = part.time;
    for (const auto& suite : part.suites) {
      auto [it, inserted] = suite_source.emplace(suite.name, part.source);
      if (!inserted) {
        throw Error(fmt::format("merging '{}': suite '{}' is also in '{}'", part.source, suite.name, it->second));
      }
      out.suites.push_back(suite);
    }
  }
  out.source = sources.size() == 1 ? sources.front() : fmt::format("{}", fmt::join(sources, " + "));
  return out;
}

}  // namespace gate
