// tests/callgrind_test.cpp — callgrind output files into per-benchmark
// counters: header parsing, dump labels, the derived metrics, and choosing the
// last dump of each benchmark.
#include <boost/test/unit_test.hpp>

#include <string>

#include "gate/formats/callgrind.hpp"
#include "gate/error.hpp"
#include "test_support.hpp"

using gate::parse_callgrind_dump;
using gate::parse_dump_label;

namespace {

/// A dump as callgrind 3.19 writes it, reduced to one function.
std::string dump_text(int part, const std::string& trigger, const std::string& summary,
                      const std::string& totals = "") {
  return "# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\npid: 4242\ncmd:  ./bench\npart: " +
         std::to_string(part) +
         "\n\n\ndesc: I1 cache: 32768 B, 64 B, 8-way associative\n"
         "desc: D1 cache: 32768 B, 64 B, 8-way associative\n"
         "desc: LL cache: 8388608 B, 64 B, 16-way associative\n\n"
         "desc: Timerange: Basic block 0 - 520485\n"
         "desc: Trigger: " +
         trigger +
         "\n\npositions: line\nevents: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim\nsummary: " + summary +
         "\n\n\nob=(7) /usr/lib/libstdc++.so.6\nfl=(152) ???\nfn=(4772) f()\n0 4 0 0 1 0 0 1\n"
         "calls=2 39\n0 40 16 12 2 0 0 2 0 0 2 1\n\ntotals: " +
         (totals.empty() ? summary : totals) + "\n";
}

std::string error_of(const std::string& text) {
  try {
    (void)parse_callgrind_dump(text, "callgrind.out.1.1");
  } catch (const gate::Error& e) {
    return e.what();
  }
  return "no error";
}

double metric(const gate::CallgrindCounters& c, const std::string& name) {
  for (const auto& [n, v] : c.metrics) {
    if (n == name) return v;
  }
  BOOST_FAIL("no metric " + name);
  return 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(callgrind)

BOOST_AUTO_TEST_CASE(reads_events_part_and_trigger_and_prefers_the_summary) {
  auto dump = parse_callgrind_dump(dump_text(3, "Client Request: BM_Sum/64 iterations=1",
                                             "3534 1042 472 57 49 10 35 2 3 514 74 28 17",
                                             "3525 1042 466 56 49 10 34 2 3 514 74 28 17"),
                                   "f");
  BOOST_TEST(dump.part == 3);
  BOOST_TEST(dump.trigger == "Client Request: BM_Sum/64 iterations=1");
  BOOST_TEST(dump.events.size() == 13u);
  BOOST_TEST(dump.events.at("Ir") == 3534u);
  BOOST_TEST(dump.events.at("D1mw") == 10u);
  BOOST_TEST(dump.events.at("ILmr") == 35u);
  BOOST_TEST(dump.events.at("Bim") == 17u);
}

BOOST_AUTO_TEST_CASE(falls_back_to_totals_and_pads_short_lines_with_zeros) {
  std::string text = dump_text(1, "Program termination", "0");
  auto dump = parse_callgrind_dump(text, "f");
  BOOST_TEST(dump.events.at("Ir") == 0u);
  BOOST_TEST(dump.events.at("Bim") == 0u);

  std::string no_summary = text;
  no_summary.erase(no_summary.find("summary: 0\n"), 11);
  no_summary.replace(no_summary.find("totals: 0"), 9, "totals: 7 1");
  dump = parse_callgrind_dump(no_summary, "f");
  BOOST_TEST(dump.events.at("Ir") == 7u);
  BOOST_TEST(dump.events.at("Dr") == 1u);
  BOOST_TEST(dump.events.at("Dw") == 0u);
}

BOOST_AUTO_TEST_CASE(broken_files_are_errors_with_their_place) {
  BOOST_TEST(error_of("").find("no 'events:' line") != std::string::npos);
  BOOST_TEST(error_of("events: Ir\n").find("no 'summary:' or 'totals:' line") != std::string::npos);
  std::string msg = error_of("version: 1\nevents: Ir Dr\nsummary: 12 x3\n");
  BOOST_TEST(msg == "callgrind.out.1.1:3:13: count 'x3' of event 'Dr' is not a non-negative integer", msg);
  msg = error_of("events: Ir\nsummary: 1 2\n");
  BOOST_TEST(msg.find("callgrind.out.1.1:2:12: 2 counts for the 1 events") == 0u, msg);
  msg = error_of("events: Ir\nsummary: -1\n");
  BOOST_TEST(msg.find("is not a non-negative integer") != std::string::npos, msg);
}

BOOST_AUTO_TEST_CASE(hostile_dumps_are_refused_in_one_located_line) {
  // A NUL anywhere: refused where it stands.
  BOOST_TEST(error_of(std::string("events: Ir\nsummary: 1\0 2\n", 23)) ==
             "callgrind.out.1.1:2:11: NUL byte: not a callgrind output file");
  // Text quoted from the file is escaped: one error, one line.
  BOOST_TEST(error_of("events: Ir Dr\nsummary: 1 \x1b[8m2\n") ==
             "callgrind.out.1.1:2:12: count '\\x1b[8m2' of event 'Dr' is not a non-negative integer");
  BOOST_TEST(error_of("events: Ir\npart: -3\nsummary: 1\n") == "callgrind.out.1.1:2:7: part '-3' is not a whole number");
  BOOST_TEST(error_of("events: Ir Ir\nsummary: 1 2\n") == "callgrind.out.1.1:1:1: event 'Ir' is named twice");
  // The benchmark a dump names follows the naming rule.
  const std::string counts = "100 0 0 0 0 0 0 0 0 0 0 0 0";
  auto dump = parse_callgrind_dump(dump_text(1, "Client Request: BM_\x1b]0;A iterations=4", counts), "f");
  auto label = parse_dump_label(dump.trigger);
  BOOST_TEST_REQUIRE(label.has_value());
  try {
    (void)callgrind_counters(dump, *label, "f");
    BOOST_FAIL("expected an error");
  } catch (const gate::Error& e) {
    BOOST_TEST(std::string(e.what()).find("benchmark name 'BM_\\x1b]0;A' is not allowed: it contains the control "
                                          "character byte 0x1b") != std::string::npos,
               e.what());
    BOOST_TEST(std::string(e.what()).find("f:") == 0u, e.what());
  }
}

BOOST_AUTO_TEST_CASE(dump_labels_name_the_benchmark_and_its_iterations) {
  auto label = parse_dump_label("Client Request: BM_Sort/1024/threads:4 iterations=16");
  BOOST_TEST_REQUIRE(label.has_value());
  BOOST_TEST(label->benchmark == "BM_Sort/1024/threads:4");
  BOOST_TEST(label->iterations == 16);
  // Names may contain spaces and even the marker; the last one counts.
  label = parse_dump_label("Client Request: BM_x<a iterations=3> iterations=7");
  BOOST_TEST_REQUIRE(label.has_value());
  BOOST_TEST(label->benchmark == "BM_x<a iterations=3>");
  BOOST_TEST(label->iterations == 7);

  BOOST_TEST(!parse_dump_label("Program termination").has_value());
  BOOST_TEST(!parse_dump_label("Client Request: something else").has_value());
  BOOST_TEST(!parse_dump_label("Client Request: BM_x iterations=0").has_value());
  BOOST_TEST(!parse_dump_label("Client Request: BM_x iterations=many").has_value());
  BOOST_TEST(!parse_dump_label("Client Request:  iterations=3").has_value());
}

BOOST_AUTO_TEST_CASE(counters_per_iteration_and_the_cycle_estimate) {
  gate::CallgrindDump dump;
  // Ir, I1mr, D1mr, D1mw, ILmr, DLmr, DLmw, Bcm, Bim over 10 iterations.
  dump.events = {{"Ir", 10000}, {"Dr", 3000}, {"Dw", 1000}, {"I1mr", 40},  {"D1mr", 30}, {"D1mw", 10}, {"ILmr", 4},
                 {"DLmr", 5},   {"DLmw", 1},  {"Bc", 900},  {"Bcm", 70},  {"Bi", 20},   {"Bim", 10}};
  auto c = gate::callgrind_counters(dump, {"BM_x", 10}, "f");
  BOOST_TEST(c.benchmark == "BM_x");
  BOOST_TEST(c.iterations == 10);
  BOOST_TEST(c.metrics.size() == 8u);
  BOOST_TEST(metric(c, "instructions") == 1000.0);
  BOOST_TEST(metric(c, "l1i_misses") == 4.0);
  BOOST_TEST(metric(c, "l1d_misses") == 4.0);
  BOOST_TEST(metric(c, "lli_misses") == 0.4);
  BOOST_TEST(metric(c, "lld_misses") == 0.6);
  BOOST_TEST(metric(c, "ll_misses") == 1.0);
  BOOST_TEST(metric(c, "branch_misses") == 8.0);
  // (10000 + 10·(40+30+10) + 100·(4+5+1)) / 10
  BOOST_TEST(metric(c, "est_cycles") == 1180.0);

  dump.events.erase("Bcm");
  try {
    (void)gate::callgrind_counters(dump, {"BM_x", 10}, "f");
    BOOST_FAIL("expected an error");
  } catch (const gate::Error& e) {
    BOOST_TEST(std::string(e.what()) == "f:1:1: no 'Bcm' event — run callgrind with --cache-sim=yes --branch-sim=yes");
  }
}

BOOST_AUTO_TEST_CASE(a_directory_of_dumps_gives_the_last_dump_per_benchmark_in_run_order) {
  gate::test::TempDir dir;
  const std::string counts_a1 = "100 0 0 0 0 0 0 0 0 0 0 0 0";
  const std::string counts_b = "500 0 0 0 0 0 0 0 0 0 0 0 0";
  const std::string counts_a3 = "300 0 0 0 0 0 0 0 0 0 0 0 0";
  gate::test::write_file(dir / "callgrind.out.4242.1", dump_text(1, "Client Request: BM_a iterations=1", counts_a1));
  gate::test::write_file(dir / "callgrind.out.4242.2", dump_text(2, "Client Request: BM_b iterations=5", counts_b));
  gate::test::write_file(dir / "callgrind.out.4242.3", dump_text(3, "Client Request: BM_a iterations=2", counts_a3));
  gate::test::write_file(dir / "callgrind.out.4242", dump_text(4, "Program termination", "0"));
  gate::test::write_file(dir / "results.json", "{}");  // not a dump: not read

  auto counters = gate::read_callgrind_dir(dir.path());
  BOOST_TEST_REQUIRE(counters.size() == 2u);
  BOOST_TEST(counters[0].benchmark == "BM_a");
  BOOST_TEST(counters[0].iterations == 2);
  BOOST_TEST(metric(counters[0], "instructions") == 150.0);
  BOOST_TEST(counters[1].benchmark == "BM_b");
  BOOST_TEST(metric(counters[1], "instructions") == 100.0);

  gate::test::TempDir empty;
  BOOST_TEST(gate::read_callgrind_dir(empty.path()).empty());

  gate::test::write_file(dir / "callgrind.out.4242.5", "garbage\n");
  try {
    (void)gate::read_callgrind_dir(dir.path());
    BOOST_FAIL("expected an error");
  } catch (const gate::Error& e) {
    BOOST_TEST(std::string(e.what()).find("callgrind.out.4242.5:1:1: no 'events:' line") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()
