"""Result quality: tantivy's answers (from the floor) against PostgreSQL's, query by query."""

from __future__ import annotations

QUALITY_KEYS = ("found_ratio", "overlap_at_20", "pg_matches_tantivy_top", "tantivy_matches_pg_top")


def overlap(a, b):
    """|a ∩ b| / |a| for two top lists (1.0 when both are empty)."""
    if not a and not b:
        return 1.0
    if not a:
        return 0.0
    return len(set(a) & set(b)) / len(a)


def share(part, whole):
    return (len(part) / len(whole)) if whole else None


def quality_row(name, tantivy, pg, pg_matches_tantivy_top, tantivy_matches_pg_top):
    t_top, p_top = tantivy["top"], pg["top"]
    return {
        "query": name,
        "tantivy_total": tantivy["total"],
        "pg_total": pg["total"],
        # how many open jobs PostgreSQL finds for each one tantivy finds (recall, roughly)
        "found_ratio": (pg["total"] / tantivy["total"]) if tantivy["total"] else None,
        "overlap_at_20": overlap(t_top, p_top),
        # the share of one engine's top hits the other engine's text query matches at all
        "pg_matches_tantivy_top": share(pg_matches_tantivy_top, t_top),
        "tantivy_matches_pg_top": share(tantivy_matches_pg_top, p_top),
    }


def mean_quality(rows):
    out = {}
    for key in QUALITY_KEYS:
        values = [r[key] for r in rows if r.get(key) is not None]
        out[key] = sum(values) / len(values) if values else None
    found = [r["found_ratio"] for r in rows if r.get("found_ratio") is not None]
    out["lowest_found_ratio"] = min(found) if found else None
    return out


def compare(queries, tantivy, pg_answers, baseline, tantivy_check):
    """Every query of the mix on both engines. `tantivy` and `pg_answers` hold each query's top and
    total by name; `tantivy_check` which of PostgreSQL's top ids tantivy's text query matches."""
    rows = []
    for q in queries:
        name = q["name"]
        rows.append(quality_row(name, tantivy[name], pg_answers[name],
                                baseline.text_matches(name, tantivy[name]["top"]), tantivy_check.get(name, [])))
    return {"queries": rows, "mean": mean_quality(rows)}
