//! Account values that parse instead of validate: once a value of these types exists, it obeys
//! its rules, so the service never handles an unchecked email, password or name.

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const COMMON_PASSWORDS: &str = include_str!("../../assets/common-passwords.txt");

static COMMON: LazyLock<HashSet<String>> = LazyLock::new(|| {
    COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
});

/// An email address, trimmed and lower-cased so one mailbox has one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let normalised = raw.trim().to_lowercase();
        if normalised.is_empty() {
            return Err("is required".into());
        }
        if normalised.chars().count() > 254 {
            return Err("must be at most 254 characters".into());
        }
        let parsed = email_address::EmailAddress::parse_with_options(
            &normalised,
            email_address::Options::default()
                .without_display_text()
                .without_domain_literal(),
        )
        .map_err(|_| "is not a valid email address".to_owned())?;
        if !parsed.domain().contains('.') {
            return Err("must have a domain with a dot, like example.com".into());
        }
        Ok(Email(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password a person chose: 12 to 128 characters and not a well-known one.
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let length = raw.chars().count();
        if length < Self::MIN_CHARS {
            return Err(format!("must be at least {} characters", Self::MIN_CHARS));
        }
        if length > Self::MAX_CHARS {
            return Err(format!("must be at most {} characters", Self::MAX_CHARS));
        }
        if COMMON.contains(&raw.to_lowercase()) {
            return Err("is too common; choose one that others do not use".into());
        }
        Ok(Password(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A name shown to others: 1 to 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err("is required".into());
        }
        // Counted before trimming, as the OpenAPI document's maxLength counts.
        if raw.chars().count() > 100 {
            return Err("must be at most 100 characters".into());
        }
        if trimmed.chars().any(char::is_control) {
            return Err("must not contain control characters".into());
        }
        Ok(DisplayName(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Candidate,
    Employer,
    AgencyOfficer,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Candidate => "candidate",
            Role::Employer => "employer",
            Role::AgencyOfficer => "agency_officer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        match value {
            "candidate" => Some(Role::Candidate),
            "employer" => Some(Role::Employer),
            "agency_officer" => Some(Role::AgencyOfficer),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// Agency staff: officers and admins.
    pub fn is_agency(self) -> bool {
        matches!(self, Role::AgencyOfficer | Role::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            Email::parse("  Li.Wei@Example.COM ").unwrap().as_str(),
            "li.wei@example.com"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "no-at-sign",
            "a@b",
            "a@@b.com",
            "Name <a@b.com>",
            "a@[127.0.0.1]",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(Email::parse(&long).is_err());
    }

    #[test]
    fn password_length_counts_characters_not_bytes() {
        assert!(Password::parse("短密码短密码短密码短密").is_err()); // 11 characters, 33 bytes
        assert!(Password::parse("足够长的密码足够长的密码").is_ok()); // 12 characters
        assert!(Password::parse(&"x".repeat(129)).is_err());
        assert!(Password::parse(&"x7Q".repeat(40)).is_ok());
    }

    #[test]
    fn common_passwords_are_refused_in_any_case() {
        assert!(Password::parse("password1234").is_err());
        assert!(Password::parse("PASSWORD1234").is_err());
        assert!(Password::parse("Qwertyuiop123").is_err());
        assert!(Password::parse("harbour-lantern-31-crossing").is_ok());
    }

    #[test]
    fn password_debug_hides_the_value() {
        let password = Password::parse("harbour-lantern-31-crossing").unwrap();
        assert!(!format!("{password:?}").contains("harbour"));
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("  陳大文 ").unwrap().as_str(), "陳大文");
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse("a\u{0007}b").is_err());
        assert!(DisplayName::parse(&"名".repeat(101)).is_err());
    }
}
