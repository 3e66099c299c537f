"""A small driver of headless Chromium over the DevTools protocol (`--remote-debugging-pipe`), with no dependency
beyond the standard library: open a page at a viewport size, evaluate JavaScript, take a screenshot, print to PDF.

Used by tests/test_export_html_layout.py (390 px widths, print) and scripts/screenshots.py. One browser serves many
pages (a new tab per `open`), which is what makes measuring every page of an export take seconds, not minutes.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


class BrowserError(RuntimeError):
    pass


class Browser:
    """One headless Chromium process; `with Browser() as b: page = b.open(url, 390, 844)`."""

    def __init__(self, executable: str | None = None, timeout: float = 60.0) -> None:
        exe = executable or CHROMIUM
        if exe is None:
            raise BrowserError("chromium is not installed (Debian package chromium)")
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="mattercli-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def fds() -> None:  # the protocol pipe: Chromium reads commands on fd 3, writes replies on fd 4
            read, write = os.dup(to_browser_r), os.dup(from_browser_w)  # above 4, so that dup2 cannot clobber
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.process = subprocess.Popen(
            [
                exe,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-default-apps",
                "--disable-extensions",
                "--no-first-run",
                "--hide-scrollbars",
                "--font-render-hinting=none",
                f"--user-data-dir={self._profile.name}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=fds,
            pass_fds=(3, 4),
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    # --- protocol ----------------------------------------------------------------------------------------------

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise BrowserError("chromium did not answer in time")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed the protocol pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)  # type: ignore[no-any-return]

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        self._next_id += 1
        ident = self._next_id
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == ident:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})  # type: ignore[no-any-return]
            if "method" in reply:
                self._events.append(reply)

    def wait_event(self, method: str, session: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while True:
            for i, event in enumerate(self._events):
                if event["method"] == method and event.get("sessionId") == session:
                    return self._events.pop(i)
            reply = self._read_message(deadline)
            if "method" in reply:
                self._events.append(reply)

    def events(self, method: str, session: str) -> list[dict[str, Any]]:
        """The events of `method` seen so far on a session (taken out of the queue)."""
        found = [e for e in self._events if e["method"] == method and e.get("sessionId") == session]
        self._events = [e for e in self._events if e not in found]
        return found

    # --- pages -------------------------------------------------------------------------------------------------

    def open(self, url: str, width: int, height: int, *, mobile: bool | None = None) -> Page:
        """A new tab at width × height CSS px (a phone, with touch and the meta viewport, below 500 px), loaded."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, target, session)
        for domain in ("Page.enable", "Runtime.enable"):
            self.send(domain, session=session)
        phone = width < 500 if mobile is None else mobile
        page.resize(width, height, mobile=phone)
        page.goto(url)
        return page

    def evaluate_each(self, urls: list[str], expression: str, width: int, height: int, *, tabs: int = 4) -> list[Any]:
        """The value of `expression` on each page of `urls` once loaded, loading `tabs` pages at a time."""
        pages = [self.open("about:blank", width, height) for _ in range(tabs)]
        values: list[Any] = []
        for start in range(0, len(urls), tabs):
            batch = list(zip(pages, urls[start : start + tabs], strict=False))
            for page, url in batch:
                self.events("Page.loadEventFired", page.session)
                page.send("Page.navigate", {"url": url})
            for page, url in batch:
                self.wait_event("Page.loadEventFired", page.session)
                page.url = url
                values.append(page.evaluate(expression))
        for page in pages:
            page.close()
        return values

    def close(self) -> None:
        with contextlib.suppress(BrowserError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        self._profile.cleanup()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Page:
    """One tab."""

    def __init__(self, browser: Browser, target: str, session: str) -> None:
        self.browser = browser
        self.target = target
        self.session = session
        self.url: str | None = None

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.send(method, params, self.session)

    def resize(self, width: int, height: int, *, mobile: bool = False) -> None:
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )
        self.send("Emulation.setTouchEmulationEnabled", {"enabled": mobile})

    def goto(self, url: str) -> None:
        """Load `url` afresh, also when only its #fragment differs (the site reads its state from it on load: a
        same-document navigation would not load, so the tab goes through about:blank)."""
        steps = [url]
        if self.url is not None and self.url.split("#", 1)[0] == url.split("#", 1)[0]:
            steps.insert(0, "about:blank")
        for step in steps:
            self.browser.events("Page.loadEventFired", self.session)
            self.send("Page.navigate", {"url": step})
            self.browser.wait_event("Page.loadEventFired", self.session)
        self.url = url
        self.evaluate("document.fonts.ready.then(() => true)")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (promises awaited); a thrown exception raises BrowserError."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def uncaught_errors(self) -> list[str]:
        """Uncaught exceptions the page threw so far (Runtime.exceptionThrown)."""
        return [
            e["params"]["exceptionDetails"].get("exception", {}).get("description")
            or e["params"]["exceptionDetails"].get("text", "")
            for e in self.browser.events("Runtime.exceptionThrown", self.session)
        ]

    def screenshot(self, path: Path, *, full_page: bool = False, max_height: int = 4000) -> None:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            width, height = self.evaluate(
                "[document.documentElement.clientWidth, document.documentElement.scrollHeight]"
            )
            params["clip"] = {"x": 0, "y": 0, "width": width, "height": min(height, max_height), "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.send("Page.captureScreenshot", params)["data"]
        path.write_bytes(base64.b64decode(data))

    def pdf(self, **params: Any) -> bytes:
        """Page.printToPDF with the page's own @page size (preferCSSPageSize) unless told otherwise."""
        options: dict[str, Any] = {"preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False}
        options.update(params)
        return base64.b64decode(self.send("Page.printToPDF", options)["data"])

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})
