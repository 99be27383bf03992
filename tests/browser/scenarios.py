"""Browser scenarios: freezer-web-ui in Horizon against this service.

Run by ``run.sh`` with the Python of the harness's virtualenv (Selenium,
keystoneauth1), never by stestr: it needs a running Keystone, API and
Horizon. Each scenario drives headless Chromium through the panel, checks
what the page shows and then what the API holds (read back with the
user's own Keystone token), and saves a screenshot of its last page as
``<artifacts>/<scenario>.png``.

The scenarios live in ``panels.py`` (login, panels, lists, the actions
panel), ``workflows.py`` (jobs, sessions, backups, clients: the wizard,
start/stop, edits, restore, deletes) and ``readers.py`` (a reader's lists
and refused writes); ``harness.py`` holds the registry and
:class:`harness.Run`. A scenario names the API resources it needs;
``run.sh`` runs only those whose resources have landed
(``FZ_BROWSER_RESOURCES``) and whose name matches ``FZ_BROWSER_SELECT``.

Output: ``PASS|FAIL name: detail`` per scenario, then ``N passed, N
failed``; exit status 0 only when every selected scenario passed.
"""

import argparse
import json
import os
import re
import sys
import time
import traceback

from selenium import webdriver
from selenium.common import exceptions as se
from selenium.webdriver.chrome.service import Service

import harness
import panels  # noqa: F401  (registers its scenarios)
import readers  # noqa: F401
import workflows  # noqa: F401


# ------------------------------------------------------------------ runner
def _driver(chromium, chromedriver):
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ('--headless=new', '--no-sandbox', '--disable-gpu',
                '--disable-dev-shm-usage', '--window-size=1400,1000'):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(executable_path=chromedriver),
                            options=options)


def selected(select, resources):
    """The scenarios to run.

    :param select: regex searched in each scenario's name.
    :param resources: names of the landed resources.
    :returns: list of ``(name, needs, func)``.
    """
    pattern = re.compile(select)
    return [s for s in harness.SCENARIOS
            if pattern.search(s[0]) and set(s[1]) <= set(resources)]


def main(argv=None):
    """Run the selected scenarios; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--horizon-url', required=True)
    parser.add_argument('--identity', required=True,
                        help='test-keystone.json of tools/keystone')
    parser.add_argument('--artifacts', required=True)
    parser.add_argument('--select', default='.')
    parser.add_argument('--resources', default=','.join(harness.RESOURCES))
    parser.add_argument('--chromium', default='/usr/bin/chromium')
    parser.add_argument('--chromedriver', default='/usr/bin/chromedriver')
    parser.add_argument('--list', action='store_true')
    args = parser.parse_args(argv)
    chosen = selected(args.select, args.resources.split(','))
    if args.list:
        for name, needs, _func in harness.SCENARIOS:
            print('%s needs=%s%s' % (name, ','.join(needs) or '-',
                                     '' if (name, needs, _func) in chosen
                                     else ' (not selected)'))
        return 0
    with open(args.identity) as f:
        identity = json.load(f)
    os.makedirs(args.artifacts, exist_ok=True)
    driver = _driver(args.chromium, args.chromedriver)
    passed = failed = 0
    try:
        for name, _needs, func in chosen:
            run = harness.Run(driver, args.horizon_url, identity,
                              args.artifacts)
            start = time.monotonic()
            try:
                detail = func(run)
                status = 'PASS'
            except Exception as exc:
                status = 'FAIL'
                detail = '%s: %s' % (type(exc).__name__,
                                     (str(exc).strip().splitlines()
                                      or [''])[0])
                traceback.print_exc(file=sys.stderr)
            try:
                run.screenshot(name)
            except se.WebDriverException as exc:
                detail += ' (no screenshot: %s)' % exc
            for method, path in reversed(run.cleanups):
                try:
                    run.api(method, path, ok=(200, 204, 404))
                except Exception as exc:
                    print('cleanup %s %s: %s' % (method, path, exc),
                          file=sys.stderr)
            print('%s %s: %s [%.1fs]' % (status, name, detail,
                                         time.monotonic() - start))
            sys.stdout.flush()
            if status == 'PASS':
                passed += 1
            else:
                failed += 1
    finally:
        driver.quit()
    print('%d passed, %d failed' % (passed, failed))
    return 0 if passed and not failed else 1


if __name__ == '__main__':
    sys.exit(main())
