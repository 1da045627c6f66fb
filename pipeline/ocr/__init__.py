"""OCR engines behind one small interface (RapidOCR by default, PaddleOCR as an extra), and their cache."""
