"""The simulated people of ``bench_load.py``, for ``locust`` (run in its own process: locust
patches the standard library with gevent, so nothing here imports Django or the app).

Officers read My actions, their plan, action pages and search, and post an update about
every tenth request; chairs read the plan, the dashboard, action pages and search, and now
and then ask for a direct PDF or a meeting pack; one administrator imports a plan once.
Read from the environment: BENCH_LOAD_PEOPLE (the JSON ``load_setup.py prepare`` wrote),
BENCH_LOAD_PASSWORD, BENCH_LOAD_RUN (a run id, in each update's marker), BENCH_LOAD_MARKERS
(file: one line per acknowledged update), BENCH_LOAD_FAILURES (file: time, name, status of
each failed request).
"""

import datetime
import itertools
import json
import os
import random
import re
import time
from html.parser import HTMLParser

from locust import HttpUser, between, events, task

PEOPLE = json.loads(open(os.environ["BENCH_LOAD_PEOPLE"]).read())  # noqa: PTH123, SIM115
PASSWORD = os.environ["BENCH_LOAD_PASSWORD"]
RUN = os.environ.get("BENCH_LOAD_RUN", "0")
MARKERS = open(os.environ["BENCH_LOAD_MARKERS"], "a", buffering=1)  # noqa: PTH123, SIM115
FAILURES = open(os.environ["BENCH_LOAD_FAILURES"], "a", buffering=1)  # noqa: PTH123, SIM115
_serial = itertools.count(1)
_officers = itertools.cycle(PEOPLE["officers"])
_chairs = itertools.cycle(PEOPLE["chairs"])
SEARCH_WORDS = ["Bramblefield", "referrals", "patrol", "Ashford", "funding", "schools"]


@events.request.add_listener
def _record_failure(request_type, name, response_time, response_length, exception=None, response=None, **kw):
    if exception is not None:
        status = getattr(response, "status_code", 0)
        FAILURES.write(f"{time.time():.3f}\t{name}\t{status}\t{str(exception)[:120]}\n")


