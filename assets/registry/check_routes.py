#!/usr/bin/env python3
"""Consistency checks for the route and checklist data (issue 15):

  assets/registry/situation_groups.json
  assets/registry/work_authorization_bases.json   (the "route" object of each basis)
  assets/cases/templates.json                     (checklist items per direction)

Run:  python3 assets/registry/check_routes.py        (exit status 0 = all checks pass)

Standard library only. The Simplified/Traditional character tables (and OpenCC, when installed)
come from check.py next to this file. The shapes checked are those of notes/route-data-spec.md.
At the end a small evaluator of the condition language runs the acceptance scenarios (who gets
which route); it mirrors the spec, not the Rust code, so a disagreement means one of them is wrong.
"""
import json
import os
import re
import sys
from datetime import date

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "..", "cases")
sys.path.insert(0, HERE)
try:
    import check as registry_check  # the character tables and optional OpenCC
except Exception as e:  # pragma: no cover - check.py being edited or broken
    registry_check = None
    print(f"note: check.py could not be imported ({e}); script check limited to presence")

SCRIPTS = ("en", "zh-Hans", "zh-Hant")
CATEGORIES = {"permit", "credential", "licensing", "social_security", "medical", "schooling", "tax", "housing", "other"}
REQUIRED_CATEGORIES = CATEGORIES - {"other"}
ACTORS = {"candidate", "employer", "agency"}
ANCHORS = {"opened", "offer_accepted", "visa_approved", "arrival", "employment_start"}
CURRENCIES = {"HKD", "CNY"}
CODE = re.compile(r"^[a-z0-9_]{1,64}$")
GROUP_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
ISO2 = re.compile(r"^[A-Z]{2}$")
MAX_TITLE = 300
MAX_DUE_DAYS = 730
NOT_OPEN = {"HK_PR", "HK_RTL", "CN_CITIZEN"}
GROUP_RULE_KEYS = {"nationality_in", "nationality_not_in", "residence_in", "residence_not_in", "holds_any_basis"}
ROUTE_KEYS = {"open_to_application", "preference", "conditions", "first_grant_months", "processing_days", "fee",
              "authority", "channel", "source_url", "checked_on", "verify_before_use", "effective_from",
              "effective_to", "steps"}
ITEM_KEYS = {"code", "category", "title", "actor", "authority", "channel", "documents", "fee", "processing_days",
             "due_rule", "condition", "include_when", "source_url", "checked_on", "verify_before_use",
             "effective_from", "effective_to"}
CONDITION_KEYS = {"group_any", "job_offer", "employer_sponsors", "min_level", "awarded_in", "min_annual_income",
                  "dependent_children_at_least", "holds_any_qualification", "job_requires_any_qualification",
                  "check", "any_of", "all_of", "not"}

errors = []


def err(msg):
    errors.append(msg)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def localized(obj, what, max_len=None):
    if not isinstance(obj, dict):
        err(f"{what}: expected {{en, zh-Hans, zh-Hant}}, got {obj!r}")
        return
    if set(obj) != set(SCRIPTS):
        err(f"{what}: keys {sorted(obj)} should be exactly {list(SCRIPTS)}")
    for s in SCRIPTS:
        v = obj.get(s)
        if not isinstance(v, str) or not v.strip():
            err(f"{what}: missing or empty {s}")
        elif max_len and len(v.strip()) > max_len:
            err(f"{what}: {s} is {len(v.strip())} characters (at most {max_len})")
    en, hans, hant = obj.get("en", ""), obj.get("zh-Hans", ""), obj.get("zh-Hant", "")
    if isinstance(hans, str) and hans and not re.search(r"[\u4e00-\u9fff]", hans):
        err(f"{what}: zh-Hans has no Chinese characters")
    if isinstance(hant, str) and hant and not re.search(r"[\u4e00-\u9fff]", hant):
        err(f"{what}: zh-Hant has no Chinese characters")
    if isinstance(hans, str) and isinstance(hant, str) and hans and hans == hant and re.search(r"[\u4e00-\u9fff]", hans):
        # identical texts are fine only if no character differs between the scripts
        pass
    if registry_check is not None and isinstance(hans, str) and isinstance(hant, str):
        before = len(registry_check.errors)
        registry_check.script_check(hans, hant, what)
        errors.extend(registry_check.errors[before:])
        del registry_check.errors[before:]


