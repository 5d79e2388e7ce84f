//! The wall clock, read in one place: everything below it takes the time as a parameter.

/// The current time as Unix seconds, as stored in the database.
pub fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}
