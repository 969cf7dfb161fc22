"""`pbar(iterable)`: a progress bar that is a widget in notebooks and text in terminals."""

from __future__ import annotations

from typing import Iterable, TypeVar

from tqdm.auto import tqdm

T = TypeVar("T")


def pbar(iterable: Iterable[T], desc: str | None = None, total: int | None = None, **kwargs) -> Iterable[T]:
    """Wrap `iterable` in a tqdm bar; in Jupyter it renders as an ipywidgets bar, in a
    terminal or a CI log as one line of text that updates in place."""
    return tqdm(iterable, desc=desc, total=total, **kwargs)
