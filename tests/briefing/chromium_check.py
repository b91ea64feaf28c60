"""Loads a briefing page in headless Chromium as a person would and reports what they would see.

    chromium_check.py PAGE.html [--width PX] [--screenshot OUT.png]

Prints one JSON object: the console messages Chromium logged, whether any element reaches past the
page width (an A4 page's printable width by default: 210 mm - 2 x 18 mm margins = 658 px at
96 dpi), and every figure the page shows (data-figure key, its N, the printed value). The page is
not changed: a copy with a measuring script appended is what Chromium loads.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

A4_PRINTABLE_PX = 658

MEASURE = r"""
<script>
window.addEventListener("load", () => {
  const width = document.documentElement.clientWidth;
  const overflowing = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > width + 0.5 || r.left < -0.5)) {
      overflowing.push({tag: el.tagName, text: (el.textContent || "").slice(0, 40),
                        left: r.left, right: r.right});
    }
  }
  const figures = [...document.querySelectorAll("[data-figure]")].map((el) => ({
    key: el.dataset.figure, n: Number(el.dataset.n), value: el.dataset.value,
    shown: el.querySelector(".value").textContent}));
  const out = document.createElement("pre");
  out.id = "fq-check";
  out.textContent = JSON.stringify({width, scroll_width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight, overflowing, figures,
    svg: document.querySelectorAll("svg").length});
  document.body.appendChild(out);
});
</script>
"""


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("chromium is not installed (scripts/install-deps.sh installs Debian's chromium)")


def run(args, timeout=120):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout)


def check(page, width=A4_PRINTABLE_PX, screenshot=None):
    with open(page, encoding="utf-8") as f:
        html = f.read()
    with tempfile.TemporaryDirectory() as tmp:
        probe = os.path.join(tmp, "probe.html")
        with open(probe, "w", encoding="utf-8") as f:
            f.write(html.replace("</body>", MEASURE + "</body>"))
        base = [chromium(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--no-first-run", f"--user-data-dir={tmp}/profile",
                "--enable-logging=stderr", "--v=0", f"--window-size={width},1200"]
        done = run(base + ["--virtual-time-budget=5000", "--dump-dom",
                           "file://" + os.path.abspath(probe)])
        m = re.search(r'<pre id="fq-check">(.*?)</pre>', done.stdout, re.S)
        if not m:
            sys.exit(f"chromium did not render {page}: {done.stderr[-2000:]}")
        result = json.loads(m.group(1).replace("&quot;", '"').replace("&lt;", "<")
                            .replace("&gt;", ">").replace("&amp;", "&"))
        # Console messages Chromium logs: "[...:INFO:CONSOLE(12)] "message", source: ..." and
        # errors of loading (a resource that cannot be fetched, a blocked request).
        result["console"] = [line for line in done.stderr.splitlines()
                             if "CONSOLE" in line or "Failed to load" in line
                             or "net::ERR" in line]
        if screenshot:
            shot = run([chromium(), "--headless=new", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", f"--user-data-dir={tmp}/profile2",
                        f"--window-size={width},{result['height']}",
                        f"--screenshot={os.path.abspath(screenshot)}",
                        "file://" + os.path.abspath(page)])
            if not os.path.exists(screenshot):
                sys.exit(f"no screenshot of {page}: {shot.stderr[-2000:]}")
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("page")
    parser.add_argument("--width", type=int, default=A4_PRINTABLE_PX)
    parser.add_argument("--screenshot")
    a = parser.parse_args()
    print(json.dumps(check(a.page, a.width, a.screenshot), ensure_ascii=False))
