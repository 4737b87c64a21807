// components/sigma/src/buffer_pool.cpp — lending and taking back byte buffers.
#include "sigma/buffer_pool.hpp"

#include <utility>

namespace perfgate::sigma {

PooledBuffer::PooledBuffer(BufferPool* pool, std::vector<std::uint8_t>&& bytes) noexcept
    : m_pool(pool), m_bytes(std::move(bytes)) {}

PooledBuffer::PooledBuffer(PooledBuffer&& other) noexcept
    : m_pool(std::exchange(other.m_pool, nullptr)), m_bytes(std::move(other.m_bytes)) {}

PooledBuffer& PooledBuffer::operator=(PooledBuffer&& other) noexcept {
  if (this != &other) {
    if (m_pool != nullptr) {
      m_pool->release(std::move(m_bytes));
    }
    m_pool = std::exchange(other.m_pool, nullptr);
    m_bytes = std::move(other.m_bytes);
  }
  return *this;
}

PooledBuffer::~PooledBuffer() {
  if (m_pool != nullptr) {
    m_pool->release(std::move(m_bytes));
  }
}

BufferPool::BufferPool(std::size_t max_pooled, std::size_t initial_capacity, std::size_t max_retained_capacity)
    : m_max_pooled(max_pooled), m_initial_capacity(initial_capacity), m_max_retained_capacity(max_retained_capacity) {
  m_idle.reserve(max_pooled);
}

PooledBuffer BufferPool::acquire() {
  {
    const std::lock_guard lock(m_mutex);
    if (!m_idle.empty()) {
      std::vector<std::uint8_t> bytes = std::move(m_idle.back());
      m_idle.pop_back();
      return PooledBuffer(this, std::move(bytes));
    }
  }
  // Allocate outside the lock: other threads need not wait for malloc.
  std::vector<std::uint8_t> bytes;
  bytes.reserve(m_initial_capacity);
  return PooledBuffer(this, std::move(bytes));
}

std::size_t BufferPool::idle() const {
  const std::lock_guard lock(m_mutex);
  return m_idle.size();
}

void BufferPool::release(std::vector<std::uint8_t>&& bytes) noexcept {
  if (bytes.capacity() > m_max_retained_capacity) {
    return;  // freed when `bytes`' owner, the caller's moved-from vector, goes
  }
  bytes.clear();
  const std::lock_guard lock(m_mutex);
  // m_idle has capacity m_max_pooled reserved, so this push_back cannot throw.
  if (m_idle.size() < m_max_pooled) {
    m_idle.push_back(std::move(bytes));
  }
}

}  // namespace perfgate::sigma
