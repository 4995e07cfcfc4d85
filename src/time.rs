//! Instants and durations: the clock of timed behaviour rules.
//!
//! In: text — an RFC 3339 timestamp (`2026-11-20T10:00:00Z`,
//! `2026-11-20T10:00:00.5+01:00`), a date (`2026-11-01`, midnight UTC) or a
//! duration as written in a program (`30d`, `12h`, `2w`). Out: an instant as
//! whole seconds since the Unix epoch (UTC, an `i64`), a duration in seconds,
//! or a [`TimeError`] saying what is wrong and at which byte.
//!
//! Written by hand (no dependency): the proleptic Gregorian calendar, years
//! 0000 to 9999, no leap seconds (`:60` is rejected). Fractions of a second
//! are accepted and dropped (truncated towards the past).

use std::fmt;

/// The as-of instant of [`crate::Program::evaluate`] and
/// [`crate::Program::explain`]: *timeless*. Every event counts, as if it had
/// just happened: no event is in the future, windows hold every event, and
/// every age is 0 (decay factor 1).
pub const TIMELESS: i64 = i64::MAX;

/// Seconds in a minute, hour, day and week.
pub const MINUTE: i64 = 60;
/// Seconds in an hour.
pub const HOUR: i64 = 3_600;
/// Seconds in a day.
pub const DAY: i64 = 86_400;
/// Seconds in a week.
pub const WEEK: i64 = 7 * DAY;

/// The earliest instant [`format_instant`] writes as a timestamp
/// (`0000-01-01T00:00:00Z`).
pub const EARLIEST: i64 = -62_167_219_200;
/// The latest instant [`format_instant`] writes as a timestamp
/// (`9999-12-31T23:59:59Z`). [`parse_instant`] can go a day past either
/// end, through a time zone offset (`9999-12-31T23:59:59-23:59`).
pub const LATEST: i64 = 253_402_300_799;

/// Text that is not a valid instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError {
    /// The byte offset in the text where it goes wrong.
    pub offset: usize,
    /// What was expected there.
    pub expected: &'static str,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {} at byte {}", self.expected, self.offset)
    }
}

impl std::error::Error for TimeError {}

/// Parses an instant: `YYYY-MM-DD` (midnight UTC) or an RFC 3339 date-time
/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` (`t` and a space are accepted in
/// place of `T`, `z` in place of `Z`). Surrounding blanks are ignored.
///
/// ```
/// use leadc::time::parse_instant;
/// assert_eq!(parse_instant("1970-01-02"), Ok(86_400));
/// assert_eq!(parse_instant("2026-11-20T10:00:00Z"), Ok(1_795_168_800));
/// assert_eq!(parse_instant("2026-11-20T11:00:00+01:00"), Ok(1_795_168_800));
/// assert!(parse_instant("2026-02-30").is_err());
/// ```
pub fn parse_instant(text: &str) -> Result<i64, TimeError> {
    let lead = text.len() - text.trim_start().len();
    let mut p = Parser { bytes: text.trim().as_bytes(), pos: 0, base: lead };
    let year = p.digits(4, "a four-digit year")?;
    p.expect(b'-', "`-` after the year")?;
    let month = p.digits(2, "a two-digit month")?;
    p.expect(b'-', "`-` after the month")?;
    let day_at = p.pos;
    let day = p.digits(2, "a two-digit day")?;
    if !(1..=12).contains(&month) {
        return Err(p.error_at(day_at - 3, "a month from 01 to 12"));
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err(p.error_at(day_at, "a day that exists in that month"));
    }
    let days = days_from_civil(year, month, day);
    if p.done() {
        return Ok(days * DAY);
    }
    if !matches!(p.peek(), Some(b'T' | b't' | b' ')) {
        return Err(p.error("`T` and a time, or the end of a date"));
    }
    p.pos += 1;
    let hour = p.bounded(23, "an hour from 00 to 23")?;
    p.expect(b':', "`:` after the hour")?;
    let minute = p.bounded(59, "minutes from 00 to 59")?;
    p.expect(b':', "`:` after the minutes")?;
    let second = p.bounded(59, "seconds from 00 to 59")?;
    if p.peek() == Some(b'.') {
        p.pos += 1;
        let start = p.pos;
        while p.peek().is_some_and(|b| b.is_ascii_digit()) {
            p.pos += 1;
        }
        if p.pos == start {
            return Err(p.error("digits after `.`"));
        }
    }
    let offset = p.zone()?;
    if !p.done() {
        return Err(p.error("the end of the timestamp"));
    }
    Ok(days * DAY + hour * HOUR + minute * MINUTE + second - offset)
}

/// Formats an instant as RFC 3339 in UTC: `2026-11-20T10:00:00Z`, which
/// [`parse_instant`] reads back. Instants outside [`EARLIEST`]..=[`LATEST`]
/// (years 0000 to 9999) are printed as `@<seconds>`, which it does not.
///
/// ```
/// assert_eq!(leadc::time::format_instant(1_795_168_800), "2026-11-20T10:00:00Z");
/// ```
pub fn format_instant(t: i64) -> String {
    let (days, secs) = (t.div_euclid(DAY), t.rem_euclid(DAY));
    let (y, m, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return format!("@{t}");
    }
    let (h, min, s) = (secs / HOUR, secs % HOUR / MINUTE, secs % MINUTE);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}Z")
}

