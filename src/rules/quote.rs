//! Quoting what a user typed back to them in an error sentence, safely.

/// Longest piece of user text quoted back in an error, in characters (then `…`).
const QUOTE_CHARS: usize = 24;

/// Quotes a word the user typed in an error sentence: at most 24 characters plus `…`, with
/// control and bidirectional-formatting characters replaced by `�` so a reply cannot be
/// reordered or broken by what is quoted. No HTML is built here: the reply escapes it.
pub fn quote(text: &str) -> String {
    let mut out = String::from("“");
    let mut chars = text.chars();
    for c in chars.by_ref().take(QUOTE_CHARS) {
        out.push(if is_unsafe_in_reply(c) { '�' } else { c });
    }
    if chars.next().is_some() {
        out.push('…');
    }
    out.push('”');
    out
}

/// Characters that make a quoted word misleading or unreadable: controls (newlines included)
/// and the invisible marks that change the direction of the text around them.
fn is_unsafe_in_reply(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_short_and_safe() {
        assert_eq!(quote("25:00"), "“25:00”");
        assert_eq!(quote(&"a".repeat(24)), format!("“{}”", "a".repeat(24)));
        assert_eq!(quote(&"a".repeat(25)), format!("“{}…”", "a".repeat(24)));
        assert_eq!(quote("a\u{202E}b\nc"), "“a�b�c”");
        assert_eq!(quote(&"💰".repeat(40)).chars().count(), 24 + 3);
        assert_eq!(quote(""), "“”");
    }
}
