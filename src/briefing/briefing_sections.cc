// The sections of the briefings, each computed from the store's cases.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "briefing/internal/briefing_internal.h"
#include "fengqiao/closure/agenda.h"
#include "fengqiao/closure/case_loop.h"
#include "fengqiao/incident/incident.h"
#include "fengqiao/mediation/consultation_calendar.h"
#include "fengqiao/metrics/department_scorecard.h"
#include "fengqiao/metrics/scorecard_policy.h"
#include "fengqiao/privacy/masking.h"
#include "fengqiao/status_macros.h"
#include "fengqiao/store/warnings.h"
#include "fengqiao/vocabulary.h"

namespace fengqiao::briefing_internal {
namespace {

int64_t ReportedAt(const v1::Case& c) { return c.incident().reported_at().seconds(); }

bool In(const v1::Case& c, absl::Time start, absl::Time end) {
  return ReportedAt(c) >= absl::ToUnixSeconds(start) && ReportedAt(c) < absl::ToUnixSeconds(end);
}

bool Open(const v1::Case& c) {
  switch (c.state()) {
    case v1::CASE_STATE_CLOSED:
    case v1::CASE_STATE_CANCELLED:
    case v1::CASE_STATE_DUPLICATE:
      return false;
    default:
      return true;
  }
}

std::string Zh(absl::string_view s) { return std::string(s); }

// A party as the briefing prints it: the masked name (张*明), or the masked id without a name.
std::string PartyName(const v1::Party& p) {
  return p.name().empty() ? MaskValue(v1::PERSONAL_KIND_NAME, p.person_id())
                          : MaskValue(v1::PERSONAL_KIND_NAME, p.name());
}

}  // namespace

absl::StatusOr<Cases> LoadCases(const CaseStore& store, const GridMap& grid_map) {
  Cases out;
  FENGQIAO_ASSIGN_OR_RETURN(std::vector<std::string> ids, store.Find(CaseQuery()));
  out.cases.reserve(ids.size());
  for (const std::string& id : ids) {
    FENGQIAO_ASSIGN_OR_RETURN(v1::Case c, store.Get(id));
    out.cases.push_back(std::move(c));
  }
  std::stable_sort(out.cases.begin(), out.cases.end(), [](const v1::Case& a, const v1::Case& b) {
    return ReportedAt(a) != ReportedAt(b) ? ReportedAt(a) < ReportedAt(b) : a.id() < b.id();
  });
  CaseRecordBuilder builder(grid_map);
  out.records.reserve(out.cases.size());
  for (const v1::Case& c : out.cases) out.records.push_back(builder.Add(c));
  out.civil_to_criminal = builder.civil_to_criminal();
  if (!out.cases.empty()) out.covered_from = absl::FromUnixSeconds(ReportedAt(out.cases.front()));
  return out;
}

absl::Status ViewAsOf(Cases& cases, absl::Time end,
                      const std::shared_ptr<const CaseLoopOptions>& loop_options) {
  const absl::Time last = end - absl::Seconds(1);
  for (v1::Case& c : cases.cases) {
    if (ReportedAt(c) > absl::ToUnixSeconds(last) || c.events_size() == 0 ||
        c.events(c.events_size() - 1).at().seconds() <= absl::ToUnixSeconds(last)) {
      continue;  // not yet reported, or nothing happened to it since
    }
    absl::StatusOr<v1::Case> then = CaseLoop::AsOf(c, last, loop_options);
    if (!then.ok()) {
      return absl::Status(
          then.status().code(),
          absl::StrCat(then.status().message(),
                       " (a briefing replays each case to its period's end under the rules it "
                       "was recorded under: BriefingOptions::loop_options; in Python district=, "
                       "on the command line the district's folder beside the grid map)"));
    }
    c = *std::move(then);
  }
  return absl::OkStatus();
}

BriefingSection DayByKind(const Cases& cases, absl::CivilDay day, absl::TimeZone tz,
                          int64_t incidents) {
  BriefingSection s = Section("警情概况");
  s.figures.push_back(Count("incidents", "当日警情", incidents));
  // The day against the same weekday of the four weeks before, over the weeks the store covers
  // (a week before its first case has no data; it is not a week of zero incidents).
  const absl::Time start = absl::FromCivil(day, tz), end = absl::FromCivil(day + 1, tz);
  int weeks = 0;
  for (int w = 1; w <= 4; ++w) {
    weeks += absl::FromCivil(day - 7 * w, tz) >=
                     absl::FromCivil(absl::ToCivilDay(cases.covered_from, tz), tz)
                 ? 1
                 : 0;
  }
  absl::btree_map<int, std::pair<int64_t, int64_t>> by_kind;  // kind -> (day, the weeks before)
  for (const v1::Case& c : cases.cases) {
    const int kind = c.incident().kind();
    if (In(c, start, end)) ++by_kind[kind].first;
    for (int w = 1; w <= weeks; ++w) {
      if (In(c, absl::FromCivil(day - 7 * w, tz), absl::FromCivil(day - 7 * w + 1, tz))) {
        ++by_kind[kind].second;
      }
    }
  }
  BriefingTable t =
      Table(weeks == 0 ? "按类别（案件库没有此前同一天的数据，无基线）"
                       : absl::StrCat("按类别（与前", weeks, "周同一天的平均数比较）"),
            {"类别", "当日", "前几周同日均值", "变化"});
  for (const auto& [kind, counts] : by_kind) {
    std::string avg_text = "无数据", change = "无基线";
    if (weeks > 0) {
      const double avg = static_cast<double>(counts.second) / weeks;
      avg_text = absl::StrFormat("%.2f", avg);
      change = avg == 0 ? (counts.first == 0 ? "持平" : "新增")
                        : absl::StrFormat("%+.0f%%", 100 * (counts.first - avg) / avg);
    }
    t.rows.push_back({Zh(LabelOf(static_cast<v1::IncidentKind>(kind)).zh),
                      absl::StrCat(counts.first), avg_text, change});
  }
  s.tables.push_back(std::move(t));
  return s;
}

BriefingSection Hotspots(const Cases& cases, const GridMap& grid_map, absl::Time start,
                         absl::Time end) {
  BriefingSection s = Section("网格热点");
  absl::flat_hash_map<std::string, int64_t> counts;
  for (const v1::Case& c : cases.cases) {
    if (In(c, start, end) && !c.incident().grid_code().empty()) ++counts[c.incident().grid_code()];
  }
  std::vector<std::pair<std::string, int64_t>> ranked(counts.begin(), counts.end());
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  s.svg = ChoroplethSvg(grid_map, ranked);
  BriefingTable t = Table("警情最多的网格", {"网格", "警情"});
  for (size_t i = 0; i < ranked.size() && i < 5; ++i) {
    const v1::Area* grid = grid_map.Find(ranked[i].first);
    const v1::Area* street = grid_map.AncestorAt(ranked[i].first, v1::AREA_LEVEL_STREET);
    t.rows.push_back({absl::StrCat(street != nullptr ? street->name() + " " : "",
                                   grid != nullptr ? grid->name() : ranked[i].first),
                      absl::StrCat(ranked[i].second)});
  }
  s.tables.push_back(std::move(t));
  return s;
}

BriefingSection RepeatParties(const Cases& cases, absl::Time end, absl::Duration window,
                              int min_cases) {
  BriefingSection s = Section("重复报警与重复当事人");
  const int64_t from = absl::ToUnixSeconds(end - window), to = absl::ToUnixSeconds(end);
  struct Seen {
    const v1::Party* party = nullptr;
    std::vector<std::string> case_ids;
  };
  std::map<std::string, Seen> by_person;
  for (const v1::Case& c : cases.cases) {
    if (ReportedAt(c) < from || ReportedAt(c) >= to) continue;
    for (const v1::Party& p : c.incident().parties()) {
      if (p.person_id().empty()) continue;
      Seen& seen = by_person[p.person_id()];
      seen.party = &p;
      seen.case_ids.push_back(c.id());
    }
  }
  BriefingTable t = Table(absl::StrCat("近", absl::ToInt64Hours(window) / 24, "天内涉及", min_cases,
                                       "起及以上警情的当事人"),
                          {"当事人", "警情数", "案件"});
  std::vector<std::pair<std::string, const Seen*>> rows;
  for (const auto& [person, seen] : by_person) {
    if (static_cast<int>(seen.case_ids.size()) >= min_cases) rows.push_back({person, &seen});
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.second->case_ids.size() != b.second->case_ids.size()
               ? a.second->case_ids.size() > b.second->case_ids.size()
               : a.first < b.first;
  });
  constexpr size_t kShown = 15;
  if (rows.size() > kShown) {
    s.note = absl::StrCat("共", rows.size(), "人，列出警情最多的", kShown, "人。");
    rows.resize(kShown);
  }
  for (const auto& [person, seen] : rows) {
    std::string ids;
    for (size_t i = 0; i < seen->case_ids.size() && i < 4; ++i) {
      absl::StrAppend(&ids, i == 0 ? "" : "、", seen->case_ids[i]);
    }
    if (seen->case_ids.size() > 4) absl::StrAppend(&ids, " 等");
    t.rows.push_back({PartyName(*seen->party), absl::StrCat(seen->case_ids.size()), ids});
  }
  s.tables.push_back(std::move(t));
  absl::StrAppend(&s.note, "当事人以身份编号识别（不以姓名比对），姓名已脱敏。");
  return s;
}

