#!/usr/bin/env python3
"""Consistency checks for the registry reference data in this directory.

Run:  python3 assets/registry/check.py        (exit status 0 = all checks pass)

Standard library only. If the `opencc` package happens to be installed, a stricter
Simplified/Traditional script check runs as well. Regular expressions in the data are meant for
Rust's `regex` crate; they are compiled here with Python's `re`, so only the syntax both share is
allowed (no look-around or back-references, and `[0-9]` rather than the Unicode-wide `\d`).
"""
import json
import os
import re
import sys
from datetime import date

HERE = os.path.dirname(os.path.abspath(__file__))
SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
SCRIPTS = ("en", "zh-Hans", "zh-Hant")
RELATIONS = {"equivalent", "comparable", "partial"}
KINDS_LOCATION = {"city", "district", "cooperation_zone"}
KINDS_QUALIFICATION = {"academic", "vocational", "professional"}

# Characters that are Simplified-only / Traditional-only in the vocabulary of these files
# (generated once with OpenCC; characters with a legitimate use in both scripts, e.g. 干 云 后 准 台, were removed).
SIMPLIFIED_ONLY = set("万与专业东个临为丽习乡书于产从仓仪优伙会传体储关养内册写决净凭则创别办务动劳区医华协单卫厂压发变号员团园围国图圆场块声处备复头学孪宝实审对导尽属岁岗岛币师广庆库应开强归当录戏战户执护报担拟据数断无显术机权条来构标栈检毕气氢汇沟洁测济渗湾满点热独玛环现电疗盐监矿码础硕离积税稳筑签类粤纤级纪纯纳线练组细终经结绘络统续维绿编缘网罗职联艺节荐药获营虚蚀补装见观规视觉计订认让训记许讼设证评识诉诊译试询语请读课调谈谱贡财账货质购贷贸费资赔车转软辑输边达过运进连钙钛钣钱银链销锂门队阳际险随雇项须颁预频额风飞马驶驾验鹏黄龄龙")
TRADITIONAL_ONLY = set("並佈併來係倉個備傭傳僱價儀優儲內冊別則創劃劑動務匯區協員問單國圍園圓圖團執報場塊壓夥學孿實審寫寶專尋對導屬島崗師幣幹庫廠廣強後從徵慶憑應戰戲戶採擊擔據擬數斷於書會東條棧業構標機檢櫃權歲歷歸氣氫決淨測準溝滲滿潔濟灣為無熱營獨獲現瑪環產畢當療發盡監碩碼礎礦稅積穩節範築簽粵紀約納純級細終組結絡統經綠維網線緣編練繪續纖羅習聯聲職腦臨與華萬薦藝藥處虛號蝕術補裝製複見規視覺觀訂計訊訓記訟設許訴診註評詢試認語課調談請諮證識譜譯護讀變讓財貢貨貸費貿資賠質購車軟輯輸轉辦連進遊運過達適邊鄉醫鈑鈣鈦銀銷鋰錄錢鏈門開關陽隊階際隨險隱離雲電項須預頒頭頻額類顧顯風飛養餘馬駕駛驗體鵬鹽麗黃點齡龍")
# Taiwan (and Mainland) wording that must not be the Hong Kong zh-Hant *label* (it may be an alias).
NOT_HK_IN_LABEL = ["軟體", "硬體", "網路", "人工智慧", "積體電路", "雷射", "專案", "數位", "作業系統", "使用者",
                   "資料庫", "信息技術", "信息安全", "服務器", "程序員", "程序設計", "用戶界面", "集裝箱"]

errors = []


def err(msg):
    errors.append(msg)


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return json.load(f)


def unique(rows, key, what):
    seen = set()
    for r in rows:
        k = r.get(key)
        if k in seen:
            err(f"{what}: duplicate {key} {k!r}")
        seen.add(k)
    return seen


def slug_ids(rows, what, key="id"):
    for r in rows:
        if not isinstance(r.get(key), str) or not SLUG.match(r[key]):
            err(f"{what}: id {r.get(key)!r} is not a lowercase slug")


