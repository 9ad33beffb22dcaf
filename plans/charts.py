"""Server-side charts: geometry computed here, drawn as SVG by templates in
``templates/includes/chart_*.svg.html``.

No chart library and nothing from a CDN. Each chart is an ``<svg role="img">``
with a ``<title>`` and ``<desc>``, sits next to a data table that carries the same
figures, and marks RAG with pattern and word as well as colour.
"""

import math
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from actions.models import Rag

# Fill colours match static/scss/components/_rag.scss; patterns tell them apart in
# black and white and for readers who cannot tell red from green.
RAG_STYLE = {
    Rag.RED: {"fill": "#a8201a", "pattern": "hatch", "ink": "#ffffff"},
    Rag.AMBER: {"fill": "#ffbf47", "pattern": "dots", "ink": "#0b0c0c"},
    Rag.GREEN: {"fill": "#00703c", "pattern": "", "ink": "#ffffff"},
    Rag.BLUE: {"fill": "#1d70b8", "pattern": "cross", "ink": "#ffffff"},
    Rag.NOT_RATED: {"fill": "#ffffff", "pattern": "", "ink": "#0b0c0c"},
}
RAG_LABELS = dict(Rag.choices)


def stacked_bars(rows, *, chart_id, width=660, bar_height=26, gap=10, label_width=220):
    """A horizontal stacked bar per row. ``rows``: [(label, [(rag, count), ...])].

    Returns a dict for ``stacked_bars_svg``: every bar spans the
    plot width in proportion to the largest row total.
    """
    plot_width = width - label_width - 50
    largest = max((sum(n for _, n in cells) for _, cells in rows), default=0) or 1
    bars = []
    for index, (label, cells) in enumerate(rows):
        y = 10 + index * (bar_height + gap)
        x = label_width
        segments = []
        for rag, count in cells:
            if not count:
                continue
            w = plot_width * count / largest
            style = RAG_STYLE[rag]
            segments.append(
                {
                    "x": round(x, 2),
                    "width": round(w, 2),
                    "rag": rag,
                    "label": RAG_LABELS[rag],
                    "count": count,
                    "fill": style["fill"],
                    "pattern": style["pattern"],
                    "ink": style["ink"],
                    "show_count": w >= 22,
                    "text_x": round(x + w / 2, 2),
                }
            )
            x += w
        total = sum(n for _, n in cells)
        bars.append(
            {
                "label": label,
                "y": y,
                "text_y": y + bar_height / 2 + 5,
                "segments": segments,
                "total": total,
                "total_x": round(x + 6, 2),
            }
        )
    height = 10 + len(rows) * (bar_height + gap) + 34
    legend = []
    for index, rag in enumerate(RAG_STYLE):
        legend.append({"rag": rag, "label": RAG_LABELS[rag], "x": 4 + index * 104, **RAG_STYLE[rag]})
    return {
        "id": chart_id,
        "width": width,
        "height": height,
        "bar_height": bar_height,
        "label_width": label_width,
        "bars": bars,
        "legend": legend,
        "legend_y": height - 22,
    }


