"""Browser tests: Playwright with Debian's Chromium against the live test server."""