def texts3(obj, what, allow_str=False):
    """A {en, zh-Hans, zh-Hant} object with all three non-empty (or a plain string if allowed)."""
    if allow_str and isinstance(obj, str) and obj.strip():
        return
    if not isinstance(obj, dict):
        err(f"{what}: expected {{en, zh-Hans, zh-Hant}}, got {obj!r}")
        return
    for s in SCRIPTS:
        v = obj.get(s)
        if not isinstance(v, str) or not v.strip():
            err(f"{what}: missing or empty {s}")
    script_check(obj.get("zh-Hans", ""), obj.get("zh-Hant", ""), what)


def script_check(hans, hant, what):
    bad = sorted({c for c in hans if c in TRADITIONAL_ONLY})
    if bad:
        err(f"{what}: zh-Hans has Traditional characters {''.join(bad)} in {hans!r}")
    bad = sorted({c for c in hant if c in SIMPLIFIED_ONLY})
    if bad:
        err(f"{what}: zh-Hant has Simplified characters {''.join(bad)} in {hant!r}")
    if OPENCC:
        if OPENCC["t2s"].convert(hans) != hans:
            err(f"{what}: zh-Hans {hans!r} is not pure Simplified (OpenCC: {OPENCC['t2s'].convert(hans)!r})")
        conv = OPENCC["s2t"].convert(hant)
        for a, b in VARIANTS:
            conv = conv.replace(a, b)
        if conv != hant:
            err(f"{what}: zh-Hant {hant!r} contains Simplified characters (OpenCC: {conv!r})")


# Glyph variants OpenCC's standard Traditional prefers but Hong Kong text commonly does not.
VARIANTS = [("臺", "台"), ("覈", "核"), ("牀", "床"), ("週", "周"), ("祕", "秘"), ("羣", "群")]
try:
    import opencc  # optional
    OPENCC = {"t2s": opencc.OpenCC("t2s"), "s2t": opencc.OpenCC("s2t")}
except Exception:  # not installed: the embedded character tables still apply
    OPENCC = None


def valid_date(s, what):
    try:
        return date.fromisoformat(s)
    except Exception:
        err(f"{what}: bad date {s!r}")
        return None


def not_after_today(s, what):
    d = valid_date(s, what)
    if d and d > date.today():
        err(f"{what}: date {s!r} is in the future")
    return d


# Checks a registration number format's check algorithm by name; keep in step with src/employers/registration.rs.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CHECKS = {"gb32100", "none"}
REGISTRATION_KEYS = {"name", "pattern", "keep", "check", "example"}
# Syntax Python's `re` accepts but Rust's `regex` rejects or reads differently.
NOT_PORTABLE = [("(?=", "look-ahead"), ("(?!", "look-ahead"), ("(?<=", "look-behind"), ("(?<!", "look-behind"),
                ("(?P=", "back-reference"), ("\\d", "\\d (Unicode digits in Rust: write [0-9])"),
                ("\\w", "\\w (Unicode in Rust)"), ("\\s", "\\s (input has no spaces)"), ("\\Z", "\\Z"),
                ("*+", "possessive quantifier"), ("++", "possessive quantifier"), ("?+", "possessive quantifier"),
                ("(?>", "atomic group")]


def gb32100_ok(code):
    values = [USCC_ALPHABET.find(c) for c in code]
    if len(values) != 18 or -1 in values:
        return False
    total = sum(v * pow(3, i, 31) for i, v in enumerate(values[:17]))
    return values[17] == (31 - total % 31) % 31


def portable_regex(rx, what, anchored_end=True):
    """Compiles `rx`; refuses syntax that Rust's regex crate lacks. Returns the compiled pattern or None."""
    if not isinstance(rx, str) or not rx:
        err(f"{what}: expected a regex string, got {rx!r}")
        return None
    if not rx.startswith("^") or (anchored_end and not rx.endswith("$")):
        err(f"{what}: {rx!r} must be anchored {'^...$' if anchored_end else '^...'}")
    for token, why in NOT_PORTABLE:
        if token in rx:
            err(f"{what}: {rx!r} uses {why}, not portable to Rust's regex crate")
    if re.search(r"\\[1-9]", rx):
        err(f"{what}: {rx!r} uses a back-reference, not portable to Rust's regex crate")
    try:
        return re.compile(rx)
    except re.error as e:
        err(f"{what}: {rx!r} does not compile: {e}")
        return None


