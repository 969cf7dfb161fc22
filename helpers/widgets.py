"""Interactive widgets with bindable properties, on ipywidgets 8 (JupyterLab 4, Notebook 7).

Every widget keeps its state in named `Property` objects. Passing one widget's property
to another widget's constructor binds the two: they then share one value, so a change on
either side shows on both.

    plot = PlotWidget(draw, target=0.5, show_mse=True)
    show([plot, Range(0, 1, 0.01, value=plot.prop("target")),
          Checkbox("MSE", value=plot.prop("show_mse"))])

Every display also carries a static picture of the view (`helpers.static`), for
readers without a live kernel.
"""

from __future__ import annotations

import inspect
import io
from typing import Any, Callable

import ipywidgets
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from helpers.static import mimebundle


class Property:
    """A value that tells its observers when it changes."""

    def __init__(self, value: Any = None):
        self._value = value
        self._observers: list[Callable[[Any], None]] = []

    @property
    def value(self) -> Any:
        return self._value

    @value.setter
    def value(self, new: Any) -> None:
        if _same(new, self._value):
            return
        self._value = new
        for observer in list(self._observers):
            observer(new)

    def observe(self, callback: Callable[[Any], None]) -> None:
        """Call `callback(new_value)` after every change."""
        self._observers.append(callback)

    def __repr__(self) -> str:
        return f"Property({self._value!r})"


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # e.g. tensors, whose == is elementwise
        return a is b


class Widget:
    """Base class: named properties, binding, and display through an ipywidgets view."""

    def __init__(self, **props: Any):
        self._props: dict[str, Property] = {}
        for name, value in props.items():
            self._props[name] = value if isinstance(value, Property) else Property(value)
        self._view: ipywidgets.Widget | None = None

    def prop(self, name: str) -> Property:
        """The property called `name`, to bind into another widget."""
        try:
            return self._props[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no property {name!r}; "
                                 f"it has {sorted(self._props)}") from None

    def __getattr__(self, name: str) -> Any:
        props = self.__dict__.get("_props", {})
        if name in props:
            return props[name].value
        raise AttributeError(f"{type(self).__name__!s} has no attribute {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        props = self.__dict__.get("_props", {})
        if name in props:
            props[name].value = value
        else:
            super().__setattr__(name, value)

    @property
    def view(self) -> ipywidgets.Widget:
        """The ipywidgets object that shows this widget (made on first use)."""
        if self._view is None:
            self._view = self._make_view()
        return self._view

    def _make_view(self) -> ipywidgets.Widget:
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict, dict]:
        return mimebundle(self.view)


def _link(prop: Property, view: ipywidgets.Widget, trait: str = "value") -> None:
    """Keep `prop` and `view.<trait>` equal in both directions."""
    view.observe(lambda change: setattr(prop, "value", change["new"]), names=trait)
    prop.observe(lambda new: setattr(view, trait, new))


class Range(Widget):
    """A slider from `min` to `max` in steps of `step`; its `value` is bindable."""

    def __init__(self, min: float = 0.0, max: float = 1.0, step: float | None = None,
                 value: Any = None, description: str = ""):
        if not max > min:
            raise ValueError(f"Range needs max > min, got min={min}, max={max}")
        integral = all(isinstance(v, int) for v in (min, max)) and (step is None or isinstance(step, int))
        step = step if step is not None else (1 if integral else (max - min) / 100)
        super().__init__(value=min if value is None else value)
        self.min, self.max, self.step, self.description, self.integral = min, max, step, description, integral

    def _make_view(self) -> ipywidgets.Widget:
        cls = ipywidgets.IntSlider if self.integral else ipywidgets.FloatSlider
        view = cls(min=self.min, max=self.max, step=self.step, value=self.value,
                   description=self.description, continuous_update=True,
                   readout_format="d" if self.integral else ".3g")
        _link(self.prop("value"), view)
        return view


class Checkbox(Widget):
    """A labelled checkbox; its `value` (True or False) is bindable."""

    def __init__(self, label: str = "", value: Any = False):
        super().__init__(value=value)
        self.label = label

    def _make_view(self) -> ipywidgets.Widget:
        view = ipywidgets.Checkbox(value=bool(self.value), description=self.label, indent=False)
        _link(self.prop("value"), view)
        return view


class PlotWidget(Widget):
    """A matplotlib figure redrawn by `draw_fn(fig, **props)` whenever a property changes.

    Every keyword argument of `draw_fn` that has a default becomes a bindable property;
    pass a value (or another widget's property) to the constructor to override it.
    The figure starts with one Axes (`[ax] = fig.axes`); before each redraw its axes are
    cleared, not removed. A draw function that wants another layout calls `fig.clear()`
    and adds its own. Figures are drawn off-screen with Agg and shown as PNG, so none
    pile up in pyplot. `bbox_inches="tight"` crops the image to what was drawn. A display
    keeps the PNG of the moment for viewers without the kernel; the first line of
    `draw_fn`'s docstring is its alternative text.
    """

    def __init__(self, draw_fn: Callable[..., Any], figsize: tuple[float, float] = (4.0, 3.0),
                 dpi: int = 80, bbox_inches: str | None = None, **props: Any):
        params = list(inspect.signature(draw_fn).parameters.values())
        if not params:
            raise TypeError("draw_fn must take the figure as its first argument")
        defaults = {p.name: p.default for p in params[1:] if p.default is not inspect.Parameter.empty}
        unknown = set(props) - set(defaults)
        if unknown:
            raise TypeError(f"{draw_fn.__name__} has no keyword argument(s) with a default named "
                            f"{sorted(unknown)}; it has {sorted(defaults)}")
        super().__init__(**{**defaults, **props})
        self.draw_fn = draw_fn
        self.bbox_inches = bbox_inches
        self.figure = Figure(figsize=figsize, dpi=dpi)
        FigureCanvasAgg(self.figure)
        self.figure.add_subplot()
        self.png = b""
        for prop in self._props.values():
            prop.observe(lambda _new: self.redraw())
        self.redraw()

    def render(self) -> bytes:
        """Draw the figure with the current property values; return it as PNG bytes."""
        for ax in self.figure.axes:
            ax.clear()
        self.draw_fn(self.figure, **{name: p.value for name, p in self._props.items()})
        buf = io.BytesIO()
        if self.bbox_inches:
            self.figure.savefig(buf, format="png", bbox_inches=self.bbox_inches)
            return buf.getvalue()
        canvas = self.figure.canvas
        canvas.draw()
        # Encoding the Agg buffer directly, with light compression, is about twice as
        # fast as savefig, which would draw the figure a second time.
        Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).save(
            buf, format="PNG", compress_level=1)
        return buf.getvalue()

    def redraw(self) -> None:
        self.png = self.render()
        if self._view is not None:
            self._view.value = self.png

    def _make_view(self) -> ipywidgets.Widget:
        doc = inspect.getdoc(self.draw_fn)
        alt = doc.splitlines()[0] if doc else self.draw_fn.__name__
        return _PlotImage(value=self.png, format="png", alt=alt)


class _PlotImage(ipywidgets.Image):
    """A PlotWidget's view; `alt`, which stays in the kernel, says what the plot shows to
    readers of its static picture."""

    alt = traitlets.Unicode("")
