"""Make a real in-process PDF render pass its memory limit on purpose."""

BALLAST = 120 * 1024 * 1024  # fresh resident memory (above glibc's largest mmap threshold)


def heavier(render_pdf):
    """``render_pdf`` that also holds BALLAST bytes while WeasyPrint renders, so that a
    ``RenderGuard`` with a cap under 120 MB stops it whatever the render itself takes."""

    def render(*args, **kwargs):
        ballast = b"x" * BALLAST
        result = render_pdf(*args, **kwargs)
        return result if ballast else None

    return render
