#!/usr/bin/env python3
"""scripts/soak/check.py OUT [--quiet] — counts what a scripts/soak.sh run left on its topics.

Reads OUT/prefix, OUT/brokers, OUT/feeds/served.tsv (every item the feed server listed) and
OUT/faults.tsv, consumes the stories, duplicates, events and dead_letters topics with kcat, and
reports: served items missing from the stories topic (by kind; a missing one that went to the
duplicates topic or a dead letter is named so), extra copies per record-id (each placed in time
against the faults), URLs published under more than one story id, per-key order (story
versions, event revisions), and the event feed's stories' event ids.
With --quiet it prints nothing and exits 0 when no normal or event item is missing, 1 otherwise.
"""
import collections
import datetime
import json
import os
import subprocess
import sys


def consume(brokers, topic):
    out = subprocess.run(["kcat", "-b", brokers, "-C", "-t", topic, "-e", "-q", "-J"],
                         capture_output=True, timeout=300)
    msgs = []
    for line in out.stdout.splitlines():
        try:
            m = json.loads(line)
        except ValueError:
            continue
        h = m.get("headers") or []
        m["hdr"] = dict(zip(h[0::2], h[1::2]))
        try:
            m["v"] = json.loads(m.get("payload") or "null")
        except ValueError:
            m["v"] = None
        msgs.append(m)
    return msgs