def https_url(u, what):
    if not isinstance(u, str) or not re.match(r"^https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?$", u):
        err(f"{what}: {u!r} is not an https URL")


def a_date(s, what, nullable=True, not_future=False):
    if s is None:
        if not nullable:
            err(f"{what}: date missing")
        return None
    try:
        d = date.fromisoformat(s)
    except Exception:
        err(f"{what}: bad date {s!r}")
        return None
    if not_future and d > date.today():
        err(f"{what}: {s} is in the future")
    return d


def money(m, what):
    if m is None:
        return
    if not isinstance(m, dict) or set(m) != {"amount", "currency"}:
        err(f"{what}: Money must be {{amount, currency}}, got {m!r}")
        return
    if not is_int(m["amount"]) or m["amount"] < 0:
        err(f"{what}: amount must be a whole number >= 0")
    if m["currency"] not in CURRENCIES:
        err(f"{what}: currency {m['currency']!r} not in {sorted(CURRENCIES)}")


def days_range(p, what):
    if p is None:
        return
    if not isinstance(p, dict) or set(p) != {"min", "max"} or not is_int(p.get("min")) or not is_int(p.get("max")):
        err(f"{what}: processing_days must be {{min, max}} integers or null, got {p!r}")
        return
    if not 0 <= p["min"] <= p["max"]:
        err(f"{what}: processing_days needs 0 <= min <= max, got {p!r}")


def channel(c, what, nullable):
    if c is None:
        if not nullable:
            err(f"{what}: channel missing")
        return
    if not isinstance(c, dict) or set(c) != {"name", "url"}:
        err(f"{what}: channel must be {{name, url}}, got {c!r}")
        return
    localized(c["name"], what + " channel name")
    https_url(c["url"], what + " channel url")


class Ctx:
    def __init__(self, groups, level_ids, qual_ids, jcodes, basis_codes):
        self.groups, self.level_ids, self.qual_ids = groups, level_ids, qual_ids
        self.jcodes, self.basis_codes = jcodes, basis_codes


def condition(c, what, ctx, used=None):
    """Validates one condition object (recursively); collects the keys used into `used`."""
    if not isinstance(c, dict) or len(c) != 1:
        err(f"{what}: a condition is an object with exactly one key, got {c!r}")
        return
    (k, v), = c.items()
    if used is not None:
        used.add(k)
    if k not in CONDITION_KEYS:
        err(f"{what}: unknown condition key {k!r}")
    elif k == "group_any":
        if not isinstance(v, list) or not v:
            err(f"{what}: group_any needs a non-empty list")
        else:
            for g in v:
                if g not in ctx.groups:
                    err(f"{what}: group {g!r} is not defined in situation_groups.json")
    elif k in ("job_offer", "employer_sponsors"):
        if v is not True:
            err(f"{what}: {k} must be true")
    elif k == "min_level":
        if v not in ctx.level_ids:
            err(f"{what}: level {v!r} not in qualification_levels.json")
    elif k == "awarded_in":
        if not isinstance(v, dict) or not {"jurisdiction", "within_months"} <= set(v) or \
                not set(v) <= {"jurisdiction", "within_months", "min_level"}:
            err(f"{what}: awarded_in needs jurisdiction, within_months and optionally min_level, got {v!r}")
        else:
            if v["jurisdiction"] not in ctx.jcodes:
                err(f"{what}: awarded_in jurisdiction {v['jurisdiction']!r} unknown")
            if not is_int(v["within_months"]) or v["within_months"] < 1:
                err(f"{what}: within_months must be a positive integer")
            if "min_level" in v and v["min_level"] not in ctx.level_ids:
                err(f"{what}: awarded_in min_level {v['min_level']!r} not in qualification_levels.json")
    elif k == "min_annual_income":
        if v is None:
            err(f"{what}: min_annual_income needs Money")
        money(v, what + " min_annual_income")
    elif k == "dependent_children_at_least":
        if not is_int(v) or v < 1:
            err(f"{what}: dependent_children_at_least must be an integer >= 1")
    elif k in ("holds_any_qualification", "job_requires_any_qualification"):
        if not isinstance(v, list) or not v:
            err(f"{what}: {k} needs a non-empty list")
        else:
            for q in v:
                if q not in ctx.qual_ids:
                    err(f"{what}: qualification {q!r} not in qualifications.json")
            if len(set(v)) != len(v):
                err(f"{what}: {k} repeats an id")
    elif k == "check":
        localized(v, what + " check")
    elif k in ("any_of", "all_of"):
        if not isinstance(v, list) or len(v) < 2:
            err(f"{what}: {k} needs a list of at least two conditions")
        else:
            for i, sub in enumerate(v):
                condition(sub, f"{what}.{k}[{i}]", ctx, used)
    elif k == "not":
        condition(v, what + ".not", ctx, used)


