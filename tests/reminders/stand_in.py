"""A local stand-in for the WeCom and DingTalk robots' webhooks: records every
request (path, query, JSON body) and answers what the test asks (200 with
{"errcode": 0}, a 500, or a hang until released)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class StandIn:
    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[int | str] = []  # next answers: 200, 500, "hang"
        self.hanging = threading.Event()
        self.release = threading.Event()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                url = urlsplit(self.path)
                answer = stand_in.answers.pop(0) if stand_in.answers else 200
                stand_in.requests.append(
                    {
                        "path": url.path,
                        "query": {k: v[0] for k, v in parse_qs(url.query).items()},
                        "body": body,
                        "answer": answer,
                    }
                )
                if answer == "hang":
                    stand_in.hanging.set()
                    stand_in.release.wait(60)
                    return
                self.send_response(answer)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"errcode": 0, "errmsg": "ok"}).encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
