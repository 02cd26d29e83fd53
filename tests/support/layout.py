"""What a browser test measures of a page's layout, and how it sends a form."""

from __future__ import annotations

from typing import Any

WIDTH = 390  # a current phone (iPhone 12 to 15) in CSS pixels


def layout_problems(page: Any, width: int = WIDTH) -> list[str]:
    """What does not fit: a page wider than the screen, a label whose text is cut off."""
    problems = []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        wide = page.evaluate(
            """(width) => Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .slice(0, 5).map(e => e.tagName + '.' + e.className)""",
            width,
        )
        problems.append(f"{scroll_width} px wide: {wide}")
    clipped = page.evaluate(
        """() => Array.from(document.querySelectorAll('label, legend, .kern-btn .kern-label, h1, h2'))
            .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
            .map(e => e.textContent.trim().slice(0, 40))"""
    )
    problems.extend(f"cut off: {text}" for text in clipped)
    return problems


def submit(page: Any) -> None:
    """Send the main form of the page by its button."""
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").last.click()
