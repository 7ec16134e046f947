"""Scenarios: YAML files of timestamped commands, run by named accounts through the services."""
