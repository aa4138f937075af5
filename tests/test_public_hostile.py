"""The public status page when its index is damaged, and behind a reverse proxy (issue 18)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.delivery.index import entry_key
from pipeline.public import LIMIT, create_public_app

DAMAGED = [  # what the web server may hold while the index is copied, or after a bad copy
    b"",
    b'{"salt": "ab", "entries": {"x": {"no": "0001',
    b"[1,2]",
    b'{"entries": []}',
    b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe",
    b'{"salt": 5, "entries": {}}',
    b"[" * 100_000,
]


@pytest.mark.parametrize("data", DAMAGED, ids=range(len(DAMAGED)))
@pytest.mark.parametrize("url", ["/", "/cek", "/cek?no=0001/PPID/2026&kode=K7M4QX9P"])
def test_a_damaged_index_answers_that_the_service_is_being_updated(tmp_path, data, url):
    index = tmp_path / "status-index.json"
    index.write_bytes(data)
    r = create_public_app(index).test_client().get(url)
    assert r.status_code == 503 and r.headers["Retry-After"]
    assert "Layanan sedang diperbarui" in r.get_data(as_text=True)


def published(tmp_path, entry) -> tuple:
    index = tmp_path / "status-index.json"
    index.write_text(json.dumps({"salt": "s", "office": "KPU", "entries": {
        entry_key("s", "0001/PPID/2026", "K7M4QX9P"): entry}}), encoding="utf-8")
    return create_public_app(index).test_client(), "/cek?no=0001/PPID/2026&kode=K7M4QX9P"


@pytest.mark.parametrize("entry", [[1], {"no": 5}, {"no": "0001/PPID/2026", "letters": [{"kind": "receipt"}]},
                                   {"no": "0001/PPID/2026", "letters": "x"}])
def test_a_damaged_entry_is_the_same_503_not_a_traceback(tmp_path, entry):
    client, url = published(tmp_path, entry)
    r = client.get(url)
    assert r.status_code == 503 and "Layanan sedang diperbarui" in r.get_data(as_text=True)


def test_a_sound_index_still_answers(tmp_path):
    client, url = published(tmp_path, {"no": "0001/PPID/2026", "service": "information", "status": "review",
                                       "letters": []})
    r = client.get(url)
    assert r.status_code == 200 and "0001/PPID/2026" in r.get_data(as_text=True)


def _lookups(app, peer: str, forwarded: str, n: int) -> list[int]:
    c = app.test_client()
    return [c.get("/cek?no=0009/PPID/2026&kode=AAAAAAAA", headers={"X-Forwarded-For": forwarded},
                  environ_base={"REMOTE_ADDR": peer}).status_code for _ in range(n)]


def test_behind_a_trusted_proxy_each_visitor_has_a_limit_of_their_own(tmp_path):
    index = tmp_path / "status-index.json"
    index.write_text('{"salt": "s", "entries": {}}', encoding="utf-8")
    app = create_public_app(index, ["127.0.0.1"])
    assert _lookups(app, "127.0.0.1", "203.0.113.5", LIMIT) == [404] * LIMIT
    assert _lookups(app, "127.0.0.1", "203.0.113.6", 1) == [404]  # another visitor, same proxy
    assert _lookups(app, "127.0.0.1", "203.0.113.5", 1) == [429]
    # a visitor who is no trusted proxy cannot claim another address
    assert _lookups(app, "198.51.100.7", "203.0.113.9", LIMIT + 1)[-1] == 429
    assert _lookups(app, "198.51.100.7", "203.0.113.10", 1) == [429]


@pytest.mark.parametrize("value,code", [("10.0.0.0/24", None), ("proxy.example", 2)])
def test_ppid_public_takes_trusted_proxy_as_the_desk_does(tmp_path, value, code):
    r = CliRunner().invoke(main, ["public", "--index", str(tmp_path / "none.json"), "--trusted-proxy", value])
    if code == 2:
        assert r.exit_code == 2 and "not an address or network" in r.output
    else:  # accepted; the command then stops at the missing index (exit 2 with its own message)
        assert "not found" in r.output and "--trusted-proxy" not in r.output
