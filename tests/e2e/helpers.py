"""Helpers for browser tests: accessibility checks and screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def assert_no_serious_axe_violations(page) -> None:
    """Run axe-core on the page; fail listing every violation of impact serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in ("serious", "critical")
    ]
    if not serious:
        return
    lines = [f"axe found {len(serious)} serious/critical violation(s) on {page.url}:"]
    for violation in serious:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
    pytest.fail("\n".join(lines), pytrace=False)


def save_screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG under test-artifacts/screenshots/ (gitignored) and return its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
