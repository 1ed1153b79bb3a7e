// The cross-instance message format (security issue #23 item 10): every
// member that routes a message is bound to its box, so a payload captured
// on the database's channel cannot be redirected to another account or
// device, turned into another type, or passed off as another instance's.
#include "adapters/postgres/fanout_message.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "adapters/postgres/replay_guard.h"
#include "adapters/sodium/sodium_random.h"

namespace twostep::pg {
namespace {

namespace json = boost::json;

class FanoutMessageTest : public ::testing::Test {
 protected:
  std::string Seal(const Notification& n) {
    return SealFanoutMessage(key_, envelope_, n, random_);
  }
  static Notification Code() {
    return CodeRequested{"chl_0123",
                         Secret("482913"),
                         seconds(600),
                         FromMillis(1'700'000'000'000),
                         {"laptop-1", "Laptop", "X1", "Linux", "kasa", "1.0"},
                         "203.0.113.7",
                         Location{"Prague", "Prague", "Czechia", "CZ", 50.1, 14.4},
                         "zh-Hant"};
  }
  static Notification Removed() { return SignedOut{SignOutReason::kDeviceRemoved, "fam_7"}; }
  // The payload with one member replaced.
  static std::string With(const std::string& payload, std::string_view member, json::value v) {
    json::object o = json::parse(payload).as_object();
    o[member] = std::move(v);
    return json::serialize(o);
  }

  SodiumRandom random_;
  std::string key_ = FanoutKey(std::string(32, '\x42'));
  FanoutEnvelope envelope_{"ins_a", "acc_victim", "phone-0001", "msg_1", 1'700'000'000'123};
};

TEST_F(FanoutMessageTest, ACodeMessageRoundTripsAndNothingSecretIsInClear) {
  const std::string payload = Seal(Code());
  EXPECT_EQ(payload.find("482913"), std::string::npos);
  EXPECT_EQ(payload.find("203.0.113.7"), std::string::npos);
  EXPECT_EQ(payload.find("chl_0123"), std::string::npos);
  auto m = OpenFanoutMessage(key_, payload);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->envelope.origin, "ins_a");
  EXPECT_EQ(m->envelope.account_id, "acc_victim");
  EXPECT_EQ(m->envelope.device_id, "phone-0001");
  EXPECT_EQ(m->envelope.message_id, "msg_1");
  EXPECT_EQ(m->envelope.sent_at_ms, 1'700'000'000'123);
  const auto* code = std::get_if<CodeRequested>(&m->notification);
  ASSERT_TRUE(code);
  const CodeRequested& n = *code;
  EXPECT_EQ(n.code.Reveal(), "482913");
  EXPECT_EQ(n.challenge_id, "chl_0123");
  EXPECT_EQ(n.expires_in, seconds(600));
  EXPECT_EQ(ToMillis(n.requested_at), 1'700'000'000'000);
  EXPECT_EQ(n.requester.name, "Laptop");
  EXPECT_EQ(n.requester.id, "laptop-1");
  EXPECT_EQ(n.requester_ip, "203.0.113.7");
  ASSERT_TRUE(n.requester_location);
  EXPECT_EQ(n.requester_location->country_code, "CZ");
  // The coordinates cross too: the other instance's trusted browser draws the dot there.
  EXPECT_EQ(n.requester_location->latitude, 50.1);
  EXPECT_EQ(n.requester_location->longitude, 14.4);
  // And the account's language: the receiving instance writes the push alert in it.
  EXPECT_EQ(n.language, "zh-Hant");
}

TEST_F(FanoutMessageTest, EveryTypeIsSealedAndRoundTrips) {
  auto m = OpenFanoutMessage(key_, Seal(Removed()));
  ASSERT_TRUE(m);
  const auto* out = std::get_if<SignedOut>(&m->notification);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->reason, SignOutReason::kDeviceRemoved);
  EXPECT_EQ(out->family_id, "fam_7");  // which session's connection
  m = OpenFanoutMessage(key_, Seal(ChallengeResolved{"chl_9", ResolvedOutcome::kExhausted}));
  ASSERT_TRUE(m);
  const auto* resolved = std::get_if<ChallengeResolved>(&m->notification);
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->outcome, ResolvedOutcome::kExhausted);
  EXPECT_EQ(resolved->challenge_id, "chl_9");
}

TEST_F(FanoutMessageTest, ARedirectedOrAlteredMessageDoesNotOpen) {
  for (const std::string& payload : {Seal(Code()), Seal(Removed())}) {
    ASSERT_TRUE(OpenFanoutMessage(key_, payload));
    EXPECT_FALSE(OpenFanoutMessage(key_, With(payload, "account", json::value("acc_attacker"))));
    EXPECT_FALSE(OpenFanoutMessage(key_, With(payload, "device", json::value("attacker-dev1"))));
    EXPECT_FALSE(OpenFanoutMessage(key_, With(payload, "origin", json::value("ins_b"))));
    EXPECT_FALSE(OpenFanoutMessage(key_, With(payload, "id", json::value("msg_2"))));
    EXPECT_FALSE(OpenFanoutMessage(key_, With(payload, "sent_at", json::value(1'800'000'000'000))));
    for (const char* type : {"verification_code", "challenge_resolved", "signed_out"}) {
      if (json::parse(payload).as_object().at("type").as_string() == type) continue;
      EXPECT_FALSE(OpenFanoutMessage(key_, With(payload, "type", json::value(type)))) << type;
    }
    // One flipped bit of the box.
    std::string box(json::parse(payload).as_object().at("box").as_string());
    box[box.size() / 2] = box[box.size() / 2] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(OpenFanoutMessage(key_, With(payload, "box", json::value(box))));
  }
}

