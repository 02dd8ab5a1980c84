"""Copy slots with a plain attribute copy instead of `copy.copy`'s generic protocol.

Every new tracker copies all slots of the domain (41 here), and Rasa makes a new tracker
for each replay of the conversation history and each read from the tracker store: about
6% of server time under load (py-spy, README "Speed"). For a slot class without its own
copy or pickle hooks, `copy.copy` amounts to a new instance with the same attribute dict;
doing that directly is several times faster. Other objects still go through `copy.copy`.
"""

from __future__ import annotations

import copy
import types
from functools import cache
from typing import Any

import rasa.shared.core.trackers as trackers_module

_original_module = trackers_module.copy


@cache
def _plain(cls: type) -> bool:
    """True when `copy.copy` would just copy the instance dict of this class."""
    return (
        cls.__reduce_ex__ is object.__reduce_ex__
        and cls.__reduce__ is object.__reduce__
        and not hasattr(cls, "__copy__")
        and not hasattr(cls, "__getstate__")
        # Attributes only in the instance dict (ABC's empty __slots__ is fine).
        and not any(vars(base).get("__slots__") for base in cls.__mro__)
    )


def _copy(obj: Any) -> Any:
    cls = type(obj)
    if not _plain(cls):
        return copy.copy(obj)
    new = cls.__new__(cls)
    new.__dict__.update(obj.__dict__)
    return new


def install() -> None:
    # The tracker module uses `copy.copy` for slots only; it gets a namespace whose `copy`
    # is the fast one and whose other names are the standard module's.
    trackers_module.copy = types.SimpleNamespace(**{**vars(copy), "copy": _copy})
