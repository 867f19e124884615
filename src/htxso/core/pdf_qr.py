"""A QR code drawn into an fpdf2 page as filled vector rectangles (one per run of dark
modules in a row): sharp at any print size, and faster than embedding an image.

Certificates, invitation cards, trace labels and capital certificates all draw their QR
codes with :func:`draw_qr`.
"""

from __future__ import annotations

import segno
from fpdf import FPDF

#: modules of white around the code that scanners want (ISO/IEC 18004)
QUIET_ZONE = 4


def draw_qr(
    pdf: FPDF,
    data: str,
    x: float,
    y: float,
    size: float,
    *,
    quiet_zone: bool = True,
    mask: int | None = None,
) -> None:
    """Draw ``data`` as a QR code in the square (``x``, ``y``, ``size``).  With
    ``quiet_zone`` the square includes the white border; ``mask`` fixes the mask
    pattern (choosing the best of eight costs more than the drawing, for many labels)."""
    matrix = segno.make_qr(data, error="m", mask=mask).matrix
    border = QUIET_ZONE if quiet_zone else 0
    cell = size / (len(matrix) + 2 * border)
    x, y = x + border * cell, y + border * cell
    for row_index, row in enumerate(matrix):
        start = None
        for col, dark in enumerate((*row, 0)):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                pdf.rect(x + start * cell, y + row_index * cell, (col - start) * cell, cell, "F")
                start = None
