#include "http/api_devices.h"

#include <charconv>

#include <boost/json.hpp>

#include "http/api_support.h"
#include "http/json_response.h"
#include "wire/notification_json.h"

namespace twostep::http {

namespace json = boost::json;

namespace {

// A non-negative integer query parameter; `fallback` when absent.
Result<int64_t> QueryInt(const HttpRequest& req, const std::string& key, int64_t fallback) {
  auto it = req.query.find(key);
  if (it == req.query.end() || it->second.empty()) return fallback;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc() || end != it->second.data() + it->second.size() || v < 0)
    return Error::InvalidRequest("Query parameter '" + key + "' must be a non-negative integer.");
  return v;
}

json::object EncodeDevice(const domain::DeviceDescription& d) {
  return {{"id", d.id}, {"name", d.name}, {"model", d.model}, {"os", d.os}, {"app", d.app},
          {"app_version", d.app_version}};
}

}  // namespace

void AddDeviceRoutes(Router& router, const ApiUseCases& use_cases) {
  service::Devices& devices = use_cases.devices;
  router.Add("GET", "/v1/account/trusted-devices", Lane::kWork,
             WithToken([&devices](const HttpRequest&, const PathParams&, const Secret& token) {
    TRY_ASSIGN(list, devices.List(token));
    json::array out;
    for (const auto& d : list)
      out.emplace_back(json::object{{"id", d.device.id}, {"name", d.device.name},
                                    {"model", d.device.model}, {"os", d.device.os},
                                    {"app", d.device.app},
                                    {"trusted_at", FormatRfc3339(d.trusted_at)},
                                    {"last_seen_at", FormatRfc3339(d.last_seen_at)},
                                    {"location", wire::EncodeLocation(d.location)},
                                    {"current", d.current}});
    return JsonResponse(200, out);
  }));
  router.Add("DELETE", "/v1/account/trusted-devices/{}", Lane::kWork,
             Authed(use_cases.sessions, [&devices](const HttpRequest& req, const PathParams& p,
                                                   const service::Caller& c) {
    auto r = devices.Remove(c, p[0], req.client_ip);
    if (!r) return ProblemResponse(r.error());
    return NoContent();
  }));
  router.Add("GET", "/v1/account/login-activity", Lane::kWork,
             WithToken([&devices](const HttpRequest& req, const PathParams&, const Secret& token) {
    TRY_ASSIGN(limit, QueryInt(req, "limit", 20));
    TRY_ASSIGN(before, QueryInt(req, "before", 0));
    TRY_ASSIGN(list, devices.Activity(token, static_cast<int>(std::min<int64_t>(limit, 1000)), before));
    json::array out;
    for (const auto& a : list)
      out.emplace_back(json::object{{"id", a.event.id},
                                    {"at", FormatRfc3339(a.event.at)},
                                    {"event", domain::NameOf(a.event.kind)},
                                    {"device", EncodeDevice(a.event.device)},
                                    {"app", a.event.device.app},
                                    {"ip", a.event.ip},
                                    {"location", wire::EncodeLocation(a.location)},
                                    {"trusted", a.event.trusted},
                                    {"method", domain::NameOf(a.event.method)},
                                    {"outcome", domain::NameOf(a.event.outcome)}});
    return JsonResponse(200, out);
  }));
}

}  // namespace twostep::http
