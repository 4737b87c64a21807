/* components/bridge/include/bridge/c_api.h — the C ABI of the constraint IR:
 * plain structs of pointers and lengths, and the functions a C caller uses to
 * copy and free them. Usable from C and C++. */
#ifndef PERFGATE_BRIDGE_C_API_H
#define PERFGATE_BRIDGE_C_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A byte string: `len` bytes at `data`, which may be NULL only when len is 0.
 * Strings made by this library are also NUL-terminated (not counted in len). */
typedef struct perfgate_str {
  const char* data;
  size_t len;
} perfgate_str;

/* One constraint. kind and severity hold braid's enum values (kind 0..5,
 * severity 0..3); depends_on may be NULL only when depends_on_len is 0. */
typedef struct perfgate_constraint {
  uint32_t id;
  uint8_t kind;
  uint8_t severity;
  uint8_t reserved[2];
  perfgate_str subject;
  perfgate_str value;
  perfgate_str origin;
  const uint32_t* depends_on;
  size_t depends_on_len;
} perfgate_constraint;

/* `from` depends on `to`. */
typedef struct perfgate_edge {
  uint32_t from;
  uint32_t to;
} perfgate_edge;

typedef struct perfgate_conflict {
  uint32_t first;
  uint32_t second;
  uint8_t kind;
  uint8_t reserved[3];
} perfgate_conflict;

/* A compiled IR; each array may be NULL only when its length is 0. */
typedef struct perfgate_ir {
  const perfgate_constraint* constraints;
  size_t constraints_len;
  const perfgate_edge* edges;
  size_t edges_len;
  const uint32_t* order;
  size_t order_len;
  const perfgate_conflict* conflicts;
  size_t conflicts_len;
} perfgate_ir;

/* Checks the layout rules above. Returns 0 when `ir` is valid; otherwise -1,
 * and when err_cap > 0 writes a NUL-terminated reason into err. */
int perfgate_ir_validate(const perfgate_ir* ir, char* err, size_t err_cap);

/* Deep-copies a valid IR into one heap block that the caller owns: the
 * returned perfgate_ir and everything it points to. NULL when `ir` is invalid
 * or memory ran out. Release with perfgate_ir_free. */
perfgate_ir* perfgate_ir_copy(const perfgate_ir* ir);

/* Frees what perfgate_ir_copy returned; NULL is ignored. */
void perfgate_ir_free(perfgate_ir* ir);

/* Copies `len` bytes into a new NUL-terminated heap string the caller owns.
 * Returns {NULL, 0} when data is NULL with len > 0 or memory ran out. */
perfgate_str perfgate_str_copy(const char* data, size_t len);

/* Frees what perfgate_str_copy returned. */
void perfgate_str_free(perfgate_str s);

#ifdef __cplusplus
}
#endif

#endif /* PERFGATE_BRIDGE_C_API_H */
