"""A realistic workload for job search: a seeded log of distinct queries and a request sequence
drawn from them by a Zipf law (the query of rank k asked in proportion to 1/k^s).

The queries are written from what the service's data is written from, so that they find
something: the registry's skills (labels in English, Simplified and Traditional Chinese, and
their aliases), its places and jurisdictions, and the demo's vocabulary (the job title patterns
and the employers' names of src/demo/text.rs, the employment types of src/jobs/input.rs, the
salary ranges of src/demo/market.rs), read from those files rather than copied here. Every query
is made of plain words and spaces, within the API's length limit, so none is refused.

The same seed gives the same log, byte for byte: only `random.Random(seed)` draws.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from .common import ROOT
from .service import write_search_urls

SEED = 2026
DISTINCT = 6_000
# ten requests a query on average: with s = 1 about 5,200 of the 6,000 queries are asked at least once
REQUESTS = 60_000
ZIPF_S = 1.0
TOP_SHARES = (1, 10, 100)

REGISTRY = ROOT / "assets" / "registry"
DEMO_TEXT = ROOT / "src" / "demo" / "text.rs"
DEMO_MARKET = ROOT / "src" / "demo" / "market.rs"
JOB_INPUT = ROOT / "src" / "jobs" / "input.rs"
JOB_SEARCH = ROOT / "src" / "search" / "job_search" / "on_index.rs"

SCRIPTS = ("en", "zh-Hans", "zh-Hant")
# A Shenzhen/Hong Kong audience: English most, then Simplified (Shenzhen), then Traditional (Hong Kong).
SCRIPT_WEIGHTS = (0.45, 0.30, 0.25)
# The demo's title patterns per script, by the name of their constant in src/demo/text.rs.
TITLE_CONSTANTS = {"en": "TITLES_EN", "zh-Hans": "TITLES_HANS", "zh-Hant": "TITLES_HANT"}
# The demo's employer names per jurisdiction, likewise.
FIRM_CONSTANTS = {"HK": "FIRMS_HK", "CN": "FIRMS_CN"}
# What a query is about, and how often a query of the log is of that form.
FORM_WEIGHTS = {"skill": 33, "title": 25, "skill+place": 10, "title+place": 7, "employer": 6,
                "employer+skill": 5, "browse": 14}
# The odds of each filter on a query; salary is `salary_min` with its `salary_currency`.
FILTER_ODDS = {"jurisdiction": 0.35, "employment_type": 0.15, "skill_id": 0.10, "salary": 0.12}
# Words the query grammar reads as operators (tantivy-query-grammar 0.27, query_grammar.rs `word`).
GRAMMAR_WORDS = frozenset({"AND", "OR", "NOT", "IN"})
# Drawing stops with an error after this many tries a query, should the vocabulary be too small.
TRIES_PER_QUERY = 50


@dataclass(frozen=True)
class Skill:
    id: str
    labels: dict  # script → label
    texts: dict  # script → the labels and aliases a person writing in that script may type


@dataclass(frozen=True)
class Named:
    """A place or an employer: its jurisdiction and its name in each script it is written in."""
    jurisdiction: str
    names: dict  # script → name


@dataclass(frozen=True)
class Vocabulary:
    skills: tuple
    title_patterns: dict  # script → patterns, `{}` standing for a skill label in that script
    places: tuple
    employers: tuple
    employment_types: tuple
    currencies: dict  # jurisdiction → currency
    salary_ranges: dict  # currency → (lowest, highest, step) per month
    max_query_chars: int


@dataclass(frozen=True)
class Draft:
    """A query before its filters: its form, the script it is written in, its text (None to
    browse), and the skill and jurisdiction it names, which its filters keep to."""
    form: str
    script: str
    text: str | None
    skill: Skill | None = None
    jurisdiction: str | None = None


@dataclass(frozen=True)
class QueryLog:
    seed: int
    queries: tuple  # by rank, the most asked first: {"script", "form", "params"} like bench/queries.json
    sequence: list  # the requests, each the index of its query in `queries`


# --- reading the Rust sources ---------------------------------------------------------------


def rust_match(path, pattern, what):
    """The first match of `pattern` in the Rust file; a clear error when the file has changed."""
    found = re.search(pattern, Path(path).read_text(), re.S)
    if not found:
        raise ValueError(f"{path}: no {what} found; update bench/harness/querylog.py to its new form")
    return found


def rust_strings(path, constant):
    """The string literals of `const NAME: &[&str] = &[...]`."""
    body = rust_match(path, rf"const {constant}: &\[&str\] = &\[(.*?)\];", constant).group(1)
    return tuple(re.findall(r'"([^"\\]*)"', body))


def rust_usize(path, constant):
    return int(rust_match(path, rf"const {constant}: usize = ([\d_]+);", constant).group(1).replace("_", ""))


def employment_types(path=JOB_INPUT):
    """The names `EmploymentType::as_str` gives, in its order."""
    rust_match(path, r"fn as_str", "EmploymentType::as_str")
    return tuple(re.findall(r'EmploymentType::\w+ => "(\w+)"', Path(path).read_text()))


def salary_ranges(path=DEMO_MARKET):
    """currency → (lowest, highest, step) of the monthly salaries the demo writes, from its
    `("HKD", demo.rng.random_range(18..=90) * 1000)` lines."""
    rust_match(path, r"random_range\(\d+\.\.=\d+\) \* \d+", "salary range")
    pattern = r'\("([A-Z]{3})", demo\.rng\.random_range\((\d+)\.\.=(\d+)\) \* (\d+)\)'
    return {currency: (int(low) * int(step), int(high) * int(step), int(step))
            for currency, low, high, step in re.findall(pattern, Path(path).read_text())}


# --- scripts ----------------------------------------------------------------------------------


def translation_pairs(node):
    """Every (Simplified, Traditional) pair of strings in a registry file's JSON."""
    if isinstance(node, dict):
        if isinstance(node.get("zh-Hans"), str) and isinstance(node.get("zh-Hant"), str):
            yield node["zh-Hans"], node["zh-Hant"]
        for value in node.values():
            yield from translation_pairs(value)
    elif isinstance(node, list):
        for value in node:
            yield from translation_pairs(value)


