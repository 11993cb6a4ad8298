"""Reading invitation PDFs back as a person and a phone would: the text, and every QR code."""

import io

import pypdf
import pypdfium2
import zxingcpp


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, with runs of whitespace made single spaces."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [' '.join(page.extract_text().split()) for page in reader.pages]


def page_qr_codes(pdf: bytes, dpi: int = 150) -> list[list[str]]:
    """What the QR codes on each page say, read by zxing-cpp from the page rasterised at ``dpi``."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        codes = []
        for page in document:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            barcodes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            codes.append([barcode.text for barcode in barcodes])
        return codes
    finally:
        document.close()
