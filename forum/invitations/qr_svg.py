"""A QR code as inline SVG, for the delegate to show at the door from their phone."""

from markupsafe import Markup

QUIET_ZONE = 4


def qr_svg(payload: str) -> Markup:
    """An SVG of the QR code of ``payload``: one path, crisp at any size."""
    from forum.invitations.qr import qr_matrix  # noqa: PLC0415 (the PDF's encoder, shared)

    matrix = qr_matrix(payload)
    size = len(matrix) + 2 * QUIET_ZONE
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f'M{start + QUIET_ZONE} {y + QUIET_ZONE}h{x - start}v1h-{x - start}z')
            else:
                x += 1
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges" role="img" class="qr-code">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )
