"""Static pictures of widget views, for readers without a live kernel.

Widget state is not saved with a notebook, so every display of a course widget also
carries a picture of its view as it was when displayed: nbconvert's HTML, the grader's
feedback and a notebook opened without its kernel show that picture instead of a line
such as `VBox(children=...)`, while a live notebook shows the interactive widget.
"""

from __future__ import annotations

import base64
import html
import io
from typing import Any

import ipywidgets
from PIL import Image

FALLBACK_BUDGET = 100_000
"""Base64 characters for all pictures of one display: half the grader's cap on one cell's
outputs, so a grid of photos shrinks instead of crowding out the rest of the cell."""
_SPACED = "margin:2px 12px 2px 2px"  # room between controls and captions, as live widgets have


class WithFallback:
    """Displays an ipywidgets `view` with its static picture (see `mimebundle`)."""

    def __init__(self, view: ipywidgets.Widget):
        self.view = view

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict, dict]:
        return mimebundle(self.view)

    def __repr__(self) -> str:  # what a terminal prints
        return repr(self.view)


def mimebundle(view: ipywidgets.Widget) -> tuple[dict, dict]:
    """Display data and metadata for `view`: the live widget, and the picture it shows now
    (image/png for an image, text/html for anything else) for viewers without the kernel.

    A live frontend ranks the widget view first (JupyterLab's widget renderer -10, ahead of
    HTML at 50 and images at 90). nbconvert's HTML exporter skips a widget view whose state
    the notebook lacks and takes text/html, then image/png; so does JupyterLab for a
    notebook it does not trust (one executed elsewhere), as its widget renderer is not
    "safe"."""
    data, metadata = dict(view._repr_mimebundle_()), {}
    if isinstance(view, ipywidgets.Image):
        mime, encoded, width = _picture(view, FALLBACK_BUDGET)
        data[mime] = encoded
        metadata[mime] = {"alt": _alt(view), **({"width": width} if width else {})}
    else:
        data["text/html"] = static_html(view, _share(_image_sizes(view), FALLBACK_BUDGET))
    return data, metadata


def static_html(view: ipywidgets.Widget, budget: int = FALLBACK_BUDGET) -> str:
    """`view` as plain HTML with its pictures embedded (each in at most `budget` base64
    characters): rows and columns as flex boxes, controls as disabled inputs."""
    if isinstance(view, ipywidgets.Box):
        direction = "column" if isinstance(view, ipywidgets.VBox) else "row"
        inner = "".join(static_html(child, budget) for child in view.children)
        return f'<div style="display:flex;flex-direction:{direction};{_css(view.layout)}">{inner}</div>'
    if isinstance(view, ipywidgets.Image):
        mime, encoded, width = _picture(view, budget)
        size = f' width="{width}"' if width else ""
        return (f'<img src="data:{mime};base64,{encoded}" alt="{html.escape(_alt(view))}"{size} '
                'style="margin:2px;max-width:100%;height:auto">')
    if isinstance(view, (ipywidgets.HTML, ipywidgets.HTMLMath)):
        return f'<div style="{_SPACED}">{view.value}</div>'
    label = html.escape(getattr(view, "description", "") or "")
    if isinstance(view, ipywidgets.Checkbox):
        tick = " checked" if view.value else ""
        return f'<label style="{_SPACED}"><input type="checkbox" disabled{tick}> {label}</label>'
    if isinstance(view, (ipywidgets.IntSlider, ipywidgets.FloatSlider)):
        return (f'<div style="{_SPACED}">{label} <input type="range" disabled min="{view.min}" '
                f'max="{view.max}" step="{view.step}" value="{view.value}" '
                f'style="display:inline-block;width:160px;vertical-align:middle"> {view.value}</div>')
    return f'<div style="{_SPACED}">{label} {html.escape(str(getattr(view, "value", "")))}</div>'


def _alt(view: ipywidgets.Image) -> str:
    return getattr(view, "alt", "") or "image"


def _css(layout: ipywidgets.Layout) -> str:
    """The CSS of the properties set on an ipywidgets Layout."""
    css = []
    for name in layout.keys:
        value = getattr(layout, name)
        if not name.startswith("_") and value is not None:
            css.append(f"{name.replace('_', '-')}:{value}")
            if name == "flex_flow" and "wrap" in value:
                css.append("flex-wrap:wrap")  # JupyterLab's HTML sanitizer drops flex-flow
    return html.escape(";".join(css))


def _image_sizes(view: ipywidgets.Widget) -> list[int]:
    """The base64 length of every picture in `view`."""
    if isinstance(view, ipywidgets.Box):
        return [size for child in view.children for size in _image_sizes(child)]
    return [_base64_length(len(view.value))] if isinstance(view, ipywidgets.Image) else []


def _share(sizes: list[int], budget: int) -> int:
    """The largest size per picture that keeps all of them within `budget`: small
    pictures stay as they are, and the large ones split what is left."""
    left = budget
    for i, size in enumerate(sorted(sizes)):
        if size > left // (len(sizes) - i):
            return left // (len(sizes) - i)
        left -= size
    return budget


def _picture(view: ipywidgets.Image, budget: int) -> tuple[str, str, int | None]:
    """(mime type, base64 data, width to show it at) of an Image widget's picture: as it
    is, or as a JPEG made smaller until it fits in `budget` base64 characters."""
    data, mime = bytes(view.value), f"image/{view.format}"
    if _base64_length(len(data)) <= budget:
        return mime, base64.b64encode(data).decode(), None
    try:
        picture = Image.open(io.BytesIO(data))
        picture.load()
    except Exception:  # not a raster PIL reads (an SVG, a URL): kept as it is
        return mime, base64.b64encode(data).decode(), None
    flat = Image.alpha_composite(Image.new("RGBA", picture.size, "white"), picture.convert("RGBA"))
    flat = flat.convert("RGB")  # JPEG has no alpha: transparency shows white, as in a notebook
    scale = 1.0
    while _base64_length(len(data)) > budget and scale > 0.02:
        buf = io.BytesIO()
        flat.resize((max(1, round(flat.width * scale)), max(1, round(flat.height * scale)))).save(
            buf, format="JPEG", quality=80)
        data, mime, scale = buf.getvalue(), "image/jpeg", scale * 0.7
    return mime, base64.b64encode(data).decode(), picture.width


def _base64_length(n_bytes: int) -> int:
    return 4 * -(-n_bytes // 3)
