"""What a bundle check proved, or why it failed, in Arabic or English (the catalogues' words)."""

from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import format_datetime

from mamar.evidence.check import Failure, Report
from mamar.i18n.labels import event_label
from mamar.web.i18n import N_, tr

FAILURES = {
    "not_a_bundle": N_("the file is not a Mamar evidence bundle"),
    "bad_trusted_key": N_("a trusted key is malformed: %(detail)s"),
    "checkpoint_malformed": N_("the bundle's checkpoint is malformed"),
    "no_log_key": N_("no trusted key of the log %(origin)s was given"),
    "unknown_log_key": N_("the checkpoint is not signed by the trusted key of the log %(origin)s"),
    "bad_log_signature": N_(
        "the log's signature does not verify: the checkpoint was altered, or signed by another key"
    ),
    "bad_cosignature": N_(
        "the cosignature of the witness %(name)s does not verify over this checkpoint"
    ),
    "event_malformed": N_("event %(number)d of the bundle is malformed"),
    "event_outside": N_("event %(number)d lies outside the log of %(size)d events"),
    "event_proof_length": N_("event %(number)d: its proof has the wrong number of hashes"),
    "event_altered": N_(
        "event %(number)d does not lead to the signed root: the event or its proof was altered"
    ),
    "event_misplaced": N_(
        "event %(number)d says it is at position %(claimed)d but is proven at %(proven)d"
    ),
}


def failure_text(failure: Failure, lang: str) -> str:
    return tr(
        lang, "Not verified: %(reason)s", reason=tr(lang, FAILURES[failure.code], **failure.params)
    )


def report_lines(report: Report, lang: str) -> list[str]:
    """Who recorded what and when, where it is in the log, who signed and who witnessed."""
    lines = [
        tr(
            lang,
            "Verified: %(count)d events are in the record of the log %(origin)s, "
            "a log of %(size)d events signed with the key %(key)s.",
            count=len(report.events),
            origin=report.origin,
            size=report.size,
            key=report.log_key,
        )
    ]
    for event in report.events:
        lines.append(
            tr(
                lang,
                "Position %(position)d of %(size)d: %(what)s (%(record)s), recorded by %(actor)s "
                "on %(recorded)s; happened %(occurred)s.",
                position=event.position,
                size=report.size,
                what=event_label(event.type, lang),
                record=event.stream.partition(":")[2],
                actor=event.actor,
                recorded=_time(event.recorded_at, lang),
                occurred=_time(event.occurred_at, lang),
            )
        )
    for witness in report.witnesses:
        lines.append(
            tr(
                lang,
                "Witnessed by %(organisation)s (key %(name)s) on %(time)s.",
                organisation=witness.organisation or witness.name,
                name=witness.name,
                time=_time(datetime.fromtimestamp(witness.timestamp, UTC).isoformat(), lang),
            )
        )
    if not report.witnesses:
        lines.append(
            tr(lang, "No witness cosigned this checkpoint: it rests on the log's key alone.")
        )
    if report.keys_from_bundle:
        lines.append(
            tr(
                lang,
                "The keys were taken from the bundle itself, so this shows only that the bundle "
                "agrees with itself: check it again with --trust and keys obtained from the log's "
                "operators and the witnesses.",
            )
        )
    lines.append(
        tr(
            lang,
            "This proves the record was not changed after it was signed and witnessed; "
            "it does not prove that what was recorded is true.",
        )
    )
    return lines


def _time(text: str, lang: str) -> str:
    """A recorded time in its own offset, written the language's way (with the offset)."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        return text
    return format_datetime(moment, "yyyy-MM-dd HH:mm ZZZZ", tzinfo=moment.tzinfo, locale=lang)
