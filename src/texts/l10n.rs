//! The message files: one Fluent file per language (`src/texts/locales/<code>.ftl`), compiled
//! into the binary and parsed once, on first use. English (`en.ftl`) is the source: every other
//! file has the same messages with the same variables (a test holds them to it), and a message
//! missing from one is read in English rather than not at all.
//!
//! A message is rendered with [`t!`](crate::t) (or [`render`]), its variables given as [`Var`]s:
//! plain text is HTML-escaped here, so a caller cannot forget it; markup the texts built is passed
//! as [`html`]; amounts, currency codes, ids, addresses, hashes and times are passed as [`fig`]
//! and stay left to right in right-to-left languages (see [`fig`]). Fluent's own isolation of
//! every placeable (FSI…PDI) is off: it would put invisible characters into every copied amount
//! in every language, and Telegram Desktop does not apply isolates reliably.

use std::borrow::Cow;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use teloxide::utils::html::escape;

use super::lang::Lang;

/// Each language's message file, as compiled in. Adding a language: its file here and its
/// variant in [`Lang`].
pub const SOURCES: [(Lang, &str); 6] = [
    (Lang::En, include_str!("locales/en.ftl")),
    (Lang::Ru, include_str!("locales/ru.ftl")),
    (Lang::Fa, include_str!("locales/fa.ftl")),
    (Lang::Ar, include_str!("locales/ar.ftl")),
    (Lang::Tr, include_str!("locales/tr.ftl")),
    (Lang::Es, include_str!("locales/es.ftl")),
];

/// Left-to-right mark: a strong left-to-right character that every bidi implementation knows.
pub const LRM: char = '\u{200E}';

static BUNDLES: LazyLock<Vec<(Lang, FluentBundle<FluentResource>)>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(lang, source)| (*lang, bundle(*lang, source)))
        .collect()
});

fn bundle(lang: Lang, source: &str) -> FluentBundle<FluentResource> {
    let id = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    // A file with a syntax error keeps every message that parsed (a test refuses any error).
    let resource =
        FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, errors)| {
            tracing::error!(
                lang = lang.code(),
                ?errors,
                "message file has syntax errors"
            );
            partial
        });
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(
            lang = lang.code(),
            ?errors,
            "message file defines a message twice"
        );
    }
    bundle
}

fn bundle_of(lang: Lang) -> &'static FluentBundle<FluentResource> {
    let bundles = &*BUNDLES;
    let found = bundles.iter().find(|(l, _)| *l == lang);
    &found.unwrap_or(&bundles[0]).1
}

/// One variable of a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Var {
    /// Text from anywhere: HTML-escaped when rendered.
    Text(String),
    /// Markup the texts built (escaped where it holds outside text): inserted as it is.
    Html(String),
    /// A figure (amount, currency code, id, address, hash, time): escaped, and in a right-to-left
    /// language kept left to right between two LRM marks.
    Fig(String),
    /// A figure shown as code (tap to copy): `<code>` around the escaped figure, the LRM marks
    /// of a right-to-left language outside it so they are never copied.
    Code(String),
    /// A count: chooses the plural form (CLDR rules of the language) and prints in ASCII digits.
    Num(i64),
}

/// Markup the texts built, inserted as it is.
pub fn html(s: impl Into<String>) -> Var {
    Var::Html(s.into())
}

/// A figure that must read the same in every language (see [`Var::Fig`]).
pub fn fig(s: impl ToString) -> Var {
    Var::Fig(s.to_string())
}

/// A figure shown as `<code>` (see [`Var::Code`]).
pub fn code(s: impl ToString) -> Var {
    Var::Code(s.to_string())
}

impl From<&str> for Var {
    fn from(s: &str) -> Self {
        Var::Text(s.to_owned())
    }
}

impl From<String> for Var {
    fn from(s: String) -> Self {
        Var::Text(s)
    }
}

impl From<&String> for Var {
    fn from(s: &String) -> Self {
        Var::Text(s.clone())
    }
}

