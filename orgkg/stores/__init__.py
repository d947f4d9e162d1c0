"""Stores: the embedded default (pyoxigraph on disk) behind one interface (:class:`orgkg.stores.base.Store`)."""

from orgkg.stores.base import SelectResult, Store, StoreError, term_to_json

__all__ = ["SelectResult", "Store", "StoreError", "term_to_json"]
