#!/usr/bin/python3
"""A real SMTP server (aiosmtpd, Debian's python3-aiosmtpd) for the email adapter's tests.

    server.py DIR PORT [LIFETIME] [--tls none|starttls|implicit --cert PEM --key PEM] [--auth USER:PASSWORD]

Listens on 127.0.0.1:PORT, stores every accepted message as DIR/NNNN.eml
(the raw bytes as received, envelope in DIR/NNNN.json), and answers
recipients by their local part, like a real mail server would:
  bounce-550@…  550 5.1.1 mailbox unavailable (permanent: the address is bad)
  reject-554@…  554 5.7.1 rejected by policy (permanent, the address may be fine)
  busy-451@…    451 4.3.0 try again later (transient)
  spam-554@…    accepted as a recipient, then the message refused after DATA
                (554 5.6.0 content rejected), as a content filter would
Everything else is accepted. Stops by itself after LIFETIME seconds (default 600).

--tls starttls offers STARTTLS with the given certificate and requires it
before anything but EHLO/NOOP/QUIT; --tls implicit speaks TLS from the first
byte (smtps). --auth requires AUTH with that user; over a plain server
(--tls none) AUTH is then offered in clear, as a careless server would.
DIR/commands.log records STARTTLS, AUTH, MAIL and RCPT as "COMMAND tls" or
"COMMAND clear", so a test can tell what went over which.
"""
import argparse
import json
import os
import ssl
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Recorder:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("bounce-550"):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if local.startswith("reject-554"):
            return "554 5.7.1 <%s>: rejected by policy" % address
        if local.startswith("busy-451"):
            return "451 4.3.0 <%s>: mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(address.lower().startswith("spam-554") for address in envelope.rcpt_tos):
            return "554 5.6.0 message content rejected"
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


class Transcript:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def record(self, command, secure):
        with self.lock, open(self.path, "a") as f:
            f.write("%s %s\n" % (command, "tls" if secure else "clear"))


def recording_smtp(transcript, implicit):
    class RecordingSMTP(SMTP):
        def _secure(self):
            return implicit or self._tls_protocol is not None

        async def smtp_STARTTLS(self, arg):
            transcript.record("STARTTLS", self._secure())
            return await super().smtp_STARTTLS(arg)

        async def smtp_AUTH(self, arg):
            transcript.record("AUTH", self._secure())
            return await super().smtp_AUTH(arg)

        async def smtp_MAIL(self, arg):
            transcript.record("MAIL", self._secure())
            return await super().smtp_MAIL(arg)

        async def smtp_RCPT(self, arg):
            transcript.record("RCPT", self._secure())
            return await super().smtp_RCPT(arg)

    return RecordingSMTP


class RecordingController(Controller):
    def __init__(self, handler, smtp_class, **kwargs):
        self.smtp_class = smtp_class
        super().__init__(handler, **kwargs)

    def factory(self):
        return self.smtp_class(self.handler, **self.SMTP_kwargs)


def authenticator_for(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok)
    return authenticate


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("port", type=int)
    parser.add_argument("lifetime", type=float, nargs="?", default=600)
    parser.add_argument("--tls", choices=["none", "starttls", "implicit"], default="none")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--auth", help="USER:PASSWORD")
    args = parser.parse_args()
    os.makedirs(args.directory, exist_ok=True)

    context = None
    if args.tls != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    kwargs = dict(hostname="127.0.0.1", port=args.port, decode_data=False)
    if args.tls == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    elif args.tls == "implicit":
        kwargs.update(ssl_context=context)
    if args.auth:
        user, password = args.auth.split(":", 1)
        # Over a plain server AUTH is offered in clear: the bait a client must not take.
        kwargs.update(authenticator=authenticator_for(user, password), auth_required=True,
                      auth_require_tls=args.tls == "starttls")
    transcript = Transcript(os.path.join(args.directory, "commands.log"))
    controller = RecordingController(
        Recorder(args.directory), recording_smtp(transcript, args.tls == "implicit"), **kwargs)
    controller.start()
    scheme = "smtps" if args.tls == "implicit" else "smtp"
    print("ready %s://127.0.0.1:%d" % (scheme, args.port), flush=True)
    with open(os.path.join(args.directory, "ready"), "w") as f:
        f.write(str(args.port))
    try:
        time.sleep(args.lifetime)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
