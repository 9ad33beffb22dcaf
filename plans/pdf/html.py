"""The HTML of a plan's PDF: the front (title page, RAG summary chart, changes) and the
priority tables. Shared by the one-piece render (``render.py``) and the render in parts
(``parallel.py``)."""

from django.template.loader import render_to_string
from django.utils import timezone

from .data import RAG_LABELS, RAG_ORDER

CHART_WIDTH = 420
CHART_BAR = 18
CHART_GAP = 8
CHART_LABEL = 70


def chart(data):
    """Stacked bars, one per priority, as numbers for an inline SVG (no script, no network)."""
    bars = []
    widest = max((block.action_count for block in data.priorities), default=0) or 1
    scale = (CHART_WIDTH - CHART_LABEL - 10) / widest
    for index, block in enumerate(data.priorities):
        y = index * (CHART_BAR + CHART_GAP)
        x = CHART_LABEL
        segments = []
        for rag in RAG_ORDER:
            count = block.counts.get(rag, 0)
            if count:
                width = count * scale
                segments.append(
                    {"rag": rag, "label": RAG_LABELS[rag], "count": count, "x": round(x, 1), "width": round(width, 1)}
                )
                x += width
        bars.append({"label": f"Priority {block.number}", "y": y, "segments": segments, "text_y": y + 13})
    height = max(len(bars) * (CHART_BAR + CHART_GAP), CHART_BAR)
    return {"bars": bars, "width": CHART_WIDTH, "height": height, "bar": CHART_BAR}


def build_html(data, *, front=True, blocks=None, numbered=True):
    """The HTML of the PDF: the front (title page, RAG summary, changes) and the priority
    tables ``blocks`` (all by default). ``numbered=False`` leaves "Page N of M" out, for
    parts rendered apart and numbered after merging (``parallel.py``)."""
    context = {
        "data": data,
        "plan": data.plan,
        "options": data.options,
        "chart": chart(data),
        "rag_order": [(rag, RAG_LABELS[rag]) for rag in RAG_ORDER],
        "produced": f"Produced {timezone.localtime(data.produced_at):%d/%m/%Y %H:%M}",
        "front": front,
        "blocks": data.priorities if blocks is None else blocks,
        "numbered": numbered,
    }
    return render_to_string("plans/pdf/plan.html", context)
