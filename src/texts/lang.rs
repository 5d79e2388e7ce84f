//! The languages the bot speaks, and which one a chat reads.
//!
//! A private chat follows its user's Telegram `language_code` unless `/lang` set one; a group
//! reads what `/lang` set there, else English. Telegram sends codes like `ru`, `ru-RU`, `pt-br`;
//! the part before the first `-` or `_` decides, and anything the bot does not speak is English.

use std::fmt;

/// A language the bot's texts are written in. English is the source of every message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Lang {
    #[default]
    En,
    Ru,
    Fa,
    Ar,
    Tr,
    Es,
}

impl Lang {
    /// Every language, English first (the order of the menus and of `/lang`'s list).
    pub const ALL: [Lang; 6] = [Lang::En, Lang::Ru, Lang::Fa, Lang::Ar, Lang::Tr, Lang::Es];

    /// The language of a Telegram `language_code`: its primary subtag, case-insensitive; English
    /// for none and for a language the bot does not speak.
    pub fn from_telegram(code: Option<&str>) -> Lang {
        code.and_then(Lang::parse).unwrap_or(Lang::En)
    }

    /// A language code as typed after `/lang` or sent by Telegram (`ru`, `RU`, `ru-RU`, `fa_IR`);
    /// `None` when the bot does not speak it.
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or("");
        Lang::ALL
            .into_iter()
            .find(|l| primary.eq_ignore_ascii_case(l.code()))
    }

    /// The chat's language: the one `/lang` set (`set`), else the language Telegram last gave for
    /// the private chat's user (`seen`; groups have none), else English.
    pub fn of_chat(set: Option<&str>, seen: Option<&str>) -> Lang {
        match set.and_then(Lang::parse) {
            Some(lang) => lang,
            None => Lang::from_telegram(seen),
        }
    }

    /// The two-letter ISO 639-1 code (what `setMyCommands` and `/lang` take).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Fa => "fa",
            Lang::Ar => "ar",
            Lang::Tr => "tr",
            Lang::Es => "es",
        }
    }

    /// Written right to left: figures in its texts are kept left to right (see `texts::fig`).
    pub fn is_rtl(self) -> bool {
        matches!(self, Lang::Fa | Lang::Ar)
    }

    /// The language's own name for itself.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ru => "Русский",
            Lang::Fa => "فارسی",
            Lang::Ar => "العربية",
            Lang::Tr => "Türkçe",
            Lang::Es => "Español",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telegram_codes_map_by_their_primary_subtag() {
        let t = |c: Option<&str>| Lang::from_telegram(c);
        assert_eq!(t(Some("ru")), Lang::Ru);
        assert_eq!(t(Some("ru-RU")), Lang::Ru);
        assert_eq!(t(Some("FA")), Lang::Fa);
        assert_eq!(t(Some("fa_IR")), Lang::Fa);
        assert_eq!(t(Some("ar")), Lang::Ar);
        assert_eq!(t(Some("tr")), Lang::Tr);
        assert_eq!(t(Some("es-419")), Lang::Es);
        assert_eq!(t(Some("de")), Lang::En);
        assert_eq!(t(Some("")), Lang::En);
        assert_eq!(t(Some("russian")), Lang::En);
        assert_eq!(t(None), Lang::En);
    }

    #[test]
    fn a_chat_reads_what_was_set_else_what_telegram_said() {
        assert_eq!(Lang::of_chat(Some("es"), Some("ru")), Lang::Es);
        assert_eq!(Lang::of_chat(None, Some("ru-RU")), Lang::Ru);
        assert_eq!(Lang::of_chat(None, None), Lang::En);
        // A stored code the bot no longer speaks falls back, never fails.
        assert_eq!(Lang::of_chat(Some("xx"), Some("fa")), Lang::Fa);
    }

    #[test]
    fn codes_round_trip_and_only_fa_and_ar_are_rtl() {
        for l in Lang::ALL {
            assert_eq!(Lang::parse(l.code()), Some(l));
            assert_eq!(l.is_rtl(), matches!(l, Lang::Fa | Lang::Ar));
        }
    }
}
