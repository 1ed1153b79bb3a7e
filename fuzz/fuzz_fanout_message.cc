// A payload on the PostgreSQL notification channel → the fan-out message
// open (adapters/postgres/fanout_message.h). Any database role that may
// NOTIFY can send one, so the open must refuse anything it did not seal
// without crashing; a message that opens seals again under the same
// envelope and opens to the same contents.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

#include "adapters/postgres/fanout_message.h"
#include "wire/notification_json.h"

namespace {

// Nonces for the re-seal: any bytes do here.
class CounterRandom : public twostep::Random {
 public:
  void Fill(std::span<std::byte> out) override {
    for (auto& b : out) b = static_cast<std::byte>(++n_);
  }

 private:
  uint8_t n_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The key of the seed corpus (corpus/fanout_message/sealed-*).
  static const std::string key = twostep::pg::FanoutKey(std::string(32, 'k'));
  std::string_view payload(reinterpret_cast<const char*>(data), size);
  auto m = twostep::pg::OpenFanoutMessage(key, payload);
  if (!m) return 0;
  CounterRandom random;
  auto again = twostep::pg::OpenFanoutMessage(
      key, twostep::pg::SealFanoutMessage(key, m->envelope, m->notification, random));
  if (!again || again->envelope.account_id != m->envelope.account_id ||
      again->envelope.device_id != m->envelope.device_id ||
      again->notification.index() != m->notification.index() ||
      twostep::wire::NotificationText(again->notification) !=
          twostep::wire::NotificationText(m->notification))
    abort();
  return 0;
}
