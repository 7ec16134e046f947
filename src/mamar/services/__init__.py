"""Application services: every surface (CLI, scenarios, API, pages) goes through these."""
