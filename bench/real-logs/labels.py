"""Labels files: <log name>.labels.tsv, one incident per line (python3 standard library only).

Columns: id, start, end (ISO-8601 UTC, inclusive), kind, influencer, description. The influencer is the value an
explanation should name (client address, path, upstream, user); alternatives are separated by '|'. Lines starting
with '#' are notes (how the log was made) and are ignored by bench/score-incidents.py.
"""
import datetime
import math

HEADER = ["id", "start", "end", "kind", "influencer", "description"]


def iso(epoch, up=False):
    """Epoch seconds to ISO-8601 UTC with whole seconds, rounded down (or up when up=True)."""
    s = math.ceil(epoch) if up else math.floor(epoch)
    return datetime.datetime.fromtimestamp(s, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Labels:
    def __init__(self):
        self.notes = []
        self.rows = []

    def note(self, text):
        self.notes.append(text)

    def add(self, ident, start, end, kind, influencer, description):
        """start/end as epoch seconds (widened to whole seconds, as logs print whole seconds) or ISO strings."""
        s = start if isinstance(start, str) else iso(start)
        e = end if isinstance(end, str) else iso(end, up=True)
        self.rows.append([ident, s, e, kind, influencer, description.replace("\t", " ")])

    def write(self, path):
        with open(path, "w", encoding="utf-8") as f:
            for n in self.notes:
                f.write("# " + n + "\n")
            f.write("\t".join(HEADER) + "\n")
            for r in self.rows:
                f.write("\t".join(r) + "\n")
