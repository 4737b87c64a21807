// gate/src/formats/json_reader.hpp — the strict pull reader over JSON text held in
// memory that every reader of the gate is built on: Google Benchmark JSON
// (google_benchmark.cpp), perfgate bundles and baselines (bundle.cpp),
// noise.json (noise_file.cpp), and gate.json (policy/, through json_tree.hpp).
//
// Why not nlohmann::json: its DOM costs 0.34–0.46 s and its SAX parser 0.15 s
// with an empty handler on a 29 MB Google Benchmark file here, and SAX
// callbacks carry no position, while every complaint about a value must say
// where that value is. This reader keeps no tree, hands out strings as views
// into the text when they hold no escapes, and knows the byte offset of every
// value it returns.
//
// What it refuses, whatever the format, each with "<source>:<line>:<col>:":
// - anything RFC 8259 does not allow: raw control characters in strings
//   (they must be escaped), lone surrogates in \u escapes, leading zeros,
//   trailing text after the value;
// - NUL anywhere: a JSON text holds none (between tokens it is no whitespace,
//   in a string it is a control character, in a comment it is refused too);
// - bytes that are not well-formed UTF-8, in strings and in comments: the
//   text is refused at the first such byte, never repaired or replaced, so
//   that a name read here is the name that was written;
// - a number that no double holds: beyond ±1.8e308, or so small that it
//   would read as 0 (1e-400) — in values that are read and in values that
//   are skipped alike;
// - nesting deeper than JsonReaderOptions::max_depth (64 unless a reader
//   says otherwise, never more than k_max_json_depth = 256), at the bracket
//   that opens the level too many. Nothing here recurses: skip_value walks
//   with the reader's own stack of open levels.
// Every message it raises is one line: file text it quotes is shown through
// escape_for_message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formats/text_location.hpp"

namespace gate::detail {

enum class JsonType { object, array, string, number, boolean, null, non_finite };

/// The deepest nesting of objects and arrays any reader accepts, whatever
/// its options: 256 levels. Formats the gate reads need fewer than 10.
inline constexpr std::size_t k_max_json_depth = 256;

/// "an object", "a string", ... for messages.
[[nodiscard]] std::string_view describe(JsonType type);

struct JsonReaderOptions {
  /// Accept the bare tokens NaN, Infinity and -Infinity where a value may
  /// stand, as Google Benchmark writes them for non-finite doubles; peek()
  /// reports them as JsonType::non_finite and read_double() returns them.
  /// Off: they are a syntax error, as RFC 8259 says.
  bool allow_non_finite = false;
  /// Nesting of objects and arrays; values above k_max_json_depth count as
  /// k_max_json_depth.
  std::size_t max_depth = 64;
  /// Accept // comments (to the end of the line: LF, CR or the end of the
  /// text) and /* */ comments wherever whitespace may stand. Only gate.json,
  /// which people write, has them; every other format is read without.
  bool allow_comments = false;
  /// Skip a UTF-8 byte order mark (EF BB BF) at the start, as editors on
  /// some systems write one (RFC 8259 §8.1 lets a parser ignore it).
  /// Locations still count it.
  bool allow_byte_order_mark = false;
  /// Put after the location of every error the reader raises on its own
  /// (syntax, nesting depth, numbers out of range, NUL, bad UTF-8):
  /// gate.json says "invalid JSON" there, where its other messages name the
  /// offending key. Errors of the caller's reading (fail_at, fail_type) do
  /// not get it. Empty: nothing.
  std::string_view error_label = {};
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
  /// True when only whitespace (and with allow_comments, comments) is left.
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
  /// Consumes any value, checking its syntax, depth and numbers all the
  /// same. Iterative: its depth is the reader's own stack.
  void skip_value();
  /// Fails unless only whitespace remains.
  void expect_end();

  /// Throws gate::Error "<source>:<line>:<col>: <what>", escaped by
  /// escape_for_message so that quoted file text cannot break the line.
  [[noreturn]] void fail_at(std::size_t offset, std::string_view what) const;
  /// Throws gate::Error "<source>:<line>:<col>: expected <wanted>, found <type>"
  /// at the next value.
  [[noreturn]] void fail_type(std::string_view wanted);

  [[nodiscard]] const std::string& source() const { return m_source; }
  [[nodiscard]] std::string_view text() const { return m_text; }
  [[nodiscard]] const JsonReaderOptions& options() const { return m_options; }

 private:
  /// Most calls find a token already, or one space before it (after ':'):
  /// those cases stay inline.
  void skip_ws() {
    auto token_at = [&](std::size_t i) {
      if (i >= m_text.size()) return false;
      const auto c = static_cast<unsigned char>(m_text[i]);
      return c > ' ' && c != '/';
    };
    if (token_at(m_pos)) return;
    if (m_pos < m_text.size() && m_text[m_pos] == ' ' && token_at(m_pos + 1)) {
      ++m_pos;
      return;
    }
    skip_ws_run();
  }
  void skip_ws_run();
  void skip_comment();
  /// fail_at with JsonReaderOptions::error_label: the reader's own errors.
  [[noreturn]] void fail_syntax(std::size_t offset, std::string_view what) const;
  [[noreturn]] void fail_end() const;
  [[noreturn]] void fail_unexpected(std::string_view expected) const;
  std::string_view scan_string(std::string& buffer);
  std::size_t scan_number();  ///< returns the end offset; m_pos stays at the start
  /// Scans the number at m_pos, checks that a double holds it, moves past it.
  std::string_view number_token();
  void push(bool object);
  [[nodiscard]] bool non_finite_token(std::size_t& length) const;

  std::string_view m_text;
  std::string m_source;
  JsonReaderOptions m_options;
  std::size_t m_pos = 0;
  /// One entry per open object or array: k_object for an object, with
  /// k_first until its first member or element.
  static constexpr char k_first = 1;
  static constexpr char k_object = 2;
  std::vector<char> m_levels;
  std::string_view m_key;
  std::size_t m_key_offset = 0;
  std::string m_key_buffer;
  std::string m_string_buffer;
};

/// Checks that the document is an object before anything is read, so that
/// the wrong kind of file gets a message that says so: "<source>:<line>:<col>: empty file
/// (expected <wanted>)", "<source>:1:1: not json: expected '{' at the start,
/// found 'x'" (console output, CSV, a log), or "<source>:1:1: not <wanted>:
/// the top level is an array, expected an object<hint>".
void expect_object_document(JsonReader& reader, std::string_view wanted, std::string_view hint);

}  // namespace gate::detail
