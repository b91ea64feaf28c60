// A district's rules of work for orders, read from a text file and laid over CaseLoopOptions.
#include "fengqiao/closure/work_order_policy.h"

#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "fengqiao/mediation/consultation_calendar.h"
#include "fengqiao/mediation/working_calendar.h"
#include "fengqiao/status_macros.h"
#include "internal/proto_files.h"

namespace fengqiao {
namespace {

absl::Status InRange(const internal::SourceMap& map, const char* field, bool has, int32_t value,
                     int32_t lo, int32_t hi) {
  if (!has || (value >= lo && value <= hi)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(map.Where(field), ": ", field, " is ", value, ", outside ", lo, "..", hi));
}

}  // namespace

absl::StatusOr<v1::WorkOrderPolicy> LoadWorkOrderPolicy(absl::string_view path) {
  std::string text;
  FENGQIAO_RETURN_IF_ERROR(internal::ReadFile(path, &text));
  return ParseWorkOrderPolicy(text, path);
}

absl::StatusOr<v1::WorkOrderPolicy> ParseWorkOrderPolicy(absl::string_view text,
                                                         absl::string_view filename) {
  v1::WorkOrderPolicy p;
  internal::SourceMap map;
  FENGQIAO_RETURN_IF_ERROR(internal::ParseProto(text, filename, &p, &map));
  FENGQIAO_RETURN_IF_ERROR(
      InRange(map, "max_returns", p.has_max_returns(), p.max_returns(), 0, 100));
  // The counts the transition function keeps in one byte.
  FENGQIAO_RETURN_IF_ERROR(
      InRange(map, "max_extensions", p.has_max_extensions(), p.max_extensions(), 0, 127));
  FENGQIAO_RETURN_IF_ERROR(InRange(map, "max_extension_working_days",
                                   p.has_max_extension_working_days(),
                                   p.max_extension_working_days(), 1, 127));
  FENGQIAO_RETURN_IF_ERROR(InRange(map, "circular_after_working_days",
                                   p.has_circular_after_working_days(),
                                   p.circular_after_working_days(), 0, 60));
  FENGQIAO_RETURN_IF_ERROR(InRange(map, "supervision_after_rounds",
                                   p.has_supervision_after_rounds(), p.supervision_after_rounds(),
                                   1, 100));
  FENGQIAO_RETURN_IF_ERROR(InRange(map, "return_within_working_days",
                                   p.has_return_within_working_days(),
                                   p.return_within_working_days(), 0, 60));
  if (p.supervision_bodies_size() > 16) {
    return absl::InvalidArgumentError(absl::StrCat(map.Where("supervision_bodies[16]"),
                                                   ": at most 16 supervision bodies, not ",
                                                   p.supervision_bodies_size()));
  }
  std::set<std::string> seen;
  for (int i = 0; i < p.supervision_bodies_size(); ++i) {
    const std::string& body = p.supervision_bodies(i);
    const std::string where = map.Where(absl::StrCat("supervision_bodies[", i, "]"));
    if (body.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": supervision_bodies[", i, "] is empty"));
    }
    if (!seen.insert(body).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": supervision_bodies[", i, "] names a body already in the list"));
    }
  }
  return p;
}

CaseLoopOptions WithWorkOrderPolicy(CaseLoopOptions base, const v1::WorkOrderPolicy& policy) {
  if (policy.has_max_returns()) base.max_returns = policy.max_returns();
  if (policy.has_max_extensions()) base.max_extensions = policy.max_extensions();
  if (policy.has_max_extension_working_days()) {
    base.max_extension_working_days = policy.max_extension_working_days();
  }
  if (policy.has_circular_after_working_days()) {
    base.circular_after_working_days = policy.circular_after_working_days();
  }
  if (policy.has_supervision_after_rounds()) {
    base.supervision_after_rounds = policy.supervision_after_rounds();
  }
  if (policy.has_redo_on_dissatisfaction()) {
    base.redo_on_dissatisfaction = policy.redo_on_dissatisfaction();
  }
  if (policy.has_return_within_working_days()) {
    base.return_within_working_days = policy.return_within_working_days();
  }
  if (policy.supervision_bodies_size() > 0) {
    base.supervision_bodies.assign(policy.supervision_bodies().begin(),
                                   policy.supervision_bodies().end());
  }
  return base;
}

absl::StatusOr<std::shared_ptr<const CaseLoopOptions>> LoadDistrictRules(
    absl::string_view dir, absl::string_view calendar_path) {
  CaseLoopOptions options;
  ConsultationCalendarOptions meetings;
  const std::filesystem::path folder{std::string(dir)};
  std::error_code error;
  const std::string holidays = calendar_path.empty()
                                   ? (folder / "calendar" / "holidays.textproto").string()
                                   : std::string(calendar_path);
  if (!calendar_path.empty() || std::filesystem::exists(holidays, error)) {
    FENGQIAO_ASSIGN_OR_RETURN(meetings.working_calendar, WorkingCalendar::Load(holidays));
  }
  options.working_calendar = meetings.working_calendar;  // 办结时限 in working days
  options.consultation_calendar = std::make_shared<const ConsultationCalendar>(meetings);
  const std::string policy = (folder / "work_orders.textproto").string();
  if (std::filesystem::exists(policy, error)) {
    FENGQIAO_ASSIGN_OR_RETURN(v1::WorkOrderPolicy rules, LoadWorkOrderPolicy(policy));
    options = WithWorkOrderPolicy(std::move(options), rules);
  }
  return std::make_shared<const CaseLoopOptions>(std::move(options));
}

}  // namespace fengqiao
