#include "i18n/catalog.h"

#include <boost/json.hpp>
#include <stdexcept>

#include "i18n/catalog_files.h"
#include "i18n/messages.h"

namespace twostep::i18n {

namespace json = boost::json;

Catalog::Catalog(std::span<const CatalogFile> files) {
  for (const CatalogFile& file : files) {
    const std::string where = "locales/" + std::string(file.lang) + "/" + std::string(file.area);
    boost::system::error_code ec;
    const json::value doc = json::parse(file.json, ec);
    if (ec || !doc.is_object()) throw std::logic_error(where + ".json: not a JSON object");
    Messages& messages = languages_[std::string(file.lang)];
    for (const auto& [key, value] : doc.as_object()) {
      if (!value.is_string()) throw std::logic_error(where + ".json: " + std::string(key) + " is not a string");
      if (!messages.emplace(std::string(key), std::string(value.as_string())).second)
        throw std::logic_error(where + ".json: " + std::string(key) + " defined twice");
    }
  }
}

const Catalog& Catalog::BuiltIn() {
  static const Catalog catalog(EmbeddedCatalogFiles());
  return catalog;
}

const std::string& Catalog::Resolve(std::string_view& lang, std::string_view key) const {
  if (!IsLanguage(lang)) lang = kDefaultLanguage;
  if (const std::string* pattern = Find(lang, key)) return *pattern;
  lang = kDefaultLanguage;
  if (const std::string* pattern = Find(lang, key)) return *pattern;
  throw std::logic_error("i18n: no English message " + std::string(key));
}

const std::string* Catalog::Find(std::string_view lang, std::string_view key) const {
  const Messages& messages = Of(lang);
  const auto it = messages.find(key);
  return it == messages.end() ? nullptr : &it->second;
}

const Messages& Catalog::Of(std::string_view lang) const {
  static const Messages kNone;
  const auto it = languages_.find(lang);
  return it == languages_.end() ? kNone : it->second;
}

}  // namespace twostep::i18n
