"""Stores behind one interface (:class:`orgkg.stores.base.Store`): the embedded default (pyoxigraph on disk) and
any SPARQL 1.1 server (:mod:`orgkg.stores.remote`); :func:`open_store` picks one from the command line."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from orgkg.stores.base import SelectResult, Store, StoreError, term_to_json

__all__ = ["SelectResult", "Store", "StoreError", "open_store", "term_to_json"]

# Credentials and settings of a remote store come from the environment only: a command line shows in process
# lists and shell history, and the CLI never prints them.
ENV_USER = "ORGKG_SPARQL_USER"
ENV_PASSWORD = "ORGKG_SPARQL_PASSWORD"
ENV_AUTH = "ORGKG_SPARQL_AUTH"  # basic (default) or digest (Virtuoso's /sparql-auth)
ENV_TIMEOUT = "ORGKG_SPARQL_TIMEOUT"  # seconds per request, default 60


def open_store(
    store_dir: Path | None,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> Store:
    """The embedded store in ``store_dir``, or, with ``endpoint``, the SPARQL server there.

    ``update_endpoint`` is where loads go (default: ``endpoint``). Credentials come from ORGKG_SPARQL_USER and
    ORGKG_SPARQL_PASSWORD, never from the URL; ORGKG_SPARQL_AUTH picks basic or digest authentication and
    ORGKG_SPARQL_TIMEOUT the seconds to wait for each request.
    """
    env = os.environ if environ is None else environ
    if endpoint is None:
        if update_endpoint is not None:
            raise StoreError("--update-endpoint needs --endpoint (the query endpoint of the same server)")
        if store_dir is None:
            raise StoreError("give a store folder or a SPARQL endpoint")
        from orgkg.stores.embedded import EmbeddedStore

        return EmbeddedStore(store_dir)

    from orgkg.stores.remote import RemoteStore, public_url

    for url in (endpoint, update_endpoint):
        if url is not None and (urlsplit(url).username is not None or urlsplit(url).password is not None):
            raise StoreError(
                f"{public_url(url)}: put credentials in {ENV_USER} and {ENV_PASSWORD}, not in the URL "
                "(a command line shows in process lists and shell history)"
            )
    user = env.get(ENV_USER) or None
    password = env.get(ENV_PASSWORD)
    if user is not None and password is None:
        raise StoreError(f"{ENV_USER} is set but {ENV_PASSWORD} is not")
    if user is None and password:
        raise StoreError(f"{ENV_PASSWORD} is set but {ENV_USER} is not")
    auth = (env.get(ENV_AUTH) or "basic").strip().lower()
    raw_timeout = env.get(ENV_TIMEOUT) or "60"
    try:
        timeout = float(raw_timeout)
    except ValueError:
        raise StoreError(f"{ENV_TIMEOUT}={raw_timeout!r}: expected a number of seconds") from None
    if timeout <= 0:
        raise StoreError(f"{ENV_TIMEOUT}={raw_timeout!r}: expected a positive number of seconds")
    return RemoteStore(
        endpoint,
        update_endpoint,
        user=user,
        password=password if user is not None else None,
        auth=auth,
        timeout=timeout,
    )
