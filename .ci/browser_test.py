"""The browser end-to-end test of `urltriage serve` (run by .ci/browser-test).

Each step asserts what a caseworker would see; the first failure stops the run with
its message and a screenshot named failure.png beside the others.
"""
import argparse
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--batch", required=True)
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--downloads", required=True)
    args = parser.parse_args()

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                 "--disable-gpu", "--lang=en-GB"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {
        "download.default_directory": os.path.abspath(args.downloads),
        "download.prompt_for_download": False,
    })
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": os.path.abspath(args.downloads)})
    shots = args.screenshots

    def shot(name, width=1280, height=None):
        driver.set_window_size(width, height or 900)
        # The whole page: as tall as its content.
        total = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(max(total, 600), 4000) if height is None else height)
        driver.save_screenshot(os.path.join(shots, name + ".png"))
        driver.set_window_size(1280, 900)

    def step(text):
        print("browser-test:", text, flush=True)

    def wait(condition, what, seconds=30):
        """A click that submits a form returns before the next page loads: wait for it."""
        deadline = time.time() + seconds
        while True:
            try:
                if condition():
                    return
            except Exception:
                pass
            assert time.time() < deadline, "timed out waiting for " + what
            time.sleep(0.1)

    def page_has(element_id):
        return lambda: driver.find_elements(By.ID, element_id)

    try:
        step("every page asks for a sign-in first")
        driver.get(args.base + "/cases")
        assert "/login" in driver.current_url, driver.current_url
        shot("login", height=600)
        driver.find_element(By.NAME, "name").send_keys(args.user)
        driver.find_element(By.NAME, "password").send_keys(args.password)
        driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()
        wait(page_has("case-count"), "the cases page after signing in")

        step("paste a batch; duplicates are folded")
        driver.get(args.base + "/batch/new")
        with open(args.batch, encoding="utf-8") as handle:
            text = handle.read()
        area = driver.find_element(By.NAME, "text")
        # send_keys types character by character; setting the value is what a paste does.
        driver.execute_script("arguments[0].value = arguments[1];", area, text)
        driver.find_element(By.NAME, "reporter").send_keys("Oakfield Academy")
        shot("batch-new")
        driver.find_element(By.CSS_SELECTOR, "form[action='/batch'] button[type=submit]").click()
        wait(page_has("folded-count"), "the batch's result")
        folded = int(driver.find_element(By.ID, "folded-count").text)
        new = int(driver.find_element(By.ID, "new-count").text)
        assert folded > 0, "no duplicates folded"
        assert new > 0, "no new items"
        shot("batch-result")

        step("check everything due against the bundled test server")
        driver.get(args.base + "/check")
        driver.find_element(By.CSS_SELECTOR, "form[action='/check'] button").click()
        wait(page_has("progress"), "the check's progress")
        deadline = time.time() + 180
        while True:
            driver.get(args.base + "/check")
            progress = driver.find_elements(By.ID, "progress")
            if progress and progress[0].get_attribute("data-running") == "no":
                break
            assert time.time() < deadline, "the check did not finish in 3 minutes"
            time.sleep(1)
        assert not driver.find_elements(By.ID, "progress-failure"), driver.find_element(By.ID, "progress-failure").text
        summary = driver.find_element(By.ID, "progress-summary").text
        assert " checked" in summary and "due" in summary, summary
        shot("check")

        step("cases list, on a laptop and on a phone")
        driver.get(args.base + "/cases")
        shot("cases")
        driver.set_window_size(390, 844)
        driver.get(args.base + "/cases")
        shot("cases-phone", width=390)

        step("mark an item escalated")
        # An item the check found up: the first live TikTok item on the cases list.
        driver.get(args.base + "/cases?status=live&platform=tiktok")
        first = driver.find_element(By.CSS_SELECTOR, "table.cases tbody tr td a")
        key = first.text
        first.click()
        wait(lambda: driver.find_element(By.ID, "item-key").text == key, "the item page of " + key)
        link = driver.find_element(By.CSS_SELECTOR, "a.open")
        assert link.get_attribute("rel") == "noopener noreferrer", link.get_attribute("rel")
        form = driver.find_element(By.CSS_SELECTOR, "form input[name=action][value=escalated]").find_element(By.XPATH, "..")
        form.find_element(By.NAME, "ref").send_keys("TT-E2E-1")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait(lambda: "Recorded: escalated." in driver.page_source, "the escalation to be recorded")
        assert driver.find_element(By.ID, "item-status").text == "escalated"
        assert "TT-E2E-1" in driver.page_source
        shot("item")

        step("the escalation list, and its CSV")
        driver.get(args.base + "/escalate")
        shot("escalate")
        driver.find_element(By.ID, "download-csv").click()
        deadline = time.time() + 30
        while True:
            done = [name for name in os.listdir(args.downloads) if name.endswith(".csv")]
            if done:
                break
            assert time.time() < deadline, "the CSV did not download"
            time.sleep(0.2)
        with open(os.path.join(args.downloads, done[0]), encoding="utf-8") as handle:
            csv = handle.read()
        assert csv.splitlines()[0].count(",") >= 3, csv[:200]

        step("the takedown report")
        driver.get(args.base + "/report")
        driver.find_element(By.CSS_SELECTOR, "form[action='/report'] button").click()
        wait(page_has("report-text"), "the report")
        assert driver.find_element(By.ID, "report-text").text.strip(), "empty report"
        shot("report")
        driver.find_element(By.ID, "report-view").click()
        wait(lambda: "/report/view" in driver.current_url and "report-text" not in driver.page_source, "the full report")
        assert "<svg" in driver.page_source or "Takedown" in driver.page_source
        shot("report-full")

        step("rules explain")
        driver.get(args.base + "/rules")
        driver.find_element(By.NAME, "urls").send_keys("https://vm.tiktok.com/ZMabc123/")
        driver.find_element(By.CSS_SELECTOR, "form[action='/rules'] button").click()
        wait(page_has("explain"), "the explain trace")
        assert driver.find_element(By.ID, "explain").text
        shot("rules")
        step("passed")
    except Exception:
        driver.save_screenshot(os.path.join(shots, "failure.png"))
        raise
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
