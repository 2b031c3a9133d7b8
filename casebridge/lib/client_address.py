"""The client's address, for the audit trail, the rate limits and the lockout.

``PROXY_COUNT`` is the number of proxies in front of the service (a load balancer, then perhaps a reverse
proxy). Each appends to ``X-Forwarded-For`` the address that connected to it, so the client is the entry
``PROXY_COUNT`` from the right: one balancer sends ``client``, a balancer and a reverse proxy send
``client, balancer``. Entries further left are whatever the client chose to send and are ignored, and a
header with fewer entries than that is ignored too. With ``PROXY_COUNT`` 0 every forwarding header is
ignored, since anyone can send one, and the address is the connection's own. django-ipware reads the header.
"""

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def client_address(request: HttpRequest) -> str | None:
    proxies: int = settings.PROXY_COUNT
    if proxies:
        # ipware counts the proxy entries after the client's; the nearest proxy is REMOTE_ADDR, not an entry.
        forwarded, _routable = get_client_ip(
            request, proxy_count=proxies - 1, request_header_order=("HTTP_X_FORWARDED_FOR",), strict=False
        )
        if forwarded is not None:
            return forwarded
    address, _routable = get_client_ip(request, request_header_order=("REMOTE_ADDR",))
    return address
