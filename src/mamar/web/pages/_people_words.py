"""The words of the people pages: statuses, stops, children alone, groups, import problems.

Every one is a catalogue message (Arabic first); the pages pass them to the templates
already translated, keyed by the value they name.
"""

from __future__ import annotations

from mamar.manifests.commands import MAX_ON_VEHICLE
from mamar.manifests.lists import RowProblem
from mamar.web.i18n import N_
from mamar.web.page import View

STATUSES = {
    "registered": N_("Registered"),
    "boarded": N_("Boarded"),
    "arrived": N_("Arrived"),
    "stayed_behind": N_("Stayed behind"),
    "died_on_the_way": N_("Died on the way"),
    "missing": N_("Missing"),
}
STOPS = {"origin": N_("At the origin"), "destination": N_("At the destination")}
CHILDREN = {"unaccompanied": N_("Unaccompanied child"), "separated": N_("Separated child")}
GROUPS = {"family": N_("Family"), "household": N_("Household"), "alone": N_("Alone")}
TRACING = {"open": N_("Open"), "reunified": N_("Reunified"), "closed": N_("Closed")}
CATEGORIES = {
    "immediate": N_("Immediate"),
    "delayed": N_("Delayed"),
    "minor": N_("Minor"),
    "expectant": N_("Expectant"),
    "dead": N_("Dead"),
}
REGIONS = {
    "head": N_("Head"),
    "face": N_("Face"),
    "neck": N_("Neck"),
    "chest": N_("Chest"),
    "abdomen": N_("Abdomen"),
    "back": N_("Back of the body"),
    "pelvis": N_("Pelvis"),
    "upper_limb": N_("Arm"),
    "lower_limb": N_("Leg (body region)"),  # not a convoy's leg
    "multiple": N_("Several regions"),
}
INJURIES = {
    "shrapnel": N_("Shrapnel"),
    "gunshot": N_("Gunshot"),
    "blast": N_("Blast"),
    "burn": N_("Burn"),
    "fracture": N_("Fracture"),
    "crush": N_("Crush"),
    "laceration": N_("Laceration"),
    "amputation": N_("Amputation"),
    "other": N_("Other injury"),
}
COLUMNS = {
    "full_name": N_("Name"),
    "year_of_birth": N_("Year of birth"),
    "origin": N_("Comes from"),
    "relation": N_("Relation"),
    "phone": N_("Phone"),
    "vehicle": N_("Vehicle"),
    "family": N_("Family"),
    "child": N_("Child travelling alone"),
}
PROBLEMS = {
    "missing_name": N_("the name is missing"),
    "bad_year": N_("the year of birth is not a year of four digits"),
    "bad_child": N_(
        "say whether the child travels alone: unaccompanied, separated, or leave it empty"
    ),
    "bad_value": N_("the value is not valid"),
    "missing_vehicle": N_(
        "no vehicle is named (choose one for the whole list, or add a vehicle column)"
    ),
    "refused": N_(
        "this family could not be put on its vehicle (a vehicle holds at most %(n)s people)"
    ),
    "unreadable": N_("the file cannot be read as CSV or Excel"),
    "empty": N_("the file holds no rows"),
    "no_name_column": N_("no column of names was found (a column headed Name or الاسم)"),
    "too_many_rows": N_("the file holds too many rows"),
}


def words(v: View) -> dict[str, dict[str, str]]:
    """Every word above in the page's language, by what it names."""
    return {
        name: {key: v.t(message) for key, message in table.items()}
        for name, table in (
            ("status", STATUSES),
            ("stop", STOPS),
            ("child", CHILDREN),
            ("group", GROUPS),
            ("tracing", TRACING),
        )
    }


def medical_words(v: View) -> dict[str, dict[str, str]]:
    """The words above and those of triage: categories, body regions, kinds of injury."""
    out = words(v)
    for name, table in (("category", CATEGORIES), ("region", REGIONS), ("injury", INJURIES)):
        out[name] = {key: v.t(message) for key, message in table.items()}
    return out


def problem_message(v: View, problem: RowProblem) -> str:
    """One refused row in the page's language: "Row 7, Year of birth: …"."""
    # A refused family is said with the manifest's limit (the reader's digits, by ``View.t``).
    what = v.t(PROBLEMS.get(problem.code, PROBLEMS["bad_value"]), n=MAX_ON_VEHICLE)
    if problem.column in COLUMNS:
        return v.t(
            "Row %(row)s, %(column)s: %(problem)s",
            row=problem.row,
            column=v.t(COLUMNS[problem.column]),
            problem=what,
        )
    return v.t("Row %(row)s: %(problem)s", row=problem.row, problem=what)