def check_registration(code, fmt):
    w = f"jurisdiction {code} registration_number"
    if not isinstance(fmt, dict):
        err(f"{w}: missing or not an object")
        return
    keys = set(fmt)
    if keys != REGISTRATION_KEYS:
        err(f"{w}: keys {sorted(keys)} should be {sorted(REGISTRATION_KEYS)}")
    texts3(fmt.get("name"), w + " name")
    pattern = portable_regex(fmt.get("pattern"), w + " pattern")
    keep = None
    if fmt.get("keep") is not None:
        keep = portable_regex(fmt["keep"], w + " keep", anchored_end=False)
        if keep is not None and keep.groups != 1:
            err(f"{w}: keep {fmt['keep']!r} must have exactly one capture group, has {keep.groups}")
    if fmt.get("check") not in CHECKS:
        err(f"{w}: check {fmt.get('check')!r} is not one of {sorted(CHECKS)}")
    if pattern is not None and pattern.fullmatch(""):
        err(f"{w}: pattern accepts the empty string")
    example = fmt.get("example")
    if not isinstance(example, str) or not example.strip():
        err(f"{w}: example must be a non-empty string")
        return
    compact = re.sub(r"\s", "", example).upper()
    if pattern is not None and not pattern.fullmatch(compact):
        err(f"{w}: example {example!r} does not match the pattern")
        return
    stored = compact
    if keep is not None:
        m = keep.match(compact)
        if not m or not m.group(1):
            err(f"{w}: keep {fmt['keep']!r} finds nothing in the example {example!r}")
            return
        stored = m.group(1)
    if fmt.get("check") == "gb32100" and not gb32100_ok(stored):
        err(f"{w}: example {example!r} fails the GB 32100 check character")


def check_nationalities(nat):
    w = "nationalities"
    if not isinstance(nat, dict) or set(nat) != {"iso3166_alpha2", "not_a_nationality"}:
        err(f"{w}: expected the keys iso3166_alpha2 and not_a_nationality")
        return 0
    codes = nat["iso3166_alpha2"]
    if not isinstance(codes, list) or not all(isinstance(c, str) and re.fullmatch(r"[A-Z]{2}", c) for c in codes):
        err(f"{w}: iso3166_alpha2 must be a list of two capital letters")
        return 0
    if codes != sorted(set(codes)):
        err(f"{w}: iso3166_alpha2 must be sorted without repeats")
    for must in ("CN", "HK", "MO", "GB", "US"):
        if must not in codes:
            err(f"{w}: {must} missing from iso3166_alpha2")
    refused = nat["not_a_nationality"]
    seen = set()
    for r in refused if isinstance(refused, list) else []:
        c = r.get("code") if isinstance(r, dict) else None
        if c not in codes:
            err(f"{w}: not_a_nationality code {c!r} is not an ISO 3166-1 alpha-2 code")
        if c in seen:
            err(f"{w}: not_a_nationality repeats {c!r}")
        seen.add(c)
        if c == "CN":
            err(f"{w}: CN is a nationality")
        if isinstance(r, dict):
            if set(r) != {"code", "reason"}:
                err(f"{w}: not_a_nationality {c!r} keys should be code and reason")
            texts3(r.get("reason"), f"{w} not_a_nationality {c}")
    if not isinstance(refused, list) or seen != {"HK", "MO"}:
        err(f"{w}: not_a_nationality should list HK and MO")
    # The Rust copy of the list (src/nationality.rs) must say the same, when the source tree is there.
    rs = os.path.join(HERE, "..", "..", "src", "nationality.rs")
    if os.path.exists(rs):
        text = open(rs, encoding="utf-8").read()
        m = re.search(r"const ISO_3166_1_ALPHA_2: \[&str; \d+\] = \[(.*?)\];", text, re.S)
        n = re.search(r"const NO_NATIONALITY_OF_THEIR_OWN: \[&str; \d+\] = \[(.*?)\];", text, re.S)
        if m and re.findall(r'"([A-Z]{2})"', m.group(1)) != codes:
            err(f"{w}: iso3166_alpha2 differs from the list in src/nationality.rs")
        if n and set(re.findall(r'"([A-Z]{2})"', n.group(1))) != seen:
            err(f"{w}: not_a_nationality differs from NO_NATIONALITY_OF_THEIR_OWN in src/nationality.rs")
    return len(codes)


