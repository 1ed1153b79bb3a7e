// Ports whose adapter a reload (SIGHUP) replaces while requests run: the
// mail transport (mail.smtp_*) and the GeoIP locator (geoip.*). Each holds
// its current adapter in a LiveValue: a call in progress finishes on the
// adapter it started with, the next call uses the new one, and the old
// adapter is destroyed when its last call returns. Thread-safe.
#pragma once

#include <memory>

#include "base/live_value.h"
#include "ports/geo_locator.h"
#include "ports/mail_transport.h"

namespace twostep::app {

class SwappableTransport : public MailTransport {
 public:
  explicit SwappableTransport(std::shared_ptr<MailTransport> first) : current_(std::move(first)) {}
  MailDelivery Send(const OutgoingMail& mail) override { return (*current_.Get())->Send(mail); }
  void Replace(std::shared_ptr<MailTransport> next) { current_.Set(std::move(next)); }

 private:
  LiveValue<std::shared_ptr<MailTransport>> current_;
};

class SwappableLocator : public GeoLocator {
 public:
  explicit SwappableLocator(std::shared_ptr<const GeoLocator> first) : current_(std::move(first)) {}
  std::optional<Location> Locate(const std::string& ip) const override {
    return (*current_.Get())->Locate(ip);
  }
  void Replace(std::shared_ptr<const GeoLocator> next) { current_.Set(std::move(next)); }

 private:
  LiveValue<std::shared_ptr<const GeoLocator>> current_;
};

}  // namespace twostep::app
