// Viewers for the store's access tests: who reads the case store, for what, in clear or not.
#ifndef FENGQIAO_TESTS_TESTING_VIEWERS_H_
#define FENGQIAO_TESTS_TESTING_VIEWERS_H_

#include <string>

#include "fengqiao/v1/case.pb.h"

namespace fengqiao::testing {

// The station chief (所长, member "m-chief") supervising `area`, in clear when `unmasked`.
inline v1::Viewer SupervisingChief(const std::string& area, bool unmasked) {
  v1::Viewer chief;
  chief.set_member_id("m-chief");
  chief.set_role(v1::VIEWER_ROLE_STATION_CHIEF);
  chief.add_area_codes(area);
  chief.set_purpose(v1::ACCESS_PURPOSE_SUPERVISION);
  chief.set_unmasked(unmasked);
  return chief;
}

}  // namespace fengqiao::testing

#endif  // FENGQIAO_TESTS_TESTING_VIEWERS_H_
