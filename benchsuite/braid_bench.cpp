// benchsuite/braid_bench.cpp — braid: IR compilation and conflict detection by
// constraint count (guide target: compilation < 50 ms at 50 constraints), the
// canonical bytes maze hashes, and validating generated code token by token
// (guide target: < 50 µs per token).
#include <string>

#include "braid/compile.hpp"
#include "braid/generate.hpp"
#include "braid/ir.hpp"
#include "braid/token_validator.hpp"
#include "braid/tokens.hpp"
#include "clew/extract.hpp"
#include "clew/generate.hpp"
#include "perfgate/harness.hpp"

namespace {

using perfgate::braid::compile;
using perfgate::braid::detect_conflicts;
using perfgate::braid::generate_constraints;

constexpr std::uint64_t k_seed = 42;

// The guide's constraint counts, and 100 and 500 to make the growth visible.
void constraint_counts(benchmark::internal::Benchmark* b) {
  for (int n : {1, 5, 10, 25, 50, 100, 500}) {
    b->Arg(n);
  }
}

// The whole compilation: ids, dependency graph, topological order, conflicts.
// The input is copied each iteration because compile() takes it by value.
void BM_BraidCompile(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto constraints = generate_constraints(n, k_seed);
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      auto ir = compile(constraints);
      benchmark::DoNotOptimize(ir.order.data());
    }
  }
  state.SetComplexityN(state.range(0));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BraidCompile)->Apply(constraint_counts)->Complexity();

// Conflict detection alone: the part the guide found quadratic. With
// GATE_INJECT=pairwise_conflicts the fit turns from N lg N to N².
void BM_BraidConflicts(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto constraints = generate_constraints(n, k_seed);
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      auto conflicts = detect_conflicts(constraints);
      benchmark::DoNotOptimize(conflicts.data());
    }
  }
  state.SetComplexityN(state.range(0));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BraidConflicts)->Apply(constraint_counts)->Complexity();

// The canonical bytes of a compiled IR: what maze hashes for every lookup.
void BM_BraidCanonical(benchmark::State& state) {
  const auto ir = compile(generate_constraints(static_cast<std::size_t>(state.range(0)), k_seed));
  std::size_t bytes = 0;
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      auto out = perfgate::braid::canonical(ir);
      bytes = out.size();
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_BraidCanonical)->Arg(50)->Arg(500);

// Constraint validation on the inference path, one token per iteration: the
// tokens of a generated module (clew's generator, cut as a code model's
// tokenizer cuts it, about 3 bytes a token), each checked against the
// constraints clew extracts from that module — signatures, annotations,
// imports and bases, which it meets, and its "!eval" prohibitions, which it
// breaks where it calls eval (those tokens are refused and skipped, as a
// decoder that samples again would skip them). At the end of the module the
// validator starts a new file. medium: a 5 KB module (~80 constraints
// checked); large: 500 KB (~8,000): the cost per token must not grow with the
// constraint set. Counters per module: tokens, refused, constraints checked.
constexpr std::uint64_t k_module_seed = 46;  // its 5 KB module calls eval twice

void BM_BraidValidateToken(benchmark::State& state, std::size_t source_bytes) {
  const std::string source = perfgate::clew::generate_source(source_bytes, k_module_seed);
  const auto tokens = perfgate::braid::split_tokens(source);
  perfgate::braid::TokenValidator validator(compile(perfgate::clew::extract(source, "generated.py")));
  // One pass before the loop: the validator's storage grows to the module's
  // size outside the measured region.
  std::size_t refused = 0;
  for (const std::string_view t : tokens) {
    refused += validator.feed(t).accepted ? 0 : 1;
  }
  validator.reset();
  std::size_t i = 0;
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      auto verdict = validator.feed(tokens[i]);
      benchmark::DoNotOptimize(verdict);
      if (++i == tokens.size()) {
        i = 0;
        validator.reset();
      }
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["tokens"] = static_cast<double>(tokens.size());
  state.counters["refused"] = static_cast<double>(refused);
  state.counters["constraints"] = static_cast<double>(validator.checked_constraints());
}
BENCHMARK_CAPTURE(BM_BraidValidateToken, medium, std::size_t{5000});
BENCHMARK_CAPTURE(BM_BraidValidateToken, large, std::size_t{500000});

}  // namespace

PERFGATE_BENCHMARK_MAIN()
