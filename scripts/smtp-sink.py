#!/usr/bin/env python3
"""A real SMTP server for Recouvre's delivery tests (aiosmtpd, installed by scripts/test).

Listens on 127.0.0.1:PORT and appends every message it accepts to LOG as one JSON line:
{"mail_from", "rcpt_tos", "message_id", "subject", "reply_to", "text", "attachments":
[{"filename", "content_type", "base64"}], "data"} (data: the raw message). Prints "READY"
on stdout once it listens, and "RECEIVED <message-id>" each time a message's data has
arrived in full. With --delay-ms N, each message is stored and acknowledged N ms after it
arrived, like a mail server that writes its queue file before replying: a client killed
meanwhile does not stop the message from being stored (the crash test relies on it).

Usage: smtp-sink.py PORT LOG [--delay-ms N]
"""
import asyncio
import base64
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
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        print("RECEIVED", msg.get("Message-ID"), flush=True)
        # Shielded: the store goes on even if the client disconnects meanwhile.
        await asyncio.shield(self.store(envelope, raw, msg))
        return "250 OK stored"

    async def store(self, envelope, raw, msg):
        if self.delay:
            await asyncio.sleep(self.delay / 1000)
        body = msg.get_body(preferencelist=("plain",))
        attachments = [
            {
                "filename": part.get_filename(),
                "content_type": part.get_content_type(),
                "base64": base64.b64encode(part.get_payload(decode=True)).decode(),
            }
            for part in msg.iter_attachments()
            if part.get_filename() is not None
        ]
        line = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "message_id": msg.get("Message-ID"),
            "subject": str(msg.get("Subject")),
            "reply_to": msg.get("Reply-To"),
            "text": body.get_content() if body is not None else None,
            "attachments": attachments,
            "data": raw.decode("utf-8", errors="replace"),
        }
        with open(self.log, "a", encoding="utf-8") as f:
            f.write(json.dumps(line) + "\n")
            f.flush()


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
