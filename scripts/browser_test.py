#!/usr/bin/env python3
"""Drives the web console in headless Chromium (Selenium, Debian's python3-selenium) against a running
`tidings run` on loopback, and checks what the pages show against the CLI. Called by scripts/browser-test.sh."""
import argparse
import atexit
import csv
import io
import json
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

AUDIENCE = "consent(sms, marketing) AND level = 'gold'"


class Check:
    """Counts failed checks and keeps going, so one run reports every difference."""

    def __init__(self):
        self.failures = 0

    def equal(self, what, shown, expected):
        ok = shown == expected
        print(f"{'ok  ' if ok else 'FAIL'} {what}: console {shown!r}, expected {expected!r}", flush=True)
        if not ok:
            self.failures += 1

    def true(self, what, condition, detail=""):
        print(f"{'ok  ' if condition else 'FAIL'} {what}{f': {detail}' if detail else ''}", flush=True)
        if not condition:
            self.failures += 1


def cli(args, options):
    return subprocess.run([options.tidings, *args, "--config", options.config], check=True, capture_output=True,
                          text=True, timeout=60).stdout


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def database(options):
    import re
    path = re.search(r"^\s*path:\s*(\S+)", open(options.config).read(), re.M).group(1)
    return sqlite3.connect(path, timeout=30)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process):
    """SIGTERM, so Chromium ends its own children, then SIGKILL if it lingers."""
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()


