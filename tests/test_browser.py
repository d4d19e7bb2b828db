"""The built book in a real browser: Debian's headless Chromium driven by Playwright.

The quick build is served on 127.0.0.1 and every page is opened. Each must load without
console errors, show every image, typeset its formulas with MathJax and make no request
to any other host: the book works offline. Screenshots of the chapters are saved to
``test-artifacts/``.
"""

from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"


class Visit:
    """A page opened in a fresh context, with its console errors and requests recorded."""

    def __init__(self, browser, url):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.errors, self.hosts = [], set()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.hosts.add(urlparse(r.url).hostname))
        self.page.on(
            "response",
            lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"),
        )
        self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def close(self):
        self.context.close()


def _pages(html):
    return sorted(
        str(p.relative_to(html)) for p in html.rglob("*.html")
        if not p.relative_to(html).parts[0].startswith("_")
    )


def test_every_page_loads_offline_with_images_and_math(quick_book, site, browser):
    pages = _pages(quick_book)
    assert "book/lesson1.html" in pages and "book/lesson2.html" in pages
    ARTIFACTS.mkdir(exist_ok=True)
    problems = []
    for name in pages:
        visit = Visit(browser, site + name)
        page = visit.page
        if page.locator(".math").count():
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
            page.evaluate("MathJax.startup.promise")
            if page.locator("mjx-container").count() < page.locator(".math").count():
                problems.append(f"{name}: formulas not typeset by MathJax")
        broken = page.evaluate(
            "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
            ".map(i => i.src)"
        )
        if broken:
            problems.append(f"{name}: images that did not load: {broken}")
        if visit.errors:
            problems.append(f"{name}: console errors: {visit.errors}")
        if visit.hosts - {"127.0.0.1"}:
            problems.append(f"{name}: requests to other hosts: {visit.hosts - {'127.0.0.1'}}")
        if name.startswith("book/"):
            page.screenshot(path=str(ARTIFACTS / f"{Path(name).stem}.png"), full_page=True)
        visit.close()
    assert not problems, "\n".join(problems)


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
