// Where a request came from, as a person reads it in their language (U17):
// the country named in the account's language (CLDR), city and region as
// the GeoIP database gives them, and the request as the mails name it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"
#include "domain/device.h"
#include "domain/mail_templates.h"
#include "ports/geo_locator.h"

namespace twostep::service {

// geo.Locate(ip) with `country` in `lang` (from country_code); nullopt when
// the address has no known location.
std::optional<Location> LocateIn(const GeoLocator& geo, const std::string& ip, std::string_view lang);

// "City, Region, Country" (the parts that are known); "" when none is.
std::string LocationText(const std::optional<Location>& location);

// The device, app, place (in `lang`), IP address and time of a request, as
// the code and new sign-in mails name them: device "Pixel 8 (GKWS6,
// Android 15)", app "kasa 3.4.1"; empty when unnamed.
domain::CodeRequester RequesterOf(const GeoLocator& geo, const domain::DeviceDescription& device,
                                  const std::string& ip, Timestamp at, std::string_view lang);

}  // namespace twostep::service
