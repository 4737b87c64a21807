// gate/src/formats/runner_file.cpp — writing and reading runner.json, on the
// one JSON reader every format uses.
#include "gate/formats/runner_file.hpp"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "formats/json_reader.hpp"
#include "gate/error.hpp"
#include "gate/model/names.hpp"

namespace gate {

std::string runner_to_json(const Runner& runner) {
  nlohmann::ordered_json fingerprint = nlohmann::ordered_json::object();
  for (const auto& [key, value] : runner.fingerprint) fingerprint[key] = value;  // std::map: sorted
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  doc["id"] = runner.id;
  doc["fingerprint"] = std::move(fingerprint);
  // A fingerprint is read from the machine (CPU model, OS name): bytes that
  // are not UTF-8 are written as U+FFFD rather than thrown as nlohmann's
  // exception, which would reach the user as an internal error.
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

Runner runner_from_json(std::string_view text, std::string_view source) {
  const std::string src(source);
  detail::JsonReader r(text, src);
  detail::expect_object_document(r, "a runner file (runner.json)", "");
  Runner runner;
  bool have_id = false;
  bool have_fingerprint = false;
  r.begin_object();
  while (r.next_member()) {
    const std::string key(r.key());
    if ((key == "id" && have_id) || (key == "fingerprint" && have_fingerprint)) {
      r.fail_at(r.key_offset(), fmt::format("duplicate key \"{}\"", key));
    }
    if (key == "id") {
      if (r.peek() != detail::JsonType::string) r.fail_type("a string for \"id\"");
      const std::size_t at = r.value_offset();
      std::string id(r.read_string());
      if (auto why = runner_id_problem(id)) r.fail_at(at, fmt::format("runner id is not allowed: {}", *why));
      runner.id = std::move(id);
      have_id = true;
    } else if (key == "fingerprint") {
      if (r.peek() != detail::JsonType::object) r.fail_type("an object for \"fingerprint\"");
      r.begin_object();
      while (r.next_member()) {
        std::string field(r.key());
        if (runner.fingerprint.contains(field)) {
          r.fail_at(r.key_offset(), fmt::format("duplicate fingerprint field \"{}\"", field));
        }
        if (r.peek() != detail::JsonType::string) r.fail_type(fmt::format("a string for fingerprint field \"{}\"", field));
        runner.fingerprint[std::move(field)] = std::string(r.read_string());
      }
      have_fingerprint = true;
    } else {
      r.fail_at(r.key_offset(), fmt::format("unknown key \"{}\" (runner.json holds \"id\" and \"fingerprint\")", key));
    }
  }
  r.expect_end();
  if (!have_id) r.fail_at(0, "\"id\" is missing");
  if (!have_fingerprint) r.fail_at(0, "\"fingerprint\" is missing");
  return runner;
}

}  // namespace gate
