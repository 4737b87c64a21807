// components/sigma/include/sigma/buffer_pool.hpp — reusable byte buffers, so
// that a hot encode loop does not allocate a new output buffer per tree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace perfgate::sigma {

class BufferPool;

/// A buffer on loan from a BufferPool; gives it back when destroyed. Move-only.
/// Must not outlive its pool.
class PooledBuffer {
 public:
  PooledBuffer(PooledBuffer&& other) noexcept;
  PooledBuffer& operator=(PooledBuffer&& other) noexcept;
  PooledBuffer(const PooledBuffer&) = delete;
  PooledBuffer& operator=(const PooledBuffer&) = delete;
  ~PooledBuffer();

  /// The bytes: empty when acquired, with whatever capacity an earlier user left.
  [[nodiscard]] std::vector<std::uint8_t>& bytes() noexcept { return m_bytes; }

 private:
  friend class BufferPool;
  PooledBuffer(BufferPool* pool, std::vector<std::uint8_t>&& bytes) noexcept;

  BufferPool* m_pool;
  std::vector<std::uint8_t> m_bytes;
};

/// A thread-safe free list of byte buffers. Holds at most `max_pooled` idle
/// buffers; a returned buffer beyond that, or one grown past
/// `max_retained_capacity` bytes, is freed instead, so one huge tree cannot pin
/// its memory for the life of the pool.
class BufferPool {
 public:
  explicit BufferPool(std::size_t max_pooled = 16, std::size_t initial_capacity = 4096,
                      std::size_t max_retained_capacity = std::size_t{1} << 20);

  /// An empty buffer: an idle one if there is one, else a new one with
  /// `initial_capacity` reserved.
  [[nodiscard]] PooledBuffer acquire();
  /// Idle buffers held now.
  [[nodiscard]] std::size_t idle() const;

 private:
  friend class PooledBuffer;
  void release(std::vector<std::uint8_t>&& bytes) noexcept;

  const std::size_t m_max_pooled;
  const std::size_t m_initial_capacity;
  const std::size_t m_max_retained_capacity;
  mutable std::mutex m_mutex;
  std::vector<std::vector<std::uint8_t>> m_idle;
};

}  // namespace perfgate::sigma
