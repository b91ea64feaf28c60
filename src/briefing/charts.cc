// The charts of the briefings, as inline SVG.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "briefing/internal/briefing_internal.h"
#include "internal/text.h"

namespace fengqiao::briefing_internal {
namespace {

constexpr double kWidth = 680;  // the text width of an A4 page at 96 dpi with 18 mm margins

// Five classes from white to dark red (ColorBrewer Reds), for counts.
constexpr const char* kReds[] = {"#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"};

}  // namespace

std::string Escape(absl::string_view text) { return internal::MarkupEscape(text); }

std::string ChoroplethSvg(const GridMap& grid_map,
                          const std::vector<std::pair<std::string, int64_t>>& grid_counts) {
  const absl::flat_hash_map<std::string, int64_t> counts(grid_counts.begin(), grid_counts.end());
  int64_t max_count = 0;
  for (const auto& [grid, n] : grid_counts) max_count = std::max(max_count, n);
  // The extent of every grid polygon; longitude scaled by cos(latitude) so shapes keep their form.
  double min_lat = 90, max_lat = -90, min_lng = 180, max_lng = -180;
  std::vector<const v1::Area*> grids;
  for (const v1::Area& a : grid_map.proto().areas()) {
    if (a.level() != v1::AREA_LEVEL_GRID || a.boundary().vertices().empty()) continue;
    grids.push_back(&a);
    for (const v1::LatLng& p : a.boundary().vertices()) {
      min_lat = std::min(min_lat, p.lat_deg());
      max_lat = std::max(max_lat, p.lat_deg());
      min_lng = std::min(min_lng, p.lng_deg());
      max_lng = std::max(max_lng, p.lng_deg());
    }
  }
  if (grids.empty()) return "";
  const double kx = std::cos((min_lat + max_lat) / 2 * M_PI / 180);
  const double w = std::max((max_lng - min_lng) * kx, 1e-9), h = std::max(max_lat - min_lat, 1e-9);
  const double map_h = std::min(360.0, kWidth * h / w);
  const double scale = std::min(kWidth / w, map_h / h);
  const double legend_y = map_h + 16;
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
      "height=\"%.0f\" role=\"img\" aria-label=\"各网格警情分布图\">",
      kWidth, legend_y + 34, kWidth, legend_y + 34);
  for (const v1::Area* a : grids) {
    const auto it = counts.find(a->code());
    const int64_t n = it == counts.end() ? 0 : it->second;
    const char* fill =
        n == 0 ? "#ffffff"
               : kReds[std::min<int64_t>(4, (n - 1) * 5 / std::max<int64_t>(max_count, 1))];
    std::string points;
    for (const v1::LatLng& p : a->boundary().vertices()) {
      absl::StrAppendFormat(&points, "%.1f,%.1f ", (p.lng_deg() - min_lng) * kx * scale,
                            (max_lat - p.lat_deg()) * scale);
    }
    absl::StrAppendFormat(&svg,
                          "<polygon points=\"%s\" fill=\"%s\" stroke=\"#888\" stroke-width=\"0.6\">"
                          "<title>%s：%d 起</title></polygon>",
                          points, fill, Escape(a->name()), n);
  }
  // The legend below the map (never over it): the classes' count ranges.
  absl::StrAppendFormat(&svg, "<text x=\"0\" y=\"%.0f\" font-size=\"11\">警情数：</text>",
                        legend_y + 12);
  absl::StrAppendFormat(&svg,
                        "<rect x=\"52\" y=\"%.0f\" width=\"14\" height=\"14\" fill=\"#ffffff\" "
                        "stroke=\"#888\"/><text x=\"70\" y=\"%.0f\" font-size=\"11\">0</text>",
                        legend_y + 1, legend_y + 12);
  for (int k = 0; k < 5 && max_count > 0; ++k) {
    const int64_t lo = k * max_count / 5 + 1, hi = (k + 1) * max_count / 5;
    if (hi < lo) continue;
    const double x = 100 + k * 90;
    absl::StrAppendFormat(&svg,
                          "<rect x=\"%.0f\" y=\"%.0f\" width=\"14\" height=\"14\" fill=\"%s\"/>"
                          "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\">%s</text>",
                          x, legend_y + 1, kReds[k], x + 18, legend_y + 12,
                          lo == hi ? absl::StrCat(lo) : absl::StrCat(lo, "–", hi));
  }
  absl::StrAppend(&svg, "</svg>");
  return svg;
}

std::string LineChartSvg(const std::vector<std::string>& labels, const std::vector<int64_t>& values,
                         const std::string& y_title) {
  if (values.empty()) return "";
  const auto [lo_it, hi_it] = std::minmax_element(values.begin(), values.end());
  // The axis covers where the data is: from a round number below the smallest value (0 only when
  // the values come near it) to one above the largest.
  const double span = std::max<double>(*hi_it - *lo_it, 1);
  const double step = std::pow(10, std::floor(std::log10(span)));
  double y0 = std::floor(*lo_it / step) * step, y1 = std::ceil(*hi_it / step) * step;
  if (y0 > 0 && y0 < span) y0 = 0;
  if (y1 - y0 < 4) y1 = y0 + 4;  // counts: four distinct whole-number ticks
  const double left = 56, right = kWidth - 16, top = 16, bottom = 220;
  const auto x_of = [&](size_t i) {
    return left + (right - left) * (values.size() == 1 ? 0.5 : double(i) / (values.size() - 1));
  };
  const auto y_of = [&](double v) { return bottom - (bottom - top) * (v - y0) / (y1 - y0); };
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f 262\" width=\"%.0f\" "
      "height=\"262\" role=\"img\" aria-label=\"%s\">",
      kWidth, kWidth, Escape(y_title));
  for (int k = 0; k <= 4; ++k) {  // y ticks and grid lines
    const double v = y0 + (y1 - y0) * k / 4;
    absl::StrAppendFormat(&svg,
                          "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                          "<text x=\"%.0f\" y=\"%.1f\" font-size=\"10\" "
                          "text-anchor=\"end\">%.0f</text>",
                          left, right, y_of(v), y_of(v), left - 4, y_of(v) + 3, v);
  }
  absl::StrAppendFormat(&svg,
                        "<text x=\"12\" y=\"%.0f\" font-size=\"11\" transform=\"rotate(-90 12 "
                        "%.0f)\" text-anchor=\"middle\">%s</text>",
                        (top + bottom) / 2, (top + bottom) / 2, Escape(y_title));
  std::string path;
  for (size_t i = 0; i < values.size(); ++i) {
    absl::StrAppendFormat(&path, "%s%.1f,%.1f", i == 0 ? "M" : " L", x_of(i),
                          y_of(static_cast<double>(values[i])));
  }
  absl::StrAppendFormat(
      &svg, "<path d=\"%s\" fill=\"none\" stroke=\"#a50f15\" stroke-width=\"2\"/>", path);
  for (size_t i = 0; i < values.size(); ++i) {
    const double x = x_of(i), y = y_of(static_cast<double>(values[i]));
    absl::StrAppendFormat(&svg,
                          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#a50f15\"/>"
                          "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
                          "text-anchor=\"middle\">%d</text>"
                          "<text x=\"%.1f\" y=\"%.0f\" font-size=\"9\" text-anchor=\"middle\">%s"
                          "</text>",
                          x, y, x, y - 6, values[i], x, bottom + 16, Escape(labels[i]));
  }
  absl::StrAppend(&svg, "</svg>");
  return svg;
}

}  // namespace fengqiao::briefing_internal
