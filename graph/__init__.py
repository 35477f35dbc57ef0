"""cpkg: a knowledge graph of Cambodian political actors, every statement tied to its source."""

__version__ = "0.1.0"
