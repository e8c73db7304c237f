"""The loader registry: one entry per source layout, each saying how well it recognises a
document. Adding a layout is adding a module under ``loaders/layouts/`` that calls
``register``; no other stage changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from .errors import LayoutNotRecognised
from .extract import Document
from .model import Minutes
from .normalize import NormalizedText

# Below this, a loader's guess is not worth acting on.
MIN_CONFIDENCE = 0.3
# The reader of layouts nobody has written a loader for (loaders/layouts/generic.py).
FALLBACK = "generic"


@dataclass(frozen=True)
class Loader:
    name: str
    version: str
    description: str
    recognise: Callable[[NormalizedText], float]  # confidence 0..1
    parse: Callable[[Document, NormalizedText], Minutes]


_LOADERS: dict[str, Loader] = {}


def register(loader: Loader) -> Loader:
    if loader.name in _LOADERS:
        raise ValueError(f"two loaders are named {loader.name!r}")
    _LOADERS[loader.name] = loader
    return loader


def register_reader(reader: type, description: str, recognise: Callable) -> Loader:
    """Register a layout's reader class: its ``name``, ``version`` and ``run()`` make the
    loader (every layout module ends with this one call)."""
    return register(
        Loader(
            name=reader.name,
            version=reader.version,
            description=description,
            recognise=recognise,
            parse=lambda document, text: reader(document, text).run(),
        )
    )


def loaders() -> list[Loader]:
    _discover()
    return sorted(_LOADERS.values(), key=lambda ld: ld.name)


def choose(document: Document, text: NormalizedText, name: str | None = None) -> Loader:
    """The named loader, or the one most confident that it recognises the document."""
    _discover()
    if name:
        try:
            return _LOADERS[name]
        except KeyError:
            known = ", ".join(sorted(_LOADERS))
            raise LayoutNotRecognised(
                f"no loader named {name!r} (known: {known})", file=document.path
            ) from None
    scored = sorted(((ld.recognise(text), ld.name) for ld in _LOADERS.values()), reverse=True)
    if not scored or scored[0][0] < MIN_CONFIDENCE:
        raise LayoutNotRecognised(
            "no loader recognises this document as committee minutes", file=document.path
        )
    return _LOADERS[scored[0][1]]


def by_name(name: str) -> Loader:
    _discover()
    return _LOADERS[name]


def _discover() -> None:
    from . import layouts

    for info in pkgutil.iter_modules(layouts.__path__):
        importlib.import_module(f"{layouts.__name__}.{info.name}")
