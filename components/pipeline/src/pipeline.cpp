// components/pipeline/src/pipeline.cpp — the stages of one request.
#include "pipeline/pipeline.hpp"

#include <limits>
#include <stdexcept>
#include <utility>

#include "braid/compile.hpp"
#include "braid/token_validator.hpp"

namespace perfgate::pipeline {

Pipeline::Pipeline(std::size_t files, std::size_t grammars) : m_files(files), m_grammars(grammars) {}

Result Pipeline::run(const Request& request) {
  // 1. clew: the constraints of each file, from the cache when the same file
  //    (name and content) was seen before; merged with ids made unique.
  std::vector<braid::Constraint> merged;
  for (const SourceFile& file : request.context) {
    const auto constraints = m_files.extract(file.text, file.name);
    if (constraints->size() > std::numeric_limits<std::uint32_t>::max() - merged.size()) {
      throw std::length_error("merging constraints of '" + file.name + "': more than 2^32 constraints");
    }
    const auto offset = static_cast<std::uint32_t>(merged.size());
    merged.reserve(merged.size() + constraints->size());
    for (const braid::Constraint& c : *constraints) {
      braid::Constraint& copy = merged.emplace_back(c);
      copy.id += offset;
      for (std::uint32_t& dep : copy.depends_on) {
        dep += offset;
      }
    }
  }

  // 2. braid: the IR (order, graph, conflicts).
  Result result;
  result.ir = braid::compile(std::move(merged));

  // 3. maze: the grammar a constrained decoder is driven by, compiled once per IR.
  const std::uint64_t hits_before = m_grammars.stats().hits;
  result.grammar = m_grammars.compile(result.ir);
  result.grammar_cached = m_grammars.stats().hits != hits_before;

  // 4. generation: every token the model emits, checked as it comes.
  braid::TokenValidator validator(result.ir);
  for (std::size_t i = 0; i < request.tokens.size(); ++i) {
    const braid::TokenVerdict verdict = validator.feed(request.tokens[i]);
    if (verdict.accepted) {
      ++result.accepted;
    } else {
      result.rejections.push_back({i, verdict.constraint, verdict.reason});
    }
  }
  return result;
}

}  // namespace perfgate::pipeline
