// tests/main_test.cpp — the Boost.Test module of the gate's tests.
#define BOOST_TEST_MODULE gate
#include <boost/test/unit_test.hpp>
