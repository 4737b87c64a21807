// tests/runner_test.cpp — runner identity: fingerprint, derived id, id
// validation, runner.json and `gate runner`.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <regex>

#include "gate/error.hpp"
#include "gate/formats/runner_file.hpp"
#include "gate/store/runner.hpp"
#include "test_support.hpp"

using gate::Error;
using gate::Runner;
using gate::test::TempDir;
using gate::test::write_file;

namespace {

bool refused(const std::string& id) {
  try {
    (void)gate::sanitize_runner_id(id);
  } catch (const Error& e) {
    return std::string(e.what()).find("is not allowed") != std::string::npos;
  }
  return false;
}

// A fake root with the files detect_runner reads, as on a 4-core Xeon.
void make_fake_root(const TempDir& root, const std::string& mhz) {
  std::string cpuinfo;
  for (int i = 0; i < 4; ++i) {
    cpuinfo += "processor\t: " + std::to_string(i) + "\nvendor_id\t: GenuineIntel\n"
               "model name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz\ncpu MHz\t\t: " + mhz + "\n\n";
  }
  write_file(root / "proc/cpuinfo", cpuinfo);
  const std::string cache = "sys/devices/system/cpu/cpu0/cache/";
  auto index = [&](int i, const std::string& level, const std::string& type, const std::string& size) {
    std::string dir = cache + "index" + std::to_string(i) + "/";
    write_file(root / (dir + "level"), level + "\n");
    write_file(root / (dir + "type"), type + "\n");
    write_file(root / (dir + "size"), size + "\n");
  };
  index(0, "1", "Data", "48K");
  index(1, "1", "Instruction", "32K");
  index(2, "2", "Unified", "1280K");
  index(3, "3", "Unified", "55296K");
  write_file(root / "etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n");
}

struct EnvGuard {
  explicit EnvGuard(const char* name) : m_name(name) {
    if (const char* v = std::getenv(name)) m_old = v;
  }
  ~EnvGuard() {
    if (m_old) {
      setenv(m_name, m_old->c_str(), 1);
    } else {
      unsetenv(m_name);
    }
  }
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;