def nice_ticks(low, high, count=5):
    """Round tick values covering ``low``..``high`` (1, 2 or 5 times a power of ten apart)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step / 2:
        ticks.append(round(value, 10))
        value += step
        if value > high and ticks[-1] >= high:
            break
    return ticks


def line_chart(points, *, chart_id, target=None, baseline=None, width=640, height=280):
    """A line chart of ``points`` [(label, value)] with optional target and baseline lines.

    Returns a dict for ``includes/chart_line.svg.html``.
    """
    left, right, top, bottom = 60, 20, 16, 44
    values = [float(v) for _, v in points]
    extra = [float(v) for v in (target, baseline) if v is not None]
    if not values:
        return {"id": chart_id, "empty": True, "width": width, "height": 80}
    low = min(values + extra)
    high = max(values + extra)
    low = 0 if low >= 0 else low
    ticks = nice_ticks(low, high)
    y_min, y_max = ticks[0], ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom

    def y_of(value):
        return round(top + plot_h - (float(value) - y_min) / ((y_max - y_min) or 1) * plot_h, 2)

    step = plot_w / max(len(points) - 1, 1)
    dots = []
    for index, (label, value) in enumerate(points):
        x = round(left + (index * step if len(points) > 1 else plot_w / 2), 2)
        dots.append({"x": x, "y": y_of(value), "label": label, "value": value})
    label_every = max(1, math.ceil(len(points) / 8))
    return {
        "id": chart_id,
        "empty": False,
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": top + plot_h,
        "path": " ".join(f"{'M' if i == 0 else 'L'}{d['x']},{d['y']}" for i, d in enumerate(dots)),
        "dots": dots,
        "x_labels": [d for i, d in enumerate(dots) if i % label_every == 0 or i == len(dots) - 1],
        "ticks": [{"y": y_of(t), "label": format_number(t)} for t in ticks],
        "target": None if target is None else {"y": y_of(target), "label": format_number(target)},
        "baseline": None if baseline is None else {"y": y_of(baseline), "label": format_number(baseline)},
        "label_y": top + plot_h + 20,
    }


def format_number(value):
    """12.500 -> "12.5", 3.0 -> "3", 1234.5 -> "1,234.5"."""
    value = Decimal(str(value)).normalize()
    if value == value.to_integral():
        return f"{int(value):,}"
    return f"{value:,f}"


_SVG_FONT = "system-ui, -apple-system, Segoe UI, Roboto, Liberation Sans, Arial, sans-serif"


def stacked_bars_svg(chart, *, title, desc):
    """The SVG of a ``stacked_bars`` chart as safe markup (every text escaped).

    Drawn in Python, not a template: a dashboard's chart has dozens of segments, and
    rendering them node by node through the template engine was a good part of the
    page's time.
    """
    cid = escape(chart["id"])
    height = chart["bar_height"]
    out = [
        f'<svg class="app-chart" role="img" aria-labelledby="{cid}-title {cid}-desc"'
        f' viewBox="0 0 {chart["width"]} {chart["height"]}" xmlns="http://www.w3.org/2000/svg"'
        f' focusable="false" font-family="{_SVG_FONT}">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
        "<defs>",
        f'<pattern id="{cid}-hatch" width="8" height="8" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)">'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-width="3"/></pattern>',
        f'<pattern id="{cid}-dots" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<circle cx="4" cy="4" r="1.6" fill="#0b0c0c"/></pattern>',
        f'<pattern id="{cid}-cross" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<path d="M0,4 H8 M4,0 V8" stroke="#ffffff" stroke-width="1.5"/></pattern>',
        "</defs>",
    ]
    for bar in chart["bars"]:
        y, text_y = bar["y"], bar["text_y"]
        out.append(
            f'<g><text x="4" y="{text_y}" font-size="13" fill="#0b0c0c">'
            f"{escape(Truncator(bar['label']).chars(28))}</text>"
        )
        for s in bar["segments"]:
            not_rated = s["rag"] == Rag.NOT_RATED
            stroke = "#505a5f" if not_rated else "#ffffff"
            dashed = ' stroke-dasharray="4 3"' if not_rated else ""
            out.append(
                f'<rect x="{s["x"]}" y="{y}" width="{s["width"]}" height="{height}" fill="{s["fill"]}"'
                f' stroke="{stroke}" stroke-width="1.5"{dashed}/>'
            )
            if s["pattern"]:
                out.append(
                    f'<rect x="{s["x"]}" y="{y}" width="{s["width"]}" height="{height}"'
                    f' fill="url(#{cid}-{s["pattern"]})" opacity="0.45"/>'
                )
            if s["show_count"]:
                out.append(
                    f'<text x="{s["text_x"]}" y="{text_y}" text-anchor="middle" font-size="13" font-weight="700"'
                    f' fill="{s["ink"]}">{escape(s["label"][:1])}{s["count"]}</text>'
                )
        out.append(f'<text x="{bar["total_x"]}" y="{text_y}" font-size="13" fill="#0b0c0c">{bar["total"]}</text></g>')
    out.append("<g>")
    legend_y = chart["legend_y"]
    for item in chart["legend"]:
        dashed = ' stroke-dasharray="3 2"' if item["rag"] == Rag.NOT_RATED else ""
        out.append(
            f'<rect x="{item["x"]}" y="{legend_y}" width="14" height="14" fill="{item["fill"]}"'
            f' stroke="#505a5f"{dashed}/>'
        )
        if item["pattern"]:
            out.append(
                f'<rect x="{item["x"]}" y="{legend_y}" width="14" height="14"'
                f' fill="url(#{cid}-{item["pattern"]})" opacity="0.45"/>'
            )
        out.append(
            f'<text x="{item["x"] + 18}" y="{legend_y + 12}" font-size="12" fill="#0b0c0c">'
            f"{escape(item['label'])}</text>"
        )
    out.append("</g></svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text escaped above; the rest are numbers and constants
