#include "testing/fakes.h"

#include <condition_variable>
#include <thread>

namespace twostep::testing {

void ScriptedRandom::Fill(std::span<std::byte> out) {
  std::lock_guard lock(mutex_);
  for (auto& b : out) {
    if (pos_ < script_.size()) {
      b = static_cast<std::byte>(script_[pos_++]);
    } else {
      // splitmix64 step: deterministic, well spread.
      counter_ += 0x9e3779b97f4a7c15ULL;
      uint64_t z = counter_;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      b = static_cast<std::byte>(z ^ (z >> 31));
    }
  }
}

std::string FastHasher::Hash(const Secret& password) {
  ++hashes;
  return "fast$" + std::to_string(version) + "$" + std::string(password.Reveal());
}

bool FastHasher::Verify(const std::string& encoded_hash, const Secret& password) {
  if (on_verify) on_verify();
  ++verifies;
  auto pos = encoded_hash.find('$', 5);
  return pos != std::string::npos && password.Equals(encoded_hash.substr(pos + 1));
}

bool FastHasher::NeedsRehash(const std::string& encoded_hash) {
  return encoded_hash.rfind("fast$" + std::to_string(version) + "$", 0) != 0;
}

int VerifiesOfParallelCalls(FastHasher& hasher, int n, const std::function<void(int)>& call) {
  std::mutex m;
  std::condition_variable cv;
  int held = 0, returned = 0;
  bool open = false;
  hasher.on_verify = [&] {
    std::unique_lock lock(m);
    ++held;
    cv.notify_all();
    cv.wait_for(lock, std::chrono::seconds(20), [&] { return open; });
  };
  const int before = hasher.verifies;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      call(i);
      std::lock_guard lock(m);
      ++returned;
      cv.notify_all();
    });
  {
    std::unique_lock lock(m);
    cv.wait_for(lock, std::chrono::seconds(20), [&] { return held + returned >= n; });
    open = true;
  }
  cv.notify_all();
  for (auto& t : threads) t.join();
  hasher.on_verify = nullptr;
  return hasher.verifies - before;
}

MailDelivery RecordingTransport::Send(const OutgoingMail& mail) {
  if (fail_next > 0) {
    --fail_next;
    return MailDelivery::Retry("scripted failure");
  }
  if (reject_next > 0) {
    --reject_next;
    return MailDelivery::Rejected("scripted 550");
  }
  sent.push_back(mail);
  return MailDelivery::Sent();
}

}  // namespace twostep::testing
