//! `/start` and `/help`: what the bot does, the commands this user may use, their user id.

use super::Asker;
use crate::telegram::gate::{Ctx, Outcome, Status};
use crate::texts;

pub fn run(ctx: &Ctx, who: &Asker<'_>) -> Outcome {
    Outcome::text(
        texts::help(who.lang, who.user_id, who.is_admin, ctx.source.api()),
        Status::Ok,
    )
}
