#!/usr/bin/python3
"""A real SMTP server (aiosmtpd, Debian's python3-aiosmtpd) for the email adapter's tests.

    server.py DIR PORT [LIFETIME]

Listens on 127.0.0.1:PORT, stores every accepted message as DIR/NNNN.eml
(the raw bytes as received, envelope in DIR/NNNN.json), and answers
recipients by their local part, like a real mail server would:
  bounce-550@…  550 5.1.1 mailbox unavailable (permanent: the address is bad)
  busy-451@…    451 4.3.0 try again later (transient)
Everything else is accepted. Stops by itself after LIFETIME seconds (default 600).
"""
import asyncio
import json
import os
import sys
import threading
import time

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("bounce-550"):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if local.startswith("busy-451"):
            return "451 4.3.0 <%s>: mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            number = self.count
        base = os.path.join(self.directory, "%04d" % number)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos}, f)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 queued as %04d" % number


def main():
    directory, port = sys.argv[1], int(sys.argv[2])
    lifetime = float(sys.argv[3]) if len(sys.argv) > 3 else 600
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Recorder(directory), hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    print("ready smtp://127.0.0.1:%d" % port, flush=True)
    with open(os.path.join(directory, "ready"), "w") as f:
        f.write(str(port))
    try:
        time.sleep(lifetime)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
