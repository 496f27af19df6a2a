#!/usr/bin/env python3
"""A reverse proxy on loopback that injects faults into AWS JSON-protocol calls (DynamoDB, KMS) on their way.

Tests put it between an SDK client and the emulator to see what the code does when AWS misbehaves as it does in
production: a response that arrives after the SDK gave up (the write happened, the client timed out and retried),
a connection reset, a throttling answer. Stdlib only.

usage: fault_proxy.py --upstream http://127.0.0.1:PORT [--port 0]
Prints the proxy's URL on its first line of stdout once it listens (with --port 0, on a free port).

Control it over HTTP on the same port:
  POST   /__fault__      {"target": "DynamoDB_20120810.PutItem" | "TrentService.Sign" | "*",
                          "action": "delay" | "reset" | "throttle" | "error500",
                          "seconds": 2.5,            # delay only
                          "times": 1,                # how many matching calls it hits; -1: every one
                          "after_forward": true,     # delay and reset: after the upstream answered (it did the work)
                          "error_type": "..."}       # throttle only: the __type to answer (default below)
  DELETE /__fault__      drops every fault and the log
  GET    /__fault__/log  one line per call seen: "<X-Amz-Target> <what happened>"
Faults are matched by the X-Amz-Target header, first added first; a spent fault no longer matches.
"""
import argparse
import http.client
import http.server
import json
import socket
import struct
import sys
import threading
import time
import urllib.parse
import uuid

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "content-length"}
ACTIONS = {"delay", "reset", "throttle", "error500"}


def wire_error(target):
    """(content type, throttling __type, internal error __type) of the service a target belongs to."""
    if target.startswith("DynamoDB_"):
        # AWS JSON 1.0: DynamoDB names its errors with their Smithy namespace.
        return ("application/x-amz-json-1.0", "com.amazonaws.dynamodb.v20120810#ThrottlingException",
                "com.amazonaws.dynamodb.v20120810#InternalServerError")
    return "application/x-amz-json-1.1", "ThrottlingException", "KMSInternalException"


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.faults = []
        self.log = []

    def add(self, fault):
        if fault.get("action") not in ACTIONS:
            raise ValueError(f"action must be one of {sorted(ACTIONS)}")
        if not isinstance(fault.get("target"), str):
            raise ValueError("target must be an X-Amz-Target value or *")
        fault = {"times": 1, "seconds": 0.0, "after_forward": fault.get("action") == "delay", **fault}
        with self.lock:
            self.faults.append(fault)

    def clear(self):
        with self.lock:
            self.faults.clear()
            self.log.clear()

    def take(self, target):
        """The first live fault for target, spending one of its times; None if none matches."""
        with self.lock:
            for fault in self.faults:
                if fault["times"] != 0 and fault["target"] in ("*", target):
                    if fault["times"] > 0:
                        fault["times"] -= 1
                    return dict(fault)
        return None

    def record(self, target, outcome):
        with self.lock:
            self.log.append(f"{target} {outcome}")

    def lines(self):
        with self.lock:
            return "".join(line + "\n" for line in self.log)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault-proxy"

    def log_message(self, format, *args):  # quiet: tests read /__fault__/log instead
        pass

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_PUT(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    def do_HEAD(self):
        self.dispatch()

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def dispatch(self):
        body = self.read_body()
        path = urllib.parse.urlsplit(self.path).path
        if path == "/__fault__" or path.startswith("/__fault__/"):
            self.control(path, body)
            return
        target = self.headers.get("X-Amz-Target", "-")
        fault = self.server.faults.take(target)
        action = fault["action"] if fault else None
        if action == "throttle":
            content_type, throttling, _ = wire_error(target)
            error_type = fault.get("error_type") or throttling
            self.server.faults.record(target, "throttle")
            self.answer(400, content_type, {"__type": error_type, "message": "Rate exceeded"})
            return
        if action == "error500":
            content_type, _, internal = wire_error(target)
            self.server.faults.record(target, "error500")
            self.answer(500, content_type, {"__type": internal, "message": "injected internal error"})
            return
        if action in ("delay", "reset") and not fault["after_forward"]:
            if action == "reset":
                self.server.faults.record(target, "reset before forwarding")
                self.reset()
                return
            time.sleep(float(fault["seconds"]))
        status, reason, headers, data = self.forward(body)
        if action == "reset":
            self.server.faults.record(target, f"reset after forwarding ({status})")
            self.reset()
            return
        if action == "delay":
            self.server.faults.record(target, f"delayed {fault['seconds']}s "
                                              f"{'after' if fault['after_forward'] else 'before'} forwarding ({status})")
            if fault["after_forward"]:
                time.sleep(float(fault["seconds"]))
        else:
            self.server.faults.record(target, f"forwarded ({status})")
        try:
            self.send_response(status, reason)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
        except OSError:
            self.close_connection = True  # the client gave up waiting: what a delay is for

    def forward(self, body):
        upstream = self.server.upstream
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
        try:
            headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
            headers["Content-Length"] = str(len(body))
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            kept = [(n, v) for n, v in response.getheaders() if n.lower() not in HOP_BY_HOP]
            return response.status, response.reason, kept, data
        finally:
            connection.close()

    def reset(self):
        """Closes the connection with a TCP RST, no response: what a client sees when a load balancer drops it."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def finish(self):
        try:
            super().finish()
        except (OSError, ValueError):
            pass  # after a reset the socket is gone

    def answer(self, status, content_type, document):
        data = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def control(self, path, body):
        faults = self.server.faults
        if path == "/__fault__" and self.command == "POST":
            try:
                faults.add(json.loads(body))
            except (ValueError, TypeError) as e:
                self.text(400, f"bad fault: {e}\n")
                return
            self.text(204, "")
        elif path == "/__fault__" and self.command == "DELETE":
            faults.clear()
            self.text(204, "")
        elif path == "/__fault__/log" and self.command == "GET":
            self.text(200, faults.lines())
        else:
            self.text(404, "POST or DELETE /__fault__, GET /__fault__/log\n")

    def text(self, status, content):
        data = content.encode()
        self.send_response(status)
        if status != 204:
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if status != 204:
            self.wfile.write(data)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, upstream):
        super().__init__(address, Handler)
        self.upstream = upstream
        self.faults = Faults()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", required=True, help="the emulator's URL, e.g. http://127.0.0.1:4566")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    args = parser.parse_args()
    upstream = urllib.parse.urlsplit(args.upstream)
    if upstream.scheme != "http" or upstream.hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--upstream must be an http URL on loopback")
    server = Server(("127.0.0.1", args.port), upstream)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