class FormParser(HTMLParser):
    """The fields of the forms of a page: {form action: [(tag, name, type, value, checked)]}."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = attrs.get("action") or ""
            self.forms.setdefault(self.current, [])
        elif self.current is not None and tag in ("input", "textarea", "select") and attrs.get("name"):
            kind = attrs.get("type", tag)
            self.forms[self.current].append((tag, attrs["name"], kind, attrs.get("value", ""), "checked" in attrs))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def update_form(html, marker):
    """The add-update form of an action page, filled in: today's date (whichever date input
    the page uses), the marker as the text, the first RAG rating, a reason in case that
    rating departs from the suggested one, the defaults elsewhere."""
    parser = FormParser()
    parser.feed(html)
    fields = next((f for f in parser.forms.values() if any(name == "text" for _t, name, *_ in f)), None)
    if fields is None:
        return None
    today = datetime.date.today()
    data, radios = {}, set()
    for tag, name, kind, value, checked in fields:
        if kind == "hidden":
            data[name] = value
        elif tag == "textarea" and name == "text":
            data[name] = f"Load test note {marker}: patrols continued this week."
        elif tag == "textarea" and name == "rating_reason":
            # Asked for when the rating departs from the suggested one (kept only then).
            data[name] = "The owner's judgement: the partners report progress the dates do not show."
        elif kind == "radio":
            if name not in radios and (checked or name not in data):
                data[name] = value
            if checked:
                radios.add(name)
        elif "date" in name and kind in ("text", "date"):
            part = name.rsplit("-", 1)[-1].rsplit("_", 1)[-1]
            parts = {"day": today.day, "month": today.month, "year": today.year}
            data[name] = str(parts[part]) if part in parts else today.strftime("%d/%m/%Y")
    for field in ("status", "status_reason"):  # leave the status as it is
        if field in data and field not in radios:
            data.pop(field)
    return data


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 2.5)

    def on_start(self):
        self.client.get("/sign-in/", name="sign-in page")
        self.client.post(
            "/sign-in/",
            {"username": self.me["username"], "password": PASSWORD, "csrfmiddlewaretoken": self._csrf()},
            headers={"Referer": self.host + "/sign-in/"},
            name="sign in",
        )

    def _csrf(self):
        return self.client.cookies.get("csrftoken", "")

    def action_page(self):
        return self.client.get(f"/actions/{random.choice(self.me['actions'])}/", name="action page")

    def search(self):
        self.client.get("/actions/search/", params={"q": random.choice(SEARCH_WORDS)}, name="search")


class Officer(Person):
    weight = 3

    def on_start(self):
        self.me = next(_officers)
        super().on_start()

    @task(4)
    def my_actions(self):
        self.client.get("/actions/mine/", name="my actions")

    @task(3)
    def read_action(self):
        self.action_page()

    @task(2)
    def plan_page(self):
        self.client.get(f"/plans/{self.me['plan']}/", name="plan page")

    @task(1)
    def find(self):
        self.search()

    @task(1)
    def post_update(self):
        """About one request in ten: an update, acknowledged by the redirect after saving."""
        action = random.choice(self.me["actions"])
        page = self.client.get(f"/actions/{action}/", name="action page")
        marker = f"[load {RUN} {os.getpid()}-{next(_serial)}]"
        data = update_form(page.text, marker) if page.status_code == 200 else None
        if data is None:
            return  # a closed action, or a page that failed (counted there)
        with self.client.post(
            f"/actions/{action}/",
            data,
            headers={"Referer": f"{self.host}/actions/{action}/"},
            name="post update",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code in (201, 302):
                MARKERS.write(marker + "\n")
                response.success()
            elif response.status_code == 400 and "takes no more updates" in response.text:
                response.success()  # the action was closed: refused as it should be
            else:
                response.failure(f"update not saved: {response.status_code}")


class Chair(Person):
    weight = 1

    def on_start(self):
        self.me = next(_chairs)
        super().on_start()

    @task(3)
    def plan_page(self):
        self.client.get(f"/plans/{self.me['plan']}/", name="plan page")

    @task(3)
    def dashboard(self):
        self.client.get(f"/plans/{self.me['plan']}/dashboard/", name="dashboard")

    @task(2)
    def read_action(self):
        self.action_page()

    @task(1)
    def find(self):
        self.search()

    @task(1)
    def pdf(self):
        """A direct PDF of one priority (small enough to be produced while the chair waits, or
        refused at once as busy: 503 with Retry-After is an answer, not an error)."""
        with self.client.get(
            f"/plans/{self.me['plan']}/pdf/",
            params={"download": "1", "include_closed": "on", "priority": "1"},
            name="direct PDF",
            catch_response=True,
        ) as response:
            if response.status_code == 503 and response.headers.get("Retry-After"):
                response.success()

    @task(1)
    def pack(self):
        plan, meeting = self.me["plan"], self.me["meeting"]
        url = f"/plans/{plan}/meetings/{meeting}/packs/"
        with self.client.post(
            url,
            {"csrfmiddlewaretoken": self._csrf(), "include_closed": "on", "priority": "1"},
            headers={"Referer": f"{self.host}/plans/{plan}/meetings/{meeting}/"},
            name="pack request",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"pack not queued: {response.status_code}")
                return
        self.client.get(response.headers["Location"], name="pack progress")


class Importer(Person):
    """One administrator who imports their plan's own export back, once."""

    fixed_count = 1
    done = False

    def on_start(self):
        self.me = PEOPLE["admins"][0]
        super().on_start()

    @task
    def import_once(self):
        if self.done:
            time.sleep(5)
            return
        self.done = True
        plan = self.me["plan"]
        workbook = self.client.get(f"/plans/{plan}/export/xlsx", name="export").content
        with self.client.post(
            f"/plans/{plan}/import/",
            {"csrfmiddlewaretoken": self._csrf()},
            files={"file": ("plan.xlsx", workbook)},
            headers={"Referer": f"{self.host}/plans/{plan}/import/"},
            name="import upload",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"upload refused: {response.status_code}")
                return
        preview_url = response.headers["Location"]
        preview = self.client.get(preview_url, name="import preview")
        digest = re.search(r'name="digest" value="([^"]+)"', preview.text)
        if not digest:
            return  # nothing to change, or problems: the preview says so
        self.client.post(
            preview_url,
            {"csrfmiddlewaretoken": self._csrf(), "digest": digest[1]},
            headers={"Referer": self.host + preview_url},
            name="import confirm",
        )
