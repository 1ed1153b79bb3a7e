// The OpenAPI 3.1 description of the API (docs/openapi.yaml), as the JSON
// served at GET /v1/openapi.json. Generated at build time
// (tools/openapi/embed.py), so it is the one the binary was built with.
#pragma once

#include <string_view>

namespace twostep::http {

std::string_view OpenApiJson();

}  // namespace twostep::http
