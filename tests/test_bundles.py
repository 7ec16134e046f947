"""Evidence bundles over the aleppo-2016 record: made for a recipient, checked offline.

The incident of the shelling after midnight links to the agreement it breached, the
guarantee it broke and the escalation about it. An internal escalation about the same
incident is added: the coordinator's bundle holds it, the Russian liaison's does not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mamar.cli import app
from mamar.domain.visibility import Visibility
from mamar.escalations.commands import RaiseEscalation
from mamar.evidence import log, witnesses
from mamar.evidence.check import Failure, check, parse_trusted
from mamar.evidence.checkpoint import Checkpoint, cosign
from mamar.evidence.note import COSIGNATURE_V1, Signer, parse_note
from mamar.evidence.witness_client import WitnessState, witness_once
from mamar.journal import store
from mamar.system import Mamar
from tests.web_support import OP, Web, make_web

runner = CliRunner()
INCIDENT = "incident:shelling-after-midnight"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("bundles")
    system = Mamar(database_url=f"sqlite:///{folder / 'aleppo.db'}")
    system.init()
    web = make_web(system)
    coordinator = system.actor("coordinator")
    system.execute(
        RaiseEscalation(
            id="internal-shelling-note",
            operation=OP,
            to_party="russian-military",
            about=({"kind": "incident", "id": "shelling-after-midnight"},),
            message={"original": "Internal: keep this between us", "language": "en"},
            visibility=Visibility.INTERNAL,
        ),
        actor=coordinator,
    )
    witness = Signer.generate("icrc.example/mamar-witness", COSIGNATURE_V1)
    with system.writing() as conn:
        witnesses.add(conn, organisation="icrc", key=witness.verifier.encode())
        log.sign_now(conn, log.load_signer(system.settings))
    state = folder / "witness.json"
    WitnessState(log.load_signer(system.settings).verifier.encode()).save(state)
    client = web.client("monitor")

    def fetch(method: str, path: str, body: dict[str, Any] | None) -> tuple[int, bytes]:
        answer = client.request(method, path, json=body, headers={"X-CSRF-Token": _csrf(client)})
        return answer.status_code, answer.content

    witness_once(fetch, witness, state, now=1_900_000_000)
    trust = folder / "trusted.txt"
    trust.write_text(
        f"# the log, and the ICRC's witness\n{log.load_signer(system.settings).verifier.encode()}\n"
        f"icrc {witness.verifier.encode()}\n"
    )
    yield web, folder, trust, witness
    system.dispose()


def _csrf(client: Any) -> str:
    return client.cookies.get("mamar_csrf") or ""


def export(web: Web, folder: Path, recipient: str, *entities: str) -> tuple[Any, Path]:
    out = folder / f"{recipient}-{len(entities)}.json"
    result = runner.invoke(
        app,
        [
            "evidence",
            "export",
            *entities,
            "-o",
            str(out),
            "--as",
            recipient,
            "-d",
            web.system.settings.database_url,
        ],
    )
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text()), out


def verify(path: Path, *options: str) -> Any:
    return runner.invoke(app, ["evidence", "verify", str(path), *options])


def test_a_bundle_says_in_english_and_arabic_what_it_proves(recorded: Any) -> None:
    web, folder, trust, _ = recorded
    bundle, path = export(web, folder, "coordinator", INCIDENT)
    assert bundle["records"][0] == INCIDENT
    assert {
        "agreement:evacuation-agreement",
        "guarantee:russia-ceasefire-continues",
        "escalation:truce-broken-escalation",
        "escalation:internal-shelling-note",
    } <= set(bundle["records"])
    english = verify(path, "--trust", str(trust), "--lang", "en")
    assert english.exit_code == 0, english.output
    size = parse_note(bundle["checkpoint"]).text.split("\n")[1]
    assert f"Verified: {len(bundle['events'])} events are in the record" in english.output
    assert f"of {size}: Incident reported (shelling-after-midnight), recorded by monitor" in (
        english.output
    )
    assert "Witnessed by icrc (key icrc.example/mamar-witness)" in english.output
    assert "does not prove that what was recorded is true" in english.output
    assert "taken from the bundle itself" not in english.output
    arabic = verify(path, "--trust", str(trust))
    assert arabic.exit_code == 0 and "ثبت التحقق" in arabic.output
    assert "بشهادة icrc" in arabic.output and "Verified" not in arabic.output
    untrusted = verify(path, "--lang", "en")
    assert untrusted.exit_code == 0 and "taken from the bundle itself" in untrusted.output


def test_a_bundle_holds_only_what_its_recipient_may_see_and_no_other_event(
    recorded: Any,
) -> None:
    web, folder, _, _ = recorded
    whole, _ = export(web, folder, "coordinator", INCIDENT)
    liaison, path = export(web, folder, "liaison-ru", INCIDENT)
    assert "escalation:internal-shelling-note" in whole["records"]
    assert "escalation:internal-shelling-note" not in liaison["records"]
    bodies = [json.loads(e["body"]) for e in liaison["events"]]
    assert {b["visibility"] for b in bodies} == {"shared"}
    assert len(bodies) < len(whole["events"])
    text = path.read_text()
    assert "keep this between us" not in text
    with web.system.reading() as conn:
        others = [
            e
            for e in store.read_all(conn)
            if e.position - 1 not in {x["index"] for x in liaison["events"]}
        ]
    assert others and not any(e.event_id in text for e in others)
    refused = runner.invoke(
        app,
        [
            "evidence",
            "export",
            "escalation:internal-shelling-note",
            "-o",
            str(folder / "x.json"),
            "--as",
            "liaison-ru",
            "-d",
            web.system.settings.database_url,
        ],
    )
    # Said from the catalogue, as for any record one may not see (never its id).
    assert refused.exit_code != 0 and "There is no such record (referral)" in refused.output


def tampered(bundle: Any, folder: Path, name: str) -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False))
    return path


def test_an_altered_event_or_proof_fails_with_its_reason(recorded: Any) -> None:
    web, folder, trust, _ = recorded
    bundle, _ = export(web, folder, "coordinator", INCIDENT)
    altered = json.loads(json.dumps(bundle))
    body = altered["events"][2]["body"]
    altered["events"][2]["body"] = body.replace('"recorded_at":"2', '"recorded_at":"1', 1)
    assert altered["events"][2]["body"] != body
    result = verify(tampered(altered, folder, "altered"), "--trust", str(trust), "--lang", "en")
    assert result.exit_code == 2
    assert "event 3 does not lead to the signed root: the event or its proof was altered" in (
        result.output
    )
    arabic = verify(tampered(altered, folder, "altered"), "--trust", str(trust))
    assert "لم يثبت التحقق: الحدث رقم 3 لا يؤدي إلى الجذر الموقّع" in arabic.output
    flipped = json.loads(json.dumps(bundle))
    proof = flipped["events"][0]["proof"]
    proof[0] = ("B" if proof[0][0] == "A" else "A") + proof[0][1:]
    with pytest.raises(Failure) as bit:
        check(flipped)
    assert bit.value.code == "event_altered"
    short = json.loads(json.dumps(bundle))
    short["events"][0]["proof"] = short["events"][0]["proof"][:-1]
    with pytest.raises(Failure) as length:
        check(short)
    assert length.value.code == "event_proof_length"
    moved = json.loads(json.dumps(bundle))
    moved["events"][0]["index"] += 1
    with pytest.raises(Failure) as index:
        check(moved)
    assert index.value.code in ("event_altered", "event_outside")
    extra = json.loads(json.dumps(bundle))
    extra["events"][0]["proof"].append(extra["events"][0]["proof"][0])
    with pytest.raises(Failure) as longer:
        check(extra)
    assert longer.value.code == "event_proof_length"


def test_an_unknown_log_key_or_a_cosignature_over_another_root_fails(recorded: Any) -> None:
    web, folder, trust, witness = recorded
    bundle, path = export(web, folder, "coordinator", INCIDENT)
    origin = parse_note(bundle["checkpoint"]).text.split("\n")[0]
    impostor = Signer.generate(origin)
    other_trust = folder / "other.txt"
    other_trust.write_text(impostor.verifier.encode() + "\n")
    result = verify(path, "--trust", str(other_trust), "--lang", "en")
    assert result.exit_code == 2
    assert f"the checkpoint is not signed by the trusted key of the log {origin}" in result.output
    note = parse_note(bundle["checkpoint"])
    size = int(note.text.split("\n")[1])
    forged_line = cosign(Checkpoint(origin, size, bytes(32)).text(), witness, 1_900_000_000).line()
    lines = [s.line() for s in note.signatures if s.name != witness.name]
    forged = json.loads(json.dumps(bundle))
    forged["checkpoint"] = note.text + "\n" + "".join(lines) + forged_line
    result = verify(tampered(forged, folder, "forged"), "--trust", str(trust), "--lang", "en")
    assert result.exit_code == 2
    assert (
        "the cosignature of the witness icrc.example/mamar-witness does not verify over this "
        "checkpoint" in result.output
    )
    not_json = folder / "garbage.json"
    not_json.write_text("{ not a bundle")
    assert verify(not_json, "--lang", "en").exit_code == 2
    with pytest.raises(Failure):
        parse_trusted("not a key at all")


def test_the_pages_offer_the_bundle_and_the_api_gives_the_callers_own(recorded: Any) -> None:
    web, _, _, _ = recorded
    client = web.client("liaison")
    page = client.get(f"/ops/{OP}/incidents/shelling-after-midnight")
    assert page.status_code == 200
    link = "/api/v1/evidence?entity=incident%3Ashelling-after-midnight"
    assert link in page.text
    answer = client.get(link)
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].startswith("attachment;")
    report = check(answer.json())
    assert all(json.loads(e["body"])["visibility"] == "shared" for e in answer.json()["events"])
    assert report.events and report.witnesses[0].name == "icrc.example/mamar-witness"
    hidden = client.get("/api/v1/evidence", params={"entity": "escalation:internal-shelling-note"})
    assert hidden.status_code == 404
    bad = client.get("/api/v1/evidence", params={"entity": "nonsense"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "entity"
    for path in (
        f"/ops/{OP}/escalations/truce-broken-escalation",
        f"/ops/{OP}/guarantees/russia-ceasefire-continues",
        f"/ops/{OP}/agreements/evacuation-agreement",
    ):
        shown = client.get(path)
        assert shown.status_code == 200 and "/api/v1/evidence?entity=" in shown.text, path
    arabic = web.client("coordinator").get(f"/ops/{OP}/incidents/shelling-after-midnight?lang=ar")
    assert "حزمة أدلة" in arabic.text


def test_every_word_the_verifier_says_is_in_the_arabic_catalogue() -> None:
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    from mamar.evidence import wording
    from mamar.web.catalog import KEYWORDS
    from mamar.web.i18n import LOCALES

    folder = Path(wording.__file__).parent
    used = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(folder), method_map=[("**.py", "python")], keywords=KEYWORDS
        )
        if isinstance(message, str) and message
    }
    assert len(used) >= 15
    with (LOCALES / "ar" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="ar")
    translated = {m.id for m in catalog if m.id and m.string}
    assert sorted(used - translated) == []
