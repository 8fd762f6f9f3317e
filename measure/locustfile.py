"""locust users for `manage.py bench` (core/benchload.py starts locust with it).

BENCH_SCENARIO names a JSON file written by the bench: signed-in session cookies and,
for each person, the pages they open. BENCH_TARGET is "mix" (search the order list,
filter it, open orders, look at the workbench) or "healthz". No think time: each
user sends its next request when the last one answers, so N users keep N requests
in flight — the server's throughput at that concurrency."""

import itertools
import json
import os
import random

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["BENCH_SCENARIO"], encoding="utf-8") as _handle:
    SCENARIO = json.load(_handle)
TARGET = os.environ.get("BENCH_TARGET", "mix")
_PEOPLE = itertools.cycle(SCENARIO["people"])
# How often each kind of page is opened in the mix.
WEIGHTS = {"order": 4, "search": 3, "filter": 2, "workbench": 2}


class Person(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.person = next(_PEOPLE)
        self.headers = {
            "Cookie": f"{SCENARIO['cookie_name']}={self.person['cookie']}",
            "Accept-Language": "zh-hans",
        }
        paths = self.person["paths"]
        self.kinds = [k for k in WEIGHTS if paths.get(k)]
        self.weights = [WEIGHTS[k] for k in self.kinds]

    @task
    def open_a_page(self):
        if TARGET == "healthz":
            self.client.get("/healthz/", name="/healthz/")
            return
        kind = random.choices(self.kinds, self.weights)[0]
        path = random.choice(self.person["paths"][kind])
        with self.client.get(
            path,
            headers=self.headers,
            name=kind,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # A redirect here is the sign-in page: the session was not accepted.
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")
