//! The wall clock, read in one place: everything below it takes the time as a parameter.

/// The current time as Unix seconds, as stored in the database.
pub fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Unix seconds as a UTC time (the earliest representable one for a value out of range).
pub fn utc(unix: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(unix, 0).unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC)
}