def checklist_item(it, what, ctx):
    if not isinstance(it, dict):
        err(f"{what}: not an object")
        return
    keys = set(it)
    if keys != ITEM_KEYS:
        missing, extra = ITEM_KEYS - keys, keys - ITEM_KEYS
        err(f"{what}: missing keys {sorted(missing)}, unexpected keys {sorted(extra)}")
    code = it.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        err(f"{what}: code {code!r} must be 1-64 characters of a-z, 0-9 and _")
    w = f"{what} ({code})"
    if it.get("category") not in CATEGORIES:
        err(f"{w}: category {it.get('category')!r} not in {sorted(CATEGORIES)}")
    if it.get("actor") not in ACTORS:
        err(f"{w}: actor {it.get('actor')!r} not in {sorted(ACTORS)}")
    localized(it.get("title"), w + " title", MAX_TITLE)
    localized(it.get("authority"), w + " authority")
    channel(it.get("channel"), w, nullable=True)
    docs = it.get("documents")
    if not isinstance(docs, list) or not docs:
        err(f"{w}: documents must be a non-empty list")
    else:
        for i, d in enumerate(docs):
            localized(d, f"{w} documents[{i}]")
    money(it.get("fee"), w + " fee")
    days_range(it.get("processing_days"), w)
    due = it.get("due_rule")
    if not isinstance(due, dict) or set(due) != {"anchor", "days"}:
        err(f"{w}: due_rule must be {{anchor, days}}, got {due!r}")
    else:
        if due["anchor"] not in ANCHORS:
            err(f"{w}: due_rule anchor {due['anchor']!r} not in {sorted(ANCHORS)}")
        if not is_int(due["days"]) or not 0 <= due["days"] <= MAX_DUE_DAYS:
            err(f"{w}: due_rule days must be an integer 0-{MAX_DUE_DAYS}")
    used_cond, used_incl = set(), set()
    if it.get("condition") is not None:
        condition(it["condition"], w + " condition", ctx, used_cond)
    if it.get("include_when") is not None:
        condition(it["include_when"], w + " include_when", ctx, used_incl)
    if it.get("category") == "schooling" and "dependent_children_at_least" not in used_cond:
        err(f"{w}: a schooling item needs the condition dependent_children_at_least")
    if it.get("category") == "licensing" and not used_incl & {"holds_any_qualification", "job_requires_any_qualification"}:
        err(f"{w}: a licensing item needs include_when on holds_any_qualification or job_requires_any_qualification")
    https_url(it.get("source_url"), w + " source_url")
    a_date(it.get("checked_on"), w + " checked_on", nullable=False, not_future=True)
    if not isinstance(it.get("verify_before_use"), bool):
        err(f"{w}: verify_before_use must be a boolean")
    start = a_date(it.get("effective_from"), w + " effective_from")
    end = a_date(it.get("effective_to"), w + " effective_to")
    if start and end and end < start:
        err(f"{w}: effective_to before effective_from")


