//! A person's nationality: an ISO 3166-1 alpha-2 code of a country whose nationals they are.
//! Hong Kong and Macao have ISO codes but no nationality of their own: their residents of
//! Chinese nationality are `CN` (the routes across the boundary tell a Chinese national resident
//! in Hong Kong from a foreign national by this code and their residence).

/// Every officially assigned ISO 3166-1 alpha-2 code (249), in order.
const ISO_3166_1_ALPHA_2: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA",
    "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV",
    "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU",
    "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES",
    "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM",
    "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE",
    "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM",
    "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY",
    "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT",
    "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU",
    "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA",
    "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM",
    "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL",
    "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE",
    "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// Codes of places whose residents hold another nationality, with what to send instead.
const NO_NATIONALITY_OF_THEIR_OWN: [&str; 2] = ["HK", "MO"];

/// The most dependent children a profile records (a bound on input, not a statement about
/// families).
pub const MAX_DEPENDENT_CHILDREN: i32 = 20;

/// Checks a nationality code; the error says what to send instead.
pub fn check_nationality(code: &str) -> Result<(), &'static str> {
    if NO_NATIONALITY_OF_THEIR_OWN.contains(&code) {
        return Err(
            "Hong Kong and Macao are not nationalities: their residents of Chinese nationality are CN",
        );
    }
    if ISO_3166_1_ALPHA_2.binary_search(&code).is_err() {
        return Err("must be an ISO 3166-1 alpha-2 country code in capitals, such as CN, GB or US");
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
        assert!(ISO_3166_1_ALPHA_2.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(
            ISO_3166_1_ALPHA_2
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
