// benchsuite/braid_bench.cpp — braid: IR compilation and conflict detection by
// constraint count (guide target: compilation < 50 ms at 50 constraints), and
// the canonical bytes maze hashes.
#include "braid/compile.hpp"
#include "braid/generate.hpp"
#include "braid/ir.hpp"
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

}  // namespace

PERFGATE_BENCHMARK_MAIN()