def start(command, port, what):
    """`command` started in the background (killed when this process ends), once it listens on 127.0.0.1:`port`."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    atexit.register(stop, process)
    deadline = time.time() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.time() > deadline or process.poll() is not None:
                raise SystemExit(f"{what} did not start on 127.0.0.1:{port}")
            time.sleep(0.1)


def start_driver(flags, profile):
    """Chromium and chromedriver each on a loopback port of our own, reached by address, never by `localhost`: a
    machine without /etc/hosts (a minimal chroot) cannot resolve that name, which Selenium's Service and chromedriver's
    own launch of the browser would use. Both stop when this process does."""
    browser, driver = free_port(), free_port()
    start(["/usr/bin/chromium", *flags, f"--remote-debugging-port={browser}", "--remote-debugging-address=127.0.0.1",
           f"--user-data-dir={profile}", "about:blank"], browser, "chromium")
    start(["/usr/bin/chromedriver", f"--port={driver}", "--allowed-ips=127.0.0.1"], driver, "chromedriver")
    options = webdriver.ChromeOptions()
    options.debugger_address = f"127.0.0.1:{browser}"
    return webdriver.Remote(command_executor=f"http://127.0.0.1:{driver}", options=options)


def main():
    parser = argparse.ArgumentParser()
    for name in ["base", "tidings", "config", "write-token", "read-token", "artifacts"]:
        parser.add_argument(f"--{name}", required=True)
    options = parser.parse_args()
    check = Check()

    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600",
             "--lang=en-US", "--no-first-run", "--disable-extensions"]
    profile = tempfile.mkdtemp(prefix="tidings-chromium-")
    atexit.register(shutil.rmtree, profile, True)  # registered first, so it runs after the browser is killed
    driver = start_driver(flags, profile)
    driver.set_page_load_timeout(30)
    # The pages redraw every two seconds: an element found a moment ago may be gone, so waits look again.
    stale = [StaleElementReferenceException]
    wait = WebDriverWait(driver, 20, ignored_exceptions=stale)
    console = f"{options.base}/console/"

    def shot(name):
        driver.save_screenshot(f"{options.artifacts}/{name}.png")

    def find(selector):
        return wait.until(lambda d: d.find_element(By.CSS_SELECTOR, selector))

    def text_of(selector):
        return wait.until(lambda d: d.find_element(By.CSS_SELECTOR, selector).text)

    def attribute(selector, name):
        return wait.until(lambda d: d.find_element(By.CSS_SELECTOR, selector).get_attribute(name))

    def go(route):
        driver.get(f"{console}#/{route}")

    def login(token):
        go("login")
        field = find("#token")
        field.clear()
        field.send_keys(token)
        find("#login-submit").click()
        wait.until(lambda d: "#/dashboard" in d.current_url)

    try:
        # The root redirects to the console, whose files carry a strict policy.
        driver.get(options.base + "/")
        check.true("/ opens the console", driver.current_url.startswith(console), driver.current_url)

        # A wrong token is refused with the API's message.
        go("login")
        find("#token").send_keys("tdg_" + "0" * 64)
        find("#login-submit").click()
        check.true("a wrong token is refused", "refused" in text_of("#login-status"), text_of("#login-status"))

        login(options.write_token)
        find("#queue-lanes")
        gateways = text_of("#gateways")
        check.true("the dashboard lists the configured gateway", "simulator" in gateways, gateways)
        shot("dashboard")

        # The language toggle switches every string.
        find("#language").click()
        wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#nav-dashboard").text == "总览")
        find("#queue-lanes")
        shot("dashboard-zh")
        find("#language").click()
        wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#nav-dashboard").text == "Dashboard")

        # The editor: a wrong audience shows where it is wrong, a right one the count the CLI gives.
        name = f"browser-{random.randrange(10**6):06d}"
        go("new")
        audience = find("#editor-audience")
        audience.send_keys("level = ")
        check.true("a wrong audience shows its error and column",
                   "column" in text_of("#audience-error") and attribute("#audience-caret", "data-column") == "8",
                   text_of("#audience-error"))
        audience.clear()
        audience.send_keys(AUDIENCE)
        find("#audience-members")
        expected = json.loads(cli(["segment", "count", AUDIENCE, "--json"], options))["members"]
        check.equal("the audience's live count", int(attribute("#audience-members", "data-count")), expected)
        check.true("the audience is small but not empty", 0 < expected <= 120, str(expected))
        find("#editor-name").send_keys(name)
        find("#editor-title").send_keys("浏览器测试")
        find("#editor-template").send_keys("new-dishes")
        find("#editor-values").send_keys("dish: 松鼠桂鱼\noffer: 新菜八折\nexpires_on: 12月31日")
        control = find("#editor-control")
        control.clear()
        control.send_keys("10")
        rendered = wait.until(lambda d: [e for e in d.find_elements(By.CSS_SELECTOR, ".preview-text") if "松鼠桂鱼" in e.text])
        check.true("the preview renders the template for a sample member", bool(rendered), "松鼠桂鱼")
        shown = int(attribute("#preview-audience", "data-audience"))
        check.equal("the preview's audience", shown, expected)
        shot("editor")
        find("#editor-launch").click()
        check.true("launching asks first", "members" in text_of("#launch-summary"), text_of("#launch-summary"))
        find("#launch-confirm").click()
        WebDriverWait(driver, 30, ignored_exceptions=stale).until(lambda d: f"#/campaign/{name}" in d.current_url)

        # The campaign page: completed, with the figures `tidings report campaign --csv` prints.
        WebDriverWait(driver, 90, ignored_exceptions=stale).until(
            lambda d: d.find_element(By.CSS_SELECTOR, "#campaign-status").get_attribute("data-status") == "completed")
        figures = None
        deadline = time.time() + 40
        while time.time() < deadline:
            rows = csv_rows(cli(["report", "campaign", name, "--csv"], options))
            expected_figures = {key: sum(int(r[key]) for r in rows) for key in ["sent", "delivered", "pending"]}
            figures = {key: int(attribute(f"#figure-{key}", "data-value")) for key in ["sent", "delivered", "pending"]}
            if expected_figures["pending"] == 0 and expected_figures["delivered"] == expected_figures["sent"] \
                    and figures == expected_figures:
                break
            time.sleep(1)
        for key in ["sent", "delivered"]:
            check.equal(f"the campaign page's {key}", figures[key], expected_figures[key])
        check.true("messages were sent", expected_figures["sent"] > 0, str(expected_figures))
        check.true("the funnel is drawn", bool(driver.find_elements(By.CSS_SELECTOR, "[data-chart=funnel] svg rect")))
        shot("campaign")

        # A read token clicking Pause gets the refusal, and nothing changes.
        db = database(options)
        before = db.execute("SELECT c.status, (SELECT COUNT(*) FROM campaign_events e WHERE e.campaign_id = c.id) "
                            "FROM campaigns c WHERE c.name = ?", (name,)).fetchone()
        find("#logout").click()
        login(options.read_token)
        go(f"campaign/{name}")
        find("#campaign-status")
        find("#campaign-pause").click()
        refusal = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#campaign-action-status .message")).text
        check.true("a read token's pause is refused", "Not allowed" in refusal and "write" in refusal, refusal)
        after = db.execute("SELECT c.status, (SELECT COUNT(*) FROM campaign_events e WHERE e.campaign_id = c.id) "
                           "FROM campaigns c WHERE c.name = ?", (name,)).fetchone()
        check.equal("the campaign after the refused pause", after, before)
        shot("campaign-read-token")

        # Tasks: one opened for a member (as a low survey score would), closed from the page with a note.
        find("#logout").click()
        login(options.write_token)
        with db:
            task = db.execute(
                "INSERT INTO tasks (member_id, staff_id, reason, due_at, status, created_at) VALUES "
                "((SELECT MIN(id) FROM members), (SELECT MIN(id) FROM staff), 'low_survey_score', ?, 'open', ?)",
                (int(time.time() * 1000) + 86_400_000, int(time.time() * 1000))).lastrowid
        go("tasks")
        note = find(f"#task-note-{task}")
        note.send_keys("回电致歉，已赠券")
        find(f"#task-close-{task}").click()
        closed = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#tasks-result .message")).text
        check.true("the page says the task closed", str(task) in closed, closed)
        shown = json.loads(cli(["task", "list", "--status", "done", "--json"], options))
        mine = [t for t in shown if t["id"] == task] if isinstance(shown, list) else []
        check.true("the CLI lists the task as done with the note", bool(mine) and mine[0].get("note") == "回电致歉，已赠券",
                   json.dumps(mine, ensure_ascii=False))
        shot("tasks")

        # Reports: the gateways report's accepted figure as the CLI prints it.
        go("reports/gateways")
        table = find("[data-report-table=gateways]")
        rows = csv_rows(cli(["report", "gateways", "--days", "1", "--csv"], options))
        accepted = {r["gateway"]: int(r["accepted"]) for r in rows}
        cells = [row.find_elements(By.TAG_NAME, "td") for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
        page = {c[0].text: int(c[1].text.replace(",", "")) for c in cells if c}
        check.equal("the gateways report's accepted", page.get("simulator"), accepted.get("simulator"))
        check.true("the report draws its chart", bool(driver.find_elements(By.CSS_SELECTOR, "[data-chart=bars] svg rect")))
        shot("report-gateways")
        for kind in ["volumes", "branches", "contacts", "churn", "managers"]:
            go(f"reports/{kind}")
            drawn = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#report [data-kind], #report .message"))
            check.true(f"the {kind} report renders", drawn[0].get_attribute("data-kind") is not None, drawn[0].text[:120])
        shot("report-managers")
        go(f"reports/campaign/{name}")
        find("[data-report-table=variants]")
        shot("report-campaign")

        # A member's timeline, phone masked for a token without reveal.
        member = db.execute("SELECT member_no FROM members ORDER BY id LIMIT 1").fetchone()[0]
        go(f"member/{member}")
        find("#timeline")
        header = text_of("#member .card")
        check.true("the member's phone is masked", "****" in header or "Phone: -" in header, header)
        shot("member")

        # Branches: listed (contacts masked), and one branch's figures, or "not available" where the server has no branch
        # report.
        go("branches")
        find("#branches-table")
        first = find("#branches-table tbody a")
        code = first.text
        first.click()
        shown = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#branch-report [data-kind], #branch-unavailable"))
        check.true(f"branch {code} shows its report or says it is not available", bool(shown), shown[0].text[:120])
        shot("branch")

        # The self-contained HTML report of the same campaign, as Chromium draws it, with the same sent figure.
        html = f"{options.artifacts}/report-{name}.html"
        cli(["report", "campaign", name, "--html", html], options)
        driver.get("file://" + html)
        headers = [th.text for th in find("table").find_elements(By.CSS_SELECTOR, "thead th")]
        rows = driver.find_element(By.CSS_SELECTOR, "table").find_elements(By.CSS_SELECTOR, "tbody tr")
        sent = sum(int(row.find_elements(By.TAG_NAME, "td")[headers.index("sent")].text) for row in rows)
        check.equal("the HTML report's sent", sent, expected_figures["sent"])
        check.true("the HTML report draws SVG charts", bool(driver.find_elements(By.CSS_SELECTOR, "svg")))
        shot("report-html")
    except TimeoutException as error:
        check.true("the page answered in time", False, f"{error.msg or 'timeout'} at {driver.current_url}")
        shot("timeout")
    except Exception as error:  # noqa: BLE001 — any other failure is reported like a failed check, with a screenshot
        check.true("the test ran through", False, f"{error!r} at {driver.current_url}")
        shot("error")
    finally:
        logs = driver.get_log("browser") if hasattr(driver, "get_log") else []
        # Refusals the test provokes (a wrong token, a wrong audience, a read token's pause) are logged by Chromium
        # as failed loads ("network"); a script error or a blocked resource (CSP) is not.
        severe = [entry for entry in logs if entry.get("level") == "SEVERE" and entry.get("source") != "network"]
        check.true("no script or policy errors in the browser console", not severe, json.dumps(severe)[:800])
        missing = [entry for entry in logs if entry.get("source") == "network" and " 404 " in entry.get("message", "")
                   and "/api/" not in entry.get("message", "")]
        check.true("no file of the console is missing", not missing, json.dumps(missing)[:800])
        driver.quit()
    print(f"browser test: {check.failures} check(s) failed" if check.failures else "browser test: all checks passed")
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
