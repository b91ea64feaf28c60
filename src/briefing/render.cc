// Briefings as one self-contained HTML page (A4, inline CSS and SVG) and as Markdown.
#include <algorithm>
#include <cctype>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "briefing/internal/briefing_internal.h"
#include "fengqiao/briefing/briefing.h"

namespace fengqiao {
namespace {

using briefing_internal::Escape;

// The figure's value as printed: a share as a percentage, a count as a number; "无" when it has
// no population.
std::string FigureValue(const BriefingFigure& f) {
  if (!f.defined) return "无";
  if (f.is_rate) return absl::StrFormat("%.1f%%", 100 * f.value);
  return absl::StrFormat("%.0f", f.value);
}

constexpr const char* kCss = R"css(
@page { size: A4 portrait; margin: 18mm; }
* { box-sizing: border-box; }
html { background: #fff; }
body { margin: 0 auto; max-width: 680px; font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC",
  sans-serif; font-size: 13px; line-height: 1.5; color: #222; }
header { border-bottom: 2px solid #a50f15; margin-bottom: 12px; }
h1 { font-size: 20px; margin: 8px 0 2px; }
.period { color: #555; margin: 0 0 8px; }
h2 { font-size: 15px; margin: 18px 0 6px; border-left: 4px solid #a50f15; padding-left: 6px;
  break-after: avoid; }
h3 { font-size: 13px; margin: 10px 0 4px; color: #444; }
section { break-inside: avoid-page; }
.figures { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0; }
.figure { flex: 1 1 200px; min-width: 0; border: 1px solid #ddd; border-radius: 3px; padding: 4px 8px; }
.figure .label { color: #555; font-size: 12px; }
.figure .value { font-size: 18px; font-weight: bold; }
.figure .n, .figure .seed { color: #666; font-size: 11px; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 2px 0 6px; }
th, td { border: 1px solid #ccc; padding: 2px 5px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #f3f3f3; font-weight: bold; }
td.num, th.num { text-align: right; }
.note { color: #555; font-size: 11px; margin: 2px 0 4px; }
.empty { color: #777; }
svg { display: block; max-width: 100%; height: auto; margin: 4px 0; }
footer { margin-top: 18px; border-top: 1px solid #ccc; color: #777; font-size: 11px; }
)css";

// A number, a signed change or a percentage, optionally followed by "（N）": right-aligned. Ids
// and dates ("2026-10-000853") are text.
bool LooksNumeric(const std::string& cell) {
  absl::string_view v(cell);
  if (const size_t paren = v.find("（"); paren != absl::string_view::npos) v = v.substr(0, paren);
  if (!v.empty() && (v.front() == '+' || v.front() == '-')) v.remove_prefix(1);
  if (v.empty() || !std::isdigit(static_cast<unsigned char>(v.front()))) return false;
  return std::all_of(v.begin(), v.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == ',' || c == '%';
  });
}

}  // namespace

std::string RenderHtml(const Briefing& b) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
      Escape(b.title), " ", Escape(b.period), "</title>\n<style>", kCss,
      "</style>\n</head>\n<body>\n<header><h1>", Escape(b.title), "</h1><p class=\"period\">",
      Escape(b.period), "</p></header>\n");
  for (const BriefingSection& s : b.sections) {
    absl::StrAppend(&out, "<section>\n<h2>", Escape(s.title), "</h2>\n");
    if (!s.figures.empty()) {
      absl::StrAppend(&out, "<div class=\"figures\">\n");
      for (const BriefingFigure& f : s.figures) {
        absl::StrAppend(&out, "<div class=\"figure\" data-figure=\"", Escape(f.key), "\" data-n=\"",
                        f.n, "\" data-value=\"", f.defined ? absl::StrFormat("%.6f", f.value) : "",
                        "\">", "<div class=\"label\">", Escape(f.label),
                        "</div><div class=\"value\">", FigureValue(f),
                        "</div><div class=\"n\">N = ", f.n, "</div>");
        if (!f.seed_value.empty()) {
          absl::StrAppend(&out, "<div class=\"seed\">标杆：", Escape(f.seed_value), "</div>");
        }
        absl::StrAppend(&out, "</div>\n");
      }
      absl::StrAppend(&out, "</div>\n");
    }
    if (!s.svg.empty()) absl::StrAppend(&out, s.svg, "\n");
    for (const BriefingTable& t : s.tables) {
      if (!t.title.empty()) absl::StrAppend(&out, "<h3>", Escape(t.title), "</h3>\n");
      if (t.rows.empty()) {
        absl::StrAppend(&out, "<p class=\"empty\">", Escape(t.empty_text), "</p>\n");
        continue;
      }
      absl::StrAppend(&out, "<table>\n<thead><tr>");
      for (const std::string& h : t.header) absl::StrAppend(&out, "<th>", Escape(h), "</th>");
      absl::StrAppend(&out, "</tr></thead>\n<tbody>\n");
      for (const auto& row : t.rows) {
        absl::StrAppend(&out, "<tr>");
        for (const std::string& cell : row) {
          absl::StrAppend(&out, LooksNumeric(cell) ? "<td class=\"num\">" : "<td>", Escape(cell),
                          "</td>");
        }
        absl::StrAppend(&out, "</tr>\n");
      }
      absl::StrAppend(&out, "</tbody>\n</table>\n");
    }
    if (!s.note.empty()) absl::StrAppend(&out, "<p class=\"note\">", Escape(s.note), "</p>\n");
    absl::StrAppend(&out, "</section>\n");
  }
  absl::StrAppend(
      &out, "<footer>由 fengqiao 根据案件库生成；个人信息已脱敏。</footer>\n</body>\n</html>\n");
  return out;
}

std::string RenderMarkdown(const Briefing& b) {
  const auto cell = [](const std::string& s) { return absl::StrReplaceAll(s, {{"|", "\\|"}}); };
  std::string out = absl::StrCat("# ", b.title, "\n\n", b.period, "\n");
  for (const BriefingSection& s : b.sections) {
    absl::StrAppend(&out, "\n## ", s.title, "\n\n");
    for (const BriefingFigure& f : s.figures) {
      absl::StrAppend(&out, "- ", f.label, "：**", FigureValue(f), "**（N = ", f.n, "）",
                      f.seed_value.empty() ? "" : absl::StrCat("，标杆 ", f.seed_value), "\n");
    }
    if (!s.figures.empty()) absl::StrAppend(&out, "\n");
    if (!s.svg.empty()) absl::StrAppend(&out, "（图表见 HTML 版）\n\n");
    for (const BriefingTable& t : s.tables) {
      if (!t.title.empty()) absl::StrAppend(&out, "### ", t.title, "\n\n");
      if (t.rows.empty()) {
        absl::StrAppend(&out, t.empty_text, "\n\n");
        continue;
      }
      absl::StrAppend(&out, "|");
      for (const std::string& h : t.header) absl::StrAppend(&out, " ", cell(h), " |");
      absl::StrAppend(&out, "\n|");
      for (size_t i = 0; i < t.header.size(); ++i) absl::StrAppend(&out, " --- |");
      absl::StrAppend(&out, "\n");
      for (const auto& row : t.rows) {
        absl::StrAppend(&out, "|");
        for (const std::string& c : row) absl::StrAppend(&out, " ", cell(c), " |");
        absl::StrAppend(&out, "\n");
      }
      absl::StrAppend(&out, "\n");
    }
    if (!s.note.empty()) absl::StrAppend(&out, "> ", s.note, "\n");
  }
  absl::StrAppend(&out, "\n---\n由 fengqiao 根据案件库生成；个人信息已脱敏。\n");
  return out;
}

}  // namespace fengqiao
