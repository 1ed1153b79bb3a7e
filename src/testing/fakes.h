// Test doubles, one port each: ManualClock (advanced by hand), ScriptedRandom
// (deterministic bytes), RecordingCounters, FastHasher (a cheap stand-in for
// Argon2id in service tests; real Argon2id is tested on its own).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ports/clock.h"
#include "ports/counters.h"
#include "ports/mail_transport.h"
#include "ports/notifier.h"
#include "ports/password_hasher.h"
#include "ports/server_keys.h"
#include "base/live_value.h"
#include "base/random.h"

namespace twostep::testing {

class ManualClock : public Clock {
 public:
  explicit ManualClock(Timestamp start = FromMillis(1'800'000'000'000)) : now_(start) {}
  Timestamp Now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void Advance(milliseconds d) {
    std::lock_guard lock(mutex_);
    now_ += d;
  }

 private:
  mutable std::mutex mutex_;
  Timestamp now_;
};

// Returns the scripted bytes first, then a deterministic counter stream.
class ScriptedRandom : public Random {
 public:
  explicit ScriptedRandom(std::vector<uint8_t> script = {}) : script_(std::move(script)) {}
  void Fill(std::span<std::byte> out) override;
  void Push(const std::vector<uint8_t>& bytes) {
    std::lock_guard lock(mutex_);
    script_.insert(script_.end(), bytes.begin(), bytes.end());
  }

 private:
  std::mutex mutex_;
  std::vector<uint8_t> script_;
  size_t pos_ = 0;
  uint64_t counter_ = 0x9e3779b97f4a7c15ULL;
};

class RecordingCounters : public Counters {
 public:
  void Increment(std::string_view name, std::string_view label) override {
    std::lock_guard lock(mutex_);
    ++counts_[std::string(name) + "/" + std::string(label)];
  }
  int Get(const std::string& key) {
    std::lock_guard lock(mutex_);
    return counts_[key];
  }
  void SetGauge(std::string_view name, double value) override {
    std::lock_guard lock(mutex_);
    gauges_[std::string(name)] = value;
  }
  std::map<std::string, int> All() {
    std::lock_guard lock(mutex_);
    return counts_;
  }
  std::optional<double> Gauge(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto it = gauges_.find(name);
    return it == gauges_.end() ? std::nullopt : std::optional<double>(it->second);
  }

 private:
  std::mutex mutex_;
  std::map<std::string, int> counts_;
  std::map<std::string, double> gauges_;
};

// "fast$<version>$<password>": NOT a hash; lets service tests check
// rehash-on-parameter-change and verify without Argon2id's cost.
class FastHasher : public PasswordHasher {
 public:
  std::string Hash(const Secret& password) override;
  bool Verify(const std::string& encoded_hash, const Secret& password) override;
  bool NeedsRehash(const std::string& encoded_hash) override;
  int version = 1;
  // Atomic: concurrency tests hash from many threads.
  std::atomic<int> hashes = 0;
  std::atomic<int> verifies = 0;
  // Called at the start of every Verify (a test may hold the caller there).
  std::function<void()> on_verify;
};

// Runs call(0..n-1) on n threads at once and holds every Verify of
// `hasher` until each call has either reached the hasher or returned (with
// a 20 s deadline, never a sleep): on code that checks a limit and records
// the failure in separate steps, all n pass the check. Returns how many
// verifies ran.
int VerifiesOfParallelCalls(FastHasher& hasher, int n, const std::function<void(int)>& call);

class RecordingNotifier : public Notifier {
 public:
  struct Sent {
    std::string account_id;
    std::string device_id;
    Notification notification;
  };
  void Notify(const std::string& account_id, const std::string& device_id,
              const Notification& n) override {
    std::lock_guard lock(mutex_);
    sent.push_back({account_id, device_id, n});
  }
  std::vector<Sent> sent;

 private:
  std::mutex mutex_;
};

// Keys a test replaces by hand (a restart with other key files).
class SettableKeyRing : public KeyRing {
 public:
  explicit SettableKeyRing(ServerKeys keys) : keys_(std::move(keys)) {}
  void Set(ServerKeys keys) { keys_.Set(std::move(keys)); }
  std::shared_ptr<const ServerKeys> Current() const override { return keys_.Get(); }
  std::optional<KeyPair> Find(Transaction&, const std::string& key_id) const override {
    return keys_.Get()->ForKeyId(key_id);
  }

 private:
  LiveValue<ServerKeys> keys_;
};

class RecordingTransport : public MailTransport {
 public:
  MailDelivery Send(const OutgoingMail& mail) override;
  std::vector<OutgoingMail> sent;
  int fail_next = 0;    // temporary failures to answer first
  int reject_next = 0;  // then permanent refusals (SMTP 5xx at RCPT)
};

}  // namespace twostep::testing
