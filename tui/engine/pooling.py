"""Make a docker-py client keep one connection pool instead of one per URL.

docker-py 7.1's adapters for Unix sockets and SSH key their connection pools
by the full request URL and keep the 25 (9 over SSH) most recent pools. A
request per container therefore reuses almost no connection once there are
more containers than pools. It opens a new socket instead, and over SSH a new
channel running ``docker system dial-stdio`` on the remote host.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import docker

SHARED_POOL_KEY = "http+docker://dockertui-shared-pool"


def share_one_pool(api: docker.APIClient, size: int) -> int:
    """Make the client's per-URL adapters use one pool of up to ``size`` connections.

    Adapters that already pool by host (plain TCP and TLS) are left alone.

    Returns:
        The number of adapters changed.
    """
    changed = 0
    unique_adapters = {id(adapter): adapter for adapter in api.adapters.values()}
    for adapter in unique_adapters.values():
        if not hasattr(adapter, "pools") or not hasattr(adapter, "max_pool_size"):
            continue
        adapter.max_pool_size = size
        adapter.get_connection = _constant_key(adapter.get_connection)
        # Close the per-URL pools made so far, for example by version
        # negotiation, so their idle sockets do not linger.
        adapter.pools.clear()
        changed += 1
    return changed


def _constant_key(get_connection: Any) -> Any:
    """Wrap an adapter's ``get_connection`` so every URL maps to one pool."""

    def get_shared_connection(url: str, proxies: Any = None) -> Any:
        return get_connection(SHARED_POOL_KEY, proxies)

    return get_shared_connection
