"""Look up event classes by type name in a table instead of walking the class tree.

Rasa 3.6 resolves every stored event's class with `Event.resolve_by_type`, which walks all
subclasses of `Event` each time. Reading a tracker back from the tracker store does that
once per event: about 3% of server time under load (py-spy, README "Speed"). An unknown
name rebuilds the table first, so event classes imported later are still found.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_original = Event.resolve_by_type
_table: dict[str, type[Event]] = {}


def _rebuild() -> None:
    _table.clear()
    for cls in all_subclasses(Event):
        _table.setdefault(cls.type_name, cls)  # the first match wins, as in Rasa's loop


def _resolve_by_type(type_name: str, default: Any = None) -> Any:
    found = _table.get(type_name)
    if found is None:
        _rebuild()
        found = _table.get(type_name)
    # Unknown names keep Rasa's own answer: the default, None for "topic", or its error.
    return found if found is not None else _original(type_name, default)


def install() -> None:
    Event.resolve_by_type = staticmethod(_resolve_by_type)
