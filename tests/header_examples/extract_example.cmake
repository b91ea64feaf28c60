# Turns the example of one public header into a program that runs it (the HeaderExamples tests).
#   cmake -DHEADER=include/fengqiao/x/y.h -DNAME=fengqiao/x/y.h -DOUT=y.cc -P extract_example.cmake
#
# The example of a header is the first run of consecutive comment lines that start with "//   "
# (two slashes, three spaces) before the include guard. It is the body of a function returning
# absl::Status: it declares everything it uses, may use FENGQIAO_ASSIGN_OR_RETURN /
# FENGQIAO_RETURN_IF_ERROR, reads files relative to the source tree (examples/data/...), writes
# only under std::filesystem::temp_directory_path(), and must return OK when run. Its #include
# lines are moved to the top of the program (the header itself is always included). Every public
# header has one; a header without one fails its test.
file(STRINGS "${HEADER}" lines ENCODING UTF-8)
set(body "")
set(includes "")
set(first_line 0)
set(line_no 0)
set(in_block FALSE)
foreach(line IN LISTS lines)
  math(EXPR line_no "${line_no} + 1")
  if(line MATCHES "^#ifndef")
    break()
  endif()
  if(line MATCHES "^//   (.*)$")
    if(NOT in_block)
      set(in_block TRUE)
      set(first_line ${line_no})
    endif()
    set(code_line "${CMAKE_MATCH_1}")
    if(code_line MATCHES "^#include")
      string(APPEND includes "${code_line}\n")
      set(code_line "")
    endif()
    string(APPEND body "${code_line}\n")
  elseif(in_block)
    break()
  endif()
endforeach()

if(first_line EQUAL 0)
  set(code "#include <cstdio>\nint main() {\n  std::fprintf(stderr, \"${NAME}: no example (a block of '//   ' lines before the include guard)\\n\");\n  return 1;\n}\n")
else()
  set(code "// Generated from ${NAME} by tests/header_examples/extract_example.cmake; do not edit.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include \"${NAME}\"
#include \"fengqiao/status_macros.h\"
${includes}
namespace {

absl::Status Example() {
#line ${first_line} \"${HEADER}\"
${body}
  return absl::OkStatus();
}

}  // namespace

int main() {
  const absl::Status status = Example();
  if (!status.ok()) {
    std::fprintf(stderr, \"${NAME}: the example returned %s\\n\", status.ToString().c_str());
    return 1;
  }
  std::printf(\"${NAME}: the example ran\\n\");
  return 0;
}
")
endif()
file(WRITE "${OUT}.tmp" "${code}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
