"""The HTML report (``--format html``, ``Report.to_html()``) in a real headless Chromium with the
network cut off: no console error, no request beyond the file itself, every part in the DOM,
no horizontal scrolling of the page on a phone, and screenshots at a laptop (1280 px) and a
phone (390 px) width.

Screenshots go to ``$SHIFTWATCH_ARTEFACTS`` (default: pytest's temporary folder). Without
Chromium these tests skip, loudly; ``scripts/system-deps.sh`` installs Debian's ``chromium``.
"""

from __future__ import annotations

import os
import pathlib
import sys

import pytest
import shiftwatch
from shiftwatch._native import run_cli

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import _chromium  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXPERIMENT = sorted((ROOT / "datasets" / "examples" / "experiment").glob("*"))
SELECT = ["--baseline", "kubo-base-*", "--candidate", "kubo-cand-*", "--preset", "kubo"]
CHROMIUM = _chromium.find()
needs_browser = pytest.mark.skipif(
    CHROMIUM is None,
    reason="SKIPPED LOUDLY: no Chromium found (install Debian's chromium, e.g. via "
    "scripts/system-deps.sh, or set SHIFTWATCH_CHROMIUM): the HTML report was NOT checked in a browser",
)
SIZES = {"laptop": (1280, 800, False), "phone": (390, 844, True)}


def render(tmp: pathlib.Path, files: list[str], extra: list[str], name: str) -> pathlib.Path:
    out = tmp / name
    code = run_cli(["shiftwatch", "analyze", *files, *extra, "--format", "html", "--output", str(out)])
    assert code in (0, 1)
    return out


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> pathlib.Path:
    tmp = tmp_path_factory.mktemp("html")
    return render(tmp, [str(p) for p in EXPERIMENT], [*SELECT, "--fail-on", "never"], "example.html")


@pytest.fixture(scope="module")
def adversarial(tmp_path_factory) -> pathlib.Path:
    """Names and labels that would be markup if not escaped, a NaN and an hour without data."""
    tmp = tmp_path_factory.mktemp("evil")
    rows = ["timestamp,metric,target,role,value,labels"]
    for i in range(90):
        t = 1_700_000_000 + 60 * i + (3600 if i >= 60 else 0)
        w = (i * 7919 % 13) / 13
        for target, role, level in (('"<b>base</b>"', "baseline", 1.0), ('"cand""><img src=x>"', "candidate", 1.3)):
            value = "NaN" if i == 30 else f"{level + 0.01 * w}"
            rows.append(f'{t},</title><script>alert(1)</script>,{target},{role},{value},"k=<svg onload=alert(3)>"')
    src = tmp / "evil.csv"
    src.write_text("\n".join(rows) + "\n")
    return render(tmp, [str(src)], ["--warmup", "0"], "evil.html")


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("no Chromium")
    with _chromium.Browser(CHROMIUM) as b:
        yield b


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory) -> pathlib.Path:
    folder = os.environ.get("SHIFTWATCH_ARTEFACTS")
    path = pathlib.Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_to_html_is_the_cli_page(example):
    report = shiftwatch.analyze([str(p) for p in EXPERIMENT], baseline="kubo-base-*", candidate="kubo-cand-*", preset="kubo")
    assert report.to_html() == example.read_text(encoding="utf-8")
    fragment = report._repr_html_()
    assert fragment.startswith('<div class="sw">') and "sw-verdicts" in fragment and "<html" not in fragment
    plain = shiftwatch.analyze([str(p) for p in EXPERIMENT], baseline="kubo-base-*", candidate="kubo-cand-*", preset="kubo", series=False)
    assert "series" not in plain.to_dict() and "were not kept" in plain.to_html()