BriefingSection CivilToCriminalRisk(const Cases& cases, absl::Time end) {
  BriefingSection s = Section("民转刑风险");
  // The same party in two disputes where the later one is assessed more severe: a dispute that
  // is escalating between the same people (seeds: 防止"民转刑").
  struct Last {
    std::string case_id;
    v1::Severity severity;
    const v1::Party* party;
  };
  absl::flat_hash_map<std::string, Last> last;
  BriefingTable t = Table("同一当事人纠纷升级（后案严重程度高于前案）", {"当事人", "前案", "后案"});
  const int64_t to = absl::ToUnixSeconds(end);
  for (const v1::Case& c : cases.cases) {
    if (ReportedAt(c) >= to || c.incident().kind() != v1::INCIDENT_KIND_DISPUTE) continue;
    const v1::Severity severity = Classify(c.incident()).severity;
    for (const v1::Party& p : c.incident().parties()) {
      if (p.person_id().empty()) continue;
      auto it = last.find(p.person_id());
      if (it != last.end() && severity > it->second.severity && it->second.case_id != c.id()) {
        t.rows.push_back(
            {PartyName(p),
             absl::StrCat(it->second.case_id, "（", LabelOf(it->second.severity).zh, "）"),
             absl::StrCat(c.id(), "（", LabelOf(severity).zh, "）")});
      }
      last[p.person_id()] = {c.id(), severity, &p};
    }
  }
  std::reverse(t.rows.begin(), t.rows.end());  // the most recent first
  if (t.rows.size() > 15) t.rows.resize(15);
  s.tables.push_back(std::move(t));
  s.note = "严重程度为分级评估（简易、一般、重大复杂、紧急）；列出最近15条。";
  return s;
}

