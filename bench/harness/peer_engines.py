"""SQLite FTS5 and Xapian fed our own analysis, in-process: builds one engine's index from
`docs.jsonl` and runs the workloads of `workloads.json` (both written by peers.py), then writes
what it measured as JSON.

It runs under Debian's Python (`/usr/bin/python3`), which has Debian's `python3-xapian`, with
apsw (PyPI's, pinned in bench/requirements-peers.txt, installed by the harness into
bench/.tools/python) on PYTHONPATH for SQLite FTS5; it imports nothing from the harness:

    PYTHONPATH=bench/.tools/python /usr/bin/python3 bench/harness/peer_engines.py \
        sqlite|xapian PEERS_DIR SECONDS OUT.json

Every engine sees the same input: per job four fields (title, skills, employer, description) of
terms, each at the position our analyzer gives it (a character offset; jieba's parts of a word
share the word's place), the terms written as short ASCII tokens so no engine's own tokenizer
changes them; and the filters as columns or boolean terms. A query is, per word, its terms (one
term, or a phrase at the analyzer's distances) in any of the four fields, with the fields'
weights; every word must match; then the filters. The page is the top 20 by score and the exact
total, as the floor computes (it also counts facets, which the peers do not).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

FIELDS = ("title", "skills", "employer", "description")
PAGE = 20


def read_docs(peers_dir):
    with open(peers_dir / "docs.jsonl", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def dir_bytes(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


# --- SQLite FTS5 --------------------------------------------------------------------------------


# FTS5 gives each token place one position; our analysis gives positions that are character
# offsets, with a word's jieba parts at the word's own place. A tokenizer of ours (through apsw,
# which can hand FTS5 several tokens at one place) gives every offset of a field its own FTS5
# position, holding the terms at that offset and, always, FILLER. A phrase at the analyzer's
# distances is then an FTS5 phrase with FILLER standing in for each offset between its terms:
# exact, as tantivy's phrase is, whatever the document holds in between.
FILLER = "f"
TOKENIZER = "positioned"


def positioned_text(terms):
    """A field's [(offset, token)] as the text our tokenizer reads: one item an offset, items
    apart by a space, the tokens at one offset joined by `|`, a run of n empty offsets as `~n`."""
    at = {}
    for offset, token in terms:
        at.setdefault(offset, []).append(token)
    items, next_offset = [], 0
    for offset in sorted(at):
        if offset > next_offset:
            items.append(f"~{offset - next_offset}")
        items.append("|".join(at[offset]))
        next_offset = offset + 1
    return " ".join(items)


def positioned_tokenizer(_connection, _args):
    """apsw's tokenizer factory for `positioned_text`: in a document every offset is one FTS5
    position holding its tokens and FILLER; a query (a phrase's text) is its tokens as written."""
    import apsw

    filler_alone = (FILLER,)

    def tokenize(utf8, flags, _locale):
        items = utf8.decode().split()
        if flags & apsw.FTS5_TOKENIZE_QUERY:
            return items
        out = []
        for item in items:
            if item[0] == "~":
                out.extend([filler_alone] * int(item[1:]))
            else:
                out.append((*item.split("|"), FILLER))
        return out

    return tokenize


def fts5_word(word):
    """One word as an FTS5 expression: its token, or its tokens as a phrase with FILLER at each
    offset between them."""
    at = dict(word)
    first, last = word[0][0], word[-1][0]
    return '"' + " ".join(at.get(offset, FILLER) for offset in range(first, last + 1)) + '"'


def fts5_match(words):
    return " AND ".join(f"({fts5_word(word)})" for word in words)


def sql_filters(filters, now):
    """(conditions, arguments) on the meta table `m`."""
    conditions, arguments = ["m.expires_at >= ?"], [now]
    for key in ("jurisdiction", "location_id", "employment_type"):
        if key in filters:
            conditions.append(f"m.{key} = ?")
            arguments.append(filters[key])
    if "sponsorship" in filters:
        conditions.append("m.sponsorship = ?")
        arguments.append(1 if filters["sponsorship"] else 0)
    if "salary_at_least" in filters:
        conditions.append("m.salary >= ?")
        arguments.append(filters["salary_at_least"])
    if "skill_id" in filters:
        conditions.append("EXISTS (SELECT 1 FROM skills s WHERE s.skill = ? AND s.doc = m.rowid)")
        arguments.append(filters["skill_id"])
    return conditions, arguments


class Sqlite:
    name = "sqlite"

    def __init__(self, path):
        import apsw

        self.path = path
        if path.exists():
            path.unlink()
        self.db = apsw.Connection(str(path))
        self.db.register_fts5_tokenizer(TOKENIZER, positioned_tokenizer)
        self.version = apsw.sqlite_lib_version()
        self.apsw = apsw.apsw_version()
        self.weights = None

    def build(self, docs, weights):
        self.weights = weights
        db = self.db
        # apsw runs a script's statements as its cursor is read, and the pragmas answer rows.
        db.execute(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000;"
            f"CREATE VIRTUAL TABLE docs USING fts5(title, skills, employer, description, tokenize='{TOKENIZER}');"
            "CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT, jurisdiction TEXT, location_id TEXT,"
            " employment_type TEXT, sponsorship INTEGER, expires_at INTEGER, salary INTEGER);"
            "CREATE TABLE skills(skill TEXT, doc INTEGER, PRIMARY KEY (skill, doc)) WITHOUT ROWID;"
            "BEGIN;"
        ).fetchall()
        for rowid, doc in enumerate(docs, start=1):
            db.execute("INSERT INTO docs(rowid, title, skills, employer, description) VALUES (?, ?, ?, ?, ?)",
                       (rowid, *(positioned_text(doc["fields"][f]) for f in FIELDS)))
            db.execute("INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (rowid, doc["id"], doc["jurisdiction"], doc["location_id"], doc["employment_type"],
                        1 if doc["sponsorship"] else 0, doc["expires_at"], doc["salary"]))
            db.executemany("INSERT OR IGNORE INTO skills VALUES (?, ?)", [(s, rowid) for s in doc["skills"]])
        db.execute(
            "COMMIT;"
            "CREATE INDEX meta_jurisdiction ON meta(jurisdiction); CREATE INDEX meta_type ON meta(employment_type);"
            "INSERT INTO docs(docs) VALUES ('optimize'); ANALYZE;"
        ).fetchall()

    def config(self):
        return (f"SQLite {self.version} FTS5 (apsw {self.apsw}), detail=full; our analysed tokens through "
                "a tokenizer of ours giving every character offset one FTS5 position, its terms "
                f"colocated; bm25() with column weights {self.weights}; a phrase as an FTS5 phrase with a "
                "filler token at the offsets between its terms (exact distances); filters on a joined table")

    def search(self, query, now):
        conditions, arguments = sql_filters(query["filters"], now)
        if query["words"]:
            weights = ", ".join(str(w) for w in self.weights)
            # bm25() is only allowed in the query on the FTS table itself.
            sql = (f"WITH hits AS MATERIALIZED (SELECT rowid AS doc, bm25(docs, {weights}) AS score "
                   f"FROM docs WHERE docs MATCH ?) "
                   f"SELECT m.id, count(*) OVER () FROM hits JOIN meta m ON m.rowid = hits.doc "
                   f"WHERE {' AND '.join(conditions)} ORDER BY hits.score, m.rowid LIMIT {PAGE}")
            arguments = [fts5_match(query["words"]), *arguments]
        else:
            sql = (f"SELECT m.id, count(*) OVER () FROM meta m WHERE {' AND '.join(conditions)} "
                   f"ORDER BY m.rowid LIMIT {PAGE}")
        rows = self.db.execute(sql, arguments).fetchall()
        return [row[0] for row in rows], (rows[0][1] if rows else 0)

    def size(self):
        return self.path.stat().st_size


