// MaxMindLocator: locations from MaxMind-format databases (libmaxminddb),
// tried in order. Reads MaxMind's nested layout (city.names.en,
// subdivisions[0].names.en, country.iso_code, location.latitude/longitude)
// and DB-IP's flat one (city, state1, country_code, latitude/longitude;
// coordinates rounded to 0.1°); country names come from ISO 3166 data (Debian's
// iso-codes). A missing or unreadable file is logged and skipped: the
// server runs with `location: null`. Thread-safe after construction.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ports/geo_locator.h"

namespace twostep {

class MaxMindLocator : public GeoLocator {
 public:
  // `iso3166_json`: path of iso_3166-1.json (empty or missing: names are the codes).
  MaxMindLocator(const std::vector<std::string>& files, const std::string& iso3166_json);
  ~MaxMindLocator() override;
  std::optional<Location> Locate(const std::string& ip) const override;
  size_t OpenDatabases() const { return dbs_.size(); }

 private:
  struct Db;
  std::vector<std::unique_ptr<Db>> dbs_;
  std::map<std::string, std::string> country_names_;
};

// True for loopback, private (RFC 1918, ULA), link-local, CGNAT,
// unspecified and multicast addresses, and for text that is not an address.
bool IsNonPublicAddress(const std::string& ip);

}  // namespace twostep
