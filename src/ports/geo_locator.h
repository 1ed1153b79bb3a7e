// GeoLocator: an approximate location for an IP address (never GPS).
// Private, loopback and unknown addresses have none. Thread-safe.
#pragma once

#include <optional>
#include <string>

namespace twostep {

struct Location {
  std::string city;
  std::string region;
  std::string country;       // English name from ISO 3166
  std::string country_code;  // ISO 3166-1 alpha-2
  // Degrees, rounded to 0.1° (about 11 km): where on a map the place is,
  // never a street. Absent when the database has none.
  std::optional<double> latitude;
  std::optional<double> longitude;
};

class GeoLocator {
 public:
  virtual ~GeoLocator() = default;
  virtual std::optional<Location> Locate(const std::string& ip) const = 0;
};

class NoLocation : public GeoLocator {
 public:
  std::optional<Location> Locate(const std::string&) const override { return std::nullopt; }
};

}  // namespace twostep
