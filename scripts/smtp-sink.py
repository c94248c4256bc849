#!/usr/bin/env python3
"""A real SMTP server for Recouvre's delivery tests (aiosmtpd, installed by scripts/test).

Listens on 127.0.0.1:PORT and appends every message it accepts to LOG as one JSON line:
{"mail_from", "rcpt_tos", "message_id", "data"} (data: the raw message, UTF-8). Prints
"READY" on stdout once it listens. With --delay-ms N, each message is held N ms before
it is stored and accepted (the crash test kills the sender meanwhile).

Usage: smtp-sink.py PORT LOG [--delay-ms N]
"""
import asyncio
import email
import email.policy
import json
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, log, delay):
        self.log = log
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay / 1000)
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        line = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "message_id": msg.get("Message-ID"),
            "data": raw.decode("utf-8", errors="replace"),
        }
        with open(self.log, "a", encoding="utf-8") as f:
            f.write(json.dumps(line) + "\n")
            f.flush()
        return "250 OK stored"


async def main():
    port = int(sys.argv[1])
    log = sys.argv[2]
    delay = 0
    if "--delay-ms" in sys.argv:
        delay = int(sys.argv[sys.argv.index("--delay-ms") + 1])
    handler = Sink(log, delay)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, enable_SMTPUTF8=True, decode_data=False),
        host="127.0.0.1",
        port=port,
    )
    print("READY", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
