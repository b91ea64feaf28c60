#include "fengqiao/version.h"

#define FENGQIAO_STR_(x) #x
#define FENGQIAO_STR(x) FENGQIAO_STR_(x)

namespace fengqiao {

const char* VersionString() {
  return FENGQIAO_STR(FENGQIAO_VERSION_MAJOR) "." FENGQIAO_STR(
      FENGQIAO_VERSION_MINOR) "." FENGQIAO_STR(FENGQIAO_VERSION_PATCH);
}

}  // namespace fengqiao
