// gate/src/formats/json_reader.hpp — a strict pull reader over JSON text held in
// memory, for the two places that read large result files: Google Benchmark
// JSON (ingest.cpp) and perfgate bundles and baselines (bundle.cpp).
//
// Why not nlohmann::json: its DOM costs 0.34–0.46 s and its SAX parser 0.15 s
// with an empty handler on a 29 MB Google Benchmark file here, and SAX
// callbacks carry no position, while every complaint about a value must say
// where that value is. This reader keeps no tree, hands out strings as views
// into the text when they hold no escapes, and knows the byte offset of every
// value it returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gate::detail {

enum class JsonType { object, array, string, number, boolean, null, non_finite };

/// Length (1 to 4) of the well-formed UTF-8 sequence that starts at `at`, or
/// 0 when the bytes there are ill-formed or cut short. The ranges are those of
/// the Unicode standard's table 3-7: no overlong forms, no surrogates,
/// nothing above U+10FFFF.
[[nodiscard]] std::size_t utf8_length(std::string_view text, std::size_t at);

/// "an object", "a string", ... for messages.
[[nodiscard]] std::string_view describe(JsonType type);

struct JsonReaderOptions {
  /// Accept the bare tokens NaN, Infinity and -Infinity where a value may
  /// stand, as Google Benchmark writes them for non-finite doubles; peek()
  /// reports them as JsonType::non_finite and read_double() returns them.
  /// Off: they are a syntax error, as RFC 8259 says.
  bool allow_non_finite = false;
  std::size_t max_depth = 64;  ///< nesting of objects and arrays
};

/// Reads one JSON text from front to back. The caller walks the structure:
/// peek() the next value's type, then consume it with exactly one of the
/// read_*/begin_*/skip_value calls. Every syntax error throws gate::Error
/// "<source>:<line>:<col>: <what>" at the offending byte; input that ends
/// early says "unexpected end of file (truncated json)" at the end. Text must
/// outlive the reader; strings returned as views are valid until the next
/// call that reads a string or a key.
class JsonReader {
 public:
  JsonReader(std::string_view text, std::string source, JsonReaderOptions options = {});

  /// Type of the next value, after whitespace.
  [[nodiscard]] JsonType peek();
  /// Byte offset of the next value (after whitespace).
  [[nodiscard]] std::size_t value_offset();
  /// True when only whitespace is left.
  [[nodiscard]] bool at_end();

  /// Consumes '{'. Then next_member() until it returns false.
  void begin_object();
  /// Reads the next member's key and its ':'; false (and consumes '}') when
  /// the object ends. The value must be consumed before the next call.
  [[nodiscard]] bool next_member();
  [[nodiscard]] std::string_view key() const { return m_key; }
  [[nodiscard]] std::size_t key_offset() const { return m_key_offset; }

  /// Consumes '['. Then next_element() until it returns false.
  void begin_array();
  /// True when another element follows (not yet consumed); false (and
  /// consumes ']') when the array ends.
  [[nodiscard]] bool next_element();

  [[nodiscard]] std::string_view read_string();
  /// A number, or with allow_non_finite a NaN/Infinity token.
  [[nodiscard]] double read_double();
  /// A number written as an integer (no fraction or exponent) that fits.
  [[nodiscard]] std::int64_t read_int64();
  [[nodiscard]] std::uint64_t read_uint64();
  /// The number's text exactly as written (a NaN/Infinity token too).
  [[nodiscard]] std::string_view read_number_text();
  [[nodiscard]] bool read_bool();
  void read_null();
  /// Consumes any value, checking its syntax all the same.
  void skip_value();
  /// Fails unless only whitespace remains.
  void expect_end();

  /// Throws gate::Error "<source>:<line>:<col>: <what>".
  [[noreturn]] void fail_at(std::size_t offset, std::string_view what) const;
  /// Throws gate::Error "<source>:<line>:<col>: expected <wanted>, found <type>"
  /// at the next value.
  [[noreturn]] void fail_type(std::string_view wanted);

  [[nodiscard]] const std::string& source() const { return m_source; }
  [[nodiscard]] std::string_view text() const { return m_text; }
  [[nodiscard]] const JsonReaderOptions& options() const { return m_options; }

 private:
  void skip_ws();
  [[noreturn]] void fail_end() const;
  [[noreturn]] void fail_unexpected(std::string_view expected) const;
  std::string_view scan_string(std::string& buffer);
  std::size_t scan_number();  ///< returns the end offset; m_pos stays at the start
  void push();
  [[nodiscard]] bool non_finite_token(std::size_t& length) const;

  std::string_view m_text;
  std::string m_source;
  JsonReaderOptions m_options;
  std::size_t m_pos = 0;
  /// One entry per open object or array: true until its first member.
  std::vector<char> m_first;
  std::string_view m_key;
  std::size_t m_key_offset = 0;
  std::string m_key_buffer;
  std::string m_string_buffer;
};

/// Checks that the document is an object before anything is read, so that
/// the wrong kind of file gets a message that says so: "<source>: empty file
/// (expected <wanted>)", "<source>:1:1: not json: expected '{' at the start,
/// found 'x'" (console output, CSV, a log), or "<source>:1:1: not <wanted>:
/// the top level is an array, expected an object<hint>".
void expect_object_document(JsonReader& reader, std::string_view wanted, std::string_view hint);

}  // namespace gate::detail
