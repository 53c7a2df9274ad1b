"""An SMTP server for the fault tests that accepts every message and keeps it.

Each message accepted is written to DIR as its own file (written under a temporary name,
fsynced, then renamed), so a reader never sees half a message and a message is on disk before
the client hears "250". The test stops and starts this process to play an SMTP outage.

    python smtp_sink.py --port PORT --dir DIR

Prints "listening on 127.0.0.1:PORT" once it accepts connections; runs until SIGTERM or SIGINT.
"""

import argparse
import os
import signal
import threading
import time
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}-{uuid.uuid4().hex}.eml"
        temporary = os.path.join(self.directory, f".{name}.tmp")
        with open(temporary, "wb") as out:
            out.write(envelope.original_content or envelope.content)
            out.flush()
            os.fsync(out.fileno())
        os.rename(temporary, os.path.join(self.directory, name))
        return "250 Message accepted"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    controller = Controller(Sink(args.dir), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"listening on 127.0.0.1:{args.port}", flush=True)
    stopped.wait()
    controller.stop()


if __name__ == "__main__":
    main()
