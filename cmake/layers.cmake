# The layers of twostep, one static library each, linked only in the allowed
# direction (docs/DESIGN.md opens with the map):
#
#   base <- domain <- ports <- service <- http <- app
#                        \<- wire <- adapters <-/
#   base <- i18n (the message catalog and ICU), used by domain and above
#
# `ports` is headers only (the interfaces and the types they speak); `wire`
# holds the formats several outer layers share (the notification JSON).
# A symbol used against the direction does not link, and an include against
# it fails the build earlier: check_layers.cmake runs before the first
# compile. Used by the main build and by the fuzz build (fuzz/CMakeLists.txt)
# with another prefix, so neither keeps a hand-written list of sources.
#
# twostep_add_layers(PREFIX SRC_DIR THIRD_PARTY_TARGET)
function(twostep_add_layers prefix src third_party)
  function(_layer name)
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${src}/${name}/*.cc)
    list(FILTER sources EXCLUDE REGEX "_test\\.cc$|/main\\.cc$|/beast_impl\\.cc$")
    add_library(${prefix}${name} STATIC ${sources})
    target_include_directories(${prefix}${name} PUBLIC ${src})
    foreach(dep ${ARGN})
      target_link_libraries(${prefix}${name} PUBLIC ${prefix}${dep})
    endforeach()
  endfunction()

  _layer(base)
  target_link_libraries(${prefix}base PUBLIC ${third_party})
  # The messages of every language (locales/<lang>/<area>.json, see
  # docs/I18N.md) compiled in; a changed or added file rebuilds them.
  find_package(ICU 72 REQUIRED COMPONENTS uc i18n)
  set(locales ${src}/../locales)
  file(GLOB catalog_files CONFIGURE_DEPENDS ${locales}/*/*.json)
  set(catalog_cc ${CMAKE_CURRENT_BINARY_DIR}/generated/${prefix}catalog_files.cc)
  add_custom_command(OUTPUT ${catalog_cc}
    COMMAND ${CMAKE_COMMAND} -DLOCALES=${locales} -DOUT=${catalog_cc}
      -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/embed_catalog.cmake
    DEPENDS ${catalog_files} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/embed_catalog.cmake
    COMMENT "Embedding the message catalog (locales/)")
  _layer(i18n base)
  target_sources(${prefix}i18n PRIVATE ${catalog_cc})
  target_link_libraries(${prefix}i18n PUBLIC ICU::i18n ICU::uc)
  _layer(domain base i18n)
  add_library(${prefix}ports INTERFACE)
  target_link_libraries(${prefix}ports INTERFACE ${prefix}domain)
  _layer(service ports)
  _layer(wire ports)
  # Beast and Asio compiled once (separate compilation), for the server and
  # for the adapters (Asio's address parsing) and the command-line client,
  # which speaks HTTP and WebSocket too.
  add_library(${prefix}beast STATIC ${src}/http/beast_impl.cc)
  target_link_libraries(${prefix}beast PUBLIC ${third_party})
  _layer(adapters wire beast)
  _layer(http service wire beast)
  _layer(app http adapters)

  add_custom_target(${prefix}check_layers
    COMMAND ${CMAKE_COMMAND} -DSRC=${src} -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/check_layers.cmake
    COMMENT "Checking that includes follow the layers")
  add_dependencies(${prefix}base ${prefix}check_layers)
endfunction()
