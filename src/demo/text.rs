//! The words demo records are written in: job titles, descriptions, headlines and names in
//! English, Simplified and Traditional Chinese, built around the registry's skill labels so that
//! cross-script search has something true to find.

use rand::Rng;
use rand::seq::IndexedRandom;

use crate::i18n::Locale;

/// Job title patterns; `{}` is a skill label in the same script.
const TITLES_EN: &[&str] = &[
    "{} Engineer",
    "Senior {} Specialist",
    "{} Manager",
    "{} Analyst",
    "Lead {} Consultant",
];
const TITLES_HANS: &[&str] = &["{}工程师", "高级{}专家", "{}经理", "{}分析师", "{}顾问"];
const TITLES_HANT: &[&str] = &["{}工程師", "高級{}專家", "{}經理", "{}分析師", "{}顧問"];

pub fn job_title(rng: &mut impl Rng, script: Locale, skill: &str) -> String {
    let patterns = match script {
        Locale::En => TITLES_EN,
        Locale::ZhHans => TITLES_HANS,
        Locale::ZhHant => TITLES_HANT,
    };
    pick(rng, patterns).replace("{}", skill)
}

/// Two or three sentences naming the skills, the place and the industry.
pub fn job_description(script: Locale, skills: &[&str], place: &str, industry: &str) -> String {
    match script {
        Locale::En => format!(
            "Join our {industry} team in {place}. You will apply {} in cross-border projects between Shenzhen and Hong Kong. \
             We value ownership, clear communication and continuous learning.",
            skills.join(", ")
        ),
        Locale::ZhHans => format!(
            "加入我们位于{place}的{industry}团队。你将在深港跨境项目中运用{}。我们重视责任心、清晰沟通和持续学习。",
            skills.join("、")
        ),
        Locale::ZhHant => format!(
            "加入我們位於{place}的{industry}團隊。你將在深港跨境項目中運用{}。我們重視責任心、清晰溝通和持續學習。",
            skills.join("、")
        ),
    }
}

pub fn headline(rng: &mut impl Rng, script: Locale, skill: &str, years: i32) -> String {
    let title = job_title(rng, script, skill);
    match script {
        Locale::En => format!("{title} with {years} years of experience"),
        Locale::ZhHans => format!("{years}年经验的{title}"),
        Locale::ZhHant => format!("{years}年經驗的{title}"),
    }
}

pub fn summary(script: Locale, skills: &[&str]) -> String {
    match script {
        Locale::En => format!(
            "Experienced in {}. Looking for roles across the Shenzhen–Hong Kong boundary.",
            skills.join(", ")
        ),
        Locale::ZhHans => format!("熟悉{}。希望在深港两地寻找发展机会。", skills.join("、")),
        Locale::ZhHant => format!("熟悉{}。希望在深港兩地尋找發展機會。", skills.join("、")),
    }
}

const SURNAMES_HANS: &[&str] = &[
    "陈", "李", "张", "王", "刘", "黄", "林", "吴", "郑", "周", "何", "罗",
];
const SURNAMES_HANT: &[&str] = &[
    "陳", "李", "張", "王", "劉", "黃", "林", "吳", "鄭", "周", "何", "羅",
];
const GIVEN_HANS: &[&str] = &[
    "伟", "芳", "敏", "静", "磊", "洋", "婷", "强", "军", "杰", "欣", "浩然", "子涵", "嘉怡",
];
const GIVEN_HANT: &[&str] = &[
    "偉", "芳", "敏", "靜", "磊", "洋", "婷", "強", "軍", "傑", "欣", "浩然", "子涵", "嘉怡",
];
const ENGLISH_GIVEN: &[&str] = &[
    "Alice", "Brian", "Carmen", "Derek", "Eunice", "Felix", "Grace", "Henry", "Ivy", "Jason",
];
const ENGLISH_SURNAMES: &[&str] = &[
    "Chan", "Wong", "Cheung", "Lau", "Ng", "Leung", "Lee", "Ho", "Tse", "Yip",
];

/// A personal name as a person of that script would write it.
pub fn person_name(rng: &mut impl Rng, script: Locale) -> String {
    match script {
        Locale::En => format!("{} {}", pick(rng, ENGLISH_GIVEN), pick(rng, ENGLISH_SURNAMES)),
        Locale::ZhHans => format!("{}{}", pick(rng, SURNAMES_HANS), pick(rng, GIVEN_HANS)),
        Locale::ZhHant => format!("{}{}", pick(rng, SURNAMES_HANT), pick(rng, GIVEN_HANT)),
    }
}

const FIRMS_HK: &[&str] = &[
    "Harbour",
    "Victoria",
    "Kowloon",
    "Lantau",
    "Peak",
    "Tsim Sha Tsui",
    "Cyberport",
];
const FIRMS_CN: &[&str] = &["鹏城", "前海", "南山", "深蓝", "粤海", "华强", "光明"];

/// An employer name; `serial` keeps names apart.
pub fn employer_name(rng: &mut impl Rng, jurisdiction: &str, industry_en: &str, serial: usize) -> String {
    if jurisdiction == "HK" {
        format!("{} {industry_en} Ltd ({serial})", pick(rng, FIRMS_HK))
    } else {
        format!("深圳{}科技有限公司（{serial}）", pick(rng, FIRMS_CN))
    }
}

fn pick<'a>(rng: &mut impl Rng, words: &[&'a str]) -> &'a str {
    words.choose(rng).copied().unwrap_or_default()
}
