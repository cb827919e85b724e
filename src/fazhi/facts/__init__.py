"""The facts stage: quantities in a report's text -> ``Fact`` records.

Public API: ``parse_quantity`` (one expression -> ``Quantity``) and ``extract_facts`` (a cleaned text ->
facts in text order). Modules: ``numbers`` (numerals), ``units`` (units, qualifiers), ``scan`` (the
quantity regex), ``exclusions`` (what is not a fact), ``changes`` (signed changes), ``subjects``
(what a number measures), ``indicators`` (the key-indicator catalogue), ``extract`` (the stage).
"""

from .extract import extract_facts
from .indicators import catalogue, match_indicator
from .quantity import parse_quantity

__all__ = ["catalogue", "extract_facts", "match_indicator", "parse_quantity"]
