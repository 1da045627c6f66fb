"""Synthetic scanned 部门决算 reports with gold annotations, for testing the pipeline end to end.

``generate.generate_samples`` is the entry point (``juesuan samples``). The figures come from one fiscal model
(``model``), are laid out as the nine standard tables (``tables``) and the 说明 narrative (``narrative``),
flowed onto pages (``flow``), drawn (``render``), degraded like a scan (``degrade``) and written as an
image-only PDF, with the gold record and a per-page ground truth (``gold``).
"""
