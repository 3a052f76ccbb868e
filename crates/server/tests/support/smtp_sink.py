"""A local SMTP sink for the e-mail tests: aiosmtpd (a real SMTP server from PyPI) that writes
each received letter as one JSON line — envelope, decoded headers and decoded text body — so the
Rust test can compare what arrived with what it expected, Arabic included.

    python smtp_sink.py OUT.jsonl      # prints "listening on PORT", serves until killed
"""

import asyncio
import email
import email.policy
import json
import socket
import sys

from aiosmtpd.controller import Controller


class JsonLines:
    def __init__(self, path):
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        letter = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        body = letter.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(letter["From"]),
            "to": str(letter["To"]),
            "subject": str(letter["Subject"]),
            "content_type": letter.get_content_type(),
            "body": body.get_content() if body is not None else "",
        }
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 OK"


def main():
    # aiosmtpd's controller cannot take port 0 (it connects to itself to check it started).
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    controller = Controller(JsonLines(sys.argv[1]), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"listening on {controller.port}", flush=True)
    try:
        asyncio.get_event_loop().run_until_complete(asyncio.Event().wait())
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
