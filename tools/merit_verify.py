#!/usr/bin/env python3
"""A second, minimal verifier of Merit's offline audit pack (docs/audit-pack.md), written from the format alone with
Python 3's standard library: RFC 8785 canonical JSON, SHA-256, RFC 6962 Merkle trees and proofs, ECDSA P-256.
It checks in the order the format states and prints the same problem codes as merit-verify (tools/Merit.Verify).

usage: merit_verify.py PACK [--key BASE64]...      exit 0 intact, 1 broken, 2 unreadable
"""
import base64
import datetime
import hashlib
import json
import sys

# --- RFC 8785 canonical JSON, numbers over their exact decimal digits (docs/adr/0007) -----------------------------


class Number(str):
    """A JSON number kept as its source text, so that no digit is lost to a binary float."""


def _no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate member name")
    return dict(pairs)


def _reject_constant(name):
    raise ValueError("not JSON: " + name)


def parse(text):
    return json.loads(text, parse_float=Number, parse_int=Number, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)


def normalize_number(raw):
    i, negative = 0, False
    if raw.startswith("-"):
        negative, i = True, 1
    digits, fraction_digits = [], 0
    while i < len(raw) and raw[i].isdigit():
        digits.append(raw[i])
        i += 1
    if i < len(raw) and raw[i] == ".":
        i += 1
        while i < len(raw) and raw[i].isdigit():
            digits.append(raw[i])
            fraction_digits += 1
            i += 1
    exponent = 0
    if i < len(raw) and raw[i] in "eE":
        i += 1
        sign = 1
        if i < len(raw) and raw[i] in "+-":
            sign = -1 if raw[i] == "-" else 1
            i += 1
        exponent = sign * int(raw[i:])
    text = "".join(digits).lstrip("0")
    trimmed = text.rstrip("0")
    if not trimmed:
        return "0"
    scale = exponent - fraction_digits + (len(text) - len(trimmed))
    k = len(trimmed)
    n = k + scale
    out = "-" if negative else ""
    if k <= n <= 21:
        out += trimmed + "0" * (n - k)
    elif 0 < n <= 21:
        out += trimmed[:n] + "." + trimmed[n:]
    elif -6 < n <= 0:
        out += "0." + "0" * (-n) + trimmed
    else:
        out += trimmed[0] + ("." + trimmed[1:] if k > 1 else "") + "e" + ("+" if n - 1 >= 0 else "-") + str(abs(n - 1))
    return out


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def canonical_string(value):
    out = ['"']
    for c in value:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif ord(c) < 0x20:
            out.append("\\u%04x" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def canonical(value):
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Number):
        return normalize_number(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return canonical_string(value)
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(canonical_string(k) + ":" + canonical(value[k]) for k in keys) + "}"
    raise ValueError("not JSON")


def as_int(value):
    if isinstance(value, Number) and value.lstrip("-").isdigit():
        return int(value)
    raise ValueError("not an integer")


def as_str(value, optional=False):
    if value is None and optional:
        return None
    if isinstance(value, str) and not isinstance(value, Number):
        return value
    raise ValueError("not a string")


def timestamp(text):
    parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- The event chain (merit-chain/1) -------------------------------------------------------------------------------


def is_hash(value):
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def content(e):
    return (as_str(e["type"]), as_str(e["stream"]), as_int(e["version"]), timestamp(as_str(e["timestamp"])),
            e.get("data"), as_str(e.get("user"), True), as_str(e.get("correlation"), True), as_str(e.get("causation"), True))


def link(prev, c):
    kind, stream, version, ts, data, user, correlation, causation = c
    s = lambda v: "null" if v is None else canonical_string(v)
    envelope = ('{"causation":' + s(causation) + ',"correlation":' + s(correlation) + ',"data":' + canonical(data) +
                ',"prev":' + s(prev) + ',"scheme":"merit-chain/1","stream":' + canonical_string(stream) +
                ',"timestamp":' + canonical_string(ts) + ',"type":' + canonical_string(kind) + ',"user":' + s(user) +
                ',"version":' + str(version) + "}")
    return hashlib.sha256(envelope.encode("utf-8")).hexdigest()


# --- RFC 6962 / RFC 9162 Merkle trees ------------------------------------------------------------------------------


def leaf_hash(leaf):
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


class Tree:
    def __init__(self):
        self.pending, self.count = [], 0

    def append(self, leaf):
        node, size = leaf_hash(leaf), 1
        while self.pending and self.pending[-1][1] == size:
            left, _ = self.pending.pop()
            node, size = node_hash(left, node), size * 2
        self.pending.append((node, size))
        self.count += 1

    def root(self):
        if not self.pending:
            return hashlib.sha256(b"").hexdigest()
        root = self.pending[-1][0]
        for node, _ in reversed(self.pending[:-1]):
            root = node_hash(node, root)
        return root.hex()


def root_from_inclusion(leaf, index, size, path):
    if index < 0 or index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_consistency(first, second, first_root, second_root, proof):
    if first <= 0 or first > second:
        return False
    if first == second:
        return not proof and first_root == second_root
    nodes = ([first_root] if first & (first - 1) == 0 else []) + list(proof)
    if not nodes:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = nodes[0]
    for c in nodes[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


# --- ECDSA P-256 with SHA-256 (FIPS 186-4), IEEE P1363 signatures ---------------------------------------------------

P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
A = P - 3
B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
G = (0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
     0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5)
SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")


def point_add(p1, p2):
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2 and (y1 + y2) % P == 0:
        return None
    if p1 == p2:
        m = (3 * x1 * x1 + A) * pow(2 * y1, -1, P) % P
    else:
        m = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (m * m - x1 - x2) % P
    return x3, (m * (x1 - x3) - y1) % P


def point_mul(k, point):
    result = None
    while k:
        if k & 1:
            result = point_add(result, point)
        point = point_add(point, point)
        k >>= 1
    return result


def ecdsa_verify(public_key_b64, payload, signature_b64):
    try:
        spki, signature = base64.b64decode(public_key_b64, validate=True), base64.b64decode(signature_b64, validate=True)
    except ValueError:
        return False
    if len(spki) != 91 or not spki.startswith(SPKI_PREFIX) or spki[26] != 4 or len(signature) != 64:
        return False
    q = (int.from_bytes(spki[27:59], "big"), int.from_bytes(spki[59:91], "big"))
    if (q[1] * q[1] - (q[0] ** 3 + A * q[0] + B)) % P != 0:
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if not (0 < r < N and 0 < s < N):
        return False
    e = int.from_bytes(hashlib.sha256(payload).digest(), "big")
    w = pow(s, -1, N)
    point = point_add(point_mul(e * w % N, G), point_mul(r * w % N, q))
    return point is not None and point[0] % N == r


# --- Seals (merit-seal/2) ------------------------------------------------------------------------------------------

SEAL_MEMBERS = {"format", "id", "fromSequence", "toSequence", "count", "root", "previousRoot", "treeSize", "treeRoot",
                "createdAt", "algorithm", "publicKey", "signature"}


def read_seal(json_seal):
    if not isinstance(json_seal, dict) or set(json_seal) - SEAL_MEMBERS:
        raise ValueError("unknown seal members")
    if json_seal.get("format") != "merit-seal/2" or json_seal.get("algorithm") != "ES256":
        raise ValueError("not a merit-seal/2 ES256 document")
    seal = {k: as_int(json_seal[k]) for k in ("id", "fromSequence", "toSequence", "count", "treeSize")}
    seal.update({k: as_str(json_seal[k]) for k in ("root", "treeRoot", "publicKey", "signature")})
    seal["previousRoot"] = as_str(json_seal.get("previousRoot"), True)
    seal["createdAt"] = timestamp(as_str(json_seal["createdAt"]))
    return seal


def seal_signed(seal):
    statement = {k: v for k, v in seal.items() if k != "signature"}
    statement.update(format="merit-seal/2", algorithm="ES256")
    return ecdsa_verify(seal["publicKey"], canonical(statement).encode("utf-8"), seal["signature"])


def fingerprint(public_key):
    return hashlib.sha256(base64.b64decode(public_key)).hexdigest()[:16]


def check_inclusion(seal, e, leaf_index, tree_size, path):
    if not seal_signed(seal):
        return "The seal's signature does not verify."
    if tree_size != seal["treeSize"]:
        return "The proof is for a tree of another size than the seal's."
    hash_ = e.get("hash") or ""
    if link(as_str(e.get("prev"), True), content(e)) != hash_:
        return "The event's content does not hash to its chain hash."
    if not all(is_hash(p) for p in path):
        return "The audit path holds something else than SHA-256 hashes."
    root = root_from_inclusion(leaf_hash(bytes.fromhex(hash_)), leaf_index, tree_size, [bytes.fromhex(p) for p in path])
    return None if root is not None and root.hex() == seal["treeRoot"] else "The audit path does not lead from the event to the seal's tree root."


def check_consistency(first, second, proof):
    if not seal_signed(first) or not seal_signed(second):
        return "A seal's signature does not verify."
    if not all(is_hash(p) for p in proof) or not is_hash(first["treeRoot"]) or not is_hash(second["treeRoot"]):
        return "The proof or a seal's tree root holds something else than SHA-256 hashes."
    ok = verify_consistency(first["treeSize"], second["treeSize"], bytes.fromhex(first["treeRoot"]),
                            bytes.fromhex(second["treeRoot"]), [bytes.fromhex(p) for p in proof])
    return None if ok else "The tree of seal %d does not extend the tree of seal %d." % (second["id"], first["id"])


# --- The pack ------------------------------------------------------------------------------------------------------


def verify_pack(path, given_keys, out):
    problems, pack_keys, seals, ranges, trees = [], [], [], [], []
    streams, whole = {}, Tree()
    consistency, inclusion = [], []
    events = last_sequence = 0
    end, fmt = None, None
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            try:
                record = parse(line)
            except ValueError:
                record = None
            kind = record.get("kind") if isinstance(record, dict) else None
            if not isinstance(kind, str) or (number == 1) != (kind == "header") or end is not None:
                problems.append(("malformed", "line:%d" % number, "Not a record of the pack where one is expected."))
                if number == 1:
                    break
                continue
            try:
                if kind == "header":
                    fmt = record.get("format")
                    if fmt != "merit-audit-pack/1":
                        problems.append(("malformed", "line:1", "Not a merit-audit-pack/1 file."))
                elif kind == "key":
                    pack_keys.append(as_str(record["publicKey"]))
                elif kind == "seal":
                    seal = read_seal(record["seal"])
                    subject = "seal:%d" % seal["id"]
                    if not seal_signed(seal):
                        problems.append(("seal-signature", subject, "The seal's signature does not verify."))
                    if seal["publicKey"] not in (given_keys or pack_keys):
                        problems.append(("seal-untrusted-key", subject, "Signed by key %s, which is not trusted." % fingerprint(seal["publicKey"])))
                    previous = seals[-1] if seals else None
                    if (seal["id"] != len(seals) + 1 or seal["fromSequence"] != (previous["toSequence"] if previous else 0) + 1
                            or seal["previousRoot"] != (previous["root"] if previous else None)):
                        problems.append(("seal-chain", subject, "The seal does not follow the one before it."))
                    seals.append(seal)
                    ranges.append(Tree())
                    trees.append(None)
                elif kind == "event":
                    e = record["event"]
                    sequence = as_int(e["sequence"])
                    if sequence <= last_sequence:
                        problems.append(("event-order", "sequence:%d" % sequence, "Events are not in increasing sequence order."))
                        continue
                    last_sequence = sequence
                    events += 1
                    leaf = check_event(e, sequence, streams, problems)
                    for i, seal in enumerate(seals):
                        if trees[i] is None and sequence > seal["toSequence"]:
                            trees[i] = (whole.count, whole.root())
                        if seal["fromSequence"] <= sequence <= seal["toSequence"]:
                            ranges[i].append(leaf)
                    whole.append(leaf)
                elif kind == "consistency":
                    consistency.append(record)
                elif kind == "inclusion":
                    inclusion.append(record)
                elif kind == "end":
                    end = record
                else:
                    problems.append(("malformed", "line:%d" % number, "Unknown record kind."))
            except (KeyError, ValueError, TypeError, AttributeError) as error:
                problems.append(("malformed", "line:%d" % number, "A %s record lacks a member or holds a wrong value: %s" % (kind, error)))

    if end is None or end.get("events") != str(events):
        problems.append(("truncated", "end", "The pack has no end record, or it counts other events than it holds."))
    for i, seal in enumerate(seals):
        tree = trees[i] or (whole.count, whole.root())
        if ranges[i].count != seal["count"] or ranges[i].root() != seal["root"]:
            problems.append(("seal-root", "seal:%d" % seal["id"], "The pack's events in the seal's range do not give its root."))
        if tree[0] != seal["treeSize"] or tree[1] != seal["treeRoot"]:
            problems.append(("tree-root", "seal:%d" % seal["id"], "The pack's events up to the seal do not give its tree root."))
    by_id = {}
    for seal in seals:
        by_id.setdefault(seal["id"], seal)
    for record in consistency:
        first, second = as_int(record["from"]), as_int(record["to"])
        problem = (check_consistency(by_id[first], by_id[second], [as_str(p) for p in record["proof"]])
                   if first in by_id and second in by_id else "The proof names a seal the pack does not hold.")
        if problem:
            problems.append(("consistency-proof", "seals:%d-%d" % (first, second), problem))
    for record in inclusion:
        e, seal_id = record["event"], as_int(record["seal"])
        problem = (check_inclusion(by_id[seal_id], e, as_int(record["leafIndex"]), as_int(record["treeSize"]), [as_str(p) for p in record["path"]])
                   if seal_id in by_id else "The proof names a seal the pack does not hold.")
        if problem:
            problems.append(("inclusion-proof", "sequence:%d" % as_int(e["sequence"]), problem))

    out.write("merit_verify.py: %s (%s)\n" % (path, fmt))
    for key in pack_keys:
        out.write("key %s %s\n" % (fingerprint(key), "given" if key in given_keys else "taken from the pack" if not given_keys else "in the pack, not given"))
    for code, subject, text in problems:
        out.write("problem %s %s %s\n" % (code, subject, text))
    unsealed = max(0, whole.count - (seals[-1]["treeSize"] if seals else 0))
    counts = "events=%d seals=%d proofs=%d unsealed=%d sealed-through=%d" % (
        events, len(seals), len(consistency) + len(inclusion), unsealed, seals[-1]["toSequence"] if seals else 0)
    out.write(("verdict intact %s\n" % counts) if not problems else ("verdict broken problems=%d %s\n" % (len(problems), counts)))
    return 0 if not problems else 1


def check_event(e, sequence, streams, problems):
    subject = "sequence:%d" % sequence
    prev, hash_, kind = as_str(e.get("prev"), True), as_str(e.get("hash"), True), as_str(e["type"])
    recomputed = link(prev, content(e))
    if kind == "tombstone":
        if hash_ is not None or prev is not None or as_int(e["version"]) != sequence or canonical(e.get("data")) != "{}":
            problems.append(("tombstone-shape", subject, "A tombstone holds something else than Marten's empty sequence-gap filler."))
        return bytes.fromhex(recomputed)
    stream, version = as_str(e["stream"]), as_int(e["version"])
    last_version, last_hash, broken = streams.get(stream, (0, None, False))
    if not broken:
        code = ("missing-version" if version > last_version + 1 else "reordered" if version <= last_version
                else "forged-insert" if not is_hash(hash_) else "previous-link" if prev != last_hash
                else "content-mismatch" if recomputed != hash_ else None)
        if code:
            problems.append((code, subject, "Stream %s version %d breaks its chain." % (stream, version)))
        streams[stream] = (version, hash_, code is not None)
    return bytes.fromhex(recomputed)


def main(argv):
    keys, positional, i = [], [], 0
    while i < len(argv):
        if argv[i] == "--key" and i + 1 < len(argv):
            keys.append(argv[i + 1])
            i += 2
        else:
            positional.append(argv[i])
            i += 1
    if len(positional) != 1:
        sys.stderr.write(__doc__)
        return 2
    try:
        return verify_pack(positional[0], keys, sys.stdout)
    except OSError as error:
        sys.stderr.write("cannot read: %s\n" % error)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
