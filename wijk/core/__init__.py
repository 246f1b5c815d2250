"""Shared foundation: environment helper, domain errors, the access log, base templates."""
