"""Incidents: what happened, where, by whose alleged hand, to whom, on what evidence.

Categories follow the ACLED event types and sub-event types, so records can be
compared with public conflict data.
"""
