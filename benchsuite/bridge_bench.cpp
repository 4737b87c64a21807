// benchsuite/bridge_bench.cpp — bridge: the FFI crossing of the constraint IR
// (guide target: < 1 ms per call), item by item against batched, and string
// marshalling bandwidth.
#include <string>

#include "braid/compile.hpp"
#include "braid/generate.hpp"
#include "bridge/c_api.h"
#include "bridge/marshal.hpp"
#include "perfgate/harness.hpp"

namespace {

using namespace perfgate;

constexpr std::uint64_t k_seed = 99;

braid::Ir make_ir(benchmark::State& state) {
  return braid::compile(braid::generate_constraints(static_cast<std::size_t>(state.range(0)), k_seed));
}

// C++ → C, one allocation per constraint string and list (the guide's "before").
void BM_BridgeToC_Itemwise(benchmark::State& state) {
  const braid::Ir ir = make_ir(state);
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      auto c = bridge::to_c_itemwise(ir);
      benchmark::DoNotOptimize(c.view().constraints);
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BridgeToC_Itemwise)->Arg(50)->Arg(500);

// C++ → C in one block (the guide's batching).
void BM_BridgeToC_Batched(benchmark::State& state) {
  const braid::Ir ir = make_ir(state);
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      auto c = bridge::to_c_batched(ir);
      benchmark::DoNotOptimize(c.view().constraints);
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BridgeToC_Batched)->Arg(50)->Arg(500);

// C → C++ one constraint at a time, each validated and appended on its own.
void BM_BridgeFromC_Itemwise(benchmark::State& state) {
  const braid::Ir ir = make_ir(state);
  const bridge::CIr c = bridge::to_c_batched(ir);
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      std::vector<braid::Constraint> out;
      for (std::size_t i = 0; i < c.view().constraints_len; ++i) {
        out.push_back(bridge::constraint_from_c(c.view().constraints[i]));
      }
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BridgeFromC_Itemwise)->Arg(50)->Arg(500);

// C → C++ for the whole IR: validate once, size once, convert.
void BM_BridgeFromC_Batched(benchmark::State& state) {
  const braid::Ir ir = make_ir(state);
  const bridge::CIr c = bridge::to_c_batched(ir);
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      auto back = bridge::from_c(c.view());
      benchmark::DoNotOptimize(back.constraints.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BridgeFromC_Batched)->Arg(50)->Arg(500);

// One full call: C++ → C, the C side's deep copy (taking ownership), C → C++.
void BM_BridgeRoundtrip(benchmark::State& state) {
  const braid::Ir ir = make_ir(state);
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      const auto c = bridge::to_c_batched(ir);
      perfgate_ir* owned = perfgate_ir_copy(&c.view());
      auto back = bridge::from_c(*owned);
      perfgate_ir_free(owned);
      benchmark::DoNotOptimize(back.constraints.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BridgeRoundtrip)->Arg(10)->Arg(50)->Arg(500);

// String marshalling C++ → C (allocate, copy, NUL, free); the guide's 70 bytes among them.
void BM_BridgeStringToC(benchmark::State& state) {
  const std::string s(static_cast<std::size_t>(state.range(0)), 'c');
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      bridge::CString c(s);
      benchmark::DoNotOptimize(c.view().data);
    }
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BridgeStringToC)->Arg(16)->Arg(70)->Arg(1024)->Arg(65536);

// String marshalling C → C++ (validate, construct a std::string).
void BM_BridgeStringFromC(benchmark::State& state) {
  const std::string s(static_cast<std::size_t>(state.range(0)), 'c');
  const bridge::CString c(s);
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      auto back = bridge::string_from_c(c.view());
      benchmark::DoNotOptimize(back.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BridgeStringFromC)->Arg(16)->Arg(70)->Arg(1024)->Arg(65536);

}  // namespace

PERFGATE_BENCHMARK_MAIN()
