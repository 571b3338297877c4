//! Where exactly a problem is (the puddle by gate 2), beside the place in the tenancy tree.
//!
//! Decisions:
//! - coordinates are whole micro-degrees (`i32`), about 11 cm on the ground: finer than a phone's fix,
//!   exact to compare and store, and no float ever decides equality. Input in degrees is rounded once,
//!   half away from zero, at the edge;
//! - the datum travels with the pair. WeChat's `wx.getLocation` answers in WGS-84 (GPS) or, when asked,
//!   GCJ-02 (the offset datum Chinese maps draw in). Converting between them is the map client's job; we
//!   keep what we were given and say which it is;
//! - GCJ-02 is only defined inside China, so a GCJ-02 pair outside the usual bounding box (the one every
//!   converter uses for its "out of China" test) is refused.

use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::Invalid;
use crate::topic::TopicError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Datum {
    /// GPS coordinates, as `wx.getLocation({ type: 'wgs84' })` returns them.
    Wgs84,
    /// 国测局坐标, as Tencent and AMap maps and `wx.getLocation({ type: 'gcj02' })` use them.
    Gcj02,
}

impl Datum {
    pub const ALL: [Datum; 2] = [Datum::Wgs84, Datum::Gcj02];

    pub const fn as_str(self) -> &'static str {
        match self {
            Datum::Wgs84 => "wgs84",
            Datum::Gcj02 => "gcj02",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|datum| datum.as_str() == input)
            .ok_or_else(|| Invalid::UnknownValue { field: "datum", given: input.to_owned() })
    }
}

const MICRO: i64 = 1_000_000;
const MAX_LAT: i32 = 90_000_000;
const MAX_LNG: i32 = 180_000_000;
/// Latitude and longitude bounds of China in micro-degrees, as coordinate converters test them.
const CHINA_LAT: (i32, i32) = (829_300, 55_827_100);
const CHINA_LNG: (i32, i32) = (72_004_000, 137_834_700);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Location {
    datum: Datum,
    lat_micro: i32,
    lng_micro: i32,
}

impl Location {
    pub fn from_micro_degrees(datum: Datum, lat_micro: i32, lng_micro: i32) -> Result<Self, TopicError> {
        if !(-MAX_LAT..=MAX_LAT).contains(&lat_micro) || !(-MAX_LNG..=MAX_LNG).contains(&lng_micro) {
            return Err(TopicError::Location);
        }
        let in_china =
            (CHINA_LAT.0..=CHINA_LAT.1).contains(&lat_micro) && (CHINA_LNG.0..=CHINA_LNG.1).contains(&lng_micro);
        if datum == Datum::Gcj02 && !in_china {
            return Err(TopicError::LocationOutsideChina);
        }
        Ok(Self { datum, lat_micro, lng_micro })
    }

    /// Decimal degrees as text ("39.9087243"), the form GeoReport and most clients send.
    pub fn parse_degrees(datum: Datum, lat: &str, lng: &str) -> Result<Self, TopicError> {
        Self::from_micro_degrees(datum, micro_of_text(lat)?, micro_of_text(lng)?)
    }

    /// Degrees as a GraphQL `Float` arrives; converted to whole micro-degrees here and never used again.
    pub fn from_degrees(datum: Datum, lat: f64, lng: f64) -> Result<Self, TopicError> {
        Self::from_micro_degrees(datum, micro_of_float(lat)?, micro_of_float(lng)?)
    }

    pub const fn datum(&self) -> Datum {
        self.datum
    }

    pub const fn lat_micro(&self) -> i32 {
        self.lat_micro
    }

    pub const fn lng_micro(&self) -> i32 {
        self.lng_micro
    }

    /// Latitude in degrees, exactly.
    pub fn latitude(&self) -> Decimal {
        Decimal::new(i64::from(self.lat_micro), 6)
    }

    /// Longitude in degrees, exactly.
    pub fn longitude(&self) -> Decimal {
        Decimal::new(i64::from(self.lng_micro), 6)
    }
}

fn micro_of_text(input: &str) -> Result<i32, TopicError> {
    let trimmed = input.trim();
    if trimmed.is_empty() || !trimmed.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-') {
        return Err(TopicError::Location);
    }
    let degrees = Decimal::from_str(trimmed).map_err(|_| TopicError::Location)?;
    let micro = degrees.checked_mul(Decimal::from(MICRO)).ok_or(TopicError::Location)?;
    micro.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero).to_i32().ok_or(TopicError::Location)
}

fn micro_of_float(degrees: f64) -> Result<i32, TopicError> {
    if !degrees.is_finite() {
        return Err(TopicError::Location);
    }
    let micro = (degrees * 1_000_000.0).round();
    if micro.abs() > f64::from(MAX_LNG) {
        return Err(TopicError::Location);
    }
    // In range of i32 by the check above, so the cast neither saturates nor truncates.
    Ok(micro as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degrees_are_kept_as_whole_micro_degrees_rounded_once() {
        let tiananmen = Location::parse_degrees(Datum::Gcj02, "39.9087243", "116.3974996");
        assert_eq!(tiananmen.clone().map(|l| (l.lat_micro(), l.lng_micro())), Ok((39_908_724, 116_397_500)));
        let from_float = Location::from_degrees(Datum::Gcj02, 39.9087243, 116.3974996);
        assert_eq!(from_float, tiananmen.clone());
        assert_eq!(tiananmen.map(|l| l.latitude().to_string()), Ok("39.908724".to_owned()));
    }

    #[test]
    fn half_a_micro_degree_rounds_away_from_zero() {
        let point = Location::parse_degrees(Datum::Wgs84, "0.0000005", "-0.0000005");
        assert_eq!(point.map(|l| (l.lat_micro(), l.lng_micro())), Ok((1, -1)));
    }

    #[test]
    fn wgs84_accepts_the_whole_globe_and_nothing_beyond() {
        assert!(Location::parse_degrees(Datum::Wgs84, "-90", "180").is_ok());
        assert!(Location::parse_degrees(Datum::Wgs84, "51.5", "-0.12").is_ok());
        assert_eq!(Location::parse_degrees(Datum::Wgs84, "90.000001", "0"), Err(TopicError::Location));
        assert_eq!(Location::parse_degrees(Datum::Wgs84, "0", "-180.5"), Err(TopicError::Location));
        assert_eq!(Location::from_degrees(Datum::Wgs84, f64::NAN, 0.0), Err(TopicError::Location));
    }

    #[test]
    fn gcj02_outside_china_is_refused() {
        assert_eq!(Location::parse_degrees(Datum::Gcj02, "51.5", "-0.12"), Err(TopicError::LocationOutsideChina));
        assert!(Location::parse_degrees(Datum::Gcj02, "36.6", "114.5").is_ok());
    }

    #[test]
    fn text_that_is_not_a_plain_decimal_is_refused() {
        for bad in ["", "北纬39", "3.9e1", "39,9", "--1"] {
            assert_eq!(Location::parse_degrees(Datum::Wgs84, bad, "116"), Err(TopicError::Location), "{bad:?}");
        }
    }

    #[test]
    fn datums_round_trip_through_their_codes() {
        for datum in Datum::ALL {
            assert_eq!(Datum::parse(datum.as_str()), Ok(datum));
        }
        assert!(Datum::parse("bd09").is_err());
    }
}
