# cmake --install: the saksi binary and built-in plugins (installed by their
# own targets), the public headers, pipelines/ and config/ under share/saksi,
# and the CMake package for outside plugins (find_package(Saksi)).
include(CMakePackageConfigHelpers)

# The plugin ABI version, read from the header: the package reports it.
file(STRINGS ${PROJECT_SOURCE_DIR}/core/include/saksi/plugin_abi.h abi_lines
     REGEX "^#define SAKSI_ABI_(MAJOR|MINOR) [0-9]+")
string(REGEX REPLACE ".*SAKSI_ABI_MAJOR ([0-9]+).*" "\\1" abi_major "${abi_lines}")
string(REGEX REPLACE ".*SAKSI_ABI_MINOR ([0-9]+).*" "\\1" abi_minor "${abi_lines}")
set(SAKSI_ABI_VERSION "${abi_major}.${abi_minor}")

install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/saksi
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/pipelines ${PROJECT_SOURCE_DIR}/config
        DESTINATION ${CMAKE_INSTALL_DATADIR}/saksi)

set(SAKSI_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Saksi)
set_target_properties(saksi_sdk PROPERTIES EXPORT_NAME sdk)
install(TARGETS saksi_sdk EXPORT SaksiTargets)
install(EXPORT SaksiTargets NAMESPACE Saksi:: FILE SaksiTargets.cmake
        DESTINATION ${SAKSI_PACKAGE_DIR})

set(SAKSI_EXECUTABLE_DIR ${CMAKE_INSTALL_BINDIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/SaksiConfig.cmake.in
  ${PROJECT_BINARY_DIR}/SaksiConfig.cmake
  INSTALL_DESTINATION ${SAKSI_PACKAGE_DIR}
  PATH_VARS SAKSI_EXECUTABLE_DIR SAKSI_PLUGIN_INSTALL_DIR)
# 0.x: minor versions may break the SDK's C++ surface, so only the same
# minor matches; from 1.0 on, any 1.y >= the requested one.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(saksi_compatibility SameMinorVersion)
else()
  set(saksi_compatibility SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/SaksiConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY ${saksi_compatibility} ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/SaksiConfig.cmake
              ${PROJECT_BINARY_DIR}/SaksiConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/SaksiPlugin.cmake
              ${CMAKE_CURRENT_LIST_DIR}/saksi_plugin.map
        DESTINATION ${SAKSI_PACKAGE_DIR})