def main():
    juris = load(os.path.join(HERE, "jurisdictions.json"))
    levels = load(os.path.join(HERE, "qualification_levels.json"))
    quals = load(os.path.join(HERE, "qualifications.json"))
    comps = load(os.path.join(HERE, "level_comparabilities.json"))
    bases = load(os.path.join(HERE, "work_authorization_bases.json"))
    groups = load(os.path.join(HERE, "situation_groups.json"))
    templates = load(os.path.join(CASES, "templates.json"))
    nat_path = os.path.join(HERE, "nationalities.json")
    nationalities = None
    if os.path.exists(nat_path):
        try:
            nationalities = set(load(nat_path)["iso3166_alpha2"]) - {"HK", "MO"}
        except Exception:
            nationalities = None

    jcodes = {j["code"] for j in juris}
    level_ids = {v["id"] for v in levels}
    qual_ids = {q["id"] for q in quals}
    basis_codes = {b["code"] for b in bases}

    # ---------------------------------------------------------------- situation groups
    group_codes = set()
    if not isinstance(groups, list) or not groups:
        err("situation_groups.json: expected a non-empty array")
        groups = []
    for g in groups:
        code = g.get("code")
        w = f"group {code}"
        if set(g) != {"code", "name", "description", "rule"}:
            err(f"{w}: keys {sorted(g)} should be code, name, description, rule")
        if not isinstance(code, str) or not GROUP_CODE.match(code):
            err(f"{w}: code must be lower snake case")
        if code in group_codes:
            err(f"{w}: duplicate code")
        group_codes.add(code)
        localized(g.get("name"), w + " name")
        localized(g.get("description"), w + " description")
        rule = g.get("rule")
        if not isinstance(rule, dict) or not rule:
            err(f"{w}: rule must be a non-empty object")
            continue
        for k, v in rule.items():
            if k not in GROUP_RULE_KEYS:
                err(f"{w}: rule key {k!r} not in {sorted(GROUP_RULE_KEYS)}")
                continue
            if not isinstance(v, list) or not v or not all(isinstance(x, str) for x in v) or len(set(v)) != len(v):
                err(f"{w}: rule {k} must be a non-empty list of distinct strings")
                continue
            for x in v:
                if k.startswith("nationality"):
                    if not ISO2.match(x) or x in ("HK", "MO"):
                        err(f"{w}: {x!r} is not a nationality code (ISO 3166-1 alpha-2; HK/MO residents are CN)")
                    elif nationalities is not None and x not in nationalities:
                        err(f"{w}: {x!r} not in nationalities.json")
                elif k.startswith("residence"):
                    if x not in jcodes:
                        err(f"{w}: residence {x!r} is not a jurisdiction code")
                elif k == "holds_any_basis":
                    if x not in basis_codes:
                        err(f"{w}: basis {x!r} not in work_authorization_bases.json")
        for a, b in (("nationality_in", "nationality_not_in"), ("residence_in", "residence_not_in")):
            if a in rule and b in rule and set(rule[a]) & set(rule[b]):
                err(f"{w}: {a} and {b} overlap (the group can never match)")

    ctx = Ctx(group_codes, level_ids, qual_ids, jcodes, basis_codes)

    # ---------------------------------------------------------------- routes
    steps_by_jurisdiction = {}
    for b in bases:
        code = b["code"]
        w = f"basis {code} route"
        r = b.get("route")
        if not isinstance(r, dict):
            err(f"{w}: missing")
            continue
        if set(r) != ROUTE_KEYS:
            err(f"{w}: missing keys {sorted(ROUTE_KEYS - set(r))}, unexpected keys {sorted(set(r) - ROUTE_KEYS)}")
        if not isinstance(r.get("open_to_application"), bool):
            err(f"{w}: open_to_application must be a boolean")
        elif r["open_to_application"] == (code in NOT_OPEN):
            err(f"{w}: open_to_application should be {code not in NOT_OPEN}")
        if not is_int(r.get("preference")) or r["preference"] < 0:
            err(f"{w}: preference must be an integer >= 0")
        conds = r.get("conditions")
        if not isinstance(conds, list):
            err(f"{w}: conditions must be a list")
            conds = []
        used = set()
        for i, c in enumerate(conds):
            condition(c, f"{w} conditions[{i}]", ctx, used)
        if r.get("open_to_application") and not conds:
            err(f"{w}: a route open to application needs conditions")
        if b.get("requires_job_offer") and r.get("open_to_application") and "job_offer" not in used:
            err(f"{w}: the basis requires a job offer but no job_offer condition")
        if b.get("employer_sponsored") and code.startswith("HK_") and r.get("open_to_application") and "employer_sponsors" not in used:
            err(f"{w}: the basis is employer-sponsored but no employer_sponsors condition")
        g = r.get("first_grant_months")
        if g is not None and (not is_int(g) or g < 1):
            err(f"{w}: first_grant_months must be a positive integer or null")
        days_range(r.get("processing_days"), w)
        money(r.get("fee"), w + " fee")
        localized(r.get("authority"), w + " authority")
        channel(r.get("channel"), w, nullable=False)
        https_url(r.get("source_url"), w + " source_url")
        a_date(r.get("checked_on"), w + " checked_on", nullable=False, not_future=True)
        if not isinstance(r.get("verify_before_use"), bool):
            err(f"{w}: verify_before_use must be a boolean")
        start = a_date(r.get("effective_from"), w + " effective_from")
        end = a_date(r.get("effective_to"), w + " effective_to")
        if start and end and end < start:
            err(f"{w}: effective_to before effective_from")
        steps = r.get("steps")
        if not isinstance(steps, list):
            err(f"{w}: steps must be a list")
            steps = []
        if r.get("open_to_application") and not steps:
            err(f"{w}: a route open to application needs at least one step")
        seen = set()
        prefix_ok = set()
        for i, s in enumerate(steps):
            checklist_item(s, f"{w} steps[{i}]", ctx)
            sc = s.get("code") if isinstance(s, dict) else None
            if sc in seen:
                err(f"{w}: step code {sc!r} repeats")
            seen.add(sc)
            if isinstance(sc, str):
                prefix_ok.add(sc.split("_")[0])
        if len(prefix_ok) > 1:
            err(f"{w}: step codes should share one basis prefix, found {sorted(prefix_ok)}")
        steps_by_jurisdiction.setdefault(b["jurisdiction"], []).append((code, [s.get("code") for s in steps if isinstance(s, dict)]))
    if "CN_HK_NONCHINESE" in basis_codes:
        nc = next(b for b in bases if b["code"] == "CN_HK_NONCHINESE")
        if nc.get("authorizes_work"):
            err("CN_HK_NONCHINESE must not authorise work")

    # ---------------------------------------------------------------- templates
    directions = set()
    for t in templates:
        d = t.get("direction")
        w = f"template {d}"
        if not isinstance(d, str) or not re.match(r"^[A-Z]{2}_TO_[A-Z]{2}$", d):
            err(f"{w}: direction must be XX_TO_YY")
            continue
        directions.add(d)
        src, dst = d[:2], d[-2:]
        if src not in jcodes or dst not in jcodes or src == dst:
            err(f"{w}: direction between unknown or equal jurisdictions")
        if set(t) != {"direction", "source", "items"}:
            err(f"{w}: keys {sorted(t)} should be direction, source, items")
        items = t.get("items") or []
        if not 1 <= len(items) <= 50:
            err(f"{w}: needs 1-50 items, has {len(items)}")
        codes = {}
        for i, it in enumerate(items):
            checklist_item(it, f"{w} items[{i}]", ctx)
            if isinstance(it, dict):
                c = it.get("code")
                if c in codes:
                    err(f"{w}: item code {c!r} repeats")
                codes[c] = "template"
                if "due_in_days" in it:
                    err(f"{w}: item {c!r} still has due_in_days")
        if "entry_permit_route" in codes:
            err(f"{w}: entry_permit_route should be replaced by the route steps")
        cats = {it.get("category") for it in items if isinstance(it, dict)}
        for need in sorted(REQUIRED_CATEGORIES - cats):
            err(f"{w}: no item of category {need}")
        # codes unique against every route step of the destination's bases
        for basis, step_codes in steps_by_jurisdiction.get(dst, []):
            for sc in step_codes:
                if sc in codes:
                    err(f"{w}: step {sc!r} of {basis} repeats {'an item' if codes[sc] == 'template' else 'a step of ' + codes[sc]}")
                codes[sc] = basis
    for need in ("CN_TO_HK", "HK_TO_CN"):
        if need not in directions:
            err(f"templates: direction {need} missing")

    # ---------------------------------------------------------------- acceptance scenarios
    if not errors:
        scenarios(bases, groups, levels, quals, comps)

    n_steps = sum(len(b.get("route", {}).get("steps", [])) for b in bases)
    n_items = sum(len(t.get("items", [])) for t in templates)
    print(f"situation_groups: {len(groups)}, routes: {len(bases)}, route steps: {n_steps}, "
          f"template items: {n_items} in {len(templates)} templates")
    if registry_check is not None:
        print("script check:", "OpenCC + embedded tables" if registry_check.OPENCC else "embedded tables (OpenCC not installed)")
    if errors:
        for e in errors:
            print("ERROR:", e)
        print(f"{len(errors)} problem(s)")
        return 1
    print("route and checklist data OK")
    return 0


