//! Languages and messages: sirr's two languages, their CLDR plural rules, and the messages the
//! server says (Project Fluent, `locales/{en,ar}/server.ftl`), shared by the server and the PDF
//! report (`sirr-report`, which keeps its own wording in its own message files).
//!
//! Code that refuses a request or explains a flag does not write a sentence: it names a message
//! ([`Msg`], made with [`msg!`]: an id plus its arguments). The sentence is made once the
//! reader's language is known ([`Msg::render`]); the server's `i18n` module finds that language
//! in the request.
//!
//! **Arabic text isolates every argument** (Fluent's `use_isolating`: FSI … PDI, U+2068/U+2069),
//! so item keys, names and numbers keep their own direction inside a right-to-left sentence.
//! English is rendered without the marks.
//!
//! **Counted nouns** do not use Fluent's own plural rules: `intl_pluralrules` 7.0.2 gets Arabic's
//! `few`/`many` wrong from 100 up (103 is "few" in CLDR, "other" there). Every numeric argument
//! `n` comes with a string argument `n-plural` holding its CLDR category from
//! [`Lang::plural`], and the messages select on that.
//!
//! This crate has no web, database or async dependency.

use std::borrow::Cow;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

/// The English messages.
pub const EN_FTL: &str = include_str!("../locales/en/server.ftl");
/// The Arabic messages.
pub const AR_FTL: &str = include_str!("../locales/ar/server.ftl");

/// A reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English, left to right.
    En,
    /// Arabic, right to left.
    Ar,
}

impl Lang {
    /// `en` or `ar`.
    ///
    /// # Errors
    /// A message naming the accepted values.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim() {
            "en" => Ok(Self::En),
            "ar" => Ok(Self::Ar),
            other => Err(format!("unknown language {other:?}; expected en or ar")),
        }
    }

    /// The BCP-47 tag (`en`, `ar`): also the key of checklist and organisation texts.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ar => "ar",
        }
    }

    /// The CLDR cardinal plural category of the integer `n` in this language.
    ///
    /// The rules are CLDR's (`plurals.xml`), written out for the two languages: Project Fluent's
    /// `intl_pluralrules` 7.0.2 drops the `% 100` of Arabic's `few` and `many` (it calls 103
    /// "other" where CLDR says "few"), and ICU4X's data is far larger than two rules.
    pub fn plural(self, n: usize) -> Category {
        match self {
            Self::En if n == 1 => Category::One,
            Self::En => Category::Other,
            Self::Ar => match (n, n % 100) {
                (0, _) => Category::Zero,
                (1, _) => Category::One,
                (2, _) => Category::Two,
                (_, 3..=10) => Category::Few,
                (_, 11..=99) => Category::Many,
                _ => Category::Other,
            },
        }
    }
}

/// A CLDR plural category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Category {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

/// A value a message is given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    /// A number (counts, distances, seconds); its plural category comes along.
    Num(f64),
    /// Text shown as is (a key, a name, a code).
    Str(String),
    /// Another message, rendered in the same language.
    Msg(Box<Msg>),
}

/// A message: its id in the `.ftl` files and its arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Msg {
    /// The message id (`not-found`, `flag-far-from-branch`, …).
    pub id: Cow<'static, str>,
    /// Named arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(Cow<'static, str>, Arg)>,
}

/// Makes a [`Msg`]: `msg!("id")`, `msg!("id", name = value, …)`; a value is anything
/// [`Into<Arg>`] (numbers, strings).
///
/// Ids are literal so that the coverage test can find every one in the source.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::Msg {
            id: ::std::borrow::Cow::Borrowed($id),
            args: vec![$((
                ::std::borrow::Cow::Borrowed(stringify!($name)),
                $crate::Arg::from($value),
            )),*],
        }
    };
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Self::Str(s)
    }
}
impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Self::Str(s.to_owned())
    }
}
impl From<Msg> for Arg {
    fn from(m: Msg) -> Self {
        Self::Msg(Box::new(m))
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Self::Str(s.clone())
    }
}
macro_rules! num_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn from(n: $t) -> Self {
                Self::Num(n as f64)
            }
        }
    )*};
}
num_arg!(f64, i64, u64, usize, u32, i32);

impl Msg {
    /// The message in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        render(lang, self)
    }
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// Text for a reader: a message, rendered once the reader's language is known.
///
/// There is deliberately no conversion from `&str` or `String`: a sentence written in code
/// would reach Arabic readers in English, so the compiler refuses it. Say it with [`msg!`].
#[derive(Debug, Clone, PartialEq)]
pub struct Text(pub Msg);

impl Text {
    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        self.0.render(lang)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl From<Msg> for Text {
    fn from(m: Msg) -> Self {
        Self(m)
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// The messages of one language.
pub type Bundle = FluentBundle<FluentResource>;

/// The bundle of one message file (`isolate`: Fluent's FSI … PDI around every argument).
pub fn bundle(tag: &str, source: &'static str, isolate: bool) -> Bundle {
    let lang: unic_langid::LanguageIdentifier = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    bundle.set_use_isolating(isolate);
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(res, errors)| {
        tracing::error!(?errors, tag, "message file has errors");
        res
    });
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(?errors, tag, "message file has duplicate ids");
    }
    bundle
}

fn bundles() -> &'static [Bundle; 2] {
    static BUNDLES: OnceLock<[Bundle; 2]> = OnceLock::new();
    BUNDLES.get_or_init(|| [bundle("en", EN_FTL, false), bundle("ar", AR_FTL, true)])
}

fn category_name(c: Category) -> &'static str {
    match c {
        Category::Zero => "zero",
        Category::One => "one",
        Category::Two => "two",
        Category::Few => "few",
        Category::Many => "many",
        Category::Other => "other",
    }
}

/// The CLDR plural category of `n` in `lang` (`other` for fractions and negatives).
pub fn plural(lang: Lang, n: f64) -> &'static str {
    if n >= 0.0 && n.fract() == 0.0 && n < 1e15 {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        category_name(lang.plural(n as usize))
    } else {
        "other"
    }
}

/// Renders `msg` in `lang`; a message missing in `lang` falls back to English, and one missing
/// everywhere to its id (the coverage test keeps both from happening).
pub fn render(lang: Lang, msg: &Msg) -> String {
    let all = bundles();
    let mut args = FluentArgs::new();
    for (name, value) in &msg.args {
        match value {
            Arg::Num(n) => {
                args.set(
                    format!("{name}-plural"),
                    FluentValue::from(plural(lang, *n)),
                );
                args.set(name.as_ref(), FluentValue::from(*n));
            }
            Arg::Str(s) => args.set(name.as_ref(), FluentValue::from(s.as_str())),
            Arg::Msg(m) => args.set(name.as_ref(), FluentValue::from(render(lang, m))),
        }
    }
    format(all, lang, &msg.id, &args)
}

/// Message `id` of `all` (English, Arabic) in `lang` with `args`, falling back to English and
/// then to the id.
pub fn format(all: &[Bundle; 2], lang: Lang, id: &str, args: &FluentArgs<'_>) -> String {
    let order: &[usize] = match lang {
        Lang::En => &[0],
        Lang::Ar => &[1, 0],
    };
    for &i in order {
        let bundle = &all[i];
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(args), &mut errors);
            if !errors.is_empty() {
                tracing::warn!(id, ?errors, "message rendered with errors");
            }
            return text.into_owned();
        }
    }
    tracing::error!(id, "no such message");
    id.to_owned()
}