 private:
  const char* m_name;
  std::optional<std::string> m_old;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(runner)

BOOST_AUTO_TEST_CASE(valid_ids_are_returned_unchanged) {
  for (const std::string& id : std::vector<std::string>{"r1", "ubuntu-22.04_x64", "a", std::string(64, 'z'), "0.9"}) {
    BOOST_TEST(gate::sanitize_runner_id(id) == id);
  }
}

BOOST_AUTO_TEST_CASE(unsafe_ids_are_refused_not_repaired) {
  for (const std::string& id : std::vector<std::string>{"../../etc", "a/b", "", std::string(300, 'a'), ".", "..", ".hidden", "Upper", "a b",
                         std::string("a\nb"), "a\\b", std::string(65, 'x'), std::string("a\0b", 3)}) {
    BOOST_TEST(refused(id), "should refuse: " << id);
  }
}

BOOST_AUTO_TEST_CASE(refusal_names_the_id_and_the_rule) {
  try {
    (void)gate::sanitize_runner_id("../../etc");
    BOOST_FAIL("no error");
  } catch (const Error& e) {
    std::string m = e.what();
    BOOST_TEST(m.find("runner id '../../etc' is not allowed: it contains '/'") == 0, m);
  }
  try {
    (void)gate::sanitize_runner_id(std::string(300, 'a'));
    BOOST_FAIL("no error");
  } catch (const Error& e) {
    std::string m = e.what();
    BOOST_TEST(m.find("300 characters") != std::string::npos, m);
    BOOST_TEST(m.size() < 300U, "the message should not repeat 300 characters");
  }
}

BOOST_AUTO_TEST_CASE(derived_id_of_this_machine_is_stable_and_valid) {
  Runner a = gate::detect_runner();
  Runner b = gate::detect_runner();
  BOOST_TEST(a.id == b.id);
  BOOST_TEST((a.fingerprint == b.fingerprint));
  BOOST_TEST(gate::sanitize_runner_id(a.id) == a.id);
  BOOST_TEST(a.id.size() <= 64U);
  BOOST_TEST(std::regex_match(a.id, std::regex("[a-z0-9-]+-[0-9]+c-[a-z0-9]+-[0-9a-f]{8}")), a.id);
  BOOST_TEST(std::regex_match(a.fingerprint.at("kernel"), std::regex("\\S+ [0-9]+\\.[0-9]+")),
             a.fingerprint.at("kernel"));
}

BOOST_AUTO_TEST_CASE(fingerprint_reads_cpu_caches_and_os) {
  TempDir root;
  make_fake_root(root, "2900.000");
  Runner r = gate::detect_runner({}, root.path());
  BOOST_TEST(r.fingerprint.at("cpu_model") == "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz");
  BOOST_TEST(r.fingerprint.at("logical_cores") == "4");
  BOOST_TEST(r.fingerprint.at("caches") == "L1d:48K L1i:32K L2:1280K L3:55296K");
  BOOST_TEST(r.fingerprint.at("os") == "debian 12");
  BOOST_TEST(!r.fingerprint.contains("compiler"));
  BOOST_TEST(r.id.rfind("intel-xeon-platinum-8375c-4c-debian12-", 0) == 0, r.id);
}

BOOST_AUTO_TEST_CASE(volatile_fields_do_not_change_the_id) {
  TempDir one;
  TempDir two;
  make_fake_root(one, "2900.000");
  make_fake_root(two, "1197.512");  // the clock moves with load and power saving
  std::map<std::string, std::string> ctx1{{"compiler", "GCC 12.2.0"}, {"build_type", "release"},
                                          {"host_name", "runner-a"}, {"mhz_per_cpu", "2900"},
                                          {"library_build_type", "debug"}, {"load_avg", "[0.5,0.2,0.1]"}};
  std::map<std::string, std::string> ctx2{{"compiler", "GCC 12.2.0"}, {"build_type", "release"},
                                          {"host_name", "runner-b"}, {"mhz_per_cpu", "1200"},
                                          {"library_build_type", "release"}, {"date", "2024-01-01"}};
  Runner a = gate::detect_runner(ctx1, one.path());
  Runner b = gate::detect_runner(ctx2, two.path());
  BOOST_TEST(a.id == b.id);
  BOOST_TEST(a.fingerprint.at("compiler") == "GCC 12.2.0");
  BOOST_TEST(a.fingerprint.at("build_type") == "release");
  for (const auto& [key, value] : a.fingerprint) {
    BOOST_TEST(value.find("debug") == std::string::npos, key);
    BOOST_TEST(key.find("host") == std::string::npos, key);
  }
}

BOOST_AUTO_TEST_CASE(build_type_and_compiler_change_the_fingerprint_not_the_id) {
  // One machine, one id: whether a suite records its build (the harness) or
  // not (plain Google Benchmark) does not move its baselines.
  TempDir root;
  make_fake_root(root, "2900.000");
  Runner release = gate::detect_runner({{"compiler", "GCC 12.2.0"}, {"build_type", "release"}}, root.path());
  Runner debug = gate::detect_runner({{"compiler", "GCC 12.2.0"}, {"build_type", "debug"}}, root.path());
  Runner clang = gate::detect_runner({{"compiler", "Clang 14.0.6"}, {"build_type", "release"}}, root.path());
  Runner bare = gate::detect_runner({}, root.path());
  BOOST_TEST(release.id == bare.id);
  BOOST_TEST(debug.id == bare.id);
  BOOST_TEST(clang.id == bare.id);
  BOOST_TEST(gate::fingerprint_differences(release, debug) == std::vector<std::string>{"build_type"});
  BOOST_TEST(gate::fingerprint_differences(release, clang) == std::vector<std::string>{"compiler"});
  BOOST_TEST(gate::fingerprint_differences(release, bare) == (std::vector<std::string>{"build_type", "compiler"}));
  BOOST_TEST(gate::fingerprint_differences(release, release).empty());
}

BOOST_AUTO_TEST_CASE(a_build_field_known_on_one_side_only_is_no_mismatch) {
  TempDir root;
  make_fake_root(root, "2900.000");
  Runner harness = gate::detect_runner({{"compiler", "GCC 12.2.0"}, {"build_type", "Release"}}, root.path());
  Runner plain = gate::detect_runner({}, root.path());
  // The harness's first run against baselines of the plain suite, and back.
  BOOST_TEST(gate::check_runner_match(harness, plain, false).empty());
  BOOST_TEST(gate::check_runner_match(plain, harness, false).empty());
  // Known on both sides and different: still a mismatch, named.
  Runner clang = gate::detect_runner({{"compiler", "Clang 14.0.6"}, {"build_type", "Release"}}, root.path());
  try {
    (void)gate::check_runner_match(clang, harness, false);
    BOOST_FAIL("a different compiler must be a runner mismatch");
  } catch (const Error& e) {
    BOOST_TEST(std::string(e.what()).find("compiler: 'Clang 14.0.6' here, 'GCC 12.2.0' in the baseline") !=
                   std::string::npos,
               e.what());
  }
  BOOST_TEST(gate::check_runner_match(clang, harness, true) == std::vector<std::string>{"compiler"});
  // A machine field absent on one side is a mismatch as before.
  Runner no_caches = plain;
  no_caches.fingerprint.erase("caches");
  BOOST_CHECK_THROW((void)gate::check_runner_match(no_caches, plain, false), Error);
}

BOOST_AUTO_TEST_CASE(derived_id_is_bounded_and_safe_for_any_fingerprint) {
  std::map<std::string, std::string> fp{
      {"cpu_model", "AMD EPYC 7763 64-Core Processor with a very long marketing name indeed / ../.."},
      {"logical_cores", "256"},
      {"os", "Some Linux Distribution With A Long Name 2024.10"}};
  std::string id = gate::derive_runner_id(fp);
  BOOST_TEST(id.size() <= 64U, id);
  BOOST_TEST(gate::sanitize_runner_id(id) == id);
  BOOST_TEST(id.rfind("amd-epyc-7763-64-core-", 0) == 0, id);
  BOOST_TEST(id.find("-256c-") != std::string::npos, id);

  std::string empty = gate::derive_runner_id({});
  BOOST_TEST(gate::sanitize_runner_id(empty) == empty);
  auto changed = fp;
  changed["os"] += "x";
  BOOST_TEST(gate::derive_runner_id(changed).substr(id.size() - 8) != id.substr(id.size() - 8));
}

BOOST_AUTO_TEST_CASE(runner_json_round_trips_with_stable_bytes) {
  Runner r{"r1", {{"os", "debian 12"}, {"cpu_model", "X"}, {"logical_cores", "2"}}};
  std::string text = gate::runner_to_json(r);
  BOOST_TEST(text == gate::runner_to_json(r));
  BOOST_TEST(text.find("\"id\"") < text.find("\"fingerprint\""));
  BOOST_TEST(text.find("\"cpu_model\"") < text.find("\"logical_cores\""));
  BOOST_TEST(text.back() == '\n');
  Runner back = gate::runner_from_json(text, "runner.json");
  BOOST_TEST(back.id == "r1");
  BOOST_TEST((back.fingerprint == r.fingerprint));
}

BOOST_AUTO_TEST_CASE(bad_runner_json_is_an_error_naming_the_file) {
  auto message = [](const std::string& text) {
    try {
      (void)gate::runner_from_json(text, "baselines/r1/runner.json");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  // One JSON reader for every format: "<file>:<line>:<col>: <what>".
  BOOST_TEST(message("{").find("baselines/r1/runner.json:1:2: ") == 0, message("{"));
  BOOST_TEST(message(R"({"id": "../x", "fingerprint": {}})").find("baselines/r1/runner.json:1:8: runner id is not allowed") == 0,
             message(R"({"id": "../x", "fingerprint": {}})"));
  BOOST_TEST(message(R"({"fingerprint": {}})").find("\"id\" is missing") != std::string::npos);
  BOOST_TEST(message(R"({"id": "r1", "fingerprint": {"cores": 2}})").find("a string for fingerprint field \"cores\"") !=
             std::string::npos);
  BOOST_TEST(message("[]").find("the top level is an array, expected an object") != std::string::npos, message("[]"));
}

BOOST_AUTO_TEST_CASE(runner_json_refuses_unknown_and_duplicate_keys) {
  auto message = [](const std::string& text) {
    try {
      (void)gate::runner_from_json(text, "r.json");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  // "fingerprnt": the fingerprint would read as missing from a typo.
  BOOST_TEST(message(R"({"id": "r1", "fingerprint": {}, "fingerprnt": {"os": "x"}})") ==
             "r.json:1:33: unknown key \"fingerprnt\" (runner.json holds \"id\" and \"fingerprint\")");
  BOOST_TEST(message(R"({"id": "r1", "id": "r2", "fingerprint": {}})") == "r.json:1:14: duplicate key \"id\"");
  BOOST_TEST(message(R"({"id": "r1", "fingerprint": {"os": "a", "os": "b"}})") ==
             "r.json:1:41: duplicate fingerprint field \"os\"");
  BOOST_TEST(message(R"({"id": ".x", "fingerprint": {}})").find("r.json:1:8: runner id is not allowed") == 0u);
}

BOOST_AUTO_TEST_CASE(a_fingerprint_that_is_not_utf8_is_written_not_thrown) {
  // Read from the machine: a CPU model can hold any bytes. nlohmann's
  // exception for them reached the user as "internal error".
  Runner runner;
  runner.id = "r1";
  runner.fingerprint["cpu_model"] = "Xeon \xff\xfe";
  std::string text;
  BOOST_REQUIRE_NO_THROW(text = gate::runner_to_json(runner));
  Runner back = gate::runner_from_json(text, "r.json");
  BOOST_TEST(back.fingerprint.at("cpu_model") == "Xeon \xEF\xBF\xBD\xEF\xBF\xBD");
  BOOST_TEST(gate::runner_to_json(back) == text);
}

BOOST_AUTO_TEST_CASE(flag_then_environment_override_the_derived_id) {
  EnvGuard guard("GATE_RUNNER");
  unsetenv("GATE_RUNNER");
  std::string derived = gate::resolve_runner(std::nullopt).id;
  BOOST_TEST(derived == gate::detect_runner().id);
  setenv("GATE_RUNNER", "ci-linux", 1);
  BOOST_TEST(gate::resolve_runner(std::nullopt).id == "ci-linux");
  BOOST_TEST(gate::resolve_runner(std::string("laptop")).id == "laptop");
  BOOST_CHECK_THROW((void)gate::resolve_runner(std::string("../../etc")), Error);
  setenv("GATE_RUNNER", "../../etc", 1);
  BOOST_CHECK_THROW((void)gate::resolve_runner(std::nullopt), Error);
  setenv("GATE_RUNNER", "", 1);
  BOOST_TEST(gate::resolve_runner(std::nullopt).id == derived);
}

BOOST_AUTO_TEST_CASE(cli_prints_id_and_refuses_bad_ids) {
  auto json = gate::test::run_gate({"runner", "--json", "--context", "build_type=release"}, {}, {"GATE_RUNNER="});
  BOOST_REQUIRE_MESSAGE(json.exit_code == 0, json.err);
  auto doc = nlohmann::json::parse(json.out);
  std::string id = doc.at("id").get<std::string>();
  BOOST_TEST(gate::sanitize_runner_id(id) == id);
  BOOST_TEST(doc.at("fingerprint").at("build_type") == "release");

  // The id does not depend on what the suites record of their build: it is
  // the one `gate run` records on this machine, with or without the harness.
  auto id_only = gate::test::run_gate({"runner", "--id"}, {}, {"GATE_RUNNER="});
  BOOST_REQUIRE_MESSAGE(id_only.exit_code == 0, id_only.err);
  BOOST_TEST(id_only.out == id + "\n");
  BOOST_TEST(id == gate::detect_runner().id);

  auto table = gate::test::run_gate({"runner", "--runner", "r1"});
  BOOST_REQUIRE_MESSAGE(table.exit_code == 0, table.err);
  BOOST_TEST(table.out.find("runner  r1  (from --runner)") == 0, table.out);
  BOOST_TEST(table.out.find("cpu_model") != std::string::npos);

  auto bad = gate::test::run_gate({"runner", "--runner", "../../etc"});
  BOOST_TEST(bad.exit_code == 2);
  BOOST_TEST(bad.first_err_line().find("gate: error: runner id '../../etc' is not allowed") == 0, bad.err);
}

BOOST_AUTO_TEST_SUITE_END()