def main():
    out = sys.argv[1]
    quiet = "--quiet" in sys.argv
    prefix = open(os.path.join(out, "prefix")).read().strip()
    brokers = open(os.path.join(out, "brokers")).read().strip()
    served = []
    for line in open(os.path.join(out, "feeds", "served.tsv"), encoding="utf-8"):
        feed, guid, link, kind = line.rstrip("\n").split("\t")
        served.append((feed, guid, link, kind))
    stories = consume(brokers, prefix + "stories")
    by_url = collections.defaultdict(list)
    for m in stories:
        if m["v"]:
            by_url[m["v"].get("url")].append(m)
    missing = [s for s in served if s[2] not in by_url]
    must = [s for s in missing if s[3] in ("normal", "event")]
    if quiet:
        sys.exit(1 if must else 0)

    dups = consume(brokers, prefix + "duplicates")
    dup_urls = {m["v"].get("url") for m in dups if m["v"]}
    dead = consume(brokers, prefix + "dead_letters")
    dead_text = "\n".join(m.get("payload") or "" for m in dead)
    events = consume(brokers, prefix + "events")
    faults = []
    for line in open(os.path.join(out, "faults.tsv")):
        at, what = line.rstrip("\n").split("\t", 1)
        faults.append((datetime.datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp(), what))

    print(f"topics {prefix}*: {len(stories)} story messages, {len(dups)} duplicates, {len(events)} event records, {len(dead)} dead letters")
    kinds = collections.Counter(s[3] for s in served)
    mk = collections.Counter(s[3] for s in missing)
    print("served items by kind (missing from stories):", ", ".join(f"{k} {n} ({mk[k]})" for k, n in sorted(kinds.items())))
    def where(s):
        if s[2] in dup_urls:
            return "in duplicates"
        if s[2] in dead_text or s[1] in dead_text or s[0] in dead_text:
            return "dead letter (item or feed)"
        return "NOWHERE"
    summary = collections.Counter((s[3], where(s)) for s in missing)
    for (kind, w), n in sorted(summary.items()):
        print(f"  missing {kind}: {n} {w}")
    for s in [s for s in missing if s[3] in ("normal", "event")][:30]:
        print(f"  missing {s[3]} {s[0]} {s[1]} {s[2]}: {where(s)}")

    # Copies per record-id, and when each extra copy was written relative to the faults.
    per_rid = collections.defaultdict(list)
    for m in stories:
        per_rid[m["hdr"].get("record-id")].append(m)
    extra = [(rid, ms) for rid, ms in per_rid.items() if len(ms) > 1]
    n_extra = sum(len(ms) - 1 for _, ms in extra)
    print(f"record-ids {len(per_rid)}, with copies {len(extra)}, extra copies {n_extra}")
    near = collections.Counter()
    unexplained = 0
    for rid, ms in extra:
        for m in sorted(ms, key=lambda m: m["ts"])[1:]:
            t = m["ts"] / 1000
            prior = [f for f in faults if f[0] <= t + 1 and t - f[0] < 90 and ("kill" in f[1] or "start" in f[1] or "stopped" in f[1] or "broker" in f[1])]
            if prior:
                near[prior[-1][1].split(" pid")[0]] += 1
            else:
                unexplained += 1
    for what, n in near.most_common():
        print(f"  {n} extra copies within 90 s after: {what}")
    print(f"  {unexplained} extra copies with no fault in the 90 s before them")

    # One story id per URL.
    ids = {u: {m["v"]["id"] for m in ms} for u, ms in by_url.items()}
    multi = {u: v for u, v in ids.items() if len(v) > 1}
    print(f"URLs under more than one story id: {len(multi)}")
    for u, v in list(multi.items())[:10]:
        print(f"  {u}: {sorted(v)}")

    # Per-key order: story versions and event revisions never go down within a partition.
    def order(msgs, field):
        bad = []
        last = {}
        for m in sorted(msgs, key=lambda m: (m["partition"], m["offset"])):
            if not m["v"]:
                continue
            k = (m["partition"], m.get("key"))
            val = m["v"].get(field, 0)
            if k in last and val < last[k][0]:
                bad.append((m.get("key"), last[k], (val, m["offset"])))
            last[k] = (val, m["offset"])
        return bad
    bs, be = order(stories, "version"), order(events, "revision")
    print(f"per-key order: {len(bs)} story versions and {len(be)} event revisions going down")
    for b in (bs + be)[:10]:
        print(f"  key {b[0]}: {b[1]} then {b[2]}")

    # The event feed: one event, across the faults.
    ev = sorted(u for u in by_url if "harbour-news" in u)
    last_eid = {u: sorted(by_url[u], key=lambda m: m["ts"])[-1]["v"].get("event_id") for u in ev}
    all_eids = collections.Counter(m["v"].get("event_id") for u in ev for m in by_url[u])
    print(f"event feed: {len(ev)} stories; event ids of their last copies: {dict(collections.Counter(last_eid.values()))}; over all copies: {dict(all_eids)}")
    eid_churn = sum(1 for u, ms in by_url.items() if len({m["v"].get("event_id") for m in ms}) > 1)
    print(f"URLs whose copies carry different event ids: {eid_churn}")
    # Events: ids retracted, merged; live events whose story ids are on the stories topic.
    last_ev = {}
    for m in sorted(events, key=lambda m: m["offset"]):
        if m["v"]:
            last_ev[m.get("key")] = m["v"]
    retracted = sum(1 for v in last_ev.values() if v.get("retracted"))
    merged = sum(1 for v in last_ev.values() if v.get("merged_into"))
    print(f"events: {len(last_ev)} ids, {retracted} retracted and {merged} merged at their last record")
    # Each story's newest copy names an event that is live on the events topic (following
    # merged_into), and that event lists the story.
    dangling, unlisted = [], []
    for u, ms in by_url.items():
        v = sorted(ms, key=lambda m: (m["partition"], m["offset"]))[-1]["v"]
        eid = v.get("event_id")
        if not eid:
            continue
        seen = set()
        while eid in last_ev and last_ev[eid].get("merged_into") and eid not in seen:
            seen.add(eid)
            eid = last_ev[eid]["merged_into"]
        e = last_ev.get(eid)
        if e is None or e.get("retracted"):
            dangling.append((u, v.get("event_id"), "missing" if e is None else "retracted"))
        elif v["id"] not in (e.get("story_ids") or []):
            unlisted.append((u, eid))
    print(f"stories whose newest copy names an event missing or retracted on the events topic: {len(dangling)}; "
          f"named by a live event that does not list them: {len(unlisted)}")
    for d in (dangling + unlisted)[:10]:
        print("  ", d)
    rtimes = sorted(m["ts"] / 1000 for m in events if m["v"] and m["v"].get("retracted"))
    if rtimes:
        print("retractions written at:", ", ".join(datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%H:%M:%S") for t in rtimes[::max(1, len(rtimes) // 12)]))
    reasons = collections.Counter()
    for m in dead:
        v = m["v"] or {}
        reasons[(v.get("stage") or "?") + ": " + str(v.get("error") or v.get("reason") or "?")[:90]] += 1
    print("dead letters by reason:")
    for r, n in reasons.most_common(15):
        print(f"  {n} {r}")


if __name__ == "__main__":
    main()
