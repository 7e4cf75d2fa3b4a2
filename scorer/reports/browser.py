"""Open a report in headless Chromium and record what happened: console errors, requests, timing, screenshot.

A small WebDriver client (chromedriver over HTTP, standard library only), used by
the report tests, the size benchmark and to take the screenshots in ``docs/``.
Network requests are read from Chromium's performance log (every
``Network.requestWillBeSent`` event), console errors from its browser log.
"""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def available() -> bool:
    """True when both Chromium and chromedriver are installed."""
    return bool(CHROMIUM and CHROMEDRIVER)


@dataclass
class PageVisit:
    """What one page load did."""

    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every URL the page asked for, beyond the page itself
    first_paint_ms: float | None = None  # first contentful paint, from navigation start
    loaded_ms: float | None = None  # DOMContentLoaded, from navigation start


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A headless Chromium session driven through chromedriver; use as a context manager."""

    def __init__(self, width: int = 1280, height: int = 900, javascript: bool = True) -> None:
        if not available():
            raise RuntimeError("chromium and chromedriver are needed (apt-get install chromium chromium-driver)")
        self.port = _free_port()
        self.profile = tempfile.mkdtemp(prefix="scorer-chromium-")
        self.proc = subprocess.Popen([str(CHROMEDRIVER), f"--port={self.port}"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                self._call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                f"--window-size={width},{height}", f"--user-data-dir={self.profile}", "--hide-scrollbars"]
        prefs = {} if javascript else {"profile.managed_default_content_settings.javascript": 2}
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"},
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args, "prefs": prefs,
                                   "perfLoggingPrefs": {"enableNetwork": True, "enablePage": False}}}}}
        try:
            self.session = self._call("POST", "/session", caps)["value"]["sessionId"]
        except Exception:
            self.close()
            raise

    def _call(self, method: str, path: str, body: Any = None, timeout: float = 120) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - local chromedriver only
            return json.loads(resp.read() or b"{}")

    def _s(self, method: str, path: str, body: Any = None) -> Any:
        return self._call(method, f"/session/{self.session}{path}", body)["value"]

    def logs(self, kind: str) -> list[dict[str, Any]]:
        """Drain one of Chromium's logs (``browser`` or ``performance``)."""
        return self._s("POST", "/se/log", {"type": kind})

    def run(self, script: str, *args: Any) -> Any:
        """Run ``script`` in the page (through the driver, not subject to the page's policy) and return its value."""
        return self._s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def visit(self, path: str | Path) -> PageVisit:
        """Load a local file and record console errors, requests and paint timing."""
        uri = Path(path).resolve().as_uri()
        self._s("POST", "/url", {"url": "about:blank"})
        self.logs("browser")
        self.logs("performance")
        self._s("POST", "/url", {"url": uri})
        time.sleep(0.3)
        visit = PageVisit()
        timing = self.run("var p=performance.getEntriesByName('first-contentful-paint')[0];"
                          "var n=performance.getEntriesByType('navigation')[0];"
                          "return [p?p.startTime:null, n?n.domContentLoadedEventEnd:null];")
        visit.first_paint_ms, visit.loaded_ms = timing
        visit.console_errors = [e.get("message", "") for e in self.logs("browser") if e.get("level") == "SEVERE"]
        for entry in self.logs("performance"):
            msg = json.loads(entry.get("message", "{}")).get("message", {})
            params = msg.get("params", {})
            if msg.get("method") == "Network.requestWillBeSent" and params.get("documentURL") == uri \
                    and params["request"]["url"] != uri:
                visit.requests.append(params["request"]["url"])
        return visit

    def screenshot(self, path: str | Path) -> Path:
        """Save a PNG of the viewport."""
        Path(path).write_bytes(base64.b64decode(self._s("GET", "/screenshot")))
        return Path(path)

    def close(self) -> None:
        try:
            if getattr(self, "session", None):
                self._call("DELETE", f"/session/{self.session}", timeout=20)
        except OSError:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def shoot(page: str | Path, out: str | Path, *, before: str = "", width: int = 1200, height: int = 800,
          colours: int = 128) -> Path:
    """A screenshot of ``page`` after running ``before`` in it, saved as a small palette PNG."""
    with Browser(width=width, height=height) as b:
        b.visit(page)
        if before:
            b.run(before)
            time.sleep(0.3)
        b.screenshot(out)
    try:
        from PIL import Image

        Image.open(out).convert("RGB").quantize(colors=colours).save(out, optimize=True)
    except ImportError:  # pragma: no cover - pillow comes with matplotlib
        pass
    return Path(out)


if __name__ == "__main__":
    # python -m scorer.reports.browser PAGE                  -> what loading it did, as JSON
    # python -m scorer.reports.browser PAGE OUT.png [SCRIPT] -> a screenshot (after running SCRIPT)
    import sys
    from dataclasses import asdict

    if len(sys.argv) == 2:
        with Browser() as _b:
            print(json.dumps(asdict(_b.visit(sys.argv[1])), indent=2))
    else:
        shoot(sys.argv[1], sys.argv[2], before=sys.argv[3] if len(sys.argv) > 3 else "")
