// File: fengqiao/version.h
// The library version, in one place: CMake parses these three lines.
//
//   #include <string>
//   static_assert(FENGQIAO_VERSION_MAJOR == 0);
//   const std::string version = fengqiao::VersionString();  // "MAJOR.MINOR.PATCH"
//   if (version.empty()) return absl::InternalError("no version");
//
// Thread safety: constants only.
#ifndef FENGQIAO_VERSION_H_
#define FENGQIAO_VERSION_H_

#define FENGQIAO_VERSION_MAJOR 0
#define FENGQIAO_VERSION_MINOR 1
#define FENGQIAO_VERSION_PATCH 0

namespace fengqiao {

// "MAJOR.MINOR.PATCH" of the library the caller linked against.
const char* VersionString();

}  // namespace fengqiao

#endif  // FENGQIAO_VERSION_H_