@needs_browser
def test_the_detector_sees_blocked_loads_and_errors(browser, tmp_path):
    """Negative control: a page that tries to load things under the same policy is caught."""
    bad = tmp_path / "bad.html"
    page = (
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" "
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"></head><body>"
        '<img src="https://example.com/x.png"><script>console.error("boom")</script></body></html>'
    )
    bad.write_text(page)
    _, seen = browser.load(bad.as_uri(), 1280, 800, False)
    assert any("Content Security Policy" in e or "Content-Security-Policy" in e for e in seen.errors), seen.errors
    # Without the policy, the request is made and fails at the dead network.
    bad.write_text('<!DOCTYPE html><html><body><img src="https://example.com/x.png"></body></html>')
    _, seen = browser.load(bad.as_uri(), 1280, 800, False)
    assert any("example.com" in u for u in seen.requests), seen.requests


DOM = """(() => {
  const q = s => document.querySelectorAll(s).length;
  return {
    sections: [...document.querySelectorAll('main > section')].map(s => s.id),
    rows: q('table.sw-verdicts tbody tr'),
    first: document.querySelector('table.sw-verdicts tbody tr .sw-badge').textContent,
    forest: q('#sw-effects .sw-frow:not(.sw-faxis)'),
    figures: q('#sw-series figure svg path[stroke-width="0.9"]'),
    multiples: q('#sw-series figure'),
    rule_tracks: q('#sw-rules .sw-frow:not(.sw-faxis)'),
    rule_marks: q('#sw-series svg g title'),
    warmup: q('#sw-series rect title'),
    data_rows: q('#sw-data tbody tr'),
    scripts: q('script'), images: q('img'), svgs_with_onload: q('svg[onload]'),
    codes: [...document.querySelectorAll('#sw-verdicts code')].map(c => c.textContent),
    data_text: document.querySelector('#sw-data').textContent,
    title: document.title,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    table_scrolls: (() => { const s = document.querySelector('#sw-verdicts .sw-scroll');
                            return s.scrollWidth > s.clientWidth; })(),
    fig_width: document.querySelector('#sw-series figure').getBoundingClientRect().width,
  };
})()"""


@needs_browser
@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_example_page_in_a_browser(browser, example, artefacts, size):
    width, height, mobile = SIZES[size]
    session, page = browser.load(example.as_uri(), width, height, mobile)
    assert page.errors == [], page.errors
    assert page.requests == [example.as_uri()], page.requests
    dom = browser.evaluate(session, DOM)
    assert dom["sections"] == ["sw-verdicts", "sw-effects", "sw-series", "sw-rules", "sw-data"]
    assert dom["rows"] == 9 and dom["first"] == "regression"
    assert dom["forest"] == 9 and dom["multiples"] == 9 and dom["figures"] == 36
    assert dom["rule_tracks"] == 16 and dom["rule_marks"] == 4  # memory rule on 4 targets
    assert dom["warmup"] == 9 and dom["data_rows"] == 9
    assert dom["scripts"] == 0 and dom["images"] == 0
    assert dom["title"].startswith("shiftwatch: REGRESSION")
    # The page never scrolls sideways; on a phone the wide verdict table scrolls in its box.
    assert dom["overflow"] <= 0, dom["overflow"]
    if size == "phone":
        assert dom["table_scrolls"] and dom["fig_width"] <= width
    browser.screenshot(session, str(artefacts / f"example-{size}.png"))
    assert (artefacts / f"example-{size}.png").stat().st_size > 10_000


@needs_browser
def test_adversarial_names_stay_text(browser, adversarial, artefacts):
    session, page = browser.load(adversarial.as_uri(), 390, 844, True)
    assert page.errors == [], page.errors
    assert page.requests == [adversarial.as_uri()], page.requests
    dom = browser.evaluate(session, DOM)
    assert dom["scripts"] == 0 and dom["images"] == 0 and dom["svgs_with_onload"] == 0
    assert dom["codes"] == ['</title><script>alert(1)</script>{k="<svg onload=alert(3)>"}']
    # The NaN and the hour-long gap break every line: three pieces each.
    pieces = browser.evaluate(
        session,
        "[...document.querySelectorAll('#sw-series path[stroke-width=\"0.9\"]')]"
        ".map(p => p.getAttribute('d').split('M').length - 1)",
    )
    assert pieces == [3, 3]
    assert "0 skipped" in dom["data_text"]
    assert dom["overflow"] <= 0
    browser.screenshot(session, str(artefacts / "adversarial-phone.png"))
