"""Enumeration values the forms offer (``v.t(value)``): listed so they are translated."""

from __future__ import annotations

from mamar.web.i18n import N_

WORDS = [
    # contact direction
    N_("inbound"),
    N_("outbound"),
    N_("internal"),
    # who leaves, and with which arms
    N_("wounded"),
    N_("civilians"),
    N_("fighters"),
    N_("everyone"),
    N_("none"),
    N_("light"),
    N_("personal"),
    N_("all"),
    # task progress
    N_("assigned"),
    N_("acknowledged"),
    N_("in_progress"),
    N_("blocked"),
    N_("done"),
    # notices
    N_("sent"),
    N_("partially_acknowledged"),
    # what a guarantee covers
    N_("agreement"),
    N_("convoy"),
    N_("route"),
    N_("ceasefire"),
    # yes / no in the general form
    N_("true"),
    N_("false"),
]
