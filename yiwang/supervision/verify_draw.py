"""Recompute a published double-random draw (双随机抽查) and say whether it matches.

    python -m yiwang.supervision.verify_draw https://.../api/v1/supervision/draws/7
    python -m yiwang.supervision.verify_draw draw.json

Standard library only: this file is the draw rule of API.md ("Supervision") and may be copied
and run anywhere. The server draws with these same functions (or the same rule in SQL).

The rule: every hash is SHA-256 over UTF-8 text, as lowercase hex.
  seed_commitment = sha256(secret); seed = sha256(secret + witness);
  directory_hash = sha256("\\n".join(sorted(codes)));  rank key = sha256(seed + ":" + code).
  In each stratum (credit grade, "U" without one) the ceil(ratio x size) entities with the
  smallest keys are drawn (exact decimal arithmetic); tasks are ordered by key. For each task
  the pool is ordered by sha256(seed + ":" + entity + ":" + inspector) and the first
  inspectors_per_task without a declared conflict and with fewer than
  ceil(tasks x inspectors_per_task / pool size) tasks so far are taken; a task that finds fewer
  keeps those found and is marked needs_inspectors.
"""

from __future__ import annotations

import hashlib
import json
import sys
import urllib.request
from decimal import ROUND_CEILING, Decimal, InvalidOperation

STRATA = ("A", "B", "C", "D", "U")


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def seed_commitment_of(secret: str) -> str:
    return sha256_hex(secret)


def seed_of(secret: str, witness: str) -> str:
    return sha256_hex(secret + witness)


def directory_hash_of(codes) -> str:
    return sha256_hex("\n".join(sorted(codes)))


def pool_hash_of(pool, conflicts) -> str:
    """The frozen pool with its declared conflicts: one line per inspector, in byte order."""
    lines = [code + ":" + ",".join(sorted(conflicts.get(code, ()))) for code in sorted(pool)]
    return sha256_hex("\n".join(lines))


def rank_key(seed: str, code: str) -> str:
    return sha256_hex(seed + ":" + code)


def take_count(ratio, size: int) -> int:
    """ceil(ratio x size), exact: Decimal("0.07") x 100 is 7, not the 8 of binary floats."""
    try:
        value = Decimal(str(ratio))
    except InvalidOperation as error:
        raise ValueError(f"ratio {ratio!r} is not a decimal number") from error
    if not Decimal(0) <= value <= Decimal(1):
        raise ValueError(f"ratio {ratio} lies outside 0..1")
    return int((value * size).to_integral_value(rounding=ROUND_CEILING))


def _keys_after(prefix: str):
    """sha256(prefix + text) as bytes, for many texts: the hash state after the prefix is made
    once and copied for each text (the seed alone fills a whole 64-byte SHA-256 block), which
    gives the same digests as hashing every whole text, with one block less to hash each time."""
    head = hashlib.sha256(prefix.encode("utf-8"))

    def key(text: str) -> bytes:
        state = head.copy()
        state.update(text.encode("utf-8"))
        return state.digest()

    return key


def drawn_entities(seed: str, strata: dict, ratios: dict) -> list[tuple[str, str]]:
    """(key, code) of every drawn entity, in task order (ascending key)."""
    key = _keys_after(seed + ":")
    chosen = []
    for stratum, codes in strata.items():
        # Sorting by the binary digest gives the order of its lowercase hex.
        keyed = sorted((key(code), code) for code in codes)
        taken = keyed[: take_count(ratios.get(stratum, 0), len(keyed))]
        chosen.extend((digest.hex(), code) for digest, code in taken)
    chosen.sort()
    return chosen


def inspector_cap(tasks: int, per_task: int, pool_size: int) -> int:
    """ceil(tasks x per_task / pool size) in integer arithmetic."""
    if pool_size <= 0:
        return 0
    return (tasks * per_task + pool_size - 1) // pool_size