# --- Xapian -------------------------------------------------------------------------------------

PREFIXES = {"title": "XT", "skills": "XS", "employer": "XE", "description": "XD"}
EXPIRES_SLOT, SALARY_SLOT = 0, 1


class Xapian:
    name = "xapian"

    def __init__(self, path):
        import xapian

        self.xapian = xapian
        self.path = path
        self.db = None
        self.weights = None

    def build(self, docs, weights):
        xapian = self.xapian
        self.weights = dict(zip(FIELDS, weights))
        writer = xapian.WritableDatabase(str(self.path), xapian.DB_CREATE_OR_OVERWRITE)
        for doc in docs:
            document = xapian.Document()
            for field in FIELDS:
                prefix = PREFIXES[field]
                for position, token in doc["fields"][field]:
                    document.add_posting(prefix + token, position + 1)
            for key, prefix in (("jurisdiction", "J"), ("location_id", "L"), ("employment_type", "E")):
                document.add_boolean_term(prefix + doc[key])
            document.add_boolean_term("P" + ("1" if doc["sponsorship"] else "0"))
            for skill in doc["skills"]:
                document.add_boolean_term("K" + skill)
            document.add_value(EXPIRES_SLOT, xapian.sortable_serialise(doc["expires_at"]))
            if doc["salary"] is not None:
                document.add_value(SALARY_SLOT, xapian.sortable_serialise(doc["salary"]))
            document.set_data(doc["id"])
            writer.add_document(document)
        writer.commit()
        writer.close()
        self.db = xapian.Database(str(self.path))

    def config(self):
        return (f"Xapian {self.xapian.version_string()} (Debian python3-xapian), glass backend; "
                "our analysed tokens as prefixed terms with their positions; BM25 (k1 1.2, b 0.75) "
                f"with field weights {list(self.weights.values())} by OP_SCALE_WEIGHT; a phrase as "
                "OP_PHRASE in its window; filters as boolean terms and value ranges")

    def word(self, word):
        xapian = self.xapian
        per_field = []
        for field in FIELDS:
            terms = [PREFIXES[field] + token for _, token in word]
            if len(terms) == 1:
                inner = xapian.Query(terms[0])
            else:
                window = word[-1][0] - word[0][0] + 1
                inner = xapian.Query(xapian.Query.OP_PHRASE, terms, window)
            per_field.append(xapian.Query(xapian.Query.OP_SCALE_WEIGHT, inner, self.weights[field]))
        return xapian.Query(xapian.Query.OP_OR, per_field)

    def query(self, query, now):
        xapian = self.xapian
        if query["words"]:
            text = xapian.Query(xapian.Query.OP_AND, [self.word(word) for word in query["words"]])
        else:
            text = xapian.Query.MatchAll
        filters = query["filters"]
        kept = [xapian.Query(xapian.Query.OP_VALUE_GE, EXPIRES_SLOT, xapian.sortable_serialise(now))]
        for key, prefix in (("jurisdiction", "J"), ("location_id", "L"), ("employment_type", "E"),
                            ("skill_id", "K")):
            if key in filters:
                kept.append(xapian.Query(prefix + filters[key]))
        if "sponsorship" in filters:
            kept.append(xapian.Query("P" + ("1" if filters["sponsorship"] else "0")))
        if "salary_at_least" in filters:
            kept.append(xapian.Query(xapian.Query.OP_VALUE_GE, SALARY_SLOT,
                                     xapian.sortable_serialise(filters["salary_at_least"])))
        return xapian.Query(xapian.Query.OP_FILTER, text, xapian.Query(xapian.Query.OP_AND, kept))

    def search(self, query, now):
        enquire = self.xapian.Enquire(self.db)
        enquire.set_weighting_scheme(self.xapian.BM25Weight(1.2, 0, 1, 0.75, 0))
        enquire.set_query(self.query(query, now))
        # Asked to check every document, the count is exact, as the floor's is.
        matches = enquire.get_mset(0, PAGE, self.db.get_doccount())
        return [match.document.get_data().decode() for match in matches], matches.get_matches_estimated()

    def size(self):
        return dir_bytes(self.path)


