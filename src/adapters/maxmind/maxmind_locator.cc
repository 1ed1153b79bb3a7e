#include "adapters/maxmind/maxmind_locator.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include <boost/asio/ip/address.hpp>
#include <boost/json.hpp>
#include <maxminddb.h>
#include <spdlog/spdlog.h>

namespace twostep {

struct MaxMindLocator::Db {
  MMDB_s mmdb{};
  std::string path;
};

namespace {

std::string Text(MMDB_entry_s* entry, std::initializer_list<const char*> path) {
  std::vector<const char*> p(path);
  p.push_back(nullptr);
  MMDB_entry_data_s data{};
  if (MMDB_aget_value(entry, &data, p.data()) != MMDB_SUCCESS || !data.has_data ||
      data.type != MMDB_DATA_TYPE_UTF8_STRING)
    return "";
  return std::string(data.utf8_string, data.data_size);
}

// A coordinate (MaxMind stores doubles, DB-IP floats), rounded to 0.1°:
// the databases' own precision is a city's centre at best, and a finer
// figure would look like a street address it is not.
std::optional<double> Degrees(MMDB_entry_s* entry, std::initializer_list<const char*> path,
                              double limit) {
  std::vector<const char*> p(path);
  p.push_back(nullptr);
  MMDB_entry_data_s data{};
  if (MMDB_aget_value(entry, &data, p.data()) != MMDB_SUCCESS || !data.has_data) return std::nullopt;
  double v = data.type == MMDB_DATA_TYPE_DOUBLE  ? data.double_value
             : data.type == MMDB_DATA_TYPE_FLOAT ? static_cast<double>(data.float_value)
                                                 : std::nan("");
  if (!std::isfinite(v) || std::fabs(v) > limit) return std::nullopt;
  return std::round(v * 10.0) / 10.0;
}

std::map<std::string, std::string> LoadCountryNames(const std::string& path) {
  std::map<std::string, std::string> names;
  if (path.empty()) return names;
  std::ifstream in(path);
  if (!in) {
    spdlog::warn("ISO 3166 data not found at {}: country names will be codes", path);
    return names;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::error_code ec;
  auto doc = boost::json::parse(ss.str(), ec);
  if (ec || !doc.is_object() || !doc.as_object().contains("3166-1")) return names;
  for (const auto& c : doc.as_object().at("3166-1").as_array()) {
    const auto& o = c.as_object();
    auto code = o.if_contains("alpha_2");
    auto name = o.if_contains("common_name") ? o.if_contains("common_name") : o.if_contains("name");
    if (code && name && code->is_string() && name->is_string())
      names[std::string(code->as_string())] = std::string(name->as_string());
  }
  return names;
}

}  // namespace

bool IsNonPublicAddress(const std::string& ip) {
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(ip, ec);
  if (ec) return true;
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    a = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
  if (a.is_loopback() || a.is_unspecified() || a.is_multicast()) return true;
  if (a.is_v4()) {
    auto b = a.to_v4().to_bytes();
    return b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168) ||
           (b[0] == 169 && b[1] == 254) || (b[0] == 100 && (b[1] & 0xC0) == 64) || b[0] == 0;
  }
  auto v6 = a.to_v6();
  auto b = v6.to_bytes();
  return v6.is_link_local() || v6.is_site_local() || (b[0] & 0xFE) == 0xFC;
}

MaxMindLocator::MaxMindLocator(const std::vector<std::string>& files,
                               const std::string& iso3166_json)
    : country_names_(LoadCountryNames(iso3166_json)) {
  for (const auto& f : files) {
    auto db = std::make_unique<Db>();
    db->path = f;
    int rc = MMDB_open(f.c_str(), MMDB_MODE_MMAP, &db->mmdb);
    if (rc != MMDB_SUCCESS) {
      spdlog::warn(R"({{"event":"geoip_unavailable","file":"{}","error":"{}"}})", f, MMDB_strerror(rc));
      continue;
    }
    dbs_.push_back(std::move(db));
  }
}

MaxMindLocator::~MaxMindLocator() {
  for (auto& db : dbs_) MMDB_close(&db->mmdb);
}

std::optional<Location> MaxMindLocator::Locate(const std::string& ip) const {
  if (IsNonPublicAddress(ip)) return std::nullopt;
  for (const auto& db : dbs_) {
    int gai = 0, rc = 0;
    auto result = MMDB_lookup_string(&db->mmdb, ip.c_str(), &gai, &rc);
    if (gai != 0 || rc != MMDB_SUCCESS || !result.found_entry) continue;
    Location loc;
    loc.country_code = Text(&result.entry, {"country", "iso_code"});
    if (loc.country_code.empty()) {  // DB-IP flat layout
      loc.country_code = Text(&result.entry, {"country_code"});
      loc.city = Text(&result.entry, {"city"});
      loc.region = Text(&result.entry, {"state1"});
      loc.latitude = Degrees(&result.entry, {"latitude"}, 90);
      loc.longitude = Degrees(&result.entry, {"longitude"}, 180);
    } else {
      loc.city = Text(&result.entry, {"city", "names", "en"});
      loc.region = Text(&result.entry, {"subdivisions", "0", "names", "en"});
      loc.country = Text(&result.entry, {"country", "names", "en"});
      loc.latitude = Degrees(&result.entry, {"location", "latitude"}, 90);
      loc.longitude = Degrees(&result.entry, {"location", "longitude"}, 180);
    }
    if (loc.country_code.empty()) continue;
    if (!loc.latitude || !loc.longitude) loc.latitude = loc.longitude = std::nullopt;  // a pair or none
    auto name = country_names_.find(loc.country_code);
    if (name != country_names_.end()) loc.country = name->second;
    if (loc.country.empty()) loc.country = loc.country_code;
    return loc;
  }
  return std::nullopt;
}

}  // namespace twostep
