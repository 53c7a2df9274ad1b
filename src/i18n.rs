//! The three languages the service speaks: English, Simplified and Traditional Chinese.

use actix_web::HttpRequest;
use actix_web::http::header::ACCEPT_LANGUAGE;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
pub enum Locale {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-Hans")]
    ZhHans,
    #[serde(rename = "zh-Hant")]
    ZhHant,
}

impl Locale {
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhHans => "zh-Hans",
            Locale::ZhHant => "zh-Hant",
        }
    }

    /// Understands a language tag: `zh-Hant`, `zh-HK`, `zh-TW` and `zh-MO` are Traditional;
    /// any other `zh` tag is Simplified; any `en` tag is English.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let tag = tag.trim().to_ascii_lowercase();
        let mut parts = tag.split(['-', '_']);
        match parts.next()? {
            "en" => Some(Locale::En),
            "zh" | "cmn" | "yue" => {
                let traditional = parts.any(|p| matches!(p, "hant" | "hk" | "tw" | "mo"));
                Some(if traditional {
                    Locale::ZhHant
                } else {
                    Locale::ZhHans
                })
            }
            _ => None,
        }
    }

    /// The best supported language of an `Accept-Language` header, by its q-values.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(f32, Locale)> = None;
        for item in header.split(',') {
            let mut pieces = item.split(';');
            let tag = pieces.next().unwrap_or("");
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(locale) = Locale::from_tag(tag)
                && quality > 0.0
                && best.is_none_or(|(q, _)| quality > q)
            {
                best = Some((quality, locale));
            }
        }
        best.map(|(_, locale)| locale)
    }

    pub fn from_request(req: &HttpRequest) -> Locale {
        req.headers()
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Locale::from_accept_language)
            .unwrap_or_default()
    }
}

/// A text in the three languages; English is always present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
pub struct LocalizedText {
    pub en: String,
    #[serde(rename = "zh-Hans")]
    pub zh_hans: String,
    #[serde(rename = "zh-Hant")]
    pub zh_hant: String,
}

impl LocalizedText {
    pub fn new(en: impl Into<String>, zh_hans: impl Into<String>, zh_hant: impl Into<String>) -> Self {
        Self {
            en: en.into(),
            zh_hans: zh_hans.into(),
            zh_hant: zh_hant.into(),
        }
    }

    /// The text in `locale`, falling back to English where a translation is missing.
    pub fn get(&self, locale: Locale) -> &str {
        let text = match locale {
            Locale::En => &self.en,
            Locale::ZhHans => &self.zh_hans,
            Locale::ZhHant => &self.zh_hant,
        };
        if text.is_empty() { &self.en } else { text }
    }
}

impl std::str::FromStr for Locale {
    type Err = String;
    fn from_str(value: &str) -> Result<Self, String> {
        Locale::from_tag(value)
            .ok_or_else(|| format!("unsupported locale {value:?}: use en, zh-Hans or zh-Hant"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hong_kong_and_taiwan_tags_are_traditional() {
        assert_eq!(Locale::from_tag("zh-HK"), Some(Locale::ZhHant));
        assert_eq!(Locale::from_tag("zh-Hant-TW"), Some(Locale::ZhHant));
        assert_eq!(Locale::from_tag("zh-CN"), Some(Locale::ZhHans));
        assert_eq!(Locale::from_tag("zh"), Some(Locale::ZhHans));
        assert_eq!(Locale::from_tag("fr"), None);
    }

    #[test]
    fn accept_language_respects_quality() {
        assert_eq!(
            Locale::from_accept_language("fr;q=1, en;q=0.5, zh-HK;q=0.8"),
            Some(Locale::ZhHant)
        );
        assert_eq!(Locale::from_accept_language("en-GB,en;q=0.9"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language("de, fr"), None);
    }
}
