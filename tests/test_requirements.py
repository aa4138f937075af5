"""Requirement checks (spec section 3): every code on every channel it applies to, met and failed."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import requirements
from pipeline.planner import Target
from pipeline.loading import load_request
from helpers import TODAY, base_request, write_request

SERVICES_WITH_CHANNELS = [(s, c) for s in ("information", "consultation", "objection", "complaint")
                          for c in ("letter", "whatsapp", "email", "eppid", "walk_in")]


def lookup(number):
    """The register as the objection check sees it: one request answered on 2026-11-10."""
    if number == "0001/PPID/2026":
        return Target(number, dt.date(2026, 11, 10), "12/HM.02-SD/53/2026", dt.date(2026, 11, 17))
    return None


def check(inbox, cfg, data):
    req = load_request(write_request(inbox, "r.yaml", data), inbox, TODAY)
    return requirements.check(req, cfg, lookup=lookup)


@pytest.mark.parametrize("service,channel", SERVICES_WITH_CHANNELS)
def test_complete_request_meets_every_requirement(inbox, cfg, service, channel):
    assert [f.code for f in check(inbox, cfg, base_request(service, channel))] == []


def _del(path):
    def mutate(d):
        node = d
        *parents, last = path.split(".")
        for p in parents:
            node = node[p]
        node.pop(last, None)
    return mutate


def _set(path, value):
    def mutate(d):
        node = d
        *parents, last = path.split(".")
        for p in parents:
            node = node[p]
        node[last] = value
    return mutate


def _org_without_letter(d):
    d["requester"].update(kind="ngo", organization="Perkumpulan Pikul")
    d.pop("letter", None)



def _org_without_name(d):
    d["requester"].update(kind="political_party", organization=None)


def _no_contact(d):
    d["requester"].pop("phone", None)
    d["requester"].pop("email", None)


INDIRECT = ("letter", "whatsapp", "email", "eppid")
WRITTEN = ("letter", "whatsapp", "email")
# (code, services, channels, mutation that must fail exactly that code)
FAILURES = [
    ("identity", ("information", "consultation", "objection", "complaint"), INDIRECT + ("walk_in",), _del("requester.name")),
    ("identity", ("information", "consultation", "objection"), INDIRECT, _org_without_name),
    ("contact", ("information", "consultation", "objection"), INDIRECT, _del("requester.email")),
    ("contact", ("information", "consultation", "objection"), INDIRECT, _set("requester.phone", "12")),
    ("contact_any", ("information", "consultation", "objection"), ("walk_in",), _no_contact),
    ("contact_any", ("complaint",), INDIRECT + ("walk_in",), _no_contact),
    ("identity_copy", ("information", "consultation", "objection"), INDIRECT, _del("requester.identity.copy")),
    ("identity_copy", ("information", "consultation", "objection"), INDIRECT, _set("requester.identity.copy", "hilang.jpg")),
    ("identity_shown", ("information", "consultation", "objection"), ("walk_in",), _del("requester.identity.number")),
    ("information", ("information",), INDIRECT + ("walk_in",), _set("information", [])),
    ("information", ("information",), INDIRECT + ("walk_in",), _set("information", ["data"])),
    ("information", ("information",), INDIRECT + ("walk_in",), _set("information", ["Keputusan KPU 2024", "Semua data lengkap"])),
    ("topic", ("consultation",), INDIRECT + ("walk_in",), _del("topic")),
    ("purpose", ("information", "consultation"), INDIRECT + ("walk_in",), _del("purpose")),
    ("source", ("information", "consultation"), INDIRECT + ("walk_in",), _del("source")),
    ("addressed_to", ("information", "consultation", "objection"), WRITTEN, _set("addressed_to", "Bupati Kupang")),
    ("addressed_to", ("information", "consultation", "objection"), WRITTEN, _del("addressed_to")),
    ("letter", ("information", "consultation"), WRITTEN, _del("letter")),
    ("letter", ("objection",), ("letter", "whatsapp"), _del("letter")),  # a pos-el objection is written already
    ("letter", ("information", "consultation", "objection"), WRITTEN, _set("letter", "tidak-ada.pdf")),
    ("letter", ("consultation",), ("walk_in",), _set("letter", "tidak-ada.pdf")),  # optional, but must exist
    ("leader_letter", ("information",), ("walk_in",), _org_without_letter),
    ("guest_book", ("information", "consultation", "objection", "complaint"), ("walk_in",), _set("guest_book", False)),
    ("objection_to", ("objection",), INDIRECT + ("walk_in",), _set("objection_to", "9999/PPID/2026")),
    ("objection_to", ("objection",), INDIRECT + ("walk_in",), _del("objection_to")),
    ("grounds", ("objection",), INDIRECT + ("walk_in",), _set("grounds", [])),
    ("text", ("complaint",), INDIRECT + ("walk_in",), _del("text")),
    ("addressed_to", ("information", "consultation"), WRITTEN, _set("addressed_to", "Atasan Langsung Bupati Kupang")),
]
CASES = [pytest.param(code, s, c, m, id=f"{code}-{s}-{c}-{i}")
         for i, (code, services, channels, m) in enumerate(FAILURES) for s in services for c in channels]


@pytest.mark.parametrize("code,service,channel,mutate", CASES)
def test_failed_requirement_is_reported_with_its_code(inbox, cfg, code, service, channel, mutate):
    data = base_request(service, channel)
    mutate(data)
    failures = check(inbox, cfg, data)
    assert code in [f.code for f in failures]
    failure = next(f for f in failures if f.code == code)
    assert failure.title and failure.how  # Indonesian wording for the notice


# Requirements that do NOT apply: the same mutation passes on these channels.
NOT_APPLICABLE = [
    ("contact", "information", "walk_in", _del("requester.email")),  # walk-in needs one contact only
    ("identity_copy", "information", "walk_in", _del("requester.identity.copy")),
    ("letter", "information", "eppid", _del("letter")),
    ("letter", "objection", "email", _del("letter")),  # UU KIP Pasal 35 ayat 1: written, as a pos-el is
    ("letter", "objection", "eppid", _del("letter")),
    ("addressed_to", "information", "eppid", _del("addressed_to")),
    ("letter", "consultation", "walk_in", _del("letter")),  # a consultation walk-in may come without one
    ("leader_letter", "information", "walk_in", _del("letter")),  # an individual needs no leader's letter
    ("guest_book", "information", "letter", _set("guest_book", False)),
    ("purpose", "objection", "letter", _del("purpose")),
]


@pytest.mark.parametrize("code,service,channel,mutate", NOT_APPLICABLE)
def test_requirement_that_does_not_apply_is_not_reported(inbox, cfg, code, service, channel, mutate):
    data = base_request(service, channel)
    mutate(data)
    assert check(inbox, cfg, data) == []


def test_all_failures_are_reported_together(inbox, cfg):
    data = base_request()
    for m in (_del("requester.identity.copy"), _del("source"), _del("requester.phone")):
        m(data)
    assert [f.code for f in check(inbox, cfg, data)] == ["contact", "identity_copy", "source"]


@pytest.mark.parametrize("service,addressed_to", [
    ("objection", "Atasan PPID KPU Provinsi Nusa Tenggara Timur"),  # as the decision notice tells people to write
    ("objection", "Ketua KPU Provinsi NTT"),
    ("information", "PPID Komisi Pemilihan Umum Provinsi NTT"),
    ("consultation", "Ketua KPU Provinsi Nusa Tenggara Timur"),
])
def test_addressed_to_accepts_the_offices_each_service_names(inbox, cfg, service, addressed_to):
    failures = check(inbox, cfg, base_request(service, "letter", addressed_to=addressed_to))
    assert "addressed_to" not in [f.code for f in failures]


def test_an_objection_addressed_to_the_bupati_fails_and_names_the_atasan_ppid(inbox, cfg):
    failures = check(inbox, cfg, base_request("objection", "letter", addressed_to="Bupati Kupang"))
    assert [f.detail for f in failures if f.code == "addressed_to"] == [
        "'Bupati Kupang' is not addressed to the Atasan PPID or the Ketua KPU Provinsi NTT"]


@pytest.mark.parametrize("received", ["2026-12-22 10:00", "2026-12-30 10:00"])
def test_lateness_is_not_a_requirement(inbox, cfg, received):
    # whether an objection was filed in time is decided by the planner (spec section 3 and 6)
    failures = check(inbox, cfg, base_request("objection", "letter", received=received))
    assert failures == []


def test_delegation_is_no_requirement_any_more(cfg):
    assert "delegation" not in cfg.requirements and "delegation" not in requirements.CHECKS