BriefingSection Overdue(const Cases& cases, absl::Time now, const NameOf& name_of) {
  BriefingSection s = Section("超期未办");
  // Three-colour warnings (三色预警) of every open order at the period's end.
  int64_t colours[v1::WarningColour_ARRAYSIZE] = {};
  std::vector<OrderWarning> red;
  for (const v1::Case& c : cases.cases) {
    if (ReportedAt(c) >= absl::ToUnixSeconds(now)) continue;
    if (const std::optional<OrderWarning> w = WarningOf(c, now); w.has_value()) {
      ++colours[w->colour];
      if (w->colour == v1::WARNING_COLOUR_RED) red.push_back(*w);
    }
  }
  s.figures.push_back(Count("warning_red", "红色预警（不足十分之一时限或已超期）",
                            colours[v1::WARNING_COLOUR_RED]));
  s.figures.push_back(Count("warning_amber", "黄色预警（剩余十分之一至四分之一）",
                            colours[v1::WARNING_COLOUR_AMBER]));
  s.figures.push_back(
      Count("warning_green", "绿色（剩余四分之一以上）", colours[v1::WARNING_COLOUR_GREEN]));
  std::vector<std::pair<int64_t, const v1::Case*>> late;
  for (const v1::Case& c : cases.cases) {
    if (!Open(c) || ReportedAt(c) >= absl::ToUnixSeconds(now)) continue;
    const std::optional<absl::Time> due = NextDue(c);
    if (due.has_value() && *due < now) late.push_back({absl::ToInt64Seconds(now - *due), &c});
  }
  std::sort(late.begin(), late.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  s.figures.push_back(Count("overdue", "超期未办案件", static_cast<int64_t>(late.size())));
  BriefingTable t =
      Table("截至当日24时超期的案件（超期最久的在前）", {"案件", "状态", "层级", "责任人", "超期"});
  for (size_t i = 0; i < late.size() && i < 20; ++i) {
    const v1::Case& c = *late[i].second;
    t.rows.push_back({c.id(), Zh(LabelOf(c.state()).zh), Zh(LabelOf(c.tier()).zh),
                      name_of(c.assignee()), absl::StrFormat("%.1f小时", late[i].first / 3600.0)});
  }
  s.tables.push_back(std::move(t));
  if (late.size() > 20) s.note = absl::StrCat("另有", late.size() - 20, "起未列出。");
  // The red orders by who answers for them: the department of a diverted matter, else the tier.
  std::stable_sort(red.begin(), red.end(), [](const OrderWarning& a, const OrderWarning& b) {
    return a.share_left < b.share_left;
  });
  BriefingTable reds = Table("红色预警工单（剩余时限最少的在前）",
                             {"案件", "责任部门", "时限", "责任人", "剩余/超期"});
  for (size_t i = 0; i < red.size() && i < 20; ++i) {
    const OrderWarning& w = red[i];
    const double hours = absl::ToDoubleHours(w.due - now);
    reds.rows.push_back(
        {w.case_id,
         w.department != v1::DEPARTMENT_UNSPECIFIED ? Zh(LabelOf(w.department).zh) : "（非分流）",
         w.deadline, name_of(w.holder),
         hours >= 0 ? absl::StrFormat("剩%.1f小时", hours)
                    : absl::StrFormat("超期%.1f小时", -hours)});
  }
  s.tables.push_back(std::move(reds));
  return s;
}

BriefingSection PerPerson(const Cases& cases, absl::Time start, absl::Time end,
                          const NameOf& name_of) {
  BriefingSection s = Section("各责任人情况");
  struct Row {
    int64_t cases = 0, closed = 0, overdue = 0, co_handled = 0, co_done = 0;
  };
  std::map<std::string, Row> rows;
  for (const v1::Case& c : cases.cases) {
    if (!In(c, start, end)) continue;
    // A case counts once, for its lead (主办); each co-handler (协办) is credited with its part.
    for (const v1::CoHandler& co : c.co_handlers()) {
      if (co.id().empty() || co.id() == c.assignee()) continue;
      Row& r = rows[co.id()];
      ++r.co_handled;
      r.co_done += co.has_done_at() ? 1 : 0;
    }
    if (c.assignee().empty()) continue;
    Row& r = rows[c.assignee()];
    ++r.cases;
    r.closed += c.state() == v1::CASE_STATE_CLOSED ? 1 : 0;
    const std::optional<absl::Time> due = NextDue(c);
    r.overdue += Open(c) && due.has_value() && *due < end ? 1 : 0;
  }
  BriefingTable t = Table("本周承办案件（按责任人；协办另计，案件只在主办处计一次）",
                          {"责任人", "承办", "已办结", "超期未办", "协办", "协办已完成"});
  std::vector<std::pair<std::string, Row>> sorted(rows.begin(), rows.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second.cases + a.second.co_handled > b.second.cases + b.second.co_handled;
  });
  constexpr size_t kShown = 20;
  if (sorted.size() > kShown) {
    s.note = absl::StrCat("共", sorted.size(), "名责任人，列出承办与协办最多的", kShown, "名。");
    sorted.resize(kShown);
  }
  for (const auto& [id, r] : sorted) {
    t.rows.push_back({name_of(id), absl::StrCat(r.cases), absl::StrCat(r.closed),
                      absl::StrCat(r.overdue), absl::StrCat(r.co_handled),
                      absl::StrCat(r.co_done)});
  }
  s.tables.push_back(std::move(t));
  return s;
}

