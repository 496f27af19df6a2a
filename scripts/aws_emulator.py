#!/usr/bin/env python3
"""Serves moto's AWS API emulator on loopback, one request at a time.

`moto_server` handles requests on many threads without locking its in-memory backends, so two concurrent
DynamoDB transactions or conditional writes can interleave (a failed transaction even restores a stale copy of the
table). Real DynamoDB serializes them, and the tests rely on that (a disable racing a new secret, replay records).
This launcher runs the same moto application behind one lock: connections are still accepted concurrently, but
each AWS call runs alone, as it does against the real service.

usage: aws_emulator.py [--host 127.0.0.1] [--port 4566]
"""
import argparse
import os
import threading

from werkzeug.serving import run_simple
from moto.moto_server.threaded_moto_server import DomainDispatcherApplication, create_backend_app


class Serialized:
    """WSGI middleware: one call into the wrapped app at a time, body included."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            body = self.app(environ, start_response)
            try:
                return [b"".join(body)]
            finally:
                close = getattr(body, "close", None)
                if close:
                    close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566)
    args = parser.parse_args()
    os.environ.setdefault("MOTO_PORT", str(args.port))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, Serialized(app), threaded=True)


if __name__ == "__main__":
    main()
