//! A person's nationality: an ISO 3166-1 alpha-2 code of a country whose nationals they are.
//! Hong Kong and Macao have ISO codes but no nationality of their own: their residents of
//! Chinese nationality are `CN` (the routes across the boundary tell a Chinese national resident
//! in Hong Kong from a foreign national by this code and their residence).

/// The shipped list (`assets/registry/nationalities.json`): every officially assigned ISO 3166-1
/// alpha-2 code, and the codes that name no nationality with the reason.
#[derive(serde::Deserialize)]
struct Nationalities {
    iso3166_alpha2: Vec<String>,
    not_a_nationality: Vec<NotANationality>,
}

#[derive(serde::Deserialize)]
struct NotANationality {
    code: String,
    reason: crate::i18n::LocalizedText,
}

static NATIONALITIES: std::sync::LazyLock<Nationalities> = std::sync::LazyLock::new(|| {
    let mut list: Nationalities = serde_json::from_str(include_str!("../assets/registry/nationalities.json"))
        .expect("assets/registry/nationalities.json parses (a unit test checks it)");
    list.iso3166_alpha2.sort();
    list
});

/// The most dependent children a profile records (a bound on input, not a statement about
/// families).
pub const MAX_DEPENDENT_CHILDREN: i32 = 20;

/// Checks a nationality code; the error says what to send instead.
pub fn check_nationality(code: &str) -> Result<(), String> {
    let list = &*NATIONALITIES;
    if let Some(place) = list.not_a_nationality.iter().find(|n| n.code == code) {
        return Err(place.reason.en.clone());
    }
    if list
        .iso3166_alpha2
        .binary_search_by(|c| c.as_str().cmp(code))
        .is_err()
    {
        return Err("must be an ISO 3166-1 alpha-2 country code in capitals, such as GB or US".into());
    }
    Ok(())
}

/// Checks a count of dependent children.
pub fn check_dependent_children(count: i32) -> Result<(), String> {
    if (0..=MAX_DEPENDENT_CHILDREN).contains(&count) {
        Ok(())
    } else {
        Err(format!("must be between 0 and {MAX_DEPENDENT_CHILDREN}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_list_is_sorted_unique_and_well_formed() {
        let codes = &NATIONALITIES.iso3166_alpha2;
        assert_eq!(codes.len(), 249);
        assert!(codes.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(
            codes
                .iter()
                .all(|code| code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()))
        );
    }

    #[test]
    fn nationals_of_countries_pass_and_the_rest_is_refused_with_the_reason() {
        for code in ["CN", "GB", "US", "PH", "ID", "IN", "CA", "AU", "SG", "JP"] {
            assert_eq!(check_nationality(code), Ok(()), "{code}");
        }
        for code in ["HK", "MO"] {
            assert!(check_nationality(code).unwrap_err().contains("are CN"), "{code}");
        }
        for code in ["cn", "XX", "UK", "CHN", "", "C", "ZZ", "EU"] {
            assert!(
                check_nationality(code).unwrap_err().contains("ISO 3166-1"),
                "{code:?}"
            );
        }
    }

    #[test]
    fn dependent_children_are_a_small_count() {
        assert!(check_dependent_children(0).is_ok());
        assert!(check_dependent_children(MAX_DEPENDENT_CHILDREN).is_ok());
        assert!(check_dependent_children(-1).is_err());
        assert!(check_dependent_children(MAX_DEPENDENT_CHILDREN + 1).is_err());
    }
}
