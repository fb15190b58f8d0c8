# SPDX-License-Identifier: GPL-2.0-or-later
"""What pmtud must report on every test capture: testcaptures/expectations.json,
read by tests/test_captures.py and by the generators' self-checks.

The file is written once, by hand or from a generator's model, and read
everywhere; the format is documented in its own "format" key (the first key
of the file) and enforced here: an unknown key, a missing required key or a
value of the wrong type is an error that names the capture and the frame.

Adding a capture is one entry under "captures". Adding a new kind of
expectation is one line in SCHEMA below (a new optional key becomes an
attribute, None where a capture does not state it) plus the check that
reads it in tests/test_captures.py.

Standard library only, Python 3.7+: the tests run it wherever python3 does.

    python3 testcaptures/lib/expectations.py          # validate, print a summary
    python3 testcaptures/lib/expectations.py --format # rewrite in the canonical layout
"""
import json
import os
import sys
from collections import namedtuple

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PATH = os.path.join(os.path.dirname(HERE), "expectations.json")

INT, INTS, STR, STRS, OBJ = "int", "list of int", "string", "list of string", "object"
NSTR = "string or null"
BOOL = "true or false"

# kind -> (required {key: type}, optional {key: type}). "int" admits null.
SCHEMA = {
    "capture": ({}, {"about": STRS, "tshark_args": STRS, "icmp": OBJ, "oversize": OBJ,
                     "blackhole": OBJ, "not_analysed": OBJ}),
    "icmp": ({"quoted": INT, "qlen": INT, "wlen": INT, "mtu": INT, "covered": INTS,
              "experts": STRS},
             {"reaction": OBJ, "piece": INTS, "note": STR, "box": OBJ, "candidates": INTS}),
    # Who merged the packet (offload verdicts): the router that sent the ICMP
    # and the sender of the quoted frame; sentence = the offload expert text.
    "icmp box": ({"router_hops": INT, "router_vendor": NSTR, "router_nic": NSTR,
                  "sender_hops": INT, "sender_vendor": NSTR, "sender_nic": NSTR},
                 {"sentence": STR}),
    "oversize box": ({"hops": INT, "vendor": NSTR, "nic": NSTR}, {}),
    "reaction": ({"retransmit": INT, "lost_us": INT, "verdict": STR},
                 {"acked_by": INT}),
    "oversize": ({"len": INT, "limit": INT, "source": INT}, {"note": STR, "box": OBJ}),
    "blackhole": ({"frames": INTS, "through": INT, "clamp": INT},
                  {"small": INTS, "acked_by": INT, "smallest_lost": INT, "lost_us": INT,
                   "one_pass": INTS, "df_cleared": BOOL, "receiver_view": BOOL}),
}


def _fields(kind):
    req, opt = SCHEMA[kind]
    return list(req) + list(opt)


Reaction = namedtuple("Reaction", _fields("reaction"))
IcmpBox = namedtuple("IcmpBox", _fields("icmp box"))
OversizeBox = namedtuple("OversizeBox", _fields("oversize box"))
Oversize = namedtuple("Oversize", _fields("oversize"))
Blackhole = namedtuple("Blackhole", _fields("blackhole"))
# excess is not written down: it is qlen - wlen whenever there is a quoted frame.
Icmp = namedtuple("Icmp", _fields("icmp") + ["excess"])
Case = namedtuple("Case", "name about tshark_args icmps oversize blackhole not_analysed")


class FormatError(ValueError):
    pass


def _typed(where, key, kind, value):
    ok = {INT: lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool)),
          INTS: lambda v: isinstance(v, list) and all(isinstance(x, int) for x in v),
          STR: lambda v: isinstance(v, str),
          NSTR: lambda v: v is None or isinstance(v, str),
          STRS: lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
          OBJ: lambda v: isinstance(v, dict),
          BOOL: lambda v: isinstance(v, bool)}[kind]
    if not ok(value):
        raise FormatError("%s: %s must be %s, not %r" % (where, key, kind, value))
    return value


def _record(where, kind, obj):
    """{key: value} of one entry, checked against SCHEMA[kind]; absent
    optional keys are None."""
    if not isinstance(obj, dict):
        raise FormatError("%s: expected an object" % where)
    req, opt = SCHEMA[kind]
    unknown = set(obj) - set(req) - set(opt)
    if unknown:
        raise FormatError("%s: unknown key(s) %s (known: %s)" % (
            where, ", ".join(sorted(unknown)), ", ".join(list(req) + list(opt))))
    out = {}
    for key, t in list(req.items()) + list(opt.items()):
        if key not in obj:
            if key in req:
                raise FormatError("%s: missing %s" % (where, key))
            out[key] = None
        else:
            out[key] = _typed(where, key, t, obj[key])
    return out


def _frames(where, obj):
    out = {}
    for key, value in obj.items():
        if not key.isdigit():
            raise FormatError("%s: frame number %r is not a number" % (where, key))
        out[int(key)] = value
    return out


