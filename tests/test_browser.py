"""The built book in a real browser: Debian's headless Chromium driven by Playwright.

The quick build is served on 127.0.0.1 and every page is opened once, in light mode, then
switched to dark mode. Each must load without console errors, show every image, typeset
its formulas with MathJax and make no request to any other host: the book works offline.
Every image must have alt text that is not a file name, and axe-core must find no
violation of WCAG 2.1 A and AA (its tags ``wcag2a, wcag2aa, wcag21a, wcag21aa``) in light
mode, nor of its colour rules in dark mode, which changes nothing but colours.
Screenshots of the chapters are saved to ``test-artifacts/``.

axe-core is the copy of ``axe.min.js`` that the PyPI package ``axe-playwright-python``
ships (version pinned in constraints.txt: axe-core 4.12.1), so that a fresh clone gets it
with the other test dependencies, from PyPI, with no Node.js or npm.
"""

import re
import threading
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import Visit

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
AXE = files("axe_playwright_python").joinpath("axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MODES = ("light", "dark")
CHAPTERS = ("book/lesson1.html", "book/lesson2.html", "book/inspect.html")  # screenshots of these
IMAGE_FILE = re.compile(r"\.(png|jpe?g|gif|svg|webp)$", re.I)


def _pages(html):
    return sorted(
        str(p.relative_to(html)) for p in html.rglob("*.html")
        if not p.relative_to(html).parts[0].startswith("_")
    )


def _typeset(page):
    """Wait for MathJax; whether every formula was typeset."""
    if not page.locator(".math").count():
        return True
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("MathJax.startup.promise")
    return page.locator("mjx-container").count() >= page.locator(".math").count()


# axe.run with the rules of the WCAG tags, including those axe-core still calls
# experimental and leaves off by default (such as label-content-name-mismatch, WCAG 2.5.3);
# or, given rule ids, with those rules only.
AXE_RUN = """([tags, only]) => axe.run(document, {
    runOnly: only ? {type: 'rule', values: only} : {type: 'tag', values: tags},
    rules: Object.fromEntries(axe.getRules(['experimental'])
        .filter(rule => rule.tags.some(tag => tags.includes(tag)))
        .map(rule => [rule.ruleId, {enabled: true}])),
    resultTypes: ['violations'],
})"""
# Dark mode changes colours only: there the colour rules are enough.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def axe_violations(page, rules=None):
    """axe-core's WCAG 2.1 A/AA violations on ``page`` (of ``rules`` only, if given), one
    line per element."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(AXE_RUN, [AXE_TAGS, rules])
    return [
        f"{rule['id']} at {node['target']}: {rule['help']}; "
        + " ".join(node["failureSummary"].split())[:300]
        for rule in result["violations"] for node in rule["nodes"]
    ]


def missing_alt_text(page):
    """The images of ``page`` whose alt text is missing, empty or a file name."""
    images = page.eval_on_selector_all(
        "img", "els => els.map(e => [e.getAttribute('src'), e.getAttribute('alt')])"
    )
    bad = []
    for src, alt in images:
        name = Path(urlparse(src).path).stem.lower()
        words = re.sub(r"[\s_-]+", "_", (alt or "").strip().lower())
        if not words or IMAGE_FILE.search(words) or words in name:
            bad.append(f"{src} (alt={alt!r})")
    return bad


# What pydata-sphinx-theme's light/dark switch does (setTheme in its JavaScript): the page's
# CSS then takes its dark colours. Waits until the theme's colour transitions have ended;
# returns the page's background colour.
DARK_MODE = """async () => {
    document.documentElement.dataset.mode = "dark";
    document.documentElement.dataset.theme = "dark";
    localStorage.setItem("mode", "dark");
    localStorage.setItem("theme", "dark");
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
    return getComputedStyle(document.body).backgroundColor;
}"""


def _is_dark(css_colour):
    red, green, blue = (int(x) for x in re.findall(r"\d+", css_colour)[:3])
    return red + green + blue < 3 * 128


def _check_page(browser, url, name, found):
    """Open one page and add what is wrong with it to ``found`` (see :func:`visited`)."""
    light, dark = found["light"], found["dark"]
    visit = Visit(browser, url)
    page = visit.page
    if not _typeset(page):
        light["load"].append(f"{name}: formulas not typeset by MathJax")
    broken = page.evaluate(
        "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
        ".map(i => i.src)"
    )
    if broken:
        light["load"].append(f"{name}: images that did not load: {broken}")
    if visit.errors:
        light["load"].append(f"{name}: console errors: {visit.errors}")
    if visit.hosts - {"127.0.0.1"}:
        light["load"].append(f"{name}: requests to other hosts: {visit.hosts - {'127.0.0.1'}}")
    if name in CHAPTERS:
        page.screenshot(path=str(ARTIFACTS / f"{Path(name).stem}.png"), full_page=True)
    light["alt"] += [f"{name}: {image}" for image in missing_alt_text(page)]
    # After the load checks: axe fetches the stylesheets again, and resolves the
    # theme's @import of basic.css against the wrong folder (a 404 of its own).
    light["axe"] += [f"{name} (light): {v}" for v in axe_violations(page)]
    background = page.evaluate(DARK_MODE)
    if not _is_dark(background):
        dark["load"].append(f"{name}: background {background} in dark mode")
    dark["axe"] += [f"{name} (dark): {v}" for v in axe_violations(page, COLOUR_RULES)]
    visit.close()


@pytest.fixture(scope="module")
def visited(quick_book, site, browser, launch_chromium):
    """Every page opened once: its load, alt text and axe-core checks in light mode, then,
    switched to dark mode as the theme's own switch does, axe-core's colour checks again
    (dark mode changes nothing but colours). Returns the problems found, by mode and kind.

    axe-core keeps a renderer busy for seconds on a long page, so the pages are shared
    between this browser and a second one driven from a thread of its own (Playwright's
    synchronous API serves one thread per instance): two pages are checked at a time.
    """
    pages = _pages(quick_book)
    assert "book/lesson1.html" in pages and "book/lesson2.html" in pages
    ARTIFACTS.mkdir(exist_ok=True)
    found = {"light": {"load": [], "axe": [], "alt": []}, "dark": {"load": [], "axe": []}}
    # Largest pages first, dealt out in turn, so that both browsers finish at about the same time.
    pages.sort(key=lambda name: (quick_book / name).stat().st_size, reverse=True)
    shares = [pages[0::2], pages[1::2]]
    failures = []

    def check_in_second_browser():
        try:
            with launch_chromium() as second:
                for name in shares[1]:
                    _check_page(second, site + name, name, found)
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    thread = threading.Thread(target=check_in_second_browser)
    thread.start()
    for name in shares[0]:
        _check_page(browser, site + name, name, found)
    thread.join()
    if failures:
        raise failures[0]
    return found


@pytest.mark.parametrize("mode", MODES)
def test_every_page_loads_offline_with_images_and_math(visited, mode):
    problems = visited[mode]["load"]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("mode", MODES)
def test_every_page_passes_axe_wcag21_aa(visited, mode):
    """Zero axe-core violations; each line names the page, rule, element and the fix."""
    problems = visited[mode]["axe"]
    assert not problems, f"{len(problems)} axe-core violations:\n" + "\n".join(problems)


def test_every_image_has_alt_text_that_is_not_a_file_name(visited):
    problems = visited["light"]["alt"]
    assert not problems, "images without alt text:\n" + "\n".join(problems)


def test_checks_catch_file_names_empty_alt_and_axe_violations(browser):
    """The checks above fail on what they must catch (a check that never fails checks nothing)."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content(
        '<img src="a/sphx_glr_plot_dropout_001.png" alt="plot dropout">'
        '<img src="b/3f64.png" alt="../_images/3f64.png"><img src="c.png" alt="">'
        '<img src="d.png"><img src="e.png" alt="Learning curves of networks A and B">'
    )
    assert [bad.split()[0] for bad in missing_alt_text(page)] == [
        "a/sphx_glr_plot_dropout_001.png", "b/3f64.png", "c.png", "d.png",
    ]
    page.set_content(
        '<html lang="en"><title>t</title><main><a href="x.html"><span style="display:none">'
        'x</span></a><p style="color:#00d7ff;background:#f3f4f5">cyan</p>'
        '<button aria-label="Search">Search Ctrl+K</button></main></html>'
    )
    rules = {line.split()[0] for line in axe_violations(page)}
    assert rules == {"link-name", "color-contrast", "label-content-name-mismatch"}
    assert {line.split()[0] for line in axe_violations(page, COLOUR_RULES)} == {"color-contrast"}
    context.close()


def test_search_finds_convolution(site, browser):
    visit = Visit(browser, site + "search.html?q=convolution")
    results = visit.page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=20_000)
    assert results.count() >= 1
    assert not visit.errors
    visit.close()


def test_gallery_thumbnails_open_examples_with_downloads(site, browser):
    visit = Visit(browser, site + "auto_examples/index.html")
    links = visit.page.eval_on_selector_all(
        ".sphx-glr-thumbcontainer a.reference.internal", "els => els.map(e => e.href)"
    )
    assert links, "the gallery shows no thumbnails"
    for link in links:
        example = Visit(browser, link)
        assert example.page.locator("article h1").count() == 1, link
        downloads = example.page.eval_on_selector_all(
            "a.reference.download", "els => els.map(e => e.href)"
        )
        suffixes = {Path(urlparse(d).path).suffix for d in downloads}
        assert {".py", ".ipynb"} <= suffixes, f"{link}: downloads {downloads}"
        for href in downloads:
            response = example.page.request.get(href)
            assert response.ok and len(response.body()) > 100, href
        assert not example.errors, f"{link}: {example.errors}"
        example.close()
    visit.close()
