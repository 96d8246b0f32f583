//! `Money`: an exact amount with two decimal places (a balance), never a float; and its currency.
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money {
    cents: i64,
}

/// A balance is kept well inside i64 cents, so arithmetic on it can never overflow.
const LIMIT_CENTS: i64 = 100_000_000_000_000;

impl Money {
    pub fn from_cents(cents: i64) -> Option<Self> {
        (cents.abs() < LIMIT_CENTS).then_some(Self { cents })
    }

    pub fn cents(self) -> i64 {
        self.cents
    }

    /// `12`, `12.3`, `-5.25`: an optional minus, digits, and at most two decimal places.
    pub fn parse(raw: &str) -> Option<Self> {
        let (negative, unsigned) = match raw.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || whole.len() > 12 || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
            return None;
        }
        if unsigned.contains('.') && fraction.is_empty() {
            return None;
        }
        let cents = whole.parse::<i64>().ok()? * 100 + format!("{fraction:0<2}").parse::<i64>().ok()?;
        Self::from_cents(if negative { -cents } else { cents })
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.cents < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{:02}", self.cents.abs() / 100, self.cents.abs() % 100)
    }
}

/// An ISO 4217 code, three capital letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency([u8; 3]);

impl Currency {
    pub fn parse(raw: &str) -> Option<Self> {
        let bytes: [u8; 3] = raw.as_bytes().try_into().ok()?;
        bytes.iter().all(u8::is_ascii_uppercase).then_some(Self(bytes))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("ASCII capitals")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Money;

    #[test]
    fn parses_up_to_two_places_and_shows_two() {
        for (raw, shown) in [("12", "12.00"), ("12.3", "12.30"), ("-5.25", "-5.25"), ("0", "0.00"), ("-0.05", "-0.05")]
        {
            assert_eq!(Money::parse(raw).map(|m| m.to_string()).as_deref(), Some(shown), "{raw}");
        }
        assert_eq!(Money::parse("20.00").unwrap().cents(), 2000);
    }

    #[test]
    fn currencies_are_three_capitals() {
        assert_eq!(super::Currency::parse("USD").map(|c| c.to_string()).as_deref(), Some("USD"));
        for raw in ["usd", "US", "USDX", "U$D", ""] {
            assert!(super::Currency::parse(raw).is_none(), "{raw}");
        }
    }

    #[test]
    fn refuses_everything_else() {
        for raw in ["", "-", ".5", "5.", "1.234", "1e3", "+5", " 5", "5 ", "1,5", "--1", "abc", "9999999999999", "NaN"]
        {
            assert_eq!(Money::parse(raw), None, "{raw}");
        }
    }
}