def _case(name, obj):
    c = _record(name, "capture", obj)
    icmps = {}
    for frame, raw in sorted(_frames(name + " icmp", c["icmp"] or {}).items()):
        where = "%s ICMP frame %d" % (name, frame)
        r = _record(where, "icmp", raw)
        if r["reaction"] is not None:
            r["reaction"] = Reaction(**_record(where + " reaction", "reaction", r["reaction"]))
        if r["box"] is not None:
            r["box"] = IcmpBox(**_record(where + " box", "icmp box", r["box"]))
        r["covered"] = tuple(r["covered"])
        r["candidates"] = tuple(r["candidates"] or ())
        r["experts"] = frozenset(r["experts"])
        r["excess"] = None if r["quoted"] is None else r["qlen"] - r["wlen"]
        icmps[frame] = Icmp(**r)
    oversize = {}
    for frame, raw in sorted(_frames(name + " oversize", c["oversize"] or {}).items()):
        where = "%s oversize frame %d" % (name, frame)
        r = _record(where, "oversize", raw)
        if r["box"] is not None:
            r["box"] = OversizeBox(**_record(where + " box", "oversize box", r["box"]))
        oversize[frame] = Oversize(**r)
    blackhole = None
    if c["blackhole"] is not None:
        blackhole = Blackhole(**_record(name + " blackhole", "blackhole", c["blackhole"]))
    not_analysed = _frames(name + " not_analysed", c["not_analysed"] or {})
    for frame, text in not_analysed.items():
        _typed("%s not_analysed frame %d" % (name, frame), "message", STR, text)
    return Case(name, tuple(c["about"] or ()), tuple(c["tshark_args"] or ()), icmps, oversize,
                blackhole, not_analysed)


def read(path=DEFAULT_PATH):
    """The raw JSON document (for tools that rewrite it)."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def load(path=DEFAULT_PATH):
    """{capture path relative to testcaptures/: Case}, in file order."""
    doc = read(path)
    if set(doc) != {"format", "captures"}:
        raise FormatError("%s: top level must hold exactly format and captures" % path)
    return {name: _case(name, obj) for name, obj in doc["captures"].items()}


def rejected_by(icmps):
    """{data frame: [ICMP frames]}: the data side follows from the covered
    frames of each ICMP."""
    out = {}
    for frame, row in sorted(icmps.items()):
        for c in row.covered:
            out.setdefault(c, []).append(frame)
    return out


def _field(entry, path):
    for key in path.split("."):
        if entry is None:
            return None
        entry = getattr(entry, key)
    return entry


def differences(case, section, stated):
    """A generator's self-check: what its model states about one section of
    a capture ("icmps" or "oversize": {frame: {field: value}}; a field of
    the reaction is "reaction.verdict"; "blackhole": {field: value}) against
    the file. The frames must be the same; each stated field must equal the
    file's. Returns the differences as sentences (empty: they agree)."""
    want = getattr(case, section)
    if section == "blackhole":
        stated, want = {0: stated}, ({} if want is None else {0: want})
    out = []
    if sorted(stated) != sorted(want):
        out.append("%s %s frames: model %s, expectations.json %s" % (
            case.name, section, sorted(stated), sorted(want)))
    for frame, fields in sorted(stated.items()):
        if frame not in want:
            continue
        for path, value in sorted(fields.items()):
            have = _field(want[frame], path)
            if hasattr(have, "_fields"):            # a named tuple (a reaction)
                if isinstance(value, dict):
                    value = type(have)(**value)
                elif isinstance(value, (list, tuple)):
                    value = type(have)(*value)
            elif isinstance(have, (tuple, frozenset)):
                value = type(have)(value)
            if have != value:
                out.append("%s %s frame %d %s: model %r, expectations.json %r" % (
                    case.name, section, frame, path, value, have))
    return out


def dumps(doc):
    """The canonical layout: one line per frame entry, so a capture reads
    like a table and a change is a one-line diff."""
    def one(v):
        return json.dumps(v, ensure_ascii=False)

    lines = ["{", '  "format": [']
    lines += ["    %s%s" % (one(s), "," if i + 1 < len(doc["format"]) else "")
              for i, s in enumerate(doc["format"])]
    lines += ["  ],", '  "captures": {']
    names = list(doc["captures"])
    for ci, name in enumerate(names):
        cap = doc["captures"][name]
        lines.append("    %s: {" % one(name))
        keys = list(cap)
        for ki, key in enumerate(keys):
            sep = "," if ki + 1 < len(keys) else ""
            val = cap[key]
            if key in ("icmp", "oversize", "not_analysed") and val:
                lines.append("      %s: {" % one(key))
                frames = list(val)
                lines += ["        %s: %s%s" % (one(f), one(val[f]), "," if fi + 1 < len(frames) else "")
                          for fi, f in enumerate(frames)]
                lines.append("      }" + sep)
            elif key == "about":
                lines.append("      \"about\": [")
                lines += ["        %s%s" % (one(s), "," if si + 1 < len(val) else "")
                          for si, s in enumerate(val)]
                lines.append("      ]" + sep)
            else:
                lines.append("      %s: %s%s" % (one(key), one(val), sep))
        lines.append("    }" + ("," if ci + 1 < len(names) else ""))
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


def main(argv):
    path = DEFAULT_PATH
    cases = load(path)
    if "--format" in argv:
        text = dumps(read(path))
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    print("%s: %d captures, %d ICMP frames, %d oversize frames, %d black holes" % (
        path, len(cases), sum(len(c.icmps) for c in cases.values()),
        sum(len(c.oversize) for c in cases.values()),
        sum(c.blackhole is not None for c in cases.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