def pool_orders(
    seed: str, entity_codes: list[str], pool: list[str], conflicts: dict
) -> list[list[int]]:
    """For each entity, the pool (positions in `pool`) ordered by
    sha256(seed + ":" + entity + ":" + inspector), without the inspectors who declared a
    conflict with the entity."""
    avoided = {code: set(entities) for code, entities in conflicts.items()}
    encoded = [code.encode("utf-8") for code in pool]
    positions = range(len(pool))
    head = hashlib.sha256(seed.encode("utf-8"))
    orders = []
    for entity in entity_codes:
        state = head.copy()
        state.update(f":{entity}:".encode())
        keys = []
        for code in encoded:
            digest = state.copy()
            digest.update(code)
            keys.append(digest.digest())
        # Sorting by the binary digest gives the order of its lowercase hex.
        order = sorted(positions, key=keys.__getitem__)
        if avoided:
            order = [index for index in order if entity not in avoided.get(pool[index], ())]
        orders.append(order)
    return orders


def assign_inspectors(
    seed: str, entity_codes: list[str], pool: list[str], per_task: int, conflicts: dict
) -> list[dict]:
    """The tasks in order, each `{"entity", "inspectors", "needs_inspectors"}`."""
    orders = pool_orders(seed, entity_codes, pool, conflicts)
    picks = pick_inspectors(orders, len(pool), per_task)
    return [
        {
            "entity": entity,
            "inspectors": [pool[index] for index in taken],
            "needs_inspectors": len(taken) < per_task,
        }
        for entity, taken in zip(entity_codes, picks, strict=True)
    ]


def pick_inspectors(orders: list[list[int]], pool_size: int, per_task: int) -> list[list[int]]:
    """The running cap of the rule: for each task in order, given its pool order without the
    inspectors in conflict with it (positions in the pool), the first `per_task` inspectors
    still under ceil(tasks x per_task / pool size) tasks. The server runs this same function
    on orders computed in the database."""
    cap = inspector_cap(len(orders), per_task, pool_size)
    load = [0] * pool_size
    picks = []
    for order in orders:
        taken = []
        for index in order:
            if len(taken) >= per_task:
                break
            if load[index] < cap:
                taken.append(index)
                load[index] += 1
        picks.append(taken)
    return picks


def recompute(record: dict) -> list[dict]:
    """The tasks the rule gives for a published draw record."""
    entities = drawn_entities(record["seed"], record["strata"], record["ratios"])
    return assign_inspectors(
        record["seed"],
        [code for _key, code in entities],
        list(record["pool"]),
        int(record["inspectors_per_task"]),
        record.get("conflicts") or {},
    )


def problems(record: dict) -> list[str]:
    """Every way in which the record does not follow the rule; empty when it matches."""
    found = []
    if seed_commitment_of(record["secret"]) != record["seed_commitment"]:
        found.append("the secret does not match the commitment published before the draw")
    if seed_of(record["secret"], record["witness"]) != record["seed"]:
        found.append("the seed is not sha256(secret + witness)")
    codes = [code for stratum in record["strata"].values() for code in stratum]
    if len(set(codes)) != len(codes):
        found.append("an entity appears twice in the directory")
    for stratum, members in record["strata"].items():
        if list(members) != sorted(members):
            found.append(f"stratum {stratum} is not in ascending order")
    if directory_hash_of(codes) != record["directory_hash"]:
        found.append("the directory does not match the directory hash published at commit")
    if record.get("pool_hash") and record["pool_hash"] != pool_hash_of(
        record["pool"], record.get("conflicts") or {}
    ):
        found.append("the inspector pool does not match the pool hash published at commit")
    try:
        expected = recompute({**record, "seed": seed_of(record["secret"], record["witness"])})
    except ValueError as error:
        return [*found, str(error)]
    published = [
        {"entity": task["entity"], "inspectors": list(task["inspectors"])}
        for task in record["tasks"]
    ]
    if published != [{"entity": t["entity"], "inspectors": t["inspectors"]} for t in expected]:
        found.append("the tasks differ from those the rule gives")
    return found


def load(source: str) -> dict:
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode("utf-8"))
    with open(source, encoding="utf-8") as handle:
        return json.load(handle)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m yiwang.supervision.verify_draw <url or json file>")
        return 2
    record = load(argv[0])
    found = problems(record)
    if found:
        print("MISMATCH")
        for problem in found:
            print(" -", problem)
        return 1
    print(f"MATCH: {len(record['tasks'])} tasks recomputed from the published record")
    return 0


if __name__ == "__main__":
    sys.exit(main())
