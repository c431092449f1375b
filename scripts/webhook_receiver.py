#!/usr/bin/env python3
"""A merchant app's webhook receiver for Dunwell's tests.

Verifies each delivery with `standardwebhooks` (PyPI), an implementation of the Standard
Webhooks specification independent of Dunwell's. Started by a test on a free port; prints
`listening <port>` on its first line.

  POST /configure  {"secret": "whsec_…", "fail_first": 2}   the endpoint's secret; answer 500
                                                             to the first N deliveries
  POST /hook       a delivery: 500 while failing, 400 if the signature does not verify,
                   else 204 and the delivery is kept
  GET  /received   [{"id", "timestamp", "body", "verified"}…] every delivery seen, in order
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

STATE = {"secret": None, "fail_first": 0, "seen": 0, "received": []}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self, status, body=b""):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if body:
            self.send_header("Content-Type", "application/json")
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        if self.path != "/received":
            return self._answer(404)
        with LOCK:
            body = json.dumps(STATE["received"]).encode()
        self._answer(200, body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        if self.path == "/configure":
            config = json.loads(raw)
            with LOCK:
                STATE["secret"] = config["secret"]
                STATE["fail_first"] = int(config.get("fail_first", 0))
            return self._answer(204)
        if self.path != "/hook":
            return self._answer(404)
        headers = {k.lower(): v for k, v in self.headers.items()}
        with LOCK:
            STATE["seen"] += 1
            failing = STATE["seen"] <= STATE["fail_first"]
            secret = STATE["secret"]
        verified = False
        if not failing and secret:
            try:
                Webhook(secret).verify(raw, headers)
                verified = True
            except WebhookVerificationError:
                verified = False
        with LOCK:
            STATE["received"].append(
                {
                    "id": headers.get("webhook-id"),
                    "timestamp": headers.get("webhook-timestamp"),
                    "body": raw.decode("utf-8"),
                    "verified": verified,
                    "answered": 500 if failing else (204 if verified else 400),
                }
            )
        if failing:
            return self._answer(500, b'{"error":"not yet"}')
        return self._answer(204 if verified else 400)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"listening {server.server_address[1]}", flush=True)
    # Ends with the test: its parent closes stdin.
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
