"""rotasat: production-support scheduling on CP-SAT."""

__version__ = "0.1.0"
