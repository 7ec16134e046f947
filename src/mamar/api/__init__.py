"""The HTTP API: JSON under ``/api/v1``, generated from the registered commands and aggregates."""
