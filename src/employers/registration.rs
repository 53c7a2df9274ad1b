//! Company registration numbers, parsed rather than validated: a `RegistrationNumber` exists only
//! if it is well formed for its jurisdiction. The forms are registry data
//! (`registry::model::RegistrationFormat`: a pattern, the part kept, a check algorithm); the
//! check algorithms are the closed set below:
//!
//! - `gb32100`: the Mainland's unified social credit code (统一社会信用代码, GB 32100-2015), 18
//!   characters from `0-9A-HJ-NPQRTUWXY`, the last a check character computed from the first 17
//!   with weights 3^i mod 31;
//! - `none`: the form only (Hong Kong's business registration number has no published check rule).

use regex::Regex;

use crate::registry::model::RegistrationFormat;

const USCC_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// The check algorithms a format may name.
pub const CHECKS: [&str; 2] = ["gb32100", "none"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationNumber(String);

impl RegistrationNumber {
    /// Parses `raw` by `format` (the jurisdiction's, `None` when it has none), ignoring spaces
    /// and case.
    pub fn parse(format: Option<&RegistrationFormat>, raw: &str) -> Result<Self, String> {
        let format = format.ok_or("the registry has no registration number form for this jurisdiction")?;
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let malformed = || match &format.example {
            Some(example) => format!("is not a well-formed {} (e.g. {example})", format.name.en),
            None => format!("is not a well-formed {}", format.name.en),
        };
        let pattern =
            Regex::new(&format.pattern).map_err(|_| "the registry's form for it is broken".to_owned())?;
        if !pattern.is_match(&compact) {
            return Err(malformed());
        }
        let kept = match &format.keep {
            Some(keep) => Regex::new(keep)
                .ok()
                .and_then(|keep| Some(keep.captures(&compact)?.get(1)?.as_str().to_owned()))
                .ok_or_else(malformed)?,
            None => compact,
        };
        match format.check.as_str() {
            "gb32100" => parse_uscc(&kept).map(RegistrationNumber),
            "none" => Ok(RegistrationNumber(kept)),
            other => Err(format!("the registry names an unknown check algorithm {other:?}")),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn parse_uscc(code: &str) -> Result<String, String> {
    if code.chars().count() != 18 {
        return Err("a unified social credit code has 18 characters".into());
    }
    let values: Option<Vec<u32>> = code
        .bytes()
        .map(|b| USCC_ALPHABET.iter().position(|&a| a == b).map(|p| p as u32))
        .collect();
    let values = values.ok_or("uses a character outside 0-9 and A-Y without I, O, S, V, Z")?;
    let check = uscc_check(&values[..17]);
    if values[17] == check {
        Ok(code.to_owned())
    } else {
        Err(format!(
            "the check character should be {}",
            USCC_ALPHABET[check as usize] as char
        ))
    }
}

/// The check value (GB 32100-2015) of the first 17 character values of a code.
fn uscc_check(values: &[u32]) -> u32 {
    let sum: u32 = values.iter().zip(USCC_WEIGHTS).map(|(v, w)| v * w).sum();
    (31 - sum % 31) % 31
}

/// A valid code from its first 17 characters (for generated demo employers); `None` when they
/// are not 17 characters of the code alphabet.
pub fn complete_uscc(first17: &str) -> Option<String> {
    let values: Vec<u32> = first17
        .bytes()
        .map(|b| USCC_ALPHABET.iter().position(|&a| a == b).map(|p| p as u32))
        .collect::<Option<_>>()?;
    if values.len() != 17 {
        return None;
    }
    let check = USCC_ALPHABET[uscc_check(&values) as usize] as char;
    Some(format!("{first17}{check}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped form of a jurisdiction.
    fn form(code: &str) -> RegistrationFormat {
        let shipped: Vec<serde_json::Value> =
            serde_json::from_str(include_str!("../../assets/registry/jurisdictions.json")).unwrap();
        let entry = shipped.iter().find(|j| j["code"] == code).unwrap();
        serde_json::from_value(entry["registration_number"].clone()).unwrap()
    }

    #[test]
    fn the_shipped_forms_compile_and_name_known_checks() {
        for code in ["CN", "HK"] {
            let format = form(code);
            assert!(Regex::new(&format.pattern).is_ok(), "{code}");
            assert!(
                format.keep.as_deref().is_none_or(|k| Regex::new(k).is_ok()),
                "{code}"
            );
            assert!(CHECKS.contains(&format.check.as_str()), "{code}");
            if let Some(example) = &format.example {
                assert!(
                    RegistrationNumber::parse(Some(&format), example).is_ok(),
                    "{code}: {example}"
                );
            }
        }
    }

    #[test]
    fn real_unified_social_credit_codes_pass_and_are_normalised() {
        let cases = [
            ("91440300708461136T", "91440300708461136T"),
            ("914403001922038216", "914403001922038216"),
            ("91440300708461136t", "91440300708461136T"),
            (" 9144 0300 7084 6113 6T ", "91440300708461136T"),
        ];
        for (raw, normalised) in cases {
            assert_eq!(
                RegistrationNumber::parse(Some(&form("CN")), raw)
                    .unwrap()
                    .as_str(),
                normalised,
                "{raw:?}"
            );
        }
    }

    #[test]
    fn completed_codes_parse() {
        assert_eq!(
            complete_uscc("91440300708461136").as_deref(),
            Some("91440300708461136T")
        );
        let made = complete_uscc("91440300MA5F00001").unwrap();
        assert!(
            RegistrationNumber::parse(Some(&form("CN")), &made).is_ok(),
            "{made}"
        );
        assert_eq!(complete_uscc("9144030070846113"), None);
        assert_eq!(complete_uscc("9144030070846113I"), None);
    }

    #[test]
    fn a_wrong_check_character_is_named() {
        let error = RegistrationNumber::parse(Some(&form("CN")), "91440300708461136X").unwrap_err();
        assert!(error.contains("should be T"), "{error}");
    }

    #[test]
    fn malformed_codes_fail() {
        for bad in [
            "",
            "9144030070846113",
            "91440300708461136TT",
            "9144030070846113IT",
            "91440300708461136O",
        ] {
            assert!(
                RegistrationNumber::parse(Some(&form("CN")), bad).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn hong_kong_numbers_keep_their_eight_digits() {
        assert_eq!(
            RegistrationNumber::parse(Some(&form("HK")), "12345678")
                .unwrap()
                .as_str(),
            "12345678"
        );
        assert_eq!(
            RegistrationNumber::parse(Some(&form("HK")), "12345678-000-08-24-0")
                .unwrap()
                .as_str(),
            "12345678"
        );
        for bad in ["1234567", "123456789", "1234567A", "12345678-ABC", ""] {
            assert!(
                RegistrationNumber::parse(Some(&form("HK")), bad).is_err(),
                "{bad:?}"
            );
        }
        assert!(RegistrationNumber::parse(None, "12345678").is_err());
    }
}
