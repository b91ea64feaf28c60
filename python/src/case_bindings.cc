#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "bindings.h"
#include "checked_input.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/closure/work_order_policy.h"
#include "fengqiao/metrics/case_metrics.h"
#include "fengqiao/metrics/case_record.h"
#include "fengqiao/metrics/case_record_reader.h"
#include "fengqiao/metrics/department_scorecard.h"
#include "fengqiao/metrics/duration_sketch.h"
#include "fengqiao/metrics/scorecard_policy.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/store/case_access.h"
#include "fengqiao/store/sqlite_case_store.h"
#include "fengqiao/vocabulary.h"
#include "status_bridge.h"
#include "tools/compstat_format.h"

namespace fengqiao::python {
namespace {

absl::Time Seconds(double s) { return CheckedSeconds(s, "time"); }

// The CaseQuery of `find`'s arguments (the store's and a viewer's).
CaseQuery QueryOf(std::optional<int> state, const std::string& grid, std::optional<int> tier,
                  const std::string& assignee, std::optional<double> overdue_at, int limit,
                  std::optional<double> saved_since) {
  CaseQuery q;
  if (state) q.state = static_cast<v1::CaseState>(*state);
  q.grid_code = grid;
  if (tier) q.tier = static_cast<v1::Tier>(*tier);
  q.assignee = assignee;
  if (overdue_at) q.overdue_at = Seconds(*overdue_at);
  if (saved_since) q.saved_since = Seconds(*saved_since);
  q.limit = limit;
  return q;
}

// Metrics records as a dict of NumPy columns (what fengqiao.metrics.records frames).
py::dict RecordColumns(const CaseRecordTable& table) {
  const size_t n = table.records.size();
  Array<int64_t> reported_at(n);
  Array<int32_t> area(n), assign_s(n), accept_s(n), contact_s(n), arrival_s(n), resolve_s(n);
  Array<uint8_t> kind(n), dispute_type(n), department(n), channel(n), tier(n), force(n),
      co_handlers(n), co_on_time(n);
  Array<uint32_t> flags(n), returned_by(n);
  Array<uint8_t> order_department(n), supervision_steps(n), extensions(n);
  Array<int32_t> signoff_due_s(n), signoff_s(n), complete_due_s(n), complete_s(n);
  py::list ids;
  for (size_t i = 0; i < n; ++i) {
    const CaseRecord& r = table.records[i];
    ids.append(table.case_ids[i]);
    reported_at.mutable_at(i) = r.reported_at;
    area.mutable_at(i) = r.area;
    kind.mutable_at(i) = r.kind;
    dispute_type.mutable_at(i) = r.dispute_type;
    department.mutable_at(i) = r.department;
    channel.mutable_at(i) = r.channel;
    tier.mutable_at(i) = r.tier;
    force.mutable_at(i) = r.force;
    co_handlers.mutable_at(i) = r.co_handlers;
    co_on_time.mutable_at(i) = r.co_on_time;
    flags.mutable_at(i) = r.flags;
    assign_s.mutable_at(i) = r.assign_s;
    accept_s.mutable_at(i) = r.accept_s;
    contact_s.mutable_at(i) = r.contact_s;
    arrival_s.mutable_at(i) = r.arrival_s;
    resolve_s.mutable_at(i) = r.resolve_s;
    order_department.mutable_at(i) = r.order_department;
    returned_by.mutable_at(i) = r.returned_by;
    supervision_steps.mutable_at(i) = r.supervision_steps;
    extensions.mutable_at(i) = r.extensions;
    signoff_due_s.mutable_at(i) = r.signoff_due_s;
    signoff_s.mutable_at(i) = r.signoff_s;
    complete_due_s.mutable_at(i) = r.complete_due_s;
    complete_s.mutable_at(i) = r.complete_s;
  }
  py::dict out;
  out["case_id"] = ids;
  out["reported_at"] = reported_at;
  out["area"] = area;
  out["kind"] = kind;
  out["dispute_type"] = dispute_type;
  out["department"] = department;
  out["channel"] = channel;
  out["tier"] = tier;
  out["force"] = force;
  out["co_handlers"] = co_handlers;
  out["co_on_time"] = co_on_time;
  out["flags"] = flags;
  out["assign_s"] = assign_s;
  out["accept_s"] = accept_s;
  out["contact_s"] = contact_s;
  out["arrival_s"] = arrival_s;
  out["resolve_s"] = resolve_s;
  // Work-order facts (department scorecards); read-only: add_columns does not take them.
  out["order_department"] = order_department;
  out["returned_by"] = returned_by;
  out["supervision_steps"] = supervision_steps;
  out["extensions"] = extensions;
  out["signoff_due_s"] = signoff_due_s;
  out["signoff_s"] = signoff_s;
  out["complete_due_s"] = complete_due_s;
  out["complete_s"] = complete_s;
  return out;
}

// Dimensions and periods are parsed in one place, fengqiao::ParseEnum over the metrics.proto enums.
v1::Dimension DimensionFromName(const std::string& name) {
  return ValueOrThrow(ParseEnum<v1::Dimension>(name));
}

v1::PeriodKind PeriodFromName(const std::string& name) {
  return ValueOrThrow(ParseEnum<v1::PeriodKind>(name));
}

MetricsOptions BuildOptions(double period_start, double period_end,
                            const std::vector<std::string>& group_by,
                            const std::vector<std::string>& comparisons,
                            std::optional<double> as_of,
                            std::optional<std::pair<double, double>> baseline,
                            const std::optional<std::string>& time_zone,
                            const std::map<std::string, int>& thresholds, int threads) {
  MetricsOptions options;
  if (threads < 1 || threads > 256) {
    throw StatusNotOk{absl::InvalidArgumentError("threads: expected a whole number in [1, 256]")};
  }
  options.threads = threads;
  // Rate thresholds in seconds by step; the rates are named after them (arrival_within_5min).
  for (const auto& [step, seconds] : thresholds) {
    int* field = step == "arrival"   ? &options.arrival_seconds
                 : step == "accept"  ? &options.accept_seconds
                 : step == "contact" ? &options.contact_seconds
                 : step == "on_site" ? &options.on_site_seconds
                                     : nullptr;
    if (field == nullptr || seconds <= 0) {
      throw StatusNotOk{absl::InvalidArgumentError(absl::StrCat(
          "thresholds: ", field == nullptr ? "unknown step (arrival, accept, contact, on_site)"
                                           : "seconds must be positive"))};
    }
    *field = seconds;
  }
  options.period_start = Seconds(period_start);
  options.period_end = Seconds(period_end);
  for (const std::string& d : group_by) options.group_by.push_back(DimensionFromName(d));
  for (const std::string& p : comparisons) options.comparisons.push_back(PeriodFromName(p));
  if (as_of) options.as_of = Seconds(*as_of);
  if (baseline) {
    options.baseline = std::make_pair(Seconds(baseline->first), Seconds(baseline->second));
  }
  // A named zone from tzdata; none: China's (fengqiao::ChinaTimeZone, UTC+8 without tzdata).
  if (time_zone.has_value() && !absl::LoadTimeZone(*time_zone, &options.time_zone)) {
    throw StatusNotOk{absl::InvalidArgumentError(
        absl::StrCat("metrics: time zone \"", *time_zone, "\" not found (is tzdata installed?)"))};
  }
  return options;
}

// The NumPy arrays of a records dict, converted to the dtypes CaseRecordColumns reads and kept
// alive while their view is in use.
struct ColumnArrays {
  template <typename T>
  static std::optional<Array<T>> Get(const py::dict& d, const char* name) {
    return CheckedColumn<T>(d, "metrics columns", name);
  }
  explicit ColumnArrays(const py::dict& d)
      : reported_at(Get<int64_t>(d, "reported_at")),
        area(Get<int32_t>(d, "area")),
        kind(Get<uint8_t>(d, "kind")),
        dispute_type(Get<uint8_t>(d, "dispute_type")),
        department(Get<uint8_t>(d, "department")),
        channel(Get<uint8_t>(d, "channel")),
        tier(Get<uint8_t>(d, "tier")),
        force(Get<uint8_t>(d, "force")),
        co_handlers(Get<uint8_t>(d, "co_handlers")),
        co_on_time(Get<uint8_t>(d, "co_on_time")),
        flags(Get<uint32_t>(d, "flags")),
        assign_s(Get<int32_t>(d, "assign_s")),
        accept_s(Get<int32_t>(d, "accept_s")),
        contact_s(Get<int32_t>(d, "contact_s")),
        arrival_s(Get<int32_t>(d, "arrival_s")),
        resolve_s(Get<int32_t>(d, "resolve_s")) {
    if (!reported_at.has_value()) {
      throw StatusNotOk{absl::InvalidArgumentError("metrics columns: reported_at is required")};
    }
  }
  CaseRecordColumns View() const {
    CaseRecordColumns c;
    c.reported_at = python::View(reported_at);
    c.area = python::View(area);
    c.kind = python::View(kind);
    c.dispute_type = python::View(dispute_type);
    c.department = python::View(department);
    c.channel = python::View(channel);
    c.tier = python::View(tier);
    c.force = python::View(force);
    c.co_handlers = python::View(co_handlers);
    c.co_on_time = python::View(co_on_time);
    c.flags = python::View(flags);
    c.assign_s = python::View(assign_s);
    c.accept_s = python::View(accept_s);
    c.contact_s = python::View(contact_s);
    c.arrival_s = python::View(arrival_s);
    c.resolve_s = python::View(resolve_s);
    return c;
  }
  std::optional<Array<int64_t>> reported_at;
  std::optional<Array<int32_t>> area;
  std::optional<Array<uint8_t>> kind, dispute_type, department, channel, tier, force;
  std::optional<Array<uint8_t>> co_handlers, co_on_time;
  std::optional<Array<uint32_t>> flags;
  std::optional<Array<int32_t>> assign_s, accept_s, contact_s, arrival_s, resolve_s;
};

}  // namespace

void BindCases(py::module_& m) {
  py::class_<CaseLoop>(m, "CaseLoop", "A case with its event log and SLA deadlines.")
      .def_static(
          "open",
          [](const py::bytes& incident, const py::bytes& decision, double reported_at,
             const std::string& actor) {
            return ValueOrThrow(
                CaseLoop::Open(FromBytes<v1::Incident>(incident, "fengqiao.v1.Incident"),
                               FromBytes<v1::Decision>(decision, "fengqiao.v1.Decision"),
                               CheckedSeconds(reported_at, "reported_at"), actor));
          },
          py::arg("incident"), py::arg("decision"), py::arg("reported_at"), py::arg("actor"),
          "Opens a case: REPORT and TRIAGE events, deadlines from the decision's SLA.")
      .def_static(
          "restore",
          [](const py::bytes& stored) {
            return ValueOrThrow(CaseLoop::Restore(FromBytes<v1::Case>(stored, "fengqiao.v1.Case")));
          },
          py::arg("case"), "Rebuilds a case from its stored log (checked event by event).")
      .def(
          "record",
          [](CaseLoop& loop, const py::bytes& event) {
            ThrowIfError(loop.Record(FromBytes<v1::CaseEvent>(event, "fengqiao.v1.CaseEvent")));
          },
          py::arg("event"), "Appends a fengqiao.v1.CaseEvent (bytes); raises if refused.")
      .def(
          "merge",
          [](CaseLoop& lead, CaseLoop& duplicate, double at, const std::string& actor) {
            ThrowIfError(MergeDuplicate(lead, duplicate, CheckedSeconds(at, "at"), actor));
          },
          py::arg("duplicate"), py::arg("at"), py::arg("actor"),
          "并单: merges the duplicate request into this order, all or nothing (MERGE here, "
          "MARK_DUPLICATE there).")
      .def_property_readonly(
          "requests",
          [](const CaseLoop& l) {
            std::vector<py::bytes> out;
            for (const v1::Incident* r : Requests(l.proto())) out.push_back(ToBytes(*r));
            return out;
          },
          "Every requester's report (fengqiao.v1.Incident bytes), the order's own first.")
      .def(
          "overdue",
          [](const CaseLoop& loop, double now) {
            std::vector<py::bytes> out;
            for (const v1::Deadline& d : loop.Overdue(CheckedSeconds(now, "now")))
              out.push_back(ToBytes(d));
            return out;
          },
          py::arg("now"), "Deadlines due before now and not met (fengqiao.v1.Deadline bytes).")
      .def_property_readonly(
          "state", [](const CaseLoop& l) { return static_cast<int>(l.state().state); },
          "The case's state (fengqiao.v1.CaseState number).")
      .def_property_readonly(
          "proto", [](const CaseLoop& l) { return ToBytes(l.proto()); },
          "The case as fengqiao.v1.Case bytes.");

  py::class_<SqliteCaseStore>(m, "SqliteCaseStore", "The embedded SQLite case store.")
      .def_static(
          "open",
          [](const std::string& path, bool read_only, const std::string& key_file,
             const std::string& key_env, const std::string& district) {
            SqliteOptions options;
            options.read_only = read_only;
            if (!district.empty()) options.loop_options = ValueOrThrow(LoadDistrictRules(district));
            if (!key_file.empty()) {
              options.key = ValueOrThrow(ReadStoreKeyFile(key_file));
            } else if (!key_env.empty()) {
              options.key = ValueOrThrow(StoreKeyFromEnvironment(key_env.c_str()));
            }
            return ValueOrThrow(SqliteCaseStore::Open(path, options));
          },
          py::arg("path"), py::arg("read_only") = false, py::arg("key_file") = "",
          py::arg("key_env") = "", py::arg("district") = "",
          "Opens (creating if needed) the store at path; read_only opens an existing store "
          "without changing anything (save raises FailedPrecondition). An encrypted store's key "
          "comes from key_file (64 hex digits, chmod 600) or the environment variable key_env.")
      .def(
          "save",
          [](SqliteCaseStore& s, const std::vector<py::bytes>& cases, std::optional<double> now) {
            std::vector<v1::Case> parsed;
            for (const py::bytes& b : cases)
              parsed.push_back(FromBytes<v1::Case>(b, "fengqiao.v1.Case"));
            std::vector<const v1::Case*> ptrs;
            for (const v1::Case& c : parsed) ptrs.push_back(&c);
            // The binding is the edge: without `now` the save is dated by the wall clock.
            const absl::Time at = now.has_value() ? Seconds(*now) : absl::Now();
            RunWithoutGil([&] { return s.Save(ptrs, at); });
          },
          py::arg("cases"), py::arg("now") = py::none(),
          "Saves cases (fengqiao.v1.Case bytes) in one transaction, dated now (unix seconds; the "
          "wall clock when None). Raises fengqiao.AbortedError when a case's stored log moved on "
          "since it was read: reload it and retry.")
      .def(
          "get",
          [](const SqliteCaseStore& s, const std::string& id) {
            return ToBytes(ValueOrThrow(s.Get(id)));
          },
          py::arg("case_id"), "The case with its log, as fengqiao.v1.Case bytes.")
      .def(
          "find",
          [](const SqliteCaseStore& s, std::optional<int> state, const std::string& grid,
             std::optional<int> tier, const std::string& assignee, std::optional<double> overdue_at,
             int limit, std::optional<double> saved_since) {
            const CaseQuery q =
                QueryOf(state, grid, tier, assignee, overdue_at, limit, saved_since);
            return ValueOrThrow(s.Find(q));
          },
          py::arg("state") = py::none(), py::arg("grid") = "", py::arg("tier") = py::none(),
          py::arg("assignee") = "", py::arg("overdue_at") = py::none(), py::arg("limit") = 0,
          py::arg("saved_since") = py::none(), "Ids of the cases selected, ascending.")
      .def(
          "count_cases", [](const SqliteCaseStore& s) { return ValueOrThrow(s.CountCases()); },
          "Number of cases stored.")
      .def(
          "count_events", [](const SqliteCaseStore& s) { return ValueOrThrow(s.CountEvents()); },
          "Number of events stored.");

  py::class_<CaseAccess>(m, "CaseAccess",
                         "A viewer's scoped, masked and audited access to a case store.")
      .def_static(
          "open",
          [](SqliteCaseStore& store, std::shared_ptr<GridMap> map, const py::bytes& viewer) {
            return ValueOrThrow(
                CaseAccess::Open(&store, map, FromBytes<v1::Viewer>(viewer, "fengqiao.v1.Viewer")));
          },
          py::arg("store"), py::arg("grid_map"), py::arg("viewer"), py::keep_alive<0, 1>(),
          "Checks the viewer (fengqiao.v1.Viewer bytes) and opens its access to the store.")
      .def(
          "get",
          [](const CaseAccess& a, const std::string& id, std::optional<double> now) {
            const absl::Time at = now.has_value() ? Seconds(*now) : absl::Now();
            absl::StatusOr<v1::Case> c;
            {
              py::gil_scoped_release release;
              c = a.Get(id, at);
            }
            return ToBytes(ValueOrThrow(std::move(c)));
          },
          py::arg("case_id"), py::arg("now") = py::none(),
          "The case as the viewer may see it (fengqiao.v1.Case bytes); a read in clear is "
          "audited at now (the wall clock when None).")
      .def(
          "find",
          [](const CaseAccess& a, std::optional<int> state, const std::string& grid,
             std::optional<int> tier, const std::string& assignee, std::optional<double> overdue_at,
             int limit, std::optional<double> saved_since) {
            const CaseQuery q =
                QueryOf(state, grid, tier, assignee, overdue_at, limit, saved_since);
            absl::StatusOr<std::vector<std::string>> ids;
            {
              py::gil_scoped_release release;
              ids = a.Find(q);
            }
            return ValueOrThrow(std::move(ids));
          },
          py::arg("state") = py::none(), py::arg("grid") = "", py::arg("tier") = py::none(),
          py::arg("assignee") = "", py::arg("overdue_at") = py::none(), py::arg("limit") = 0,
          py::arg("saved_since") = py::none(), "Ids of the viewer's cases selected, ascending.")
      .def(
          "export",
          [](const CaseAccess& a, std::optional<double> now) {
            const absl::Time at = now.has_value() ? Seconds(*now) : absl::Now();
            absl::StatusOr<std::vector<v1::Case>> cases;
            {
              py::gil_scoped_release release;
              cases = a.Export(CaseQuery(), at);
            }
            std::vector<py::bytes> out;
            for (const v1::Case& c : ValueOrThrow(std::move(cases))) out.push_back(ToBytes(c));
            return out;
          },
          py::arg("now") = py::none(),
          "Every case of the viewer, masked as get, recorded as an export (purpose EXPORT).")
      .def(
          "erase_people",
          [](const CaseAccess& a, const std::vector<std::string>& person_ids,
             std::optional<double> now) {
            const absl::Time at = now.has_value() ? Seconds(*now) : absl::Now();
            absl::StatusOr<CaseAccess::Erasure> e;
            {
              py::gil_scoped_release release;
              e = a.ErasePeople(person_ids, at);
            }
            const CaseAccess::Erasure erased = ValueOrThrow(std::move(e));
            return py::make_tuple(erased.case_ids, erased.parties);
          },
          py::arg("person_ids"), py::arg("now") = py::none(),
          "Erases people's personal data from the viewer's cases: (case ids, parties).")
      .def(
          "erase_closed_before",
          [](const CaseAccess& a, double reported_before, std::optional<double> now) {
            const absl::Time at = now.has_value() ? Seconds(*now) : absl::Now();
            const absl::Time cutoff = Seconds(reported_before);
            absl::StatusOr<CaseAccess::Erasure> e;
            {
              py::gil_scoped_release release;
              e = a.EraseClosedBefore(cutoff, at);
            }
            const CaseAccess::Erasure erased = ValueOrThrow(std::move(e));
            return py::make_tuple(erased.case_ids, erased.parties);
          },
          py::arg("reported_before"), py::arg("now") = py::none(),
          "Retention: erases the parties of closed cases reported before: (case ids, parties).")
      .def(
          "audit_trail",
          [](const CaseAccess& a, std::optional<double> since, std::optional<double> until,
             const std::string& member_id, const std::string& case_id, std::optional<int> action,
             int limit, std::optional<double> now) {
            AuditQuery q;
            if (since) q.since = Seconds(*since);
            if (until) q.until = Seconds(*until);
            q.member_id = member_id;
            q.case_id = case_id;
            if (action) q.action = static_cast<v1::AuditAction>(*action);
            q.limit = limit;
            const absl::Time at = now.has_value() ? Seconds(*now) : absl::Now();
            absl::StatusOr<std::vector<v1::AuditRecord>> records;
            {
              py::gil_scoped_release release;
              records = a.AuditTrail(q, at);
            }
            std::vector<py::bytes> out;
            for (const v1::AuditRecord& r : ValueOrThrow(std::move(records)))
              out.push_back(ToBytes(r));
            return out;
          },
          py::arg("since") = py::none(), py::arg("until") = py::none(), py::arg("member_id") = "",
          py::arg("case_id") = "", py::arg("action") = py::none(), py::arg("limit") = 0,
          py::arg("now") = py::none(),
          "The audit trail (fengqiao.v1.AuditRecord bytes); the station chief's only.");

  m.def(
      "records_from_store",
      [](const SqliteCaseStore& store, std::shared_ptr<GridMap> map) {
        CaseRecordTable table;
        {
          py::gil_scoped_release release;
          table = ValueOrThrow(ReadCaseRecords(store, *map));
        }
        return RecordColumns(table);
      },
      py::arg("store"), py::arg("grid_map"),
      "Every stored case as metrics records, in report order: a dict of NumPy columns.");
  m.def(
      "records_from_access",
      [](const CaseAccess& access, std::shared_ptr<GridMap> map, std::optional<double> now) {
        const absl::Time at = now.has_value() ? Seconds(*now) : absl::Now();
        CaseRecordTable table;
        {
          py::gil_scoped_release release;
          table = ValueOrThrow(ReadCaseRecords(access, *map, at));
        }
        return RecordColumns(table);
      },
      py::arg("access"), py::arg("grid_map"), py::arg("now") = py::none(),
      "The viewer's cases as metrics records, in report order: a dict of NumPy columns.");

  py::class_<DurationSketch>(m, "DurationSketch",
                             "Percentiles of durations (seconds) that merge; exact up to "
                             "exact_limit samples, then within relative_error.")
      .def(py::init([](int64_t exact_limit, double relative_error) {
             DurationSketchOptions options;
             options.exact_limit = exact_limit;
             options.relative_error = relative_error;
             return DurationSketch(options);
           }),
           py::arg("exact_limit") = 100'000, py::arg("relative_error") = 0.001)
      .def(
          "add",
          [](DurationSketch& s, const Array<int64_t>& seconds) {
            const int64_t* data = seconds.data();
            for (py::ssize_t i = 0; i < seconds.size(); ++i) s.Add(data[i]);
          },
          py::arg("seconds"), "Adds whole seconds (negative ones are counted, not samples).")
      .def("merge", &DurationSketch::Merge, py::arg("other"))
      .def(
          "quantiles",
          [](const DurationSketch& s, const std::vector<double>& qs) { return s.Quantiles(qs); },
          py::arg("q"), "The q-quantiles (R type 7); NaN for an empty sketch.")
      .def_property_readonly("count", &DurationSketch::count)
      .def_property_readonly("negative", &DurationSketch::negative)
      .def_property_readonly("mean", &DurationSketch::mean)
      .def_property_readonly("exact", &DurationSketch::exact)
      .def_property_readonly("relative_error", &DurationSketch::relative_error)
      .def("state",
           [](const DurationSketch& s) {
             v1::DurationSketchState state;
             s.ToProto(&state);
             return ToBytes(state);
           })
      .def(
          "restore",
          [](DurationSketch& s, const py::bytes& data) {
            const v1::DurationSketchState state =
                FromBytes<v1::DurationSketchState>(data, "fengqiao.v1.DurationSketchState");
            if (!s.FromProto(state)) {
              ThrowIfError(absl::DataLossError(
                  "DurationSketchState: inconsistent or made with other options"));
            }
          },
          py::arg("state"));

  py::class_<CaseMetrics>(m, "Metrics",
                          "One pass of metrics over record columns; partials merge, also as bytes.")
      .def(py::init([](std::shared_ptr<GridMap> map, double period_start, double period_end,
                       const std::vector<std::string>& group_by,
                       const std::vector<std::string>& comparisons, std::optional<double> as_of,
                       std::optional<std::pair<double, double>> baseline,
                       const std::optional<std::string>& time_zone,
                       const std::map<std::string, int>& thresholds, int threads) {
             return ValueOrThrow(CaseMetrics::Create(
                 *map, BuildOptions(period_start, period_end, group_by, comparisons, as_of,
                                    baseline, time_zone, thresholds, threads)));
           }),
           py::keep_alive<1, 2>(), py::arg("grid_map"), py::arg("period_start"),
           py::arg("period_end"), py::arg("group_by") = std::vector<std::string>(),
           py::arg("comparisons") = std::vector<std::string>(), py::arg("as_of") = py::none(),
           py::arg("baseline") = py::none(), py::arg("time_zone") = py::none(),
           py::arg("thresholds") = std::map<std::string, int>(), py::arg("threads") = 1)
      .def(
          "add_columns",
          [](CaseMetrics& metrics, const py::dict& columns) {
            const ColumnArrays arrays(columns);
            const CaseRecordColumns c = arrays.View();
            RunWithoutGil([&] { return metrics.AddColumns(c); });
          },
          py::arg("columns"), "Adds records given as a dict of NumPy columns.")
      .def(
          "merge", [](CaseMetrics& a, const CaseMetrics& b) { ThrowIfError(a.Merge(b)); },
          py::arg("other"), "Adds another partial computed with the same options.")
      .def(
          "to_bytes", [](const CaseMetrics& m) { return py::bytes(m.SerializePartial()); },
          "The partial result as bytes (to send to another process).")
      .def(
          "merge_bytes",
          [](CaseMetrics& m, const py::bytes& data) {
            ThrowIfError(m.MergeSerialized(std::string(data)));
          },
          py::arg("data"), "Merges a partial result made by to_bytes.")
      .def(
          "report", [](const CaseMetrics& m) { return ToBytes(m.Report()); },
          "fengqiao.v1.MetricsReport bytes.")
      .def_property_readonly("group_count", &CaseMetrics::group_count, "Groups seen so far.");

  py::class_<DepartmentScorecards>(
      m, "Scorecards",
      "Department scorecards (部门考核) in one pass over stored cases; partials merge, also as "
      "bytes.")
      .def(py::init([](double as_of, const py::bytes& policy,
                       const std::optional<std::string>& time_zone) {
             ScorecardOptions options;
             options.as_of = Seconds(as_of);
             options.policy = FromBytes<v1::ScorecardPolicy>(policy, "fengqiao.v1.ScorecardPolicy");
             if (time_zone.has_value() && !absl::LoadTimeZone(*time_zone, &options.time_zone)) {
               throw StatusNotOk{absl::InvalidArgumentError(absl::StrCat(
                   "scorecards: time zone \"", *time_zone, "\" not found (is tzdata installed?)"))};
             }
             return ValueOrThrow(DepartmentScorecards::Create(std::move(options)));
           }),
           py::arg("as_of"), py::arg("policy"), py::arg("time_zone") = py::none())
      .def(
          "add_store",
          [](DepartmentScorecards& cards, const SqliteCaseStore& store,
             std::shared_ptr<GridMap> map) {
            RunWithoutGil([&]() -> absl::Status {
              FENGQIAO_ASSIGN_OR_RETURN(CaseRecordTable table, ReadCaseRecords(store, *map));
              cards.AddAll(table.records);
              return absl::OkStatus();
            });
          },
          py::arg("store"), py::arg("grid_map"), "Adds every stored case.")
      .def(
          "add_access",
          [](DepartmentScorecards& cards, const CaseAccess& access, std::shared_ptr<GridMap> map,
             std::optional<double> now) {
            const absl::Time at = now.has_value() ? Seconds(*now) : absl::Now();
            RunWithoutGil([&]() -> absl::Status {
              FENGQIAO_ASSIGN_OR_RETURN(CaseRecordTable table, ReadCaseRecords(access, *map, at));
              cards.AddAll(table.records);
              return absl::OkStatus();
            });
          },
          py::arg("access"), py::arg("grid_map"), py::arg("now") = py::none(),
          "Adds the cases a viewer sees.")
      .def(
          "merge",
          [](DepartmentScorecards& a, const DepartmentScorecards& b) { ThrowIfError(a.Merge(b)); },
          py::arg("other"), "Adds another partial of the same period and as_of.")
      .def(
          "to_bytes", [](const DepartmentScorecards& c) { return py::bytes(c.SerializePartial()); },
          "The partial result as bytes.")
      .def(
          "merge_bytes",
          [](DepartmentScorecards& c, const py::bytes& data) {
            ThrowIfError(c.MergeSerialized(std::string(data)));
          },
          py::arg("data"), "Merges a partial result made by to_bytes.")
      .def(
          "report", [](const DepartmentScorecards& c) { return ToBytes(c.Report()); },
          "fengqiao.v1.ScorecardReport bytes.");
  m.def(
      "load_scorecard_policy",
      [](const std::string& path) { return ToBytes(ValueOrThrow(LoadScorecardPolicy(path))); },
      py::arg("path"), "A scorecard policy file, checked: fengqiao.v1.ScorecardPolicy bytes.");
  m.def(
      "parse_scorecard_policy",
      [](const py::bytes& text, const std::string& filename) {
        return ToBytes(ValueOrThrow(ParseScorecardPolicy(std::string(text), filename)));
      },
      py::arg("text"), py::arg("filename"),
      "A scorecard policy from text, checked: fengqiao.v1.ScorecardPolicy bytes.");
  m.def(
      "effective_scorecard_policy",
      [](const py::bytes& policy) {
        return ToBytes(EffectiveScorecardPolicy(
            FromBytes<v1::ScorecardPolicy>(policy, "fengqiao.v1.ScorecardPolicy")));
      },
      py::arg("policy"), "The policy with the library's defaults filled in.");
  m.def(
      "format_scorecards",
      [](const py::bytes& report) {
        return tools::FormatScorecards(
            FromBytes<v1::ScorecardReport>(report, "fengqiao.v1.ScorecardReport"));
      },
      py::arg("report"), "The scorecards as a sheet (text).");
  m.def(
      "format_compstat",
      [](const py::bytes& report) {
        return tools::FormatCompStat(
            FromBytes<v1::MetricsReport>(report, "fengqiao.v1.MetricsReport"));
      },
      py::arg("report"), "The report as a CompStat sheet (text).");
}

}  // namespace fengqiao::python