def script_characters(pairs):
    """(Simplified-only, Traditional-only) characters: those that differ at the same place of a
    pair, less any the other script also writes (the registry's own labels, no conversion table)."""
    pairs = list(pairs)
    hans_written = {ch for hans, _ in pairs for ch in hans}
    hant_written = {ch for _, hant in pairs for ch in hant}
    hans_only, hant_only = set(), set()
    for hans, hant in pairs:
        if len(hans) == len(hant):
            for a, b in zip(hans, hant):
                if a != b:
                    hans_only.add(a)
                    hant_only.add(b)
    return frozenset(hans_only - hant_written), frozenset(hant_only - hans_written)


def is_han(ch):
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def scripts_of(text, characters):
    """The scripts a person may write `text` in: no Chinese → English; a character only one
    Chinese script writes → that one; otherwise (香港, 金融) both."""
    hans_only, hant_only = characters
    if not any(is_han(ch) for ch in text):
        return ("en",)
    if any(ch in hant_only for ch in text):
        return ("zh-Hant",)
    if any(ch in hans_only for ch in text):
        return ("zh-Hans",)
    return ("zh-Hans", "zh-Hant")


def words_only(text):
    """The text's words with single spaces between: every character that is neither a letter nor
    a digit becomes a space and the grammar's operator words are dropped, so the query grammar
    (src/search/query.rs) reads plain words only — no quotes, parentheses, `field:` or `-word`."""
    spaced = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(word for word in spaced.split() if word not in GRAMMAR_WORDS)


def by_script(texts, characters):
    """script → the distinct texts (as words only) that may be typed in it, in their order."""
    out = {script: [] for script in SCRIPTS}
    for text in texts:
        words = words_only(text)
        if words:
            for script in scripts_of(words, characters):
                out[script].append(words)
    return {script: tuple(dict.fromkeys(typed)) for script, typed in out.items()}


# --- the vocabulary ---------------------------------------------------------------------------


def read_registry(name, registry=REGISTRY):
    return json.loads((Path(registry) / f"{name}.json").read_text())


def registry_characters(registry=REGISTRY):
    pairs = []
    for path in sorted(Path(registry).glob("*.json")):
        pairs.extend(translation_pairs(json.loads(path.read_text())))
    return script_characters(pairs)


