// Round trips to PostgreSQL of the authenticated reads, as the server makes
// them (issue 18: each is latency, and a PostgreSQL parse when unprepared).
// Counted by the store (PgStore::RoundTrips) after a first call, which
// prepares the statements of the connection it used. Skipped without
// TEST_PG_URL (failed when TEST_PG_REQUIRED=1).
#include <gtest/gtest.h>

#include "testing/store_faults_world.h"

namespace twostep::app::faults {
namespace {

// The store fault tests' world and fixture, on PostgreSQL only.
using PgRoundTripsTest = StoreFaultsBackend;
INSTANTIATE_TEST_SUITE_P(Backends, PgRoundTripsTest, ::testing::Values("postgresql"),
                         [](const auto& info) { return info.param; });

TEST_P(PgRoundTripsTest, TheSecuritySummaryIsOneRoundTrip) {
  World w(backend_);
  auto& pg = dynamic_cast<pg::PgStore&>(*w.real);
  const Secret& token = w.phone_session.access_token;
  // The pool hands out its newest idle connection: this one prepares.
  ASSERT_TRUE(w.two_step.Security(token).ok());
  const int64_t before = pg.RoundTrips();
  auto v = w.two_step.Security(token);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->trusted_devices, 1);
  EXPECT_EQ(pg.RoundTrips() - before, 1);
}

}  // namespace
}  // namespace twostep::app::faults
