"""Accessibility checks for the browser tests (issue 22): axe-core, the keyboard, and zoom.

- axe-core (shipped inside axe-playwright-python, nothing is downloaded) with the WCAG 2.0 and
  2.1 A and AA rules plus axe's best practices; any violation fails the test, with axe's report.
- The keyboard: from the top of the page, Tab reaches every visible control (link, button,
  field) once, in the order of the page; each focused control shows a focus outline and is not
  hidden behind something else (such as the web chat's sticky top bar).
- Zoom: 200 % on a phone of 390 x 844 leaves 195 x 422 CSS pixels (a browser's zoom halves the
  viewport in CSS pixels); ZOOMED_PHONE is that viewport. `assert_reflows` checks that nothing
  then needs sideways scrolling and that every control stays within the screen's width.
"""

from __future__ import annotations

from typing import Any

PHONE = {"width": 390, "height": 844}
ZOOMED_PHONE = {"width": 195, "height": 422}  # 200 % of PHONE
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

_AXE: Any = None


def _axe() -> Any:
    global _AXE
    if _AXE is None:
        from axe_playwright_python.sync_playwright import Axe

        _AXE = Axe()
    return _AXE


def assert_no_axe_violations(page: Any, name: str) -> None:
    """axe-core's WCAG 2.0/2.1 A and AA rules and best practices find nothing on the page."""
    results = _axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.response["passes"], f"{name}: axe-core ran no rule"
    assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"


# Every visible control in the order of the page; each gets a number to recognise it by.
_CONTROLS = """
() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, '
                 + '[tabindex]:not([tabindex="-1"])';
  const controls = [...document.querySelectorAll(selector)].filter((el) => {
    if (el.disabled) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    // A skip link is off-screen until it has focus; it counts.
    return el.getClientRects().length > 0;
  });
  controls.forEach((el, i) => { el.dataset.a11yIndex = String(i); });
  return controls.map((el) => (el.innerText || el.name || el.id || el.tagName).trim());
}
"""

# The focused element: its number, whether a focus outline shows, and whether it is on screen
# and not covered (the element at its centre is the element itself or inside it).
_FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  // The middle of its first line box (a link can wrap over two lines).
  const line = el.getClientRects()[0] || box;
  const x = Math.min(Math.max(line.left + line.width / 2, 0), window.innerWidth - 1);
  const y = Math.min(Math.max(line.top + line.height / 2, 0), window.innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  const inView = box.bottom > 0 && box.top < window.innerHeight
                 && box.right > 0 && box.left < window.innerWidth;
  return {
    index: el.dataset.a11yIndex === undefined ? -1 : Number(el.dataset.a11yIndex),
    name: (el.innerText || el.name || el.id || el.tagName).trim(),
    visibleFocus: outline || shadow,
    inView: inView,
    uncovered: hit !== null && (hit === el || el.contains(hit)
                                || (el.labels && [...el.labels].includes(hit))),
  };
}
"""


def assert_keyboard_reaches_everything(page: Any, name: str) -> None:
    """Tab from the top of the page reaches every control once, in page order, each with a
    visible focus outline, on screen and not covered."""
    controls = page.evaluate(_CONTROLS)
    assert controls, f"{name}: no controls found"
    page.evaluate("window.scrollTo(0, 0)")
    # Start before the first control, as after loading the page.
    page.evaluate(
        "document.body.setAttribute('tabindex', '-1'); document.body.focus();"
        "document.body.removeAttribute('tabindex')"
    )
    reached = []
    for _ in controls:
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        assert focused is not None, f"{name}: Tab left the page after {reached}"
        assert focused["visibleFocus"], f"{name}: no visible focus on {focused['name']!r}"
        assert focused["inView"], f"{name}: {focused['name']!r} has focus but is off screen"
        assert focused["uncovered"], f"{name}: {focused['name']!r} has focus but is covered"
        reached.append(focused["index"])
    expected = list(range(len(controls)))
    assert reached == expected, (
        f"{name}: the tab order does not follow the page: {reached} for {controls}"
    )


def assert_reflows(page: Any, name: str) -> None:
    """Nothing needs sideways scrolling and every control fits the screen's width."""
    # The viewport asked for, not window.innerWidth: a mobile browser zooms out to show a page
    # that is too wide, and then innerWidth grows with the page.
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.clientWidth") == width, name
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        wide = page.evaluate(
            """(width) => [...document.querySelectorAll('body *')]
                .filter((el) => !el.parentElement.closest('.table-wrap'))
                .filter((el) => !el.classList.contains('skip'))
                .filter((el) => el.getBoundingClientRect().right > width + 1
                                || (el.scrollWidth > el.clientWidth + 1
                                    && getComputedStyle(el).overflowX === 'visible'))
                .slice(0, 8)
                .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                             + ' ' + JSON.stringify((el.innerText || '').slice(0, 30))
                             + ' ' + Math.round(el.getBoundingClientRect().right))""",
            width,
        )
        raise AssertionError(f"{name}: {scroll_width}px wide on a {width}px screen: {wide}")
    outside = page.evaluate(
        """(width) => [...document.querySelectorAll(
              'a[href], button, input:not([type=hidden]), select, textarea')]
            .filter((el) => el.getClientRects().length > 0 && !el.classList.contains('skip'))
            // A data table may scroll sideways in its own box (WCAG 1.4.10 allows it).
            .filter((el) => !el.closest('.table-wrap'))
            .filter((el) => { const b = el.getBoundingClientRect();
                              return b.left < -1 || b.right > width + 1; })
            .map((el) => (el.innerText || el.name || el.tagName).trim())""",
        width,
    )
    assert outside == [], f"{name}: controls wider than the screen: {outside}"


def check_page(page: Any, name: str) -> None:
    """All three checks on the page as it is now."""
    assert_no_axe_violations(page, name)
    assert_keyboard_reaches_everything(page, name)
    assert_reflows(page, name)