BriefingSection DepartmentReturns(const Cases& cases, absl::Time start, absl::Time end) {
  BriefingSection s = Section("部门退回与分流");
  absl::btree_map<int, std::pair<int64_t, int64_t>> by_department;  // diverted, returned
  const int64_t from = absl::ToUnixSeconds(start), to = absl::ToUnixSeconds(end);
  for (const v1::Case& c : cases.cases) {
    if (In(c, start, end) && !IsPoliceMatter(c.incident())) {
      ++by_department[c.incident().responsible_department()].first;
    }
    for (const v1::CaseEvent& e : c.events()) {
      if (e.type() == v1::CASE_EVENT_TYPE_RETURN && e.at().seconds() >= from &&
          e.at().seconds() < to) {
        ++by_department[e.refused_by()].second;
      }
    }
  }
  BriefingTable t = Table("本周分流到各部门的事项与退回次数", {"部门", "分流", "退回"});
  for (const auto& [department, n] : by_department) {
    t.rows.push_back({Zh(LabelOf(static_cast<v1::Department>(department)).zh),
                      absl::StrCat(n.first), absl::StrCat(n.second)});
  }
  s.tables.push_back(std::move(t));
  return s;
}

BriefingSection Supervision(const Cases& cases, absl::Time start, absl::Time end,
                            const NameOf& name_of) {
  BriefingSection s = Section("督办");
  int64_t steps[v1::SupervisionStep_ARRAYSIZE] = {};
  const int64_t from = absl::ToUnixSeconds(start), to = absl::ToUnixSeconds(end);
  std::vector<const v1::Case*> climbed;
  for (const v1::Case& c : cases.cases) {
    for (const v1::CaseEvent& e : c.events()) {
      if (e.type() == v1::CASE_EVENT_TYPE_SUPERVISE && e.at().seconds() >= from &&
          e.at().seconds() < to && v1::SupervisionStep_IsValid(e.supervision_step())) {
        ++steps[e.supervision_step()];
      }
    }
    if (Open(c) && c.supervision().level() > 0 && ReportedAt(c) < to) climbed.push_back(&c);
  }
  for (int step = 1; step < v1::SupervisionStep_ARRAYSIZE; ++step) {
    const EnumLabel& label = LabelOf(static_cast<v1::SupervisionStep>(step));
    s.figures.push_back(
        Count(absl::StrCat("supervision_", label.short_name), std::string(label.zh), steps[step]));
  }
  std::sort(climbed.begin(), climbed.end(), [](const v1::Case* a, const v1::Case* b) {
    return a->supervision().level() != b->supervision().level()
               ? a->supervision().level() > b->supervision().level()
               : a->id() < b->id();
  });
  BriefingTable t = Table("提级督办中的工单（督办层级高的在前）",
                          {"案件", "承办", "督办单位", "催办通知书", "通报", "最近督办"});
  for (const v1::Case* c : climbed) {
    t.rows.push_back(
        {c->id(), name_of(c->assignee()), c->supervision().body(),
         absl::StrCat(c->supervision().notices()), absl::StrCat(c->supervision().circulars()),
         absl::FormatTime("%m-%d", absl::FromUnixSeconds(c->supervision().last_at().seconds()),
                          ChinaTimeZone())});
  }
  s.tables.push_back(std::move(t));
  s.note =
      "督办由指挥中心按工单办结时限进行：到期前催办，超期后发催办通知书，再逾期通报，数轮后提级督办"
      "（天数与轮次按本地工单规则）。";
  return s;
}

