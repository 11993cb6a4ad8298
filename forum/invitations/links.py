"""The address of a delegate's own page: what the QR code carries and e-mails link to."""


def delegate_page_url(base_url: str, code: str) -> str:
    """``<base>/i/<code>``: short, so the QR code stays small and scans from paper."""
    return f'{base_url.rstrip("/")}/i/{code}'
