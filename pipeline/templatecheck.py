"""`ppid templates check`: variables a template uses that the pipeline does not give, and the reverse."""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import nodes

from pipeline.letters import KINDS

_ITEM = {"no", "text", "status", "status_label", "rule", "ground", "ground_text", "basis",
         "consequence_test", "reason", "holder", "redact"}
_OBJECTION = {"original_register_no": str, "original_letter_no": str, "grounds": [{"letter", "text"}], "due": str}
COMMON: dict = {
    "office": {"name", "short", "address", "phone", "whatsapp", "email", "website", "eppid", "city",
               "ppid_name", "logo"},
    "letter": {"kind", "number", "date", "place", "sifat", "lampiran", "hal"},
    "recipient": {"name", "organization", "address", "salutation"},
    "signatory": {"title", "office", "name", "nip"},
    "tembusan": [str],
    "request": {**dict.fromkeys(("register_no", "service", "service_label", "channel_label", "received",
                                 "received_date", "completed", "topic", "purpose", "source", "form_label",
                                 "delivery_label", "due", "period", "cost"), str), "items": [str]},
    "requester": {"name", "kind_label", "organization", "address"},
}
PER_KIND: dict[str, dict] = {
    "receipt": {},
    "incomplete_notice": {"missing": [{"code", "title", "how"}]},
    "decision_notice": {"outcome": str, "outcome_label": str, "decision_by": str, "items": [_ITEM],
                        "given": [_ITEM], "refused": [_ITEM], "partial": [_ITEM], "not_held": [_ITEM],
                        "objection_period": str, "has_refusal": bool},
    "extension_notice": {"extension": {"days", "days_words", "reason", "old_due", "new_due"}},
    "consultation_answer": {"answer": {"text", "by", "role_label", "approved_by", "date"}},
    "objection_receipt": {"objection": _OBJECTION},
    "objection_response": {"objection": {**_OBJECTION, "result": str, "result_label": str, "reason": str,
                                         "decided_by": str, "commission_period": str}},
}
# What a letter of each kind must use: its substance (the reverse check).
ESSENTIAL = {"letter", "recipient", "signatory", "request"}
ESSENTIAL_PER_KIND = {"incomplete_notice": {"missing"}, "decision_notice": {"items", "outcome"},
                      "extension_notice": {"extension"}, "consultation_answer": {"answer"},
                      "objection_receipt": {"objection"}, "objection_response": {"objection"}}


def _norm(schema):
    """Turn the set/dict shorthand into nested dicts; lists keep their element schema."""
    if isinstance(schema, set):
        return {k: str for k in schema}
    if isinstance(schema, dict):
        return {k: (_norm(v) if isinstance(v, (set, dict, list)) else v) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_norm(schema[0])]
    return schema