TEST_F(FanoutMessageTest, MessagesOfAnotherKeyOrWithoutABoxDoNotOpen) {
  const std::string payload = Seal(Code());
  EXPECT_FALSE(OpenFanoutMessage(FanoutKey(std::string(32, '\x43')), payload));
  // The seal key itself is not the fan-out key (derived, own context).
  EXPECT_FALSE(OpenFanoutMessage(std::string(32, '\x42'), payload));
  // The shape of today's messages before this format: no box at all.
  EXPECT_FALSE(OpenFanoutMessage(
      key_, R"({"origin":"ins_x","account":"acc_victim","device":"phone-0001",)"
            R"("type":"signed_out","challenge_id":"","outcome":"","reason":"signed_out"})"));
  for (const char* bad : {"", "null", "[]", "{}", "{\"v\":2}", "not json"})
    EXPECT_FALSE(OpenFanoutMessage(key_, bad)) << bad;
  for (int other : {1, 3})  // version 1 sealed another plaintext; 3 is unknown
    EXPECT_FALSE(OpenFanoutMessage(key_, With(payload, "v", json::value(other)))) << other;
  EXPECT_FALSE(OpenFanoutMessage(key_, With(payload, "box", json::value(""))));
}

// A message sealed outside this code (fuzz/tools/seal_fanout_message.py:
// Python's ctypes over libsodium, as documented in the header: crypto_kdf
// subkey 1 of context "tsfanout", length-prefixed associated data, the
// relay JSON): the format is what the docs say. The same payloads seed the
// fuzz corpus (fuzz/corpus/fanout_message/).
TEST(FanoutMessageFormatTest, OpensAMessageSealedByAnIndependentImplementation) {
  const std::string payload =
      R"({"v":2,"origin":"ins_0123","account":"acc_1","device":"phone-0001","type":"signed_out","id":"msg_1","sent_at":1700000000123)"
      R"(,"box":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXj4V6gIfuh4acJ1auzOcSbjWavJjPeo3kkU7x6gWqWMJzxzhgC9FU7E7SRkW/)"
      R"(7iVWW0dW5bxaaB7HVorjFl9sFgYNDonrR5Kjg1hY/2742rk="})";
  auto m = OpenFanoutMessage(FanoutKey(std::string(32, 'k')), payload);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->envelope.account_id, "acc_1");
  EXPECT_EQ(m->envelope.device_id, "phone-0001");
  EXPECT_EQ(m->envelope.sent_at_ms, 1'700'000'000'123);
  const auto* out = std::get_if<SignedOut>(&m->notification);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->reason, SignOutReason::kDeviceRemoved);
  EXPECT_EQ(out->family_id, "fam_7");
}

TEST(ReplayGuardTest, AMessageIsAcceptedOnceAndOnlyWhileRecent) {
  using V = ReplayGuard::Verdict;
  ReplayGuard guard(std::chrono::seconds(120), 1000);
  const int64_t now = 1'700'000'000'000;
  EXPECT_EQ(guard.Admit("msg_1", now - 10, now), V::kFresh);
  EXPECT_EQ(guard.Admit("msg_1", now - 10, now + 5), V::kReplayed);
  EXPECT_EQ(guard.Admit("msg_2", now - 121'000, now), V::kStale);   // too old
  EXPECT_EQ(guard.Admit("msg_3", now + 121'000, now), V::kStale);   // from the future
  EXPECT_EQ(guard.Admit("msg_4", now + 1'000, now), V::kFresh);     // small clock skew
  // Past the window the id is forgotten, and the message is stale anyway.
  EXPECT_EQ(guard.Admit("msg_1", now - 10, now + 200'000), V::kStale);
  EXPECT_EQ(guard.size(), 0u);
}

TEST(ReplayGuardTest, WhenFullTheOldestGoAndNothingOlderIsAccepted) {
  using V = ReplayGuard::Verdict;
  ReplayGuard guard(std::chrono::seconds(120), 3);
  const int64_t now = 1'700'000'000'000;
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(guard.Admit("msg_" + std::to_string(i), now + i, now), V::kFresh);
  EXPECT_EQ(guard.size(), 3u);
  // msg_0 was dropped for space: its replay is refused all the same.
  EXPECT_EQ(guard.Admit("msg_0", now, now), V::kStale);
  EXPECT_EQ(guard.Admit("msg_3", now + 3, now), V::kReplayed);
  EXPECT_EQ(guard.Admit("msg_9", now + 9, now), V::kFresh);
}

}  // namespace
}  // namespace twostep::pg
