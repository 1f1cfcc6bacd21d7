"""Mutation testing of the library's rule modules: ``python -m tools.mutation`` (``make mutation``)."""