# ==================================================================== a reference evaluator
ELIGIBLE, POSSIBLE, NOT_ELIGIBLE = "eligible", "possible", "not_eligible"


def months_between(d1, d2):
    return (d2.year - d1.year) * 12 + (d2.month - d1.month) - (1 if d2.day < d1.day else 0)


class Registry:
    def __init__(self, groups, levels, quals, comps):
        self.groups = {g["code"]: g["rule"] for g in groups}
        self.levels = {v["id"]: v for v in levels}
        self.quals = {q["id"]: q for q in quals}
        self.comparable = {}
        for c in comps:
            self.comparable.setdefault(c["from_level_id"], set()).add(c["to_level_id"])
        for v in levels:
            self.comparable.setdefault(v["id"], set()).update(v.get("comparable_levels", []))

    def meets(self, have, need):
        """A credential level `have` meets `need`: same framework and rank, or through a stated comparability."""
        if have not in self.levels or need not in self.levels:
            return False
        n = self.levels[need]
        for lv in {have} | self.comparable.get(have, set()):
            v = self.levels.get(lv)
            if v and v["framework"] == n["framework"] and v["rank"] >= n["rank"]:
                return True
        return False


def in_group(reg, person, code):
    rule = reg.groups[code]
    if "nationality_in" in rule and person["nationality"] not in rule["nationality_in"]:
        return False
    if "nationality_not_in" in rule and person["nationality"] in rule["nationality_not_in"]:
        return False
    if "residence_in" in rule and person["residence"] not in rule["residence_in"]:
        return False
    if "residence_not_in" in rule and person["residence"] in rule["residence_not_in"]:
        return False
    if "holds_any_basis" in rule and not set(rule["holds_any_basis"]) & set(person["bases"]):
        return False
    return True


