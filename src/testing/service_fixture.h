// ServiceFixture: the use cases (built by the composition root, as in the
// server) on a real SQLite file in a temp dir, with a
// ManualClock, scripted randomness, FastHasher and the outbox delivered to a
// RecordingTransport. Service tests derive from it.
#pragma once

#include <functional>
#include <memory>
#include <regex>

#include <gtest/gtest.h>

#include "adapters/sqlite/sqlite_store.h"
#include "service/outbox_sender.h"
#include "app/use_cases.h"
#include "testing/fakes.h"
#include "testing/temp_dir.h"

namespace twostep::testing {

class ServiceFixture : public ::testing::Test {
 protected:
  ServiceFixture()
      : store_(dir_.path() + "/t.db"),
        keys_(ServerKeys{std::string(32, 'h'), std::string(32, 's')}),
        uses_(app::ServicePorts{store_, clock_, random_, hasher_, counters_, keys_, policy_,
                                notifier_, geo_}),
        outbox_(store_, transport_, clock_, counters_, "test") {}

  // Publishes a changed policy, as a reload (SIGHUP) does in the server.
  void ChangePolicy(const std::function<void(service::SecurityPolicy&)>& change) {
    service::SecurityPolicy next = *policy_.Get();
    change(next);
    policy_.Set(std::move(next));
  }

  // Delivers the outbox and returns the newest mail's 6-digit code to `to`.
  std::string LastCodeTo(const std::string& to) {
    outbox_.RunOnce();
    for (auto it = transport_.sent.rbegin(); it != transport_.sent.rend(); ++it) {
      if (it->message.to != to) continue;
      std::smatch m;
      if (std::regex_search(it->message.text, m, std::regex("\\b(\\d{6})\\b"))) return m[1];
    }
    return "";
  }

  TempDir dir_;
  sqlite::SqliteStore store_;
  ManualClock clock_;
  ScriptedRandom random_;
  FastHasher hasher_;
  RecordingCounters counters_;
  RecordingTransport transport_;
  RecordingNotifier notifier_;
  NoLocation geo_;
  SettableKeyRing keys_;
  service::LivePolicy policy_{service::SecurityPolicy{}};
  app::UseCases uses_;
  service::OutboxSender outbox_;
};

}  // namespace twostep::testing