# --- running ------------------------------------------------------------------------------------


def percentile(sorted_ms, p):
    if not sorted_ms:
        return None
    return sorted_ms[min(len(sorted_ms) - 1, max(0, round(p / 100 * len(sorted_ms) + 0.5) - 1))]


def run_workload(engine, workload, now, seconds):
    """Each query to be compared once (its answer; also the warm-up), then the sequence, round and
    round, for `seconds`, every search timed."""
    queries = workload["queries"]
    answers = {}
    for i in workload["answer"]:
        top, total = engine.search(queries[i], now)
        answers[queries[i]["name"]] = {"top": top, "total": total}
    sequence, latencies = workload["sequence"], []
    started = time.perf_counter()
    deadline = started + seconds
    step = 0
    while time.perf_counter() < deadline:
        query = queries[sequence[step % len(sequence)]]
        start = time.perf_counter()
        engine.search(query, now)
        latencies.append((time.perf_counter() - start) * 1000.0)
        step += 1
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "answers": answers,
        "requests": len(latencies),
        "seconds": elapsed,
        "throughput": len(latencies) / elapsed if elapsed else None,
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
    }


def main(argv):
    name, peers_dir, seconds, out = argv[1], Path(argv[2]), float(argv[3]), Path(argv[4])
    engine = {"sqlite": lambda: Sqlite(peers_dir / "fts5.sqlite"),
              "xapian": lambda: Xapian(peers_dir / "xapian")}[name]()
    workloads = json.loads((peers_dir / "workloads.json").read_text())
    start = time.perf_counter()
    engine.build(read_docs(peers_dir), workloads["weights"])
    build_seconds = time.perf_counter() - start
    documents = workloads["documents"]
    result = {
        "engine": name,
        "config": engine.config(),
        "build": {"seconds": build_seconds, "rows_per_s": documents / build_seconds if build_seconds else None,
                  "bytes": engine.size()},
        "workloads": {key: run_workload(engine, workload, workloads["now"], seconds)
                      for key, workload in workloads["workloads"].items()},
    }
    out.write_text(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