absl::StatusOr<BriefingSection> Scorecards(const Cases& cases, absl::Time end,
                                           const v1::ScorecardPolicy& policy, absl::TimeZone tz) {
  ScorecardOptions options;
  options.as_of = end;
  options.policy = policy;
  options.time_zone = tz;
  FENGQIAO_ASSIGN_OR_RETURN(std::unique_ptr<DepartmentScorecards> cards,
                            DepartmentScorecards::Create(options));
  cards->AddAll(cases.records);
  const v1::ScorecardReport report = cards->Report();
  BriefingSection s = Section("部门考核");
  const v1::ScorecardPolicy rules = EffectiveScorecardPolicy(policy);
  std::vector<std::string> header = {"部门", "工单"};
  for (const v1::ScorecardWeight& w : rules.indicators()) {
    header.push_back(std::string(LabelOf(w.indicator()).zh));
  }
  header.insert(header.end(), {"得分", "排名"});
  BriefingTable t =
      Table(absl::StrCat(LabelOf(rules.period()).zh, "（",
                         absl::FormatTime("%Y-%m-%d", internal::ToTime(report.period_start()), tz),
                         " 起）"),
            std::move(header));
  auto names = [&](const auto& departments) {
    std::vector<std::string> out;
    for (int d : departments) {
      for (const v1::DepartmentScore& score : report.departments()) {
        if (score.department() != d) continue;
        out.push_back(absl::StrFormat("%s %.2f", LabelOf(score.department()).zh, score.score()));
      }
    }
    return out.empty() ? std::string("无") : absl::StrJoin(out, "、");
  };
  for (const v1::DepartmentScore& d : report.departments()) {
    std::vector<std::string> row = {std::string(LabelOf(d.department()).zh),
                                    absl::StrCat(d.orders())};
    for (const v1::IndicatorScore& i : d.indicators()) {
      const bool count = IsCountIndicator(i.indicator());
      std::string cell =
          !i.rate().has_value() ? absl::StrCat("无（", i.rate().denominator(), "）")
          : count               ? absl::StrCat(i.rate().numerator())
                  : absl::StrFormat("%.1f%%（%d）", 100 * i.rate().value(), i.rate().denominator());
      if (i.below_threshold()) absl::StrAppend(&cell, "*");
      row.push_back(std::move(cell));
    }
    row.push_back(d.has_score() ? absl::StrFormat("%.2f", d.score()) : std::string("无"));
    row.push_back(d.rank() > 0 ? absl::StrCat(d.rank()) : std::string("—"));
    t.rows.push_back(std::move(row));
  }
  s.tables.push_back(std::move(t));
  s.figures.push_back(Count("scorecard_departments", "考核部门", report.departments_size()));
  s.figures.push_back(Count("scorecard_red_list", "红榜", report.red_list_size()));
  s.figures.push_back(Count("scorecard_black_list", "黑榜", report.black_list_size()));
  s.note = absl::StrCat("红榜：", names(report.red_list()), "；黑榜：", names(report.black_list()),
                        "。括号内为分母N；*为低于门槛、记0分的指标；工单少于 ", rules.min_orders(),
                        " 件的部门不排名。");
  return s;
}

