"""The desk's tasks beyond intake and the PPID's item decisions, as plain functions (no Flask):
each takes a request file (or register number), its form as a dataclass and the user, makes
one checked round-trip edit of the file and records a `desk` event. The pages
(pipeline.desk.tasks.pages) parse a form, call one of these and render the result."""

from .common import Result, long_date, parse_date
from .edits import (AnswerForm, DispositionForm, DisputeForm, LinkForm, NoticeReceivedForm,
                    ResponseForm, WithdrawalForm, answer, dispose, dispute, link_supplement,
                    notice_received, respond, withdraw)

__all__ = ["Result", "long_date", "parse_date", "AnswerForm", "DispositionForm", "DisputeForm", "LinkForm",
           "NoticeReceivedForm", "ResponseForm", "WithdrawalForm", "answer", "dispose", "dispute", "link_supplement", "notice_received", "respond", "withdraw"]
