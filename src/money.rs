//! Money as the API speaks it: whole units of a currency the registry knows (CNY, HKD), and the
//! period a salary is paid for.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: String,
}

/// The largest amount accepted: well above any salary, well below overflow when converted.
pub const MAX_AMOUNT: i64 = 1_000_000_000;

/// Checks a currency code against the currencies of the registry's jurisdictions
/// (`Registry::currencies`).
pub fn check_currency<'a>(known: impl IntoIterator<Item = &'a str>, code: &str) -> Result<(), String> {
    let known: Vec<&str> = known.into_iter().collect();
    if known.contains(&code) {
        Ok(())
    } else {
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

/// Working hours in a month (40 a week, 52 weeks, 12 months), to compare hourly pay.
const HOURS_PER_MONTH: f64 = 40.0 * 52.0 / 12.0;

/// An amount paid per `period`, as the amount paid per month.
pub fn monthly(amount: i64, period: SalaryPeriod) -> f64 {
    let amount = amount as f64;
    match period {
        SalaryPeriod::Hour => amount * HOURS_PER_MONTH,
        SalaryPeriod::Month => amount,
        SalaryPeriod::Year => amount / 12.0,
    }
}

/// Exchange rates: what one unit of a currency is worth in the reference currency.
#[derive(Debug, Clone, Default)]
pub struct Rates(std::collections::BTreeMap<String, f64>);

impl Rates {
    /// Keeps only usable rates (finite, positive): a typo in the configuration must not turn
    /// every salary into zero or infinity.
    pub fn new(rates: &std::collections::BTreeMap<String, f64>) -> Rates {
        Rates(
            rates
                .iter()
                .filter(|(_, rate)| rate.is_finite() && **rate > 0.0)
                .map(|(code, rate)| (code.clone(), *rate))
                .collect(),
        )
    }

    /// A monthly amount in `currency` in whole reference units (rounded down), when the rate is
    /// known.
    pub fn to_reference(&self, monthly_amount: f64, currency: &str) -> Option<u64> {
        let rate = self.0.get(currency)?;
        Some((monthly_amount * rate).max(0.0).floor() as u64)
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

    #[test]
    fn salaries_compare_per_month_in_one_currency() {
        assert_eq!(monthly(30_000, SalaryPeriod::Month), 30_000.0);
        assert_eq!(monthly(360_000, SalaryPeriod::Year), 30_000.0);
        assert!((monthly(100, SalaryPeriod::Hour) - 17_333.33).abs() < 0.01);
        let configured = [
            ("HKD".to_owned(), 1.0),
            ("CNY".to_owned(), 1.08),
            ("USD".to_owned(), f64::NAN),
            ("EUR".to_owned(), 0.0),
        ];
        let rates = Rates::new(&configured.into_iter().collect());
        assert_eq!(rates.to_reference(30_000.0, "HKD"), Some(30_000));
        assert_eq!(rates.to_reference(30_000.0, "CNY"), Some(32_400));
        assert_eq!(rates.to_reference(1.0, "USD"), None, "unusable rates are dropped");
        assert_eq!(rates.to_reference(1.0, "EUR"), None);
        assert_eq!(rates.to_reference(1.0, "JPY"), None);
    }
}