def main():
    juris = load("jurisdictions.json")
    locs = load("locations.json")
    levels = load("qualification_levels.json")
    comps = load("level_comparabilities.json")
    quals = load("qualifications.json")
    eqs = load("equivalences.json")
    bases = load("work_authorization_bases.json")
    cats = load("skill_categories.json")
    skills = load("skills.json")
    nat = load("nationalities.json")

    # jurisdictions
    jcodes = unique(juris, "code", "jurisdictions")
    frameworks = {}
    for j in juris:
        texts3(j["name"], f"jurisdiction {j['code']}")
        if j.get("currency") not in {"CNY", "HKD"}:
            err(f"jurisdiction {j['code']}: unexpected currency {j.get('currency')!r}")
        if not j.get("languages"):
            err(f"jurisdiction {j['code']}: no languages")
        fws = set(j.get("frameworks", [])) | {j["qualifications_framework"]}
        frameworks[j["code"]] = fws
        check_registration(j["code"], j.get("registration_number"))

    # locations
    slug_ids(locs, "locations")
    loc_ids = unique(locs, "id", "locations")
    by_loc = {l["id"]: l for l in locs}
    for l in locs:
        w = f"location {l['id']}"
        if l["jurisdiction"] not in jcodes:
            err(f"{w}: unknown jurisdiction {l['jurisdiction']!r}")
        if l["kind"] not in KINDS_LOCATION:
            err(f"{w}: bad kind {l['kind']!r}")
        p = l.get("parent_id")
        if p is not None:
            if p not in loc_ids:
                err(f"{w}: parent {p!r} does not resolve")
            else:
                if by_loc[p]["kind"] not in {"city", "district"}:
                    err(f"{w}: parent {p!r} is not a city or district")
                if by_loc[p]["jurisdiction"] != l["jurisdiction"]:
                    err(f"{w}: parent in another jurisdiction")
        elif l["kind"] != "city":
            err(f"{w}: only cities may have no parent")
        texts3(l["name"], w)
    # no cycles
    for l in locs:
        seen, cur = set(), l["id"]
        while cur is not None and cur in by_loc:
            if cur in seen:
                err(f"location {l['id']}: parent cycle")
                break
            seen.add(cur)
            cur = by_loc[cur].get("parent_id")

    # levels
    slug_ids(levels, "qualification_levels")
    level_ids = unique(levels, "id", "qualification_levels")
    by_level = {v["id"]: v for v in levels}
    ranks = {}
    for v in levels:
        w = f"level {v['id']}"
        if v["jurisdiction"] not in jcodes:
            err(f"{w}: unknown jurisdiction")
        elif v["framework"] not in frameworks[v["jurisdiction"]]:
            err(f"{w}: framework {v['framework']!r} not declared by jurisdiction {v['jurisdiction']}")
        if not isinstance(v.get("rank"), int) or isinstance(v.get("rank"), bool):
            err(f"{w}: rank must be an integer")
        if v.get("level") is not None and (not isinstance(v["level"], int) or isinstance(v["level"], bool)):
            err(f"{w}: level must be an integer or null (a ladder step with no number of its own)")
        key = (v["framework"], v.get("rank"))
        if key in ranks:
            err(f"{w}: rank {v.get('rank')} repeats {ranks[key]} within {v['framework']}")
        ranks[key] = v["id"]
        texts3(v["name"], w)
        for c in v.get("comparable_levels", []):
            if c not in level_ids:
                err(f"{w}: comparable level {c!r} does not resolve")
    # Ranks order a ladder: within a framework they are 1, 2, ... n with no gaps (and one framework per jurisdiction).
    by_framework = {}
    for v in levels:
        if isinstance(v.get("rank"), int):
            by_framework.setdefault(v["framework"], []).append(v["rank"])
    for fw, rs in sorted(by_framework.items()):
        if sorted(rs) != list(range(1, len(rs) + 1)):
            err(f"levels of {fw}: ranks {sorted(rs)} are not 1..{len(rs)}")
    fw_juris = {}
    for v in levels:
        fw_juris.setdefault(v["framework"], set()).add(v["jurisdiction"])
    for fw, js in sorted(fw_juris.items()):
        if len(js) > 1:
            err(f"levels of {fw}: framework spans jurisdictions {sorted(js)}")

    # level comparabilities
    slug_ids(comps, "level_comparabilities")
    unique(comps, "id", "level_comparabilities")
    pairs = set()
    for c in comps:
        w = f"level comparability {c['id']}"
        a, b = c["from_level_id"], c["to_level_id"]
        if a not in level_ids or b not in level_ids:
            err(f"{w}: level reference does not resolve")
            continue
        if by_level[a]["jurisdiction"] == by_level[b]["jurisdiction"]:
            err(f"{w}: both levels in the same jurisdiction")
        if c.get("relation") not in RELATIONS:
            err(f"{w}: bad relation {c.get('relation')!r}")
        for f in ("authority", "source"):
            if not c.get(f):
                err(f"{w}: missing {f}")
        if (a, b) in pairs:
            err(f"{w}: duplicate pair {a} -> {b}")
        pairs.add((a, b))
    for a, b in pairs:
        if (b, a) not in pairs:
            err(f"level comparability {a} -> {b} has no reverse row")
    for v in levels:
        listed = set(v.get("comparable_levels", []))
        derived = {b for a, b in pairs if a == v["id"]}
        if listed != derived:
            err(f"level {v['id']}: comparable_levels {sorted(listed)} disagree with level_comparabilities.json {sorted(derived)}")

    # qualifications
    slug_ids(quals, "qualifications")
    qual_ids = unique(quals, "id", "qualifications")
    by_qual = {q["id"]: q for q in quals}
    for q in quals:
        w = f"qualification {q['id']}"
        if q["jurisdiction"] not in jcodes:
            err(f"{w}: unknown jurisdiction")
            continue
        if q["framework"] not in frameworks[q["jurisdiction"]]:
            err(f"{w}: framework {q['framework']!r} not declared by jurisdiction {q['jurisdiction']}")
        if q["kind"] not in KINDS_QUALIFICATION:
            err(f"{w}: bad kind {q['kind']!r}")
        lv = q.get("level_id")
        if lv is not None:
            if lv not in level_ids:
                err(f"{w}: level {lv!r} does not resolve")
            elif (by_level[lv]["jurisdiction"], by_level[lv]["framework"]) != (q["jurisdiction"], q["framework"]):
                err(f"{w}: level {lv!r} belongs to another jurisdiction/framework")
        elif q["kind"] != "professional" and not (isinstance(q.get("note"), str) and "level" in q["note"]):
            # A trade certificate whose level is printed on it (and varies) may leave the level out, saying so.
            err(f"{w}: only professional qualifications may have no level (or one whose note says where its level is stated)")
        texts3(q["title"], w)
        texts3(q["awarding_body"], w + " awarding_body", allow_str=True)

    # equivalences
    slug_ids(eqs, "equivalences")
    unique(eqs, "id", "equivalences")
    seen_pairs = {}
    for e in eqs:
        w = f"equivalence {e['id']}"
        frm = e["from_qualification_id"]
        if frm not in qual_ids:
            err(f"{w}: from qualification {frm!r} does not resolve")
            continue
        to_j = e["to_jurisdiction"]
        if to_j not in jcodes:
            err(f"{w}: unknown to_jurisdiction {to_j!r}")
        tq, tl = e.get("to_qualification_id"), e.get("to_level_id")
        if tq is not None and tl is not None:
            err(f"{w}: give to_qualification_id or to_level_id, not both")
        if tq is not None:
            if tq not in qual_ids:
                err(f"{w}: to qualification {tq!r} does not resolve")
            elif by_qual[tq]["jurisdiction"] != to_j:
                err(f"{w}: to qualification is in {by_qual[tq]['jurisdiction']}, not {to_j}")
        if tl is not None:
            if tl not in level_ids:
                err(f"{w}: to level {tl!r} does not resolve")
            elif by_level[tl]["jurisdiction"] != to_j:
                err(f"{w}: to level is in {by_level[tl]['jurisdiction']}, not {to_j}")
        if by_qual[frm]["jurisdiction"] == to_j:
            err(f"{w}: both ends in jurisdiction {to_j}")
        key = (frm, to_j, tq, tl)
        if key in seen_pairs:
            err(f"{w}: same (from, to) pair as {seen_pairs[key]}")
        seen_pairs[key] = e["id"]
        if e.get("relation") not in RELATIONS:
            err(f"{w}: bad relation {e.get('relation')!r}")
        if e.get("conditions") is not None:
            texts3(e["conditions"], w + " conditions")
        elif e.get("relation") == "partial":
            err(f"{w}: a partial equivalence needs conditions")
        for f in ("authority", "source"):
            if not isinstance(e.get(f), str) or not e[f].strip():
                err(f"{w}: missing {f}")
        start = valid_date(e.get("effective_from"), w)
        if e.get("effective_to") is not None:
            end = valid_date(e["effective_to"], w)
            if start and end and end < start:
                err(f"{w}: effective_to before effective_from")
        if e.get("checked_on") is not None:
            not_after_today(e["checked_on"], w + " checked_on")
        if not isinstance(e.get("verify_before_use"), bool):
            err(f"{w}: verify_before_use must be a boolean")
        elif by_qual[frm]["kind"] == "professional" and not e["verify_before_use"]:
            err(f"{w}: professional equivalences must be marked verify_before_use")

    # work-authorisation bases
    codes = unique(bases, "code", "work_authorization_bases")
    for b in bases:
        w = f"basis {b['code']}"
        if not re.match(r"^(CN|HK)_[A-Z0-9_]+$", b["code"]) or not b["code"].startswith(b["jurisdiction"] + "_"):
            err(f"{w}: code must be JURISDICTION_UPPER_SNAKE")
        if b["jurisdiction"] not in jcodes:
            err(f"{w}: unknown jurisdiction")
        for f in ("authorizes_work", "requires_job_offer", "employer_sponsored", "time_limited"):
            if not isinstance(b.get(f), bool):
                err(f"{w}: {f} must be a boolean")
        if b.get("employer_sponsored") and not b.get("requires_job_offer"):
            err(f"{w}: employer-sponsored but no job offer required")
        texts3(b["name"], w)
        texts3(b["description"], w + " description")
        if not b.get("source"):
            err(f"{w}: missing source")
    for must in ("HK_PR", "HK_ASMTP", "HK_TTPS", "CN_CITIZEN", "CN_HKMO_RESIDENT", "CN_HK_NONCHINESE"):
        if must not in codes:
            err(f"work_authorization_bases: {must} missing")
    nonchinese = [b for b in bases if b["code"] == "CN_HK_NONCHINESE"]
    if nonchinese and nonchinese[0]["authorizes_work"]:
        err("CN_HK_NONCHINESE must not authorise work")

    # skills
    slug_ids(cats, "skill_categories")
    cat_ids = unique(cats, "id", "skill_categories")
    for c in cats:
        texts3(c["labels"], f"skill category {c['id']}")
    slug_ids(skills, "skills")
    unique(skills, "id", "skills")
    if len(skills) < 300:
        err(f"skills: only {len(skills)} (need at least 300)")
    en_seen = {}
    for s in skills:
        w = f"skill {s['id']}"
        if s.get("category") not in cat_ids:
            err(f"{w}: unknown category {s.get('category')!r}")
        texts3(s["labels"], w)
        en = s["labels"].get("en", "").casefold()
        if en in en_seen:
            err(f"{w}: English label repeats skill {en_seen[en]}")
        en_seen[en] = s["id"]
        hant = s["labels"].get("zh-Hant", "")
        for t in NOT_HK_IN_LABEL:
            if t in hant:
                err(f"{w}: zh-Hant label {hant!r} uses non-Hong Kong wording {t!r} (put it in aliases)")
        al = s.get("aliases", [])
        if not isinstance(al, list) or not all(isinstance(a, str) and a.strip() for a in al):
            err(f"{w}: aliases must be non-empty strings")
            continue
        if len(set(al)) != len(al):
            err(f"{w}: duplicate aliases")
        labels = {s["labels"].get(k) for k in SCRIPTS}
        for a in al:
            if a in labels:
                err(f"{w}: alias {a!r} repeats a label")

    n_nat = check_nationalities(nat)

    counts = {"jurisdictions": len(juris), "locations": len(locs), "qualification_levels": len(levels),
              "level_comparabilities": len(comps), "qualifications": len(quals), "equivalences": len(eqs),
              "work_authorization_bases": len(bases), "skill_categories": len(cats), "skills": len(skills),
              "nationalities": n_nat}
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    print("script check:", "OpenCC + embedded tables" if OPENCC else "embedded tables (OpenCC not installed)")
    if errors:
        for e in errors:
            print("ERROR:", e)
        print(f"{len(errors)} problem(s)")
        return 1
    print("registry data OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