/// Formats a duration in seconds the way a program writes it when it is a
/// whole number of days or hours (`14d`, `12h`; weeks are shown as days),
/// else in seconds (`90s`).
pub fn format_duration(seconds: i64) -> String {
    match seconds {
        0 => "0s".into(),
        s if s % DAY == 0 => format!("{}d", s / DAY),
        s if s % HOUR == 0 => format!("{}h", s / HOUR),
        s => format!("{s}s"),
    }
}

/// The age `as_of - t` in a short human form: `3d 4h`, `5h 20m`, `42s`.
pub fn format_age(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= DAY {
        format!("{}d {}h", s / DAY, s % DAY / HOUR)
    } else if s >= HOUR {
        format!("{}h {}m", s / HOUR, s % HOUR / MINUTE)
    } else {
        format!("{s}s")
    }
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn done(&self) -> bool {
        self.pos == self.bytes.len()
    }

    fn error(&self, expected: &'static str) -> TimeError {
        self.error_at(self.pos, expected)
    }

    fn error_at(&self, pos: usize, expected: &'static str) -> TimeError {
        TimeError { offset: self.base + pos, expected }
    }

    fn expect(&mut self, byte: u8, expected: &'static str) -> Result<(), TimeError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    fn digits(&mut self, n: usize, expected: &'static str) -> Result<i64, TimeError> {
        let mut value = 0i64;
        for i in 0..n {
            match self.bytes.get(self.pos + i) {
                Some(b) if b.is_ascii_digit() => value = value * 10 + i64::from(b - b'0'),
                _ => return Err(self.error(expected)),
            }
        }
        self.pos += n;
        Ok(value)
    }

    fn bounded(&mut self, max: i64, expected: &'static str) -> Result<i64, TimeError> {
        let at = self.pos;
        let value = self.digits(2, expected)?;
        if value > max {
            return Err(self.error_at(at, expected));
        }
        Ok(value)
    }

    /// `Z` or `±HH:MM`, as seconds east of UTC.
    fn zone(&mut self) -> Result<i64, TimeError> {
        let sign = match self.peek() {
            Some(b'Z' | b'z') => {
                self.pos += 1;
                return Ok(0);
            }
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Err(self.error("a time zone: `Z` or an offset such as `+01:00`")),
        };
        self.pos += 1;
        let hours = self.bounded(23, "offset hours from 00 to 23")?;
        self.expect(b':', "`:` in the offset")?;
        let minutes = self.bounded(59, "offset minutes from 00 to 59")?;
        Ok(sign * (hours * HOUR + minutes * MINUTE))
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn dates_are_midnight_utc() {
        assert_eq!(parse_instant("1970-01-01"), Ok(0));
        assert_eq!(parse_instant("2000-03-01"), Ok(951_868_800));
        assert_eq!(parse_instant("1969-12-31"), Ok(-DAY));
        assert_eq!(parse_instant(" 2024-02-29 "), Ok(1_709_164_800));
    }

    #[test]
    fn date_times_apply_their_offset_and_drop_fractions() {
        let utc = parse_instant("2026-11-20T10:00:00Z").unwrap();
        assert_eq!(parse_instant("2026-11-20t10:00:00z"), Ok(utc));
        assert_eq!(parse_instant("2026-11-20 10:00:00Z"), Ok(utc));
        assert_eq!(parse_instant("2026-11-20T05:30:00-04:30"), Ok(utc));
        assert_eq!(parse_instant("2026-11-20T10:00:00.999Z"), Ok(utc));
        assert_eq!(parse_instant("2026-11-20"), Ok(utc - 10 * HOUR));
    }

    #[test]
    fn bad_text_is_located() {
        let at = |t: &str| parse_instant(t).unwrap_err().offset;
        assert_eq!(at("2026-13-01"), 5);
        assert_eq!(at("2023-02-29"), 8);
        assert_eq!(at("2026-11-20T24:00:00Z"), 11);
        assert_eq!(at("2026-11-20T10:00:60Z"), 17);
        assert_eq!(at("2026-11-20T10:00:00"), 19);
        assert_eq!(at("2026-11-20T10:00:00Zjunk"), 20);
        assert_eq!(at("26-11-20"), 0);
        assert_eq!(at("  x"), 2);
        assert_eq!(at(""), 0);
    }

    #[test]
    fn formatting_round_trips() {
        for t in [0, -1, 951_868_800, 1_795_168_800, 253_402_300_799] {
            assert_eq!(parse_instant(&format_instant(t)), Ok(t));
        }
        assert_eq!(format_instant(LATEST + 1), "@253402300800");
        assert_eq!(format_instant(LATEST), "9999-12-31T23:59:59Z");
        assert_eq!(format_instant(EARLIEST), "0000-01-01T00:00:00Z");
        assert_eq!(format_instant(EARLIEST - 1), "@-62167219201");
        // An offset can carry a valid timestamp past either end.
        assert_eq!(parse_instant("9999-12-31T23:59:59-23:59"), Ok(LATEST + 23 * HOUR + 59 * MINUTE));
        assert_eq!(parse_instant("0000-01-01T00:00:00+23:59"), Ok(EARLIEST - 23 * HOUR - 59 * MINUTE));
        assert_eq!(format_duration(30 * DAY), "30d");
        assert_eq!(format_duration(2 * WEEK), "14d");
        assert_eq!(format_duration(5 * HOUR), "5h");
        assert_eq!(format_age(3 * DAY + 4 * HOUR + 5), "3d 4h");
    }
}
