#!/usr/bin/env python3
"""A real SMTP server for Recouvre's delivery tests (aiosmtpd, installed by scripts/test).

Listens on 127.0.0.1:PORT and appends every message it accepts to LOG as one JSON line:
{"mail_from", "rcpt_tos", "message_id", "subject", "reply_to", "text", "attachments":
[{"filename", "content_type", "base64"}], "data"} (data: the raw message). Prints "READY"
on stdout once it listens, and "RECEIVED <message-id>" each time a message's data has
arrived in full. With --delay-ms N, each message is stored and acknowledged N ms after it
arrived, like a mail server that writes its queue file before replying: a client killed
meanwhile does not stop the message from being stored (the crash test relies on it).

With --starttls CERT KEY the server offers STARTTLS with that certificate and refuses
mail before it; with --tls CERT KEY it speaks TLS from the first byte (port 465 style);
with --auth USER PASSWORD it requires that login (PLAIN or LOGIN, over TLS only). Each
stored line then also says "tls" (true when the session was encrypted) and "auth" (the
login used, or null).

Usage: smtp-sink.py PORT LOG [--delay-ms N] [--starttls CERT KEY | --tls CERT KEY]
                    [--auth USER PASSWORD]
"""
import asyncio
import base64
import email
import email.policy
import json
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, log, delay):
        self.log = log
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        print("RECEIVED", msg.get("Message-ID"), flush=True)
        # Shielded: the store goes on even if the client disconnects meanwhile.
        # STARTTLS sets session.ssl; TLS from the first byte shows in the transport.
        tls = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        auth = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        await asyncio.shield(self.store(envelope, raw, msg, tls, auth))
        return "250 OK stored"

    async def store(self, envelope, raw, msg, tls, auth):
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
            "tls": tls,
            "auth": auth,
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

    def option(name, count):
        if name not in sys.argv:
            return None
        i = sys.argv.index(name)
        return sys.argv[i + 1 : i + 1 + count]

    def context(files):
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(files[0], files[1])
        return ctx

    starttls, implicit, login = option("--starttls", 2), option("--tls", 2), option("--auth", 2)
    kwargs = {"enable_SMTPUTF8": True, "decode_data": False}
    if starttls:
        kwargs.update(tls_context=context(starttls), require_starttls=True)
    if login:
        user, password = login[0].encode(), login[1].encode()

        def authenticator(server, session, envelope, mechanism, data):
            ok = isinstance(data, LoginPassword) and (data.login, data.password) == (user, password)
            # handled=False: aiosmtpd answers a refusal itself (535).
            return AuthResult(success=ok, handled=False, auth_data=data)

        # aiosmtpd sees TLS from the first byte as plain text: there, the whole session is
        # encrypted, so the login need not wait for STARTTLS.
        kwargs.update(
            authenticator=authenticator, auth_required=True, auth_require_tls=not implicit
        )
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, **kwargs),
        host="127.0.0.1",
        port=port,
        ssl=context(implicit) if implicit else None,
    )
    print("READY", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
