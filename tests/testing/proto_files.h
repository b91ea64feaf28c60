// Test helper: every .proto file of proto/fengqiao/v1, as the library's generated pool holds it,
// so that tests walking "every message" or "every enum" cover a new file without an edit.
#ifndef FENGQIAO_TESTS_TESTING_PROTO_FILES_H_
#define FENGQIAO_TESTS_TESTING_PROTO_FILES_H_

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"

namespace fengqiao::testing {

// One entry per file in the source tree's proto folder, sorted by name; nullptr for a file the
// library was not built with (a test should fail on it).
inline std::vector<const google::protobuf::FileDescriptor*> AllFengqiaoProtoFiles() {
  std::vector<std::string> names;
  for (const auto& entry :
       std::filesystem::directory_iterator(FENGQIAO_SOURCE_DIR "/proto/fengqiao/v1")) {
    if (entry.path().extension() == ".proto") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  std::vector<const google::protobuf::FileDescriptor*> out;
  for (const std::string& name : names) {
    out.push_back(
        google::protobuf::DescriptorPool::generated_pool()->FindFileByName("fengqiao/v1/" + name));
  }
  return out;
}

}  // namespace fengqiao::testing

#endif  // FENGQIAO_TESTS_TESTING_PROTO_FILES_H_
