# Finds Google's S2 geometry library, which ships neither a CMake config nor a pkg-config file
# on Debian. Defines the imported target s2::s2.
find_path(S2_INCLUDE_DIR s2/s2point.h)
find_library(S2_LIBRARY s2)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(S2 REQUIRED_VARS S2_LIBRARY S2_INCLUDE_DIR)
if(S2_FOUND AND NOT TARGET s2::s2)
  add_library(s2::s2 UNKNOWN IMPORTED)
  set_target_properties(s2::s2 PROPERTIES
    IMPORTED_LOCATION "${S2_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${S2_INCLUDE_DIR}")
endif()
mark_as_advanced(S2_INCLUDE_DIR S2_LIBRARY)
