# saksi_add_plugin(<name> SOURCES <src>... [LIBRARIES <lib>...]
#                  [OUTPUT_DIRECTORY <dir>] [INSTALL_DIR <dir>] [NO_INSTALL])
#
# Builds a Saksi plugin: a shared library <name>.so compiled against the public
# headers and the header-only SDK, exporting only saksi_plugin_entry (hidden
# visibility plus a linker version script).
#
# In the Saksi tree (SAKSI_PLUGIN_OUTPUT_DIR and SAKSI_PLUGIN_INSTALL_DIR
# defined) it lands in the built-in plugin folder and installs with saksi
# unless NO_INSTALL is given. Outside it (find_package(Saksi)) those stay
# undefined: the library lands in the current build folder (or
# OUTPUT_DIRECTORY) and installs only into INSTALL_DIR when given, a folder
# you then name in --plugin-path or in saksi.toml's plugin_paths.
set(SAKSI_PLUGIN_VERSION_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/saksi_plugin.map)

function(saksi_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "NO_INSTALL" "OUTPUT_DIRECTORY;INSTALL_DIR"
                        "SOURCES;LIBRARIES")
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "saksi_add_plugin(${name}): no SOURCES given")
  endif()
  add_library(${name} MODULE ${arg_SOURCES})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${name} PRIVATE Saksi::sdk ${arg_LIBRARIES})
  target_link_options(${name} PRIVATE
    "LINKER:--version-script=${SAKSI_PLUGIN_VERSION_SCRIPT}" "LINKER:--no-undefined")
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${SAKSI_PLUGIN_VERSION_SCRIPT})
  if(arg_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${arg_OUTPUT_DIRECTORY})
  elseif(DEFINED SAKSI_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${SAKSI_PLUGIN_OUTPUT_DIR})
  endif()
  if(arg_NO_INSTALL)
    return()
  endif()
  if(arg_INSTALL_DIR)
    install(TARGETS ${name} LIBRARY DESTINATION ${arg_INSTALL_DIR})
  elseif(DEFINED SAKSI_PLUGIN_INSTALL_DIR)
    install(TARGETS ${name} LIBRARY DESTINATION ${SAKSI_PLUGIN_INSTALL_DIR})
  endif()
endfunction()
