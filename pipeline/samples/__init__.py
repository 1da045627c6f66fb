"""Synthetic scanned 部门决算 reports with gold annotations, for testing the pipeline end to end.

``generate.generate_samples`` is the entry point (``juesuan samples``). The figures come from one fiscal model
(``model``), are laid out as the standard tables (``tables``, ``econ_table``, ``three_public_table``) and the
说明 narrative (``narrative``) in one of the layouts real reports use, chosen per report (``look``: where codes
sit, T6/T7 shapes, titles, units, order), flowed onto pages (``flow``), drawn (``render``), degraded like a
scan (``degrade``) and written as an image-only PDF, with the gold record and a per-page ground truth
(``gold``). ``variant_page`` writes a few tables alone, in any layout, born-digital, scanned or as text, for
tests of the table reader.

The 部门预算 (budget) is a second template on the same machinery (``budget``: ``budget_model``,
``budget_narrative``, ``budget_tables``, ``budget_gold``): ``generate_samples(..., report_type="budget")``.
"""