BriefingSection CivilToCriminalCases(const Cases& cases, absl::Time start, absl::Time end) {
  BriefingSection s = Section("民转刑案件");
  absl::flat_hash_map<std::string, const v1::Case*> by_id;
  for (const v1::Case& c : cases.cases) by_id[c.id()] = &c;
  BriefingTable t = Table("由同一当事人之间的矛盾纠纷发展而来的刑事案件",
                          {"刑事案件", "此前纠纷", "共同当事人", "相隔"});
  for (const CivilToCriminalLink& link : cases.civil_to_criminal) {
    const auto it = by_id.find(link.criminal_case_id);
    if (it == by_id.end() || !In(*it->second, start, end)) continue;
    t.rows.push_back({link.criminal_case_id, link.dispute_case_id,
                      absl::StrCat(link.shared_parties, "人"),
                      absl::StrCat(link.seconds_after / 86400, "天")});
  }
  s.figures.push_back(
      Count("civil_to_criminal", "民转刑案件", static_cast<int64_t>(t.rows.size())));
  s.tables.push_back(std::move(t));
  s.note = "同一当事人：以身份编号识别，前后两案至少有两名共同当事人，相隔不超过90天。";
  return s;
}

BriefingSection MonthlyTrend(const Cases& cases, absl::CivilMonth month, absl::TimeZone tz) {
  BriefingSection s = Section("近13个月警情趋势");
  // Months before the store's first case have no data: left out of the chart, "无数据" in the
  // table (not a month of zero incidents).
  std::vector<std::string> labels;
  std::vector<int64_t> values;
  BriefingTable t = Table("逐月警情", {"月份", "警情"});
  const absl::CivilMonth first_covered(absl::ToCivilDay(cases.covered_from, tz));
  for (int i = 12; i >= 0; --i) {
    const absl::CivilMonth m = month - i;
    const absl::Time from = absl::FromCivil(m, tz), to = absl::FromCivil(m + 1, tz);
    if (cases.cases.empty() || m < first_covered) {
      t.rows.push_back({absl::FormatCivilTime(m), "无数据"});
      continue;
    }
    int64_t n = 0;
    for (const v1::Case& c : cases.cases) n += In(c, from, to) ? 1 : 0;
    labels.push_back(absl::FormatCivilTime(m));
    values.push_back(n);
    t.rows.push_back({absl::FormatCivilTime(m), absl::StrCat(n)});
  }
  if (values.size() >= 2) {
    s.svg = LineChartSvg(labels, values, "警情（起）");
  } else {
    absl::StrAppend(&s.note, "案件库的数据不足两个月，不画趋势图。");
  }
  s.tables.push_back(std::move(t));
  absl::StrAppend(&s.note, "同比为本月与去年同月比较，环比为与上月比较（见本月主要指标）。");
  return s;
}