macro_rules! count_var {
    ($($t:ty),*) => {$(
        impl From<$t> for Var {
            fn from(n: $t) -> Self {
                Var::Num(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
count_var!(i64, u64, usize, u32, i32);

/// Markup that keeps `html` left to right in a right-to-left language: LRM on each side (the
/// marks stay outside any tag, so tapping a `<code>` copies the figure alone).
pub fn ltr(lang: Lang, html: &str) -> String {
    if lang.is_rtl() {
        format!("{LRM}{html}{LRM}")
    } else {
        html.to_owned()
    }
}

impl Var {
    fn value(&self, lang: Lang) -> FluentValue<'static> {
        match self {
            Var::Text(s) => FluentValue::String(Cow::Owned(escape(s))),
            Var::Html(s) => FluentValue::String(Cow::Owned(s.clone())),
            Var::Fig(s) => FluentValue::String(Cow::Owned(ltr(lang, &escape(s)))),
            Var::Code(s) => {
                let code = format!("<code>{}</code>", escape(s));
                FluentValue::String(Cow::Owned(ltr(lang, &code)))
            }
            Var::Num(n) => FluentValue::from(*n),
        }
    }
}

/// Message `id` in `lang` with its variables; in English when `lang`'s file lacks it. An id no
/// file has is a bug: it is logged and the id itself is returned, so a reply still goes out.
pub fn render(lang: Lang, id: &str, vars: &[(&str, Var)]) -> String {
    let mut args = FluentArgs::with_capacity(vars.len());
    for (name, var) in vars {
        args.set(*name, var.value(lang));
    }
    let (bundle, message) = match bundle_of(lang).get_message(id) {
        Some(m) => (bundle_of(lang), m),
        None => match bundle_of(Lang::En).get_message(id) {
            Some(m) => (bundle_of(Lang::En), m),
            None => {
                tracing::error!(id, "no message file has this message");
                return id.to_owned();
            }
        },
    };
    let Some(pattern) = message.value() else {
        tracing::error!(id, lang = lang.code(), "message has no value");
        return id.to_owned();
    };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
    if !errors.is_empty() {
        tracing::error!(
            id,
            lang = lang.code(),
            ?errors,
            "message rendered with errors"
        );
    }
    if lang.is_rtl() {
        commands_left_to_right(&text)
    } else {
        text.into_owned()
    }
}

/// In right-to-left text a `/command` starts a left-to-right run whose slash the bidi algorithm
/// would pull to the run's right end (`alert off/`): an LRM before each command (before its
/// `<code>` tag when it has one, so a tap copies the command alone) keeps the slash in front.
pub fn commands_left_to_right(text: &str) -> String {
    const CODE: &str = "<code>";
    let mut out = String::with_capacity(text.len() + 16);
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let starts_command = c == '/'
            && chars.peek().is_some_and(|n| n.is_ascii_lowercase())
            && prev.is_none_or(|p| {
                p.is_whitespace() || matches!(p, '(' | '«' | '>') || is_rtl_letter(p)
            });
        if starts_command {
            if out.ends_with(CODE) {
                let at = out.len() - CODE.len();
                if !out[..at].ends_with(LRM) {
                    out.insert(at, LRM);
                }
            } else if prev != Some(LRM) {
                out.push(LRM);
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// A letter of a right-to-left script (Arabic, Persian, Hebrew): a word such as Arabic «و»
/// ("and") may be written joined to the command that follows it.
fn is_rtl_letter(c: char) -> bool {
    c.is_alphabetic() && matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

/// Renders a message: `t!(lang, "alert-set", subject = html(s), level = fig(l))`. Each value is
/// anything that converts into a [`Var`] (`&str` and `String` are plain text, counts are
/// numbers).
#[macro_export]
macro_rules! t {
    ($lang:expr, $id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::texts::l10n::render(
            $lang,
            $id,
            &[$((stringify!($name), $crate::texts::l10n::Var::from($value))),*],
        )
    };
}

/// The ids of the messages in a message file, each with the variables it uses: for the tests
/// that hold every language to the English file and render every message.
///
/// # Errors
/// The file's syntax errors, described.
pub fn inventory(source: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    use fluent_syntax::ast;
    let resource = fluent_syntax::parser::parse(source).map_err(|(_, errors)| {
        errors
            .iter()
            .map(|e| format!("{e:?}"))
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    let mut out = Vec::new();
    for entry in resource.body {
        if let ast::Entry::Message(m) = entry {
            let mut vars = Vec::new();
            if let Some(p) = &m.value {
                pattern_vars(p, &mut vars);
            }
            vars.sort();
            vars.dedup();
            out.push((m.id.name.to_owned(), vars));
        }
    }
    Ok(out)
}

fn pattern_vars(p: &fluent_syntax::ast::Pattern<&str>, out: &mut Vec<String>) {
    use fluent_syntax::ast::PatternElement;
    for element in &p.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_vars(expression, out);
        }
    }
}

fn expression_vars(e: &fluent_syntax::ast::Expression<&str>, out: &mut Vec<String>) {
    use fluent_syntax::ast::{Expression, InlineExpression};
    let inline = |i: &InlineExpression<&str>, out: &mut Vec<String>| match i {
        InlineExpression::VariableReference { id } => out.push(id.name.to_owned()),
        InlineExpression::Placeable { expression } => expression_vars(expression, out),
        _ => {}
    };
    match e {
        Expression::Inline(i) => inline(i, out),
        Expression::Select { selector, variants } => {
            inline(selector, out);
            for v in variants {
                pattern_vars(&v.value, out);
            }
        }
    }
}

impl Var {
    /// The variable as it is inserted into a message: for texts that put it together with
    /// markup of their own.
    pub fn to_html(&self, lang: Lang) -> String {
        match self.value(lang) {
            FluentValue::String(s) => s.into_owned(),
            FluentValue::Number(n) => n.as_string().into_owned(),
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses() {
        for (lang, source) in SOURCES {
            if let Err(e) = inventory(source) {
                panic!("{lang}.ftl: {e}");
            }
        }
    }

    /// Every language has every message of the English file with the same variables, and no
    /// message English does not have. The failure lists what to add or remove, per file.
    #[test]
    fn every_language_has_every_message_and_variable_of_english() {
        let english = inventory(SOURCES[0].1).unwrap();
        let mut problems = Vec::new();
        for (lang, source) in &SOURCES[1..] {
            let theirs = inventory(source).unwrap();
            for (id, vars) in &english {
                match theirs.iter().find(|(i, _)| i == id) {
                    None => problems.push(format!("{lang}.ftl: missing message {id}")),
                    Some((_, v)) if v != vars => problems.push(format!(
                        "{lang}.ftl: {id} uses {v:?}, English uses {vars:?}"
                    )),
                    Some(_) => {}
                }
            }
            for (id, _) in &theirs {
                if !english.iter().any(|(i, _)| i == id) {
                    problems.push(format!("{lang}.ftl: extra message {id} (not in en.ftl)"));
                }
            }
            let mut ids: Vec<&String> = theirs.iter().map(|(i, _)| i).collect();
            ids.sort();
            ids.dedup();
            if ids.len() != theirs.len() {
                problems.push(format!("{lang}.ftl: a message is defined twice"));
            }
        }
        assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    }

    #[test]
    fn figures_stay_left_to_right_in_rtl_languages_only() {
        assert_eq!(fig("0.5").to_html(Lang::En), "0.5");
        assert_eq!(fig("0.5").to_html(Lang::Fa), "\u{200E}0.5\u{200E}");
        assert_eq!(
            code("1<2").to_html(Lang::Ar),
            "\u{200E}<code>1&lt;2</code>\u{200E}"
        );
        assert_eq!(Var::from("<b>").to_html(Lang::Fa), "&lt;b&gt;");
        assert_eq!(html("<b>x</b>").to_html(Lang::Fa), "<b>x</b>");
    }

    #[test]
    fn commands_keep_their_slash_in_front_in_rtl_text() {
        let l = LRM;
        assert_eq!(
            commands_left_to_right("با /alert off و <code>/mute 2h</code> یا a/b"),
            format!("با {l}/alert off و {l}<code>/mute 2h</code> یا a/b")
        );
        // Idempotent: a text already marked is left as it is.
        let once = commands_left_to_right("(/help)");
        assert_eq!(commands_left_to_right(&once), once);
        assert_eq!(once, format!("({l}/help)"));
        // Arabic writes «and» joined to the word after it: «و/report off».
        assert_eq!(
            commands_left_to_right("و/report off"),
            format!("و{l}/report off")
        );
    }

    #[test]
    fn a_missing_message_falls_back_to_english_then_to_its_id() {
        assert_eq!(render(Lang::Ru, "no-such-message", &[]), "no-such-message");
        assert_eq!(
            render(Lang::En, "alerts-removed", &[("count", Var::Num(3))]),
            "All 3 alerts of this chat were removed."
        );
    }
}
