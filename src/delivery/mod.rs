//! Telegram out: sending a text, an edit or a photo with what each failure means; replies with
//! their migrate-and-retry; what a failure does to a chat; and the worker that empties the
//! outbox at Telegram's pace.

pub mod chats;
pub mod reply;
pub mod send;
pub mod worker;
