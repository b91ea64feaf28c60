# Debian packages of fengqiao, built by CPack (`scripts/package.sh` builds and tests them):
#   libfengqiao0      the shared library
#   libfengqiao-dev   headers (with the generated *.pb.h), the .proto files, CMake config, .pc
#   python3-fengqiao  the Python package for Debian's python3
#   fengqiao-tools    the `fengqiao` command
# Configure with -DCMAKE_INSTALL_PREFIX=/usr so that the install layout is Debian's own
# (lib/x86_64-linux-gnu, lib/python3/dist-packages).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME fengqiao)
set(CPACK_PACKAGE_VENDOR "fengqiao")
set(CPACK_PACKAGE_CONTACT "fengqiao maintainers <fengqiao@invalid>")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "grid-based community policing (枫桥经验): grids, forces, incidents, routing, closure loop, metrics")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL lib dev python tools)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Run-time dependencies of the binaries from dpkg-shlibdeps; the packages' dependencies on each
# other from the component graph (same version).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
# libfengqiao.so.0 itself is found in the build tree (it is in libfengqiao0, not on the system).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS "${PROJECT_BINARY_DIR}/src")

set(CPACK_DEBIAN_LIB_PACKAGE_NAME libfengqiao0)
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_LIB_PACKAGE_GENERATE_SHLIBS ON)  # shlibs file and the ldconfig trigger
set(CPACK_COMPONENT_LIB_DESCRIPTION "fengqiao shared library")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libfengqiao-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_DEV_DEPENDS lib)
# What the public headers and fengqiaoConfig.cmake / fengqiao.pc need (protobuf, Abseil).
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libabsl-dev, libprotobuf-dev, protobuf-compiler, pkgconf")
set(CPACK_COMPONENT_DEV_DESCRIPTION "fengqiao headers, protos, CMake package and pkg-config file")

set(CPACK_DEBIAN_PYTHON_PACKAGE_NAME python3-fengqiao)
set(CPACK_DEBIAN_PYTHON_PACKAGE_SECTION python)
set(CPACK_COMPONENT_PYTHON_DEPENDS lib)
set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS
    "python3, python3-numpy, python3-pandas, python3-protobuf, python3-matplotlib")
set(CPACK_DEBIAN_PYTHON_PACKAGE_RECOMMENDS "fonts-wqy-microhei")  # Chinese labels in charts
set(CPACK_DEBIAN_PYTHON_PACKAGE_SUGGESTS "python3-dask, python3-distributed")
set(CPACK_COMPONENT_PYTHON_DESCRIPTION "fengqiao for Python 3 (pandas DataFrames in and out)")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME fengqiao-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION utils)
set(CPACK_COMPONENT_TOOLS_DEPENDS lib)
set(CPACK_COMPONENT_TOOLS_DESCRIPTION "the fengqiao command: district, rules check, metrics, locate")

include(CPack)
