"""A plain summary of parsed minutes in the schema of examples/minutes/*.expected.json.

Tests compare it with the hand-written expectations, and the accuracy benchmark scores
each field with it; strings are NFKC-folded so that full-width expectations compare equal.
"""

from __future__ import annotations

import unicodedata

from .model import Minutes
from .reference import reference


def fold(value):
    """NFKC-fold every string inside value (expectations are written as in the document)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value)
    if isinstance(value, list):
        return [fold(v) for v in value]
    if isinstance(value, dict):
        return {k: fold(v) for k, v in value.items()}
    return value


def summarize(m: Minutes) -> dict:
    ref = reference()
    items = m.items

    def speaker(s):
        return s.name if s.kind != "unnamed" else "member"

    return fold(
        {
            "committee": m.committee,
            "date": m.date.isoformat() if m.date else None,
            "kind": m.kind,
            "weekday": m.weekday,
            "start": m.start.strftime("%H:%M") if m.start else None,
            "end": m.end.strftime("%H:%M") if m.end else None,
            "places": [p.label for p in m.places],
            "members": [{"name": x.name, "role": x.role} for x in m.members],
            "chair": m.chair,
            "officers_present": [o.post for o in m.officers_present],
            "items": [
                {
                    "position": i.position,
                    "local_number": i.local_number,
                    "kind": i.kind,
                    "title": i.title,
                    "presenters": [p.post for p in i.presenters],
                    "outcome": i.outcome,
                }
                for i in items
            ],
            "remarks": [
                {
                    "position": r.position,
                    "item": r.item,
                    "speaker": speaker(r.speaker),
                    "reply_to": r.reply_to,
                }
                # those who gave it together with the speaker, only where there are any
                | ({"joint": [speaker(j) for j in r.joint]} if r.joint else {})
                for r in m.remarks
            ],
            "agreements": [
                {
                    "item": i.position,
                    "parties": i.agreement.parties,
                    "concluded_on": i.agreement.concluded_on.isoformat()
                    if i.agreement.concluded_on
                    else None,
                    "areas": i.agreement.areas,
                    "planned_actions": i.agreement.planned_actions,
                }
                for i in items
                if i.agreement
            ],
            "appeals": [
                {
                    "item": i.position,
                    "disposing_authority": ref.canonical_post(a.disposing_authority)
                    if a.disposing_authority
                    else None,
                    "disposition_date": a.disposition_date.isoformat()
                    if a.disposition_date
                    else None,
                    "receipt_reported_on": a.receipt_reported_on.isoformat()
                    if a.receipt_reported_on
                    else None,
                }
                for i in items
                for a in i.appeals
            ],
            "dispatch_requests": [
                {"item": i.position, "requesting": d.requesting, "requested": d.requested}
                for i in items
                for d in i.dispatch_requests
            ],
        }
    )