namespace {

// "2026-10-09（星期五）", with the holiday it moved off: "2026-10-08（星期四，国庆节顺延）".
std::string MeetingDate(const Consultation& c, absl::TimeZone tz) {
  const absl::CivilDay day = absl::ToCivilDay(c.at, tz);
  return absl::StrCat(absl::FormatCivilTime(day), "（", WeekdayName(day),
                      c.moved_off.empty() ? "" : absl::StrCat("，", c.moved_off, "顺延"), "）");
}

// The name of the street a grid code lies in, or the code when the map does not know it.
std::string StreetOf(const GridMap& grid_map, const std::string& grid_code) {
  const v1::Area* street = grid_map.AncestorAt(grid_code, v1::AREA_LEVEL_STREET);
  return street == nullptr ? grid_code : street->name();
}

}  // namespace

absl::StatusOr<BriefingSection> Agendas(const Cases& cases, const GridMap& grid_map,
                                        absl::Time start, absl::Time end,
                                        const ConsultationCalendarOptions& calendar,
                                        const NameOf& name_of) {
  BriefingSection s = Section("“512”工作安排");
  ConsultationCalendarOptions options = calendar;
  std::string note = absl::StrCat(
      "周五街道包联领导带领驻村联社团队走访网格；", "周一街道会商社区难以解决的问题，",
      "周二区级会商街道难以解决的问题（新城“512”工作机制）。",
      "上会案件为社区调处不成、升级至街道的案件（周一）和街道会商提交区级的案件（周二），"
      "按本周末（周日24时）时的状态列出。");
  // The meeting after the week; a year whose holidays are not published yet falls back to the
  // weekly rhythm, and the page says so.
  auto next = [&](v1::AreaLevel level) -> absl::StatusOr<Consultation> {
    absl::StatusOr<Consultation> c = ConsultationCalendar(options).Next(level, end);
    if (c.ok() || !absl::IsFailedPrecondition(c.status()) || options.working_calendar == nullptr) {
      return c;
    }
    options.working_calendar = nullptr;
    absl::StrAppend(&note, "会商所在年份的节假日安排尚未发布，按每周例会日期列出。");
    return ConsultationCalendar(options).Next(level, end);
  };
  FENGQIAO_ASSIGN_OR_RETURN(const Consultation walk, next(v1::AREA_LEVEL_COMMUNITY));
  FENGQIAO_ASSIGN_OR_RETURN(const Consultation street, next(v1::AREA_LEVEL_STREET));
  FENGQIAO_ASSIGN_OR_RETURN(const Consultation district, next(v1::AREA_LEVEL_DISTRICT));
  const absl::TimeZone tz = options.time_zone;

  // Friday: per street, the grids with the most incidents of the week.
  std::map<std::pair<std::string, std::string>, int64_t> by_grid;  // (street, grid) -> incidents
  for (const v1::Case& c : cases.cases) {
    if (In(c, start, end))
      ++by_grid[{StreetOf(grid_map, c.incident().grid_code()), c.incident().grid_code()}];
  }
  std::map<std::string, std::vector<std::pair<int64_t, std::string>>> per_street;
  for (const auto& [key, n] : by_grid) per_street[key.first].push_back({n, key.second});
  BriefingTable visits = Table(absl::StrCat("周五走访：", MeetingDate(walk, tz)),
                               {"街道", "走访网格（本周警情最多的三个）"});
  for (auto& [street_name, grids] : per_street) {
    std::stable_sort(grids.begin(), grids.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    std::string cell;
    for (size_t i = 0; i < grids.size() && i < 3; ++i) {
      const v1::Area* g = grid_map.Find(grids[i].second);
      absl::StrAppend(&cell, i == 0 ? "" : "、", g == nullptr ? grids[i].second : g->name(), "（",
                      grids[i].first, "起）");
    }
    visits.rows.push_back({street_name, cell});
  }

  // Monday and Tuesday: the cases the loop put on each level's agenda (escalated past the
  // community, or sent up by the street), as they stood at the week's end (ViewAsOf).
  std::vector<v1::Case> then;  // the cases open at the week's end
  for (const v1::Case& c : cases.cases) {
    if (ReportedAt(c) < absl::ToUnixSeconds(end) && Open(c)) then.push_back(c);
  }
  int64_t street_count = 0, district_count = 0;
  auto agenda = [&](v1::AreaLevel level, const Consultation& meeting, const char* what,
                    int64_t& count) -> absl::StatusOr<BriefingTable> {
    BriefingTable t = Table(absl::StrCat(what, MeetingDate(meeting, tz)),
                            {"街道", "案件", "层级", "状态", "责任人", "上会时间", "已等待"});
    for (const v1::Area& area : grid_map.proto().areas()) {
      if (area.level() != level) continue;
      FENGQIAO_ASSIGN_OR_RETURN(std::vector<AgendaItem> items,
                                ConsultationAgenda(then, grid_map, level, area.code(), meeting.at));
      for (const AgendaItem& item : items) {
        const v1::Case& c = *item.c;
        t.rows.push_back(
            {StreetOf(grid_map, c.incident().grid_code()), c.id(), Zh(LabelOf(c.tier()).zh),
             Zh(LabelOf(c.state()).zh), name_of(c.assignee()),
             absl::FormatTime("%Y-%m-%d %H:%M", item.since, tz),
             absl::StrFormat("%.1f天", absl::ToDoubleHours(meeting.at - item.since) / 24)});
        ++count;
      }
    }
    return t;
  };
  FENGQIAO_ASSIGN_OR_RETURN(BriefingTable street_table,
                            agenda(v1::AREA_LEVEL_STREET, street, "周一街道会商：", street_count));
  FENGQIAO_ASSIGN_OR_RETURN(BriefingTable district_table, agenda(v1::AREA_LEVEL_DISTRICT, district,
                                                                 "周二区级会商：", district_count));
  s.figures.push_back(Count("agenda_street", "周一街道会商上会案件", street_count));
  s.figures.push_back(Count("agenda_district", "周二区级会商上会案件", district_count));
  // In the order the meetings are held after the week.
  std::vector<std::pair<absl::Time, BriefingTable>> tables;
  tables.push_back({walk.at, std::move(visits)});
  tables.push_back({street.at, std::move(street_table)});
  tables.push_back({district.at, std::move(district_table)});
  std::stable_sort(tables.begin(), tables.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [at, t] : tables) s.tables.push_back(std::move(t));
  s.note = std::move(note);
  return s;
}

}  // namespace fengqiao::briefing_internal
