# Helpers shared by the build files.

# Warnings every target of ours compiles with.
set(FENGQIAO_WARNINGS -Wall -Wextra)

# fengqiao_module(NAME SOURCES a.cc ... [PRIVATE_DEPS ...])
# One OBJECT library per module, folded into the shared library `fengqiao` (OR-tools pattern).
# The module graph of docs/architecture.md is checked by tests/layering.
function(fengqiao_module name)
  cmake_parse_arguments(M "" "" "SOURCES;PRIVATE_DEPS" ${ARGN})
  add_library(fengqiao_${name} OBJECT ${M_SOURCES})
  target_compile_options(fengqiao_${name} PRIVATE ${FENGQIAO_WARNINGS})
  target_include_directories(fengqiao_${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>)
  target_link_libraries(fengqiao_${name} PUBLIC fengqiao_proto_objs ${M_PRIVATE_DEPS})
  set_property(GLOBAL APPEND PROPERTY FENGQIAO_MODULE_OBJECTS $<TARGET_OBJECTS:fengqiao_${name}>)
  set_property(GLOBAL APPEND PROPERTY FENGQIAO_MODULE_DEPS ${M_PRIVATE_DEPS})
endfunction()

# fengqiao_test(NAME SOURCES ...): one GoogleTest executable registered with ctest.
function(fengqiao_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_compile_options(${name} PRIVATE ${FENGQIAO_WARNINGS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PRIVATE fengqiao GTest::gmock GTest::gtest_main ${T_DEPS})
  target_compile_definitions(${name} PRIVATE
    FENGQIAO_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60)
endfunction()
