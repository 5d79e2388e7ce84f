//! Telegram's rules for message text, as a pure function: the fake Telegram refuses what
//! Telegram refuses, and property tests check the bot's replies with the same code.
//!
//! The HTML rules follow Telegram's own parser (tdlib `MessageEntity.cpp`, `parse_html`, which the
//! Bot API server runs for `parse_mode=HTML`): supported tags, attribute syntax, nesting, entities,
//! and its error texts. One deliberate difference: Telegram keeps a bare `&` that starts no entity
//! as text, but its documentation requires `&amp;`; this checker refuses it, so an escaping bug
//! shows up in tests before a user sees a mangled message.

/// Telegram's limit for a message text, in UTF-16 code units after entity parsing.
pub const TEXT_LIMIT: usize = 4096;
/// Telegram's limit for a media caption, counted the same way.
pub const CAPTION_LIMIT: usize = 1024;

/// What a text is: the rules differ in limit and in whether it may be empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    Message,
    Caption,
}

/// Checks a text as Telegram does for `sendMessage`/`editMessageText` (`Message`) or a media
/// caption (`Caption`) with the given `parse_mode`. `Ok` holds what the user sees; `Err` holds
/// Telegram's `description` for the 400 answer.
pub fn check_text(text: &str, parse_mode: Option<&str>, kind: TextKind) -> Result<String, String> {
    let plain = match parse_mode {
        None | Some("") => text.to_owned(),
        Some(mode) if mode.eq_ignore_ascii_case("html") => {
            parse_html(text).map_err(|why| format!("Bad Request: can't parse entities: {why}"))?
        }
        // The bot only ever uses HTML; anything else in a test is a mistake worth a loud answer.
        Some(_) => return Err("Bad Request: unsupported parse_mode".to_owned()),
    };
    let units = plain.encode_utf16().count();
    match kind {
        TextKind::Message if plain.trim().is_empty() => {
            Err("Bad Request: message text is empty".to_owned())
        }
        TextKind::Message if units > TEXT_LIMIT => {
            Err("Bad Request: message is too long".to_owned())
        }
        TextKind::Caption if units > CAPTION_LIMIT => {
            Err("Bad Request: message caption is too long".to_owned())
        }
        _ => Ok(plain),
    }
}

/// What a user sees of an HTML text: tags removed, entities decoded. Panics on text Telegram
/// would refuse (tests call it on messages the fake already accepted).
pub fn plain_text(html: &str) -> String {
    parse_html(html).unwrap_or_else(|why| panic!("not valid Telegram HTML ({why}): {html:?}"))
}

