"""The baseline for `ssi collect`: the least a script can do to get the SSI answer.

Launch the same browser, open the same page with the same session, wait for the salesApiSsi
response, read its body, quit. No parsing, no storing, no blocking of anything.
With --everything it also waits for the page's load event (every image and font): the
"nothing blocked" baseline of the bytes benchmark.
Usage: bare_visit.py EXECUTABLE URL STATE.json [--everything]
"""

import os
import sys

from playwright.sync_api import sync_playwright

executable, url, state = sys.argv[1:4]
everything = "--everything" in sys.argv[4:]
with sync_playwright() as p:
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    browser = p.chromium.launch(executable_path=executable, headless=True, args=args)
    page = browser.new_context(storage_state=state).new_page()
    with page.expect_response(lambda r: r.url.endswith("/sales-api/salesApiSsi")) as answer:
        page.goto(url, wait_until="load" if everything else "commit")
    assert answer.value.status == 200 and answer.value.body()
    if everything:
        page.wait_for_selector("#establish-brand__sub-score-bar")
    browser.close()
