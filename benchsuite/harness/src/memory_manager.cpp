// benchsuite/harness/src/memory_manager.cpp — the replaced global operator new and
// delete (every form) and the counters they update while counting is active.
#include "perfgate/harness/memory_manager.hpp"

#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace perfgate::harness {
namespace {

// Relaxed atomics: the counts only need to be exact once the threads that
// allocated have joined, which Google Benchmark ensures before Stop().
std::atomic<bool> g_session{false};  // between start and stop
std::atomic<bool> g_active{false};   // counting now: the session, or the region within it
std::atomic<std::int64_t> g_num_allocs{0};
std::atomic<std::int64_t> g_total_bytes{0};
std::atomic<std::int64_t> g_live_delta{0};
std::atomic<std::int64_t> g_peak_delta{0};

void on_alloc(void* p) noexcept {
  if (p == nullptr || !g_active.load(std::memory_order_relaxed)) {
    return;
  }
  // The usable size, not the requested one: unsized delete cannot tell us the
  // requested size, and both sides must count the same thing.
  const auto size = static_cast<std::int64_t>(malloc_usable_size(p));
  g_num_allocs.fetch_add(1, std::memory_order_relaxed);
  g_total_bytes.fetch_add(size, std::memory_order_relaxed);
  const std::int64_t live = g_live_delta.fetch_add(size, std::memory_order_relaxed) + size;
  std::int64_t peak = g_peak_delta.load(std::memory_order_relaxed);
  while (live > peak && !g_peak_delta.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {
  }
}

void on_free(void* p) noexcept {
  if (p == nullptr || !g_active.load(std::memory_order_relaxed)) {
    return;
  }
  // A block allocated before start() and freed now lowers the live level below
  // the starting point; the peak is measured from that point, so it may stay 0.
  g_live_delta.fetch_sub(static_cast<std::int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
}

void* allocate(std::size_t size) noexcept {
  // operator new(0) must return a distinct pointer.
  void* p = std::malloc(size == 0 ? 1 : size);
  on_alloc(p);
  return p;
}

void* allocate_aligned(std::size_t size, std::align_val_t align) noexcept {
  auto alignment = static_cast<std::size_t>(align);
  if (alignment < sizeof(void*)) {
    alignment = sizeof(void*);
  }
  void* p = nullptr;
  if (posix_memalign(&p, alignment, size == 0 ? 1 : size) != 0) {
    return nullptr;
  }
  on_alloc(p);
  return p;
}

// The throwing forms retry through the installed new_handler, as the
// standard's replaceable operator new must.
template <typename Alloc>
void* allocate_or_throw(Alloc alloc) {
  for (;;) {
    if (void* p = alloc()) {
      return p;
    }
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) {
      throw std::bad_alloc();
    }
    handler();
  }
}

void deallocate(void* p) noexcept {
  on_free(p);
  std::free(p);
}

}  // namespace

namespace {

void reset_counters() noexcept {
  g_num_allocs.store(0, std::memory_order_relaxed);
  g_total_bytes.store(0, std::memory_order_relaxed);
  g_live_delta.store(0, std::memory_order_relaxed);
  g_peak_delta.store(0, std::memory_order_relaxed);
}

}  // namespace

void start_allocation_counting() noexcept {
  g_active.store(false, std::memory_order_relaxed);
  reset_counters();
  g_session.store(true, std::memory_order_relaxed);
  g_active.store(true, std::memory_order_seq_cst);
}

AllocationStats stop_allocation_counting() noexcept {
  g_active.store(false, std::memory_order_seq_cst);
  g_session.store(false, std::memory_order_relaxed);
  AllocationStats stats;
  stats.num_allocs = g_num_allocs.load(std::memory_order_relaxed);
  stats.total_allocated_bytes = g_total_bytes.load(std::memory_order_relaxed);
  stats.max_bytes_used = g_peak_delta.load(std::memory_order_relaxed);
  stats.net_heap_growth = g_live_delta.load(std::memory_order_relaxed);
  return stats;
}

bool allocation_counting_active() noexcept { return g_session.load(std::memory_order_relaxed); }

void begin_counted_region() noexcept {
  if (!g_session.load(std::memory_order_relaxed)) {
    return;
  }
  g_active.store(false, std::memory_order_relaxed);
  reset_counters();
  g_active.store(true, std::memory_order_seq_cst);
}

void end_counted_region() noexcept {
  if (g_session.load(std::memory_order_relaxed)) {
    g_active.store(false, std::memory_order_seq_cst);
  }
}

void CountingMemoryManager::Start() { start_allocation_counting(); }

void CountingMemoryManager::Stop(Result& result) {
  const AllocationStats stats = stop_allocation_counting();
  result.num_allocs = stats.num_allocs;
  result.max_bytes_used = stats.max_bytes_used;
  result.total_allocated_bytes = stats.total_allocated_bytes;
  result.net_heap_growth = stats.net_heap_growth;
}

void CountingMemoryManager::Stop(Result* result) {
  if (result != nullptr) {
    Stop(*result);
  }
}

}  // namespace perfgate::harness

// The replaceable global allocation functions. Defining them here replaces the
// library's versions in every program that links the harness, so allocations
// made by libstdc++ and Google Benchmark on our behalf are counted too.
using perfgate::harness::allocate;
using perfgate::harness::allocate_aligned;
using perfgate::harness::allocate_or_throw;
using perfgate::harness::deallocate;

void* operator new(std::size_t size) {
  return allocate_or_throw([size] { return allocate(size); });
}
void* operator new[](std::size_t size) {
  return allocate_or_throw([size] { return allocate(size); });
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return allocate_or_throw([size] { return allocate(size); });
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return allocate_or_throw([size] { return allocate(size); });
  } catch (...) {
    return nullptr;
  }
}
void* operator new(std::size_t size, std::align_val_t align) {
  return allocate_or_throw([size, align] { return allocate_aligned(size, align); });
}
void* operator new[](std::size_t size, std::align_val_t align) {
  return allocate_or_throw([size, align] { return allocate_aligned(size, align); });
}
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  try {
    return allocate_or_throw([size, align] { return allocate_aligned(size, align); });
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  try {
    return allocate_or_throw([size, align] { return allocate_aligned(size, align); });
  } catch (...) {
    return nullptr;
  }
}

void operator delete(void* p) noexcept { deallocate(p); }
void operator delete[](void* p) noexcept { deallocate(p); }
void operator delete(void* p, std::size_t) noexcept { deallocate(p); }
void operator delete[](void* p, std::size_t) noexcept { deallocate(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { deallocate(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { deallocate(p); }
void operator delete(void* p, std::align_val_t) noexcept { deallocate(p); }
void operator delete[](void* p, std::align_val_t) noexcept { deallocate(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { deallocate(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { deallocate(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { deallocate(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { deallocate(p); }
