cmake_minimum_required(VERSION 3.25)
# Writes the message catalog (locales/<lang>/<area>.json) into a C++ source
# file, so that twostepd and twostep need no file at run time (docs/I18N.md).
# Run with -DLOCALES=<locales dir> -DOUT=<.cc file>; cmake/layers.cmake runs
# it again whenever one of the files changes.
file(GLOB files RELATIVE ${LOCALES} ${LOCALES}/*/*.json)
list(SORT files)
set(delim "twostep_catalog")
set(body "")
foreach(rel ${files})
  string(REGEX MATCH "^([^/]+)/([a-z]+)\\.json$" ok "${rel}")
  if(NOT ok)
    message(FATAL_ERROR "locales/${rel}: expected locales/<lang>/<area>.json")
  endif()
  set(lang ${CMAKE_MATCH_1})
  set(area ${CMAKE_MATCH_2})
  file(READ ${LOCALES}/${rel} text)
  string(FIND "${text}" ")${delim}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "locales/${rel} contains the raw-string delimiter")
  endif()
  string(APPEND body "    {\"${lang}\", \"${area}\", R\"${delim}(${text})${delim}\"},\n")
endforeach()
set(code "// Generated from locales/*/*.json by cmake/embed_catalog.cmake. Do not edit.
#include \"i18n/catalog_files.h\"

namespace twostep::i18n {

std::span<const CatalogFile> EmbeddedCatalogFiles() {
  static constexpr CatalogFile kFiles[] = {
${body}  };
  return kFiles;
}

}  // namespace twostep::i18n
")
# Rewritten only when it changed, so that an unrelated build compiles nothing.
set(tmp ${OUT}.tmp)
file(WRITE ${tmp} "${code}")
file(COPY_FILE ${tmp} ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${tmp})
