"""OCR engines behind one base class, each picked by its options type (factory.py); their shared types and cache."""
