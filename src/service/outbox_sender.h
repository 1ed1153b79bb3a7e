// OutboxSender: delivers the mail outbox with retries and back-off. Mail is
// written to the outbox in the transaction of the change that causes it, so
// a committed change always gets its mail (at least once, also after a
// crash); this worker hands each message to the transport and deletes it on
// success. A temporary failure is retried with back-off; a permanent one
// (the receiving server refused the recipient) is not: the message is
// dropped and the account of that address is marked undeliverable
// (Store::MarkMailRejected), which a later accepted delivery clears.
// RunOnce is the testable step; Start/Stop run it on a thread that
// wakes on Notify() or when the next retry is due.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "ports/clock.h"
#include "ports/counters.h"
#include "ports/mail_transport.h"
#include "ports/store.h"

namespace twostep::service {

class OutboxSender {
 public:
  // `mail_domain` names the host part of Message-IDs.
  OutboxSender(Store& store, MailTransport& transport, const Clock& clock, Counters& counters,
               std::string mail_domain);
  ~OutboxSender();

  // Sends every message due now. Returns how many were delivered.
  int RunOnce();
  // Back-off after `attempts` failed tries: 5 s doubling, at most 1 hour.
  static seconds Backoff(int attempts);

  void Start();
  void Notify();
  // Stops the thread after one last delivery pass (graceful shutdown).
  void Stop();

 private:
  void Loop();
  // Hands one message to the transport and records the outcome; true
  // when it was delivered.
  bool Deliver(const OutboxItem& item, const OutgoingMail& mail);

  Store& store_;
  MailTransport& transport_;
  const Clock& clock_;
  Counters& counters_;
  const std::string mail_domain_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool wake_ = false;      // GUARDED_BY(mutex_)
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace twostep::service