def skill_of(row, characters):
    labels = {script: words_only(row["labels"][script]) for script in SCRIPTS}
    texts = by_script([row["labels"][script] for script in SCRIPTS] + row.get("aliases", []), characters)
    return Skill(row["id"], labels, texts)


def place_of(row):
    return Named(row["jurisdiction"], {script: words_only(row["name"][script]) for script in SCRIPTS})


def demo_employers(characters, path=DEMO_TEXT):
    """The demo's employer name stems (Harbour, 前海, …), each in the scripts it may be typed in."""
    return tuple(Named(jurisdiction, {script: words_only(firm) for script in scripts_of(firm, characters)})
                 for jurisdiction, constant in FIRM_CONSTANTS.items() for firm in rust_strings(path, constant))


def load_vocabulary(registry=REGISTRY):
    characters = registry_characters(registry)
    return Vocabulary(
        skills=tuple(skill_of(row, characters) for row in read_registry("skills", registry)),
        title_patterns={script: rust_strings(DEMO_TEXT, constant) for script, constant in TITLE_CONSTANTS.items()},
        places=tuple(place_of(row) for row in read_registry("locations", registry)),
        employers=demo_employers(characters),
        employment_types=employment_types(),
        currencies={row["code"]: row["currency"] for row in read_registry("jurisdictions", registry)},
        salary_ranges=salary_ranges(),
        max_query_chars=rust_usize(JOB_SEARCH, "MAX_QUERY_CHARS"),
    )


# --- composing queries ------------------------------------------------------------------------


def pick_script(rng):
    return rng.choices(SCRIPTS, weights=SCRIPT_WEIGHTS)[0]


def pick_skill_text(rng, vocab, script):
    """A skill and one of its labels or aliases in `script` (a skill may have none in a script)."""
    while True:
        skill = rng.choice(vocab.skills)
        if skill.texts[script]:
            return skill, rng.choice(skill.texts[script])


def skill_draft(rng, vocab):
    script = pick_script(rng)
    skill, text = pick_skill_text(rng, vocab, script)
    return Draft("skill", script, text, skill)


def title_draft(rng, vocab):
    """A job title as the demo writes them: a pattern of the script around a skill's label."""
    script = pick_script(rng)
    skill = rng.choice(vocab.skills)
    pattern = rng.choice(vocab.title_patterns[script])
    return Draft("title", script, words_only(pattern.replace("{}", skill.labels[script])), skill)


def with_place(draft, rng, vocab):
    """The draft's text followed by a place named in the same script."""
    place = rng.choice(vocab.places)
    return Draft(draft.form + "+place", draft.script, f"{draft.text} {place.names[draft.script]}",
                 draft.skill, place.jurisdiction)


def employer_draft(rng, vocab):
    employer = rng.choice(vocab.employers)
    script = rng.choice(sorted(employer.names))
    return Draft("employer", script, employer.names[script], None, employer.jurisdiction)


def with_skill(draft, rng, vocab):
    """The draft's text followed by a skill written in the same script."""
    skill, text = pick_skill_text(rng, vocab, draft.script)
    return Draft(draft.form + "+skill", draft.script, f"{draft.text} {text}", skill, draft.jurisdiction)


def browse_draft(rng, vocab):
    """No text: the filters alone (a click on a facet)."""
    return Draft("browse", "none", None)


FORM_DRAFTS = {
    "skill": skill_draft,
    "title": title_draft,
    "skill+place": lambda rng, vocab: with_place(skill_draft(rng, vocab), rng, vocab),
    "title+place": lambda rng, vocab: with_place(title_draft(rng, vocab), rng, vocab),
    "employer": employer_draft,
    "employer+skill": lambda rng, vocab: with_skill(employer_draft(rng, vocab), rng, vocab),
    "browse": browse_draft,
}


def pick_filters(rng, draft):
    """The names of the filters the query carries; a query without text carries at least one."""
    while True:
        chosen = [name for name, odds in FILTER_ODDS.items() if rng.random() < odds]
        if chosen or draft.text is not None:
            return chosen


