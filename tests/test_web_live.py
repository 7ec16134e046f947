"""The live stream delivers a new incident the viewer may see."""

from __future__ import annotations

import json
import threading
import time

from mamar.incidents.commands import ReportIncident
from mamar.system import Mamar
from tests.web_support import OP, make_web


def test_live_stream_delivers_a_new_incident(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("liaison")
    received: list[dict[str, object]] = []
    moments: dict[str, float] = {}

    def report() -> None:
        time.sleep(0.8)
        system.execute(
            ReportIncident.model_validate(
                {
                    "id": "live-incident",
                    "operation": OP,
                    "event_type": "battles",
                    "description": {"original": "اشتباك"},
                    "source": {"text": "monitor", "kind": "own_team"},
                }
            ),
            actor=system.actor("monitor"),
        )
        moments["reported"] = time.monotonic()

    with client.stream("GET", f"/live?operation={OP}") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        threading.Thread(target=report).start()
        for line in response.iter_lines():
            if line.startswith("data: "):
                received.append(json.loads(line[6:]))
                moments["received"] = time.monotonic()
                break
    assert received and received[0]["entity_id"] == "live-incident"
    assert received[0]["type"] == "incident.reported"
    # Delivered within 2 seconds of being recorded.
    assert moments["received"] - moments["reported"] < 2.0