def evaluate(reg, c, person, job, today):
    """True / False / None (to verify)."""
    (k, v), = c.items()
    creds = person["credentials"]
    if k == "group_any":
        return any(in_group(reg, person, g) for g in v)
    if k == "job_offer":
        return job is not None
    if k == "employer_sponsors":
        return bool(job and job.get("sponsors"))
    if k == "min_level":
        return any(reg.meets(reg.quals[q]["level_id"], v) for q, _, _ in creds if reg.quals[q].get("level_id"))
    if k == "awarded_in":
        for q, where, awarded in creds:
            if where != v["jurisdiction"] or months_between(awarded, today) > v["within_months"]:
                continue
            lv = reg.quals[q].get("level_id")
            if "min_level" not in v or (lv and reg.meets(lv, v["min_level"])):
                return True
        return False
    if k == "min_annual_income":
        if not job or not job.get("pay"):
            return False
        if job["pay"]["currency"] != v["currency"]:
            return None
        return job["pay"]["amount"] >= v["amount"]
    if k == "dependent_children_at_least":
        return person.get("children", 0) >= v
    if k == "holds_any_qualification":
        return any(q in v for q, _, _ in creds)
    if k == "job_requires_any_qualification":
        return bool(job and set(job.get("requires", [])) & set(v))
    if k == "check":
        return None
    if k == "any_of":
        rs = [evaluate(reg, s, person, job, today) for s in v]
        return True if True in rs else (None if None in rs else False)
    if k == "all_of":
        rs = [evaluate(reg, s, person, job, today) for s in v]
        return False if False in rs else (None if None in rs else True)
    if k == "not":
        r = evaluate(reg, v, person, job, today)
        return None if r is None else not r
    raise ValueError(k)


def route_status(reg, route, person, job, today):
    rs = [evaluate(reg, c, person, job, today) for c in route["conditions"]]
    return NOT_ELIGIBLE if False in rs else (POSSIBLE if None in rs else ELIGIBLE)


