#!/usr/bin/env python3
# tests/ci/fake_github_api.py — a local stand-in for the three pull request
# calls of scripts/ci/baseline-update (list, create, update, request reviews),
# for tests/ci/baseline_update_test.sh.
#
#   fake_github_api.py PORT_FILE LOG_FILE TOKEN
#
# Listens on 127.0.0.1 at a free port, written to PORT_FILE. Every request is
# appended to LOG_FILE as one JSON line {method, path, body}. A request
# without "Authorization: Bearer TOKEN" gets 401. Pull requests live in memory.
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

port_file, log_file, token = sys.argv[1], sys.argv[2], sys.argv[3]
pulls = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, payload):
        data = json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        with open(log_file, "a") as f:
            f.write(json.dumps({"method": method, "path": self.path, "body": body}) + "\n")
        if self.headers.get("Authorization") != f"Bearer {token}":
            return self.reply(401, {"message": "Bad credentials"})
        url = urlparse(self.path)
        parts = url.path.strip("/").split("/")
        if len(parts) < 4 or parts[0] != "repos" or parts[3] != "pulls":
            return self.reply(404, {"message": "Not Found"})
        repo = f"{parts[1]}/{parts[2]}"
        if method == "GET" and len(parts) == 4:
            q = parse_qs(url.query)
            head = q.get("head", [""])[0]
            found = [p for p in pulls if p["state"] == "open" and f"{parts[1]}:{p['head']}" == head
                     and p["base"] == q.get("base", [p["base"]])[0]]
            return self.reply(200, found)
        if method == "POST" and len(parts) == 4:
            number = len(pulls) + 1
            pr = {"number": number, "state": "open", "head": body["head"], "base": body["base"],
                  "title": body["title"], "body": body["body"],
                  "html_url": f"https://github.invalid/{repo}/pull/{number}"}
            pulls.append(pr)
            return self.reply(201, pr)
        if method == "PATCH" and len(parts) == 5:
            pr = next((p for p in pulls if str(p["number"]) == parts[4]), None)
            if pr is None:
                return self.reply(404, {"message": "Not Found"})
            pr.update({k: v for k, v in body.items() if k in ("title", "body")})
            return self.reply(200, pr)
        if method == "POST" and len(parts) == 6 and parts[5] == "requested_reviewers":
            return self.reply(201, {"number": int(parts[4])})
        return self.reply(404, {"message": "Not Found"})

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")


server = HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
