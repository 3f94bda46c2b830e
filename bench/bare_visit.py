"""The baseline for `ssi collect`: the least a script can do to get the SSI answer.

Launch the browser, open the page with the session, wait for the salesApiSsi response, read its
body, quit. No parsing, no storing, no blocking of anything, no identity care.
--profile DIR: in that persistent browser profile (as `ssi collect` does); else --state FILE: in
a fresh context from a storage-state file (as ssi-collector did before its profiles were kept).
With --everything it also waits for the page's load event (every image and font): the
"nothing blocked" baseline of the bytes benchmark.
Usage: bare_visit.py EXECUTABLE URL (--profile DIR | --state STATE.json) [--everything]
"""

import os
import sys

from playwright.sync_api import sync_playwright

executable, url, how, where = sys.argv[1:5]
everything = "--everything" in sys.argv[5:]
with sync_playwright() as p:
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    if how == "--profile":
        context = p.chromium.launch_persistent_context(where, executable_path=executable, headless=True, args=args)
        page = context.pages[0] if context.pages else context.new_page()
    else:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=args)
        context = browser.new_context(storage_state=where)
        page = context.new_page()
    with page.expect_response(lambda r: r.url.endswith("/sales-api/salesApiSsi")) as answer:
        page.goto(url, wait_until="load" if everything else "commit")
    assert answer.value.status == 200 and answer.value.body()
    if everything:
        page.wait_for_selector("#establish-brand__sub-score-bar")
    context.close()