def scenarios(bases, groups, levels, quals, comps):
    reg = Registry(groups, levels, quals, comps)
    today = date.today()
    recent = date.fromordinal(today.toordinal() - 90)
    long_ago = date(2015, 6, 30)
    by_code = {b["code"]: b for b in bases}
    ok = {ELIGIBLE, POSSIBLE}
    cn_bachelor = ("cn-bachelor-engineering", "CN", long_ago)
    hk_master = ("hk-master-science", "HK", recent)
    hk_bachelor_old = ("hk-bachelor-science", "HK", long_ago)
    sponsoring_hk_job = {"sponsors": True, "pay": {"amount": 480000, "currency": "HKD"}}
    cn_job = {"sponsors": True, "pay": {"amount": 400000, "currency": "CNY"}}
    cases = [
        ("Mainland resident, Mainland bachelor's, sponsoring HK offer", "HK",
         {"nationality": "CN", "residence": "CN", "bases": ["CN_CITIZEN"], "credentials": [cn_bachelor]}, sponsoring_hk_job,
         {"HK_ASMTP": ok, "HK_GEP": {NOT_ELIGIBLE}}),
        ("US national living in HK, same degree and offer", "HK",
         {"nationality": "US", "residence": "HK", "bases": [], "credentials": [cn_bachelor]}, sponsoring_hk_job,
         {"HK_GEP": ok, "HK_ASMTP": {NOT_ELIGIBLE}}),
        ("US national living in the Mainland, same degree and offer", "HK",
         {"nationality": "US", "residence": "CN", "bases": [], "credentials": [cn_bachelor]}, sponsoring_hk_job,
         {"HK_GEP": ok, "HK_ASMTP": {NOT_ELIGIBLE}}),
        ("Mainland graduate of an HK master's 3 months ago, no job", "HK",
         {"nationality": "CN", "residence": "HK", "bases": [], "credentials": [hk_master]}, None,
         {"HK_IANG": ok, "HK_ASMTP": {NOT_ELIGIBLE}, "HK_GEP": {NOT_ELIGIBLE}}),
        ("Indian graduate of an HK bachelor's in 2015, no job (IANG needs an offer now)", "HK",
         {"nationality": "IN", "residence": "CN", "bases": [], "credentials": [hk_bachelor_old]}, None,
         {"HK_IANG": {NOT_ELIGIBLE}}),
        ("Indian graduate of an HK bachelor's in 2015, with an offer (returning graduate)", "HK",
         {"nationality": "IN", "residence": "CN", "bases": [], "credentials": [hk_bachelor_old]}, sponsoring_hk_job,
         {"HK_IANG": ok, "HK_GEP": ok}),
        ("HK permanent resident of Chinese nationality, job in Shenzhen", "CN",
         {"nationality": "CN", "residence": "HK", "bases": ["HK_PR"], "credentials": [hk_bachelor_old]}, cn_job,
         {"CN_HKMO_RESIDENT": ok, "CN_FOREIGN_WORK_PERMIT": {NOT_ELIGIBLE}, "CN_HK_NONCHINESE": {NOT_ELIGIBLE}}),
        ("British HK permanent resident, HK bachelor's, job in Shenzhen", "CN",
         {"nationality": "GB", "residence": "HK", "bases": ["HK_PR"], "credentials": [hk_bachelor_old]}, cn_job,
         {"CN_FOREIGN_WORK_PERMIT": ok, "CN_HKMO_RESIDENT": {NOT_ELIGIBLE}}),
        ("British HK permanent resident, no degree, job in Shenzhen", "CN",
         {"nationality": "GB", "residence": "HK", "bases": ["HK_PR"], "credentials": []}, cn_job,
         {"CN_FOREIGN_WORK_PERMIT": ok, "CN_HKMO_RESIDENT": {NOT_ELIGIBLE}}),
        ("HK solicitor of Chinese nationality, job in Shenzhen", "CN",
         {"nationality": "CN", "residence": "HK", "bases": ["HK_PR"], "credentials": [("hk-solicitor", "HK", long_ago)]}, cn_job,
         {"CN_HKMO_RESIDENT": ok, "CN_GBA_PROFESSIONAL": ok, "CN_FOREIGN_WORK_PERMIT": {NOT_ELIGIBLE}}),
    ]
    print("acceptance scenarios (reference evaluator):")
    for name, dest, person, job, expect in cases:
        person.setdefault("children", 0)
        statuses = {}
        for b in bases:
            r = b["route"]
            if b["jurisdiction"] != dest or not r["open_to_application"]:
                continue
            statuses[b["code"]] = route_status(reg, r, person, job, today)
        line = ", ".join(f"{c}={s}" for c, s in sorted(statuses.items(), key=lambda kv: by_code[kv[0]]["route"]["preference"]))
        print(f"  - {name}: {line}")
        for code, allowed in expect.items():
            if statuses.get(code) not in allowed:
                err(f"scenario {name!r}: {code} is {statuses.get(code)}, expected {' or '.join(sorted(allowed))}")


if __name__ == "__main__":
    sys.exit(main())
