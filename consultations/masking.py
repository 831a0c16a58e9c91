"""Masking what identifies a person in a response's free text, before any page or paper shows it.

Survivors write to consultations too: an e-mail address, a phone number, a full postcode or a
name they give ("my name is ...") could lead someone to them. The comment is stored as written
and masked every time it is shown, so a better pattern here masks every stored comment at once.
"""

import re

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

# UK numbers: 01, 02, 03, 07, 08 and 09 numbers of 10 or 11 digits, or +44 / 0044 and the number
# without its 0, with spaces, hyphens, dots or brackets between the digits ("(0115) 912 3456").
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)44[\s.-]?(?:\(0\)[\s.-]?)?\(?[1-9]|\(?0[1-9])"
    r"(?:[\s.()-]{0,2}\d){8,9}(?!\d)"
)

# A full postcode: the outward code ("NG5") and the inward code ("1AB"); the district alone is
# kept, as responses record it on purpose.
POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)

# A name the writer gives: "my name is Jane Smith", "I'm called Jane", "I am Jane Smith" (capitalised
# words only, so "I am worried" keeps its meaning).
NAME_CUE = re.compile(
    r"\b(?P<cue>(?i:my name is|my name's|i am called|i'm called|i am|i'm|call me|signed))\s+"
    r"(?P<name>(?:[A-Z][a-z'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z'’-]+|[A-Z]\.)){0,2})"
)
# Capitalised words after "I am" that are not names.
NOT_NAMES = {
    "a", "an", "the", "not", "very", "so", "also", "just", "still", "really", "in", "at", "on",
    "from", "with", "writing", "responding", "concerned", "worried", "happy", "unhappy", "sure",
    "british", "english", "scottish", "welsh", "irish", "disabled", "deaf", "blind", "christian",
    "muslim", "jewish", "hindu", "sikh", "black", "white", "asian", "glad", "pleased", "afraid",
}  # fmt: skip


def _name(match: re.Match) -> str:
    """Capitalised words after a cue are a name, unless the first is a word like "English"."""
    cue, name = match["cue"], match["name"]
    if name.split()[0].lower().rstrip(".") in NOT_NAMES:
        return match[0]
    return f"{cue} [name removed]"


def mask(text: str) -> str:
    """The text with e-mail addresses, UK phone numbers, full postcodes and given names replaced."""
    if not text:
        return text
    text = EMAIL.sub("[email removed]", text)
    text = PHONE.sub("[phone removed]", text)
    text = POSTCODE.sub("[postcode removed]", text)
    return NAME_CUE.sub(_name, text)
