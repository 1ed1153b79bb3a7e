#include "service/place.h"

#include "i18n/messages.h"

namespace twostep::service {

std::optional<Location> LocateIn(const GeoLocator& geo, const std::string& ip, std::string_view lang) {
  auto location = geo.Locate(ip);
  if (location && !location->country_code.empty())
    location->country = i18n::CountryName(lang, location->country_code);
  return location;
}

std::string LocationText(const std::optional<Location>& l) {
  if (!l) return "";
  std::string out;
  for (const auto* part : {&l->city, &l->region, &l->country})
    if (!part->empty()) out += (out.empty() ? "" : ", ") + *part;
  return out;
}

domain::CodeRequester RequesterOf(const GeoLocator& geo, const domain::DeviceDescription& d,
                                  const std::string& ip, Timestamp at, std::string_view lang) {
  std::string device = d.name;
  std::string details;
  for (const auto* part : {&d.model, &d.os})
    if (!part->empty()) details += (details.empty() ? "" : ", ") + *part;
  if (!device.empty() && !details.empty()) device += " (" + details + ")";
  std::string app = d.app;
  if (!d.app.empty() && !d.app_version.empty()) app += " " + d.app_version;
  return {device, app, LocationText(LocateIn(geo, ip, lang)), ip, at};
}

}  // namespace twostep::service
