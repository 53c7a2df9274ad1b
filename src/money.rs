//! Money as the API speaks it: whole units of a currency the registry knows (CNY, HKD), and the
//! period a salary is paid for.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::registry::Registry;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SalaryPeriod {
    Hour,
    Month,
    Year,
}

impl SalaryPeriod {
    pub fn as_str(self) -> &'static str {
        match self {
            SalaryPeriod::Hour => "hour",
            SalaryPeriod::Month => "month",
            SalaryPeriod::Year => "year",
        }
    }

    pub fn parse(value: &str) -> Option<SalaryPeriod> {
        match value {
            "hour" => Some(SalaryPeriod::Hour),
            "month" => Some(SalaryPeriod::Month),
            "year" => Some(SalaryPeriod::Year),
            _ => None,
        }
    }
}

/// `{amount, currency}`: whole currency units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Money {
    pub amount: i64,
    /// `CNY` or `HKD` (the currencies of the registry's jurisdictions).
    pub currency: String,
}

/// The largest amount accepted: well above any salary, well below overflow when converted.
pub const MAX_AMOUNT: i64 = 1_000_000_000;

/// Checks a currency code against the registry's jurisdictions.
pub fn check_currency(registry: &Registry, code: &str) -> Result<(), String> {
    if registry.jurisdictions.iter().any(|j| j.currency == code) {
        Ok(())
    } else {
        let known: Vec<&str> = registry
            .jurisdictions
            .iter()
            .map(|j| j.currency.as_str())
            .collect();
        Err(format!("must be one of: {}", known.join(", ")))
    }
}

/// Checks an amount: not negative, not absurd.
pub fn check_amount(amount: i64) -> Result<(), String> {
    if amount < 0 {
        Err("must not be negative".into())
    } else if amount > MAX_AMOUNT {
        Err(format!("must be at most {MAX_AMOUNT}"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_bounded() {
        assert!(check_amount(0).is_ok());
        assert!(check_amount(30_000).is_ok());
        assert!(check_amount(-1).is_err());
        assert!(check_amount(MAX_AMOUNT + 1).is_err());
    }

    #[test]
    fn periods_round_trip() {
        for period in [SalaryPeriod::Hour, SalaryPeriod::Month, SalaryPeriod::Year] {
            assert_eq!(SalaryPeriod::parse(period.as_str()), Some(period));
        }
        assert_eq!(SalaryPeriod::parse("week"), None);
    }
}