const TAGS: &[&str] = &[
    "a",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "tg-emoji",
    "code",
    "pre",
    "blockquote",
];

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Parses Telegram HTML into the text the user sees. `Err` is the part of Telegram's description
/// after "can't parse entities: ".
pub fn parse_html(html: &str) -> Result<String, String> {
    let bytes = html.as_bytes();
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let mut out = String::with_capacity(html.len());
    // Open tags: (name, byte offset of '<', argument).
    let mut open: Vec<(String, usize, String)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'&' {
            match decode_entity(bytes, i) {
                Some((ch, next)) => {
                    out.push(ch);
                    i = next;
                    continue;
                }
                None => {
                    return Err(format!(
                        "Character \"&\" at byte offset {i} must be escaped as \"&amp;\""
                    ));
                }
            }
        }
        if c != b'<' {
            // Copy one UTF-8 character.
            let len = utf8_len(c);
            out.push_str(&html[i..i + len]);
            i += len;
            continue;
        }
        let begin = i;
        i += 1;
        if at(i) != b'/' {
            while at(i) != 0 && !is_space(at(i)) && at(i) != b'>' {
                i += 1;
            }
            if at(i) == 0 {
                return Err(format!("Unclosed start tag at byte offset {begin}"));
            }
            let name = html[begin + 1..i].to_ascii_lowercase();
            if !TAGS.contains(&name.as_str()) {
                return Err(format!(
                    "Unsupported start tag \"{name}\" at byte offset {begin}"
                ));
            }
            let mut argument = String::new();
            while at(i) != b'>' {
                while at(i) != 0 && is_space(at(i)) {
                    i += 1;
                }
                if at(i) == b'>' {
                    break;
                }
                if at(i) == 0 {
                    return Err(format!("Unclosed start tag at byte offset {begin}"));
                }
                let attr_begin = i;
                while at(i) != 0 && !is_space(at(i)) && at(i) != b'=' && at(i) != b'>' {
                    i += 1;
                }
                let attr = html[attr_begin..i].to_owned();
                if attr.is_empty() {
                    return Err(format!(
                        "Empty attribute name in the tag \"{name}\" at byte offset {begin}"
                    ));
                }
                while at(i) != 0 && is_space(at(i)) {
                    i += 1;
                }
                if at(i) != b'=' {
                    if name == "blockquote" && attr == "expandable" {
                        continue;
                    }
                    return Err(format!(
                        "Expected equal sign in declaration of an attribute of the tag \"{name}\" at byte offset {begin}"
                    ));
                }
                i += 1;
                while at(i) != 0 && is_space(at(i)) {
                    i += 1;
                }
                if at(i) == 0 {
                    return Err(format!(
                        "Unclosed start tag \"{name}\" at byte offset {begin}"
                    ));
                }
                let mut value = String::new();
                if at(i) != b'\'' && at(i) != b'"' {
                    while at(i).is_ascii_alphanumeric() || at(i) == b'.' || at(i) == b'-' {
                        value.push(at(i) as char);
                        i += 1;
                    }
                } else {
                    let quote = at(i);
                    i += 1;
                    while at(i) != 0 && at(i) != quote {
                        if at(i) == b'&'
                            && let Some((ch, next)) = decode_entity(bytes, i)
                        {
                            value.push(ch);
                            i = next;
                            continue;
                        }
                        let len = utf8_len(at(i));
                        value.push_str(&html[i..i + len]);
                        i += len;
                    }
                    if at(i) == quote {
                        i += 1;
                    }
                }
                if at(i) == 0 {
                    return Err(format!("Unclosed start tag at byte offset {begin}"));
                }
                match (name.as_str(), attr.as_str()) {
                    ("a", "href") | ("tg-emoji", "emoji-id") => argument = value,
                    ("code", "class") if value.starts_with("language-") => {
                        argument = value["language-".len()..].to_owned()
                    }
                    ("span", "class") if value.starts_with("tg-") => {
                        argument = value["tg-".len()..].to_owned()
                    }
                    _ => {}
                }
            }
            if name == "span" && argument != "spoiler" {
                return Err(format!(
                    "Tag \"span\" must have class \"tg-spoiler\" at byte offset {begin}"
                ));
            }
            i += 1; // '>'
            open.push((name, begin, argument));
        } else {
            let Some((name, _, argument)) = open.pop() else {
                return Err(format!("Unexpected end tag at byte offset {begin}"));
            };
            i += 1;
            let name_begin = i;
            while at(i) != 0 && !is_space(at(i)) && at(i) != b'>' {
                i += 1;
            }
            let end_name = &html[name_begin..i];
            while at(i) != 0 && is_space(at(i)) {
                i += 1;
            }
            if at(i) != b'>' {
                return Err(format!("Unclosed end tag at byte offset {begin}"));
            }
            if !end_name.is_empty() && end_name != name {
                return Err(format!(
                    "Unmatched end tag at byte offset {begin}, expected \"</{name}>\", found \"</{end_name}>\""
                ));
            }
            if name == "tg-emoji" && argument.parse::<i64>().map_or(true, |id| id == 0) {
                return Err("Invalid custom emoji identifier specified".to_owned());
            }
            i += 1; // '>'
        }
    }
    if let Some((name, _, _)) = open.last() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{name}\""
        ));
    }
    Ok(out)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xf0..=0xff => 4,
        0xe0..=0xef => 3,
        0xc0..=0xdf => 2,
        _ => 1,
    }
}

/// `&lt;` `&gt;` `&amp;` `&quot;` and numeric references (`&#38;`, `&#x26;`); Telegram also takes
/// them without the `;`. Returns the character and the offset after the reference.
fn decode_entity(bytes: &[u8], pos: usize) -> Option<(char, usize)> {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let mut end = pos + 1;
    let ch = if at(end) == b'#' {
        end += 1;
        let hex = at(end) == b'x';
        if hex {
            end += 1;
        }
        let start = end;
        let mut value: u32 = 0;
        while (hex && at(end).is_ascii_hexdigit()) || (!hex && at(end).is_ascii_digit()) {
            value = value
                .checked_mul(if hex { 16 } else { 10 })?
                .checked_add((at(end) as char).to_digit(16)?)?;
            if value >= 0x10ffff {
                return None;
            }
            end += 1;
        }
        if end == start {
            return None;
        }
        char::from_u32(value).filter(|c| *c != '\0')?
    } else {
        while at(end).is_ascii_alphabetic() {
            end += 1;
        }
        match &bytes[pos + 1..end] {
            b"lt" => '<',
            b"gt" => '>',
            b"amp" => '&',
            b"quot" => '"',
            _ => return None,
        }
    };
    if at(end) == b';' {
        end += 1;
    }
    Some((ch, end))
}
