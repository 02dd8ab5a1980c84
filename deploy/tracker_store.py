"""Rasa's SQL tracker store with SQLAlchemy's pool_pre_ping, so a database restart costs nobody a
conversation.

Rasa 3.6's SQLTrackerStore keeps pooled connections and cannot be told to test them (its
endpoint settings are not passed to create_engine). After PostgreSQL restarts, the first read
on each pooled connection fails; Rasa's fail-safe wrapper then falls back to an empty in-memory
tracker: the user gets the answer of a new conversation (an open form is forgotten for that
turn) and the turn is not stored. Measured in tests/service/production/test_faults.py.
With pool_pre_ping every connection is checked when it leaves the pool and replaced when dead.

Configured in deploy/endpoints.production.yml as
    tracker_store:
      type: deploy.tracker_store.PingingSQLTrackerStore
with the same settings as Rasa's `type: SQL`. Runs in the engine environment (Python 3.10).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs


class PingingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose connections are tested before use."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
