"""Whom a rate limit counts: the client's address, with an IPv6 client counted per /64.

An IPv6 customer usually gets a whole /64 (often more) and can pick a fresh address for every
request, so counting single IPv6 addresses would let one client pass any per-address limit.
IPv4-mapped IPv6 addresses count as the IPv4 address. Behind nginx, uvicorn takes the address
from X-Forwarded-For (trusted from 127.0.0.1 only, its default).
"""

from __future__ import annotations

import ipaddress

from starlette.requests import Request

IPV6_PREFIX = 64


def address_key(host: str | None) -> str:
    """The rate-limit key of a client address: IPv4 as is, IPv6 as its /64 network."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host[:64]  # not an address (a test client's name): itself
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)


def client_key(request: Request) -> str:
    return address_key(request.client.host if request.client else None)
