"""`show(...)`: lay out widgets, images, figures, tensors and text in a notebook.

`show(a, b, c)` puts its arguments one under another. Inside them a list is a row, a
list inside a row is a column, a list inside that a row again, and so on. `show.WRAP`
lets rows wrap onto more lines (a grid of many small plots): given as an argument of
`show` it applies to every row, inside a list to that list's box. `show.style(...)` sets
layout properties (width, margin, flex, ...) of the box of the list it appears in;
numbers mean pixels. Strings are shown as text; `show.raw_html("<b>...</b>")` as HTML.
Images are PIL images, figures, and tensors (C, H, W) or arrays (H, W, C) with 1, 3 or 4
channels, or (H, W) grayscale: floats in [0, 1], integers in [0, 255].
The display carries a static picture of the layout for viewers without the kernel
(see `helpers.widgets.mimebundle`).

    show(show.WRAP, [[plot, "caption"], [slider, checkbox]])
"""

from __future__ import annotations

import html
import io
from typing import TYPE_CHECKING, Any

import ipywidgets
import numpy as np

from helpers.static import WithFallback
from helpers.widgets import Widget

if TYPE_CHECKING:
    import torch

_UNITLESS = {"flex", "order", "flex_grow", "flex_shrink"}


class _Wrap:
    def __repr__(self) -> str:
        return "show.WRAP"


class _Style:
    """Layout properties for the box of the list this appears in."""

    def __init__(self, **layout: Any):
        known = set(ipywidgets.Layout.class_trait_names())
        self.layout = {}
        for key, value in layout.items():
            key = key.replace("-", "_")
            if key not in known:
                raise ValueError(f"unknown layout property {key!r}; ipywidgets boxes accept "
                                 f"{', '.join(sorted(k for k in known if not k.startswith('_')))}")
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = f"{value}" if key in _UNITLESS else f"{value}px"
            self.layout[key] = value


class _RawHTML:
    def __init__(self, markup: str):
        self.markup = markup


def render(item: Any, depth: int = 0, wrap: bool = False) -> ipywidgets.Widget:
    """The ipywidgets object that shows `item`; a list at even `depth` is a row."""
    if isinstance(item, (list, tuple)):
        return _box(item, depth, wrap)
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


def _box(items: list | tuple, depth: int, wrap: bool) -> ipywidgets.Box:
    is_row = depth % 2 == 0
    layout: dict[str, str] = {"flex_flow": "row wrap"} if (wrap and is_row) else {}
    children = []
    for item in items:
        if isinstance(item, _Wrap):
            layout["flex_flow"] = "row wrap" if is_row else "column wrap"
        elif isinstance(item, _Style):
            layout.update(item.layout)
        else:
            children.append(render(item, depth + 1, wrap))
    box = ipywidgets.HBox if is_row else ipywidgets.VBox
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
    image = _as_image_tensor(item)
    if image is None:
        return None
    from helpers.renormalize import as_image

    return _as_png(as_image(image, source="pt" if image.is_floating_point() else "byte"))


def _as_image_tensor(item: Any) -> torch.Tensor | None:
    """A (C, H, W) tensor that renormalize accepts, for an image-shaped tensor (C, H, W)
    or array (H, W, C), or a grayscale (H, W) one; None for anything else."""
    import torch

    from helpers.renormalize import is_image_shape

    if isinstance(item, np.ndarray) and item.ndim in (2, 3) and item.dtype.kind in "biuf":
        item = torch.from_numpy(np.ascontiguousarray(item))
        item = item.permute(2, 0, 1) if item.dim() == 3 else item
    if not isinstance(item, torch.Tensor) or item.is_complex():
        return None
    item = item.float() if item.dtype == torch.bool else item
    if item.dim() == 2 and min(item.shape) > 1:
        item = item[None]
    return item if item.dim() == 3 and is_image_shape(tuple(item.shape)) else None


def layout(*items: Any) -> ipywidgets.Widget:
    """What `show(*items)` displays: the items in a column, markers applied."""
    wrap = any(isinstance(i, _Wrap) for i in items)
    style = {k: v for i in items if isinstance(i, _Style) for k, v in i.layout.items()}
    children = [render(i, 0, wrap) for i in items if not isinstance(i, (_Wrap, _Style))]
    return ipywidgets.VBox(children, layout=ipywidgets.Layout(**style))


def show(*items: Any) -> None:
    """Display `items` in the notebook, one under another (lists inside are rows)."""
    from IPython.display import display

    display(WithFallback(layout(*items)))


show.WRAP = _Wrap()
show.style = _Style
show.raw_html = _RawHTML
show.render = render
show.layout = layout
