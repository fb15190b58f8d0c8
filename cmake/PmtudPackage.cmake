# SPDX-License-Identifier: GPL-2.0-or-later
#
# `cpack` (or `cmake --build build --target package`) makes a Debian package
# that installs the plugin into the system plugin folder of the Wireshark it
# was built against, and depends on exactly that libwireshark: a plugin
# only loads into the major.minor release it was built for.

# The package that ships the libwireshark we link, e.g. libwireshark16.
get_target_property(_epan_lib epan IMPORTED_LOCATION_NONE)
if(NOT _epan_lib)
  get_target_property(_epan_lib epan LOCATION)
endif()
get_filename_component(_epan_real "${_epan_lib}" REALPATH)
execute_process(COMMAND dpkg-query -S "${_epan_real}"
                OUTPUT_VARIABLE _owner ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
string(REGEX REPLACE "^([^:]+).*" "\\1" _libpkg "${_owner}")
if(_libpkg)
  math(EXPR _next_minor "${Wireshark_MINOR_VERSION} + 1")
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "${_libpkg} (>= ${PMTUD_WS_VERSION}), ${_libpkg} (<< ${Wireshark_MAJOR_VERSION}.${_next_minor})")
else()
  message(STATUS "pmtud: no Debian package owns ${_epan_real}; the .deb will have no dependency")
endif()

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "pmtud")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "pmtud developers <pmtud@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Wireshark plugin explaining ICMP fragmentation needed / Packet Too Big")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Links every ICMPv4 fragmentation-needed and ICMPv6 Packet Too Big to the frames it\nquotes, flags offload artefacts (TSO/GSO/LRO/GRO), bogus MTUs, oversize frames,\nsenders that ignore the ICMP and PMTUD black holes. Built for Wireshark ${PMTUD_WS_VERSION}.")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE "")   # dpkg --print-architecture
execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE CPACK_DEBIAN_PACKAGE_ARCHITECTURE
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
# The plugin folder is an absolute path from Wireshark's CMake config.
set(CPACK_SET_DESTDIR ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_PREFIX "/usr")
# tshark or wireshark to use the plugin at all; parallel for pmtud-batch.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "tshark | wireshark, parallel")
set(CPACK_COMPONENTS_ALL plugin profile tools)
include(CPack)
