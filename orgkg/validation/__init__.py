"""Validation: SHACL on the store (orgkg's engine, pySHACL per shape where it does not compile), the quote check,
ontology consistency, and one report kept with the store generation it describes.

* :mod:`~orgkg.validation.compile` — shapes → plan (pure): each constraint one SPARQL SELECT, or the shape left
  to pySHACL with the reason;
* :mod:`~orgkg.validation.data` — the data validated: a store generation in place, or data loaded once;
* :mod:`~orgkg.validation.run` — the plan run on the data; the checks of ``orgkg build`` / ``add`` / ``validate``;
* :mod:`~orgkg.validation.quotes` — the source-quote check, and naming what a finding is about;
* :mod:`~orgkg.validation.report` — the report model and its forms (W3C Turtle, text zh/en, JSON, JUnit);
* :mod:`~orgkg.validation.reasoner` — ontology consistency with HermiT (``orgkg validate --reasoner``);
* :mod:`~orgkg.validation.cli` — ``orgkg validate``.
"""
