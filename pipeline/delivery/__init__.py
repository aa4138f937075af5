"""Letters reach the requester (spec section 9): e-mail through an outbox, hand-overs,
receipt as the law counts it, the public status index, reminders.

- `codes`: the request's status code and the status page's address;
- `settings`: `mail:`, `public_base_url`, `staff:` of office.yaml, checked;
- `state`: what the event log says of each letter's delivery (pure);
- `message`: the Indonesian e-mail of one letter, with a fixed Message-ID;
- `outbox`: queue under records/outbox, send with a lock per message, record events;
- `smtp`: one SMTP session (stdlib smtplib), errors sorted into temporary and permanent;
- `handover`: pickup, post, WhatsApp and acknowledgements recorded by staff;
- `public`: the published status index and its lookup;
- `remind`: each officer's digest.

Modules are imported where used: the batch needs only `codes` and `settings`.
"""

from pipeline.delivery.state import receipt_day  # noqa: E402,F401 - the objection window's day of receipt (spec section 6)
