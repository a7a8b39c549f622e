"""Screenshots of the main pages for the guides, taken in Chromium from the demo.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots]

Needs the demo database of `make setup` (var/yiwang.sqlite3, or DATABASE_URL). It starts the
server on a free port, signs in as the demo users and saves PNGs: the portal home, the filing
form on a phone, a case page, a licence page, the workbench home and the leader's dashboard.
Each PNG is kept under 200 KB (a page is cut at a screen and a half, then scaled down if it is
still too large).
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "demo-pass-2026"
LIMIT = 200 * 1024
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(120):
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit(f"the server did not start on port {port}")


def save(page, path: Path, *, top: float = 0) -> None:
    """A PNG of at most 200 KB: a screen and a half from `top`, scaled down until it fits."""
    from PIL import Image

    size = page.viewport_size
    height = min(page.evaluate("document.body.scrollHeight") - top, int(size["height"] * 1.5))
    data = page.screenshot(
        full_page=True, clip={"x": 0, "y": top, "width": size["width"], "height": height}
    )
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image = image.quantize(colors=128)
    scale = 1.0
    while True:
        buffer = io.BytesIO()
        resized = image.resize((int(image.width * scale), int(image.height * scale)))
        resized.save(buffer, format="PNG", optimize=True)
        if buffer.tell() <= LIMIT or scale < 0.3:
            path.write_bytes(buffer.getvalue())
            return
        scale *= 0.85


def with_project_font(context, font: Path) -> None:
    """Pages print Chinese with the project's Noto Serif SC, whatever fonts the machine has:
    the site's stylesheet is served with an @font-face added (the CSP allows no inline style)."""
    body = font.read_bytes()
    extra = (
        "\n@font-face { font-family: ShotCJK; src: url(/__screenshot-font.ttf); }\n"
        "body, input, select, button, textarea { font-family: sans-serif, ShotCJK !important; }\n"
    )

    def stylesheet(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text() + extra)

    context.set_default_timeout(120_000)  # a shared, busy machine serves slowly
    context.route("**/__screenshot-font.ttf", lambda route: route.fulfill(body=body))
    context.route("**/site*.css", stylesheet)


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()


def targets() -> dict:
    """The case and licence to show: the demo's newest case and a licence issued from a case."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from yiwang.cases.models import Case
    from yiwang.licences.models import Licence
    from yiwang.parties.models import Applicant

    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    case = Case.objects.filter(applicant=clinic).order_by("-pk").first()
    licence = (
        Licence.objects.filter(case__isnull=False).order_by("-pk").first()
        or Licence.objects.order_by("-pk").first()
    )
    return {"clinic": clinic.pk, "case": case.pk, "licence": licence.number}


def take(out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    found = targets()
    from django.conf import settings

    from yiwang.licences.documents import FONT_FILES

    font = Path(settings.PDF_FONT_DIR) / FONT_FILES[400]
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    shots = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            desktop = browser.new_context(viewport=DESKTOP, locale="zh-CN")
            with_project_font(desktop, font)
            page = desktop.new_page()
            page.goto(f"{base}/")
            page.wait_for_load_state("networkidle")
            save(page, out / "portal-home.png")
            sign_in(page, base, "applicant")
            page.goto(f"{base}/my/licences/{found['licence']}/")
            page.wait_for_load_state("networkidle")
            save(page, out / "licence-page.png")
            desktop.close()

            phone = browser.new_context(
                viewport=PHONE, locale="zh-CN", is_mobile=True, device_scale_factor=1
            )
            with_project_font(phone, font)
            page = phone.new_page()
            sign_in(page, base, "applicant")
            page.goto(f"{base}/apply/010010020000/?applicant={found['clinic']}")
            page.wait_for_load_state("networkidle")
            form_top = page.locator("#application-form").bounding_box()["y"]
            save(page, out / "filing-form-phone.png", top=max(form_top - 20, 0))
            phone.close()

            for username, path, name in (
                ("reviewer", f"/workbench/cases/{found['case']}/", "case-page.png"),
                ("clerk", "/workbench/", "workbench-home.png"),
                ("leader", "/workbench/indicators/", "leader-dashboard.png"),
            ):
                context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
                with_project_font(context, font)
                page = context.new_page()
                sign_in(page, base, username)
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                save(page, out / name)
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    shots = sorted(out.glob("*.png"))
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    for path in take(out):
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
            f"{path.stat().st_size // 1024} KB"
        )


if __name__ == "__main__":
    main()
