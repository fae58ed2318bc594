"""The listening socket of HTTP mode, bound before anything else starts.

Apart from ``bot.slack.server`` so that ``liqbot serve`` can claim its port without importing
uvicorn and Slack first (a fifth of a second the market lists would otherwise wait for).
"""

from __future__ import annotations

import errno
import socket


class ListenError(RuntimeError):
    """The HTTP port cannot be listened on; the message is the one line the CLI prints."""


def listen(port: int, host: str = "0.0.0.0") -> socket.socket:
    """A socket listening on ``host:port``, or ``ListenError`` ("port 3000 is in use").

    Bound by liqbot before anything else starts: uvicorn, left to bind, logs the OSError and calls
    ``sys.exit(3)`` (Kludex/uvicorn#1278), which no ``except Exception`` sees.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)  # at once: with SO_REUSEADDR a bound but idle socket can be shared
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ListenError(f"port {port} is in use") from None
        raise ListenError(f"cannot listen on port {port}: {exc.strerror}") from None
    return sock