def params_of(rng, vocab, draft):
    """The query's parameters, as the API names them, in a fixed order: q, then the filters,
    which keep to the jurisdiction and the skill the text names."""
    chosen = pick_filters(rng, draft)
    params = {} if draft.text is None else {"q": draft.text}
    jurisdiction = draft.jurisdiction or rng.choice(sorted(vocab.currencies))
    if "jurisdiction" in chosen:
        params["jurisdiction"] = jurisdiction
    if "employment_type" in chosen:
        params["employment_type"] = rng.choice(vocab.employment_types)
    if "skill_id" in chosen:
        params["skill_id"] = (draft.skill or rng.choice(vocab.skills)).id
    if "salary" in chosen:
        currency = vocab.currencies[jurisdiction]
        low, high, step = vocab.salary_ranges[currency]
        params["salary_min"] = rng.randrange(low, high + 1, step)
        params["salary_currency"] = currency
    return params


def compose(rng, vocab):
    """One query: a form drawn by FORM_WEIGHTS, its text, its filters."""
    form = rng.choices(list(FORM_WEIGHTS), weights=list(FORM_WEIGHTS.values()))[0]
    draft = FORM_DRAFTS[form](rng, vocab)
    return {"script": draft.script, "form": draft.form, "params": params_of(rng, vocab, draft)}


def params_key(params):
    return json.dumps(params, sort_keys=True, ensure_ascii=False)


def distinct_queries(rng, vocab, count):
    """`count` queries with distinct parameters, in the order they were first drawn."""
    seen = {}
    for _ in range(count * TRIES_PER_QUERY):
        query = compose(rng, vocab)
        seen.setdefault(params_key(query["params"]), query)
        if len(seen) == count:
            return list(seen.values())
    raise ValueError(f"only {len(seen)} distinct queries in {count * TRIES_PER_QUERY} draws")


def complexity(query):
    """How many parts a query joins beyond one: extra words of its form and its filters."""
    filters = [name for name in query["params"] if name not in ("q", "salary_currency")]
    return query["form"].count("+") + len(filters)


def by_popularity(rng, queries):
    """The queries in rank order: a random order weighted so that short unfiltered queries tend
    to come first, as in search logs (weight 1 / (1 + complexity)², Efraimidis–Spirakis keys)."""
    keys = [rng.random() ** ((1 + complexity(query)) ** 2) for query in queries]
    order = sorted(range(len(queries)), key=lambda i: keys[i], reverse=True)
    return [queries[i] for i in order]


def zipf_sequence(rng, distinct, requests, s=ZIPF_S):
    """`requests` ranks (0 the first) drawn with P(rank k + 1) ∝ 1 / (k + 1)^s."""
    cumulative = list(accumulate(1.0 / (k ** s) for k in range(1, distinct + 1)))
    return rng.choices(range(distinct), cum_weights=cumulative, k=requests)


def build(seed=SEED, distinct=DISTINCT, requests=REQUESTS, vocab=None):
    """The query log of `seed`: `distinct` queries by rank and `requests` drawn from them."""
    rng = random.Random(seed)
    vocab = vocab or load_vocabulary()
    queries = by_popularity(rng, distinct_queries(rng, vocab, distinct))
    return QueryLog(seed, tuple(queries), zipf_sequence(rng, distinct, requests))


# --- using the log ----------------------------------------------------------------------------


def request_params(log):
    """The parameters of each request, in the log's order."""
    return [log.queries[rank]["params"] for rank in log.sequence]


def write_urls(log, path, base):
    """The log's requests as a URL list for oha's --urls-from-file (one line a request)."""
    return write_search_urls(path, base, request_params(log))


def shares(labels):
    """label → its share of the labels, by label."""
    counts = Counter(labels)
    total = sum(counts.values())
    return {label: counts[label] / total for label in sorted(counts)}


def summary(log):
    """What the log is: its size, how concentrated its requests are, its scripts, forms and
    filters (shares of the requests)."""
    counts = Counter(log.sequence)
    requested = [log.queries[rank] for rank in log.sequence]
    return {
        "seed": log.seed,
        "zipf_s": ZIPF_S,
        "distinct": len(log.queries),
        "distinct_requested": len(counts),
        "requests": len(log.sequence),
        "top_share": {str(k): sum(counts[rank] for rank in range(k)) / len(log.sequence) for k in TOP_SHARES},
        "scripts": shares(query["script"] for query in requested),
        "forms": shares(query["form"] for query in requested),
        "filtered": sum(1 for query in requested if set(query["params"]) - {"q"}) / len(requested),
    }
