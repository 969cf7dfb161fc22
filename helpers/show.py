"""`show(...)`: lay out widgets, images, figures, tensors and text in a notebook.

A list is a row, a list inside it a column, a list inside that a row again, and so on.
Put `show.WRAP` in a list to let a row wrap onto more lines (a grid of small plots), and
`show.style(...)` to set CSS-like layout properties of that list's box. Plain strings are
shown as text; `show.raw_html("<b>...</b>")` is shown as HTML.

    show([[plot, "caption"], [show.WRAP, *small_plots], show.style(gap="8px")])
"""

from __future__ import annotations

import html
import io
from typing import Any

import ipywidgets
import numpy as np

from helpers.widgets import Widget


class _Wrap:
    def __repr__(self) -> str:
        return "show.WRAP"


class _Style:
    """Layout properties for the box of the list this appears in."""

    def __init__(self, **layout: str):
        self.layout = {key.replace("-", "_"): value for key, value in layout.items()}
        known = set(ipywidgets.Layout.class_trait_names())
        for key in self.layout:
            if key not in known:
                raise ValueError(f"unknown layout property {key!r}; ipywidgets boxes accept "
                                 f"{', '.join(sorted(k for k in known if not k.startswith('_')))}")


class _RawHTML:
    def __init__(self, markup: str):
        self.markup = markup


def render(item: Any, _depth: int = 0) -> ipywidgets.Widget:
    """The ipywidgets object that `show` would display for `item`."""
    if isinstance(item, (list, tuple)):
        return _box(item, _depth)
    if isinstance(item, Widget):
        return item.view
    if isinstance(item, ipywidgets.Widget):
        return item
    if isinstance(item, _RawHTML):
        return ipywidgets.HTML(item.markup)
    if isinstance(item, str):
        return ipywidgets.HTML(f"<span style='white-space: pre-wrap'>{html.escape(item)}</span>")
    png = _as_png(item)
    if png is not None:
        return ipywidgets.Image(value=png, format="png")
    return ipywidgets.HTML(f"<pre>{html.escape(repr(item))}</pre>")


def _box(items: list | tuple, depth: int) -> ipywidgets.Box:
    layout: dict[str, str] = {}
    children = []
    for item in items:
        if isinstance(item, _Wrap):
            layout["flex_flow"] = "row wrap"
        elif isinstance(item, _Style):
            layout.update(item.layout)
        else:
            children.append(render(item, depth + 1))
    box = ipywidgets.HBox if depth % 2 == 0 else ipywidgets.VBox
    return box(children, layout=ipywidgets.Layout(**layout))


def _as_png(item: Any) -> bytes | None:
    """PNG bytes for images, figures and image-shaped arrays/tensors, else None."""
    from matplotlib.figure import Figure
    from PIL import Image

    if isinstance(item, Figure):
        buf = io.BytesIO()
        item.savefig(buf, format="png")
        return buf.getvalue()
    if isinstance(item, Image.Image):
        buf = io.BytesIO()
        item.save(buf, format="PNG")
        return buf.getvalue()
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a course requirement
        torch = None
    if torch is not None and isinstance(item, torch.Tensor) and _image_shaped(item.shape, chw=True):
        from helpers.renormalize import as_image

        return _as_png(as_image(item, source="pt" if item.is_floating_point() else "byte"))
    if isinstance(item, np.ndarray) and _image_shaped(item.shape, chw=False):
        array = item if item.dtype == np.uint8 else (np.clip(item, 0, 1) * 255).round().astype(np.uint8)
        return _as_png(Image.fromarray(array))
    return None


def _image_shaped(shape: tuple, chw: bool) -> bool:
    if len(shape) == 2:
        return min(shape) > 1
    if len(shape) == 3:
        channels = shape[0] if chw else shape[2]
        return channels in (1, 3, 4)
    return False


def show(*items: Any) -> None:
    """Display `items` in the notebook: one item as itself, several as a row."""
    from IPython.display import display

    display(render(items[0] if len(items) == 1 else list(items)))


show.WRAP = _Wrap()
show.style = _Style
show.raw_html = _RawHTML
show.render = render
