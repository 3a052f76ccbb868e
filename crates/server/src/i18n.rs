//! Server-originated text in the reader's language (SPEC §10.31), with Project Fluent.
//!
//! Code that refuses a request or explains a flag does not write a sentence: it names a message
//! ([`Msg`]: an id in `locales/{en,ar}/server.ftl` plus its arguments). The sentence is made once
//! the reader's language is known:
//!
//! * API errors leave [`crate::api::error::ApiError`] in English (the body every client has always
//!   read) and carry their messages along; [`localize_errors`], the one middleware that knows
//!   the request, re-renders the body when the reader's language is not English.
//! * Handlers that return text in a successful answer (QA's plausibility flags) take the
//!   [`ReaderLang`] extractor.
//!
//! The reader's language is, in this order: the `lang` query parameter where an endpoint has one
//! (reports), the signed-in user's saved language (`PATCH /api/v1/me`), `Accept-Language`, and
//! English. The saved language is read from the database only when text is rendered (an error
//! response, a review), never on every request, and nothing about it lives in process memory, so
//! several server processes on one database agree.
//!
//! **Arabic text isolates every argument** (Fluent's `use_isolating`: FSI … PDI, U+2068/U+2069),
//! so item keys, names and numbers keep their own direction inside a right-to-left sentence.
//! English is rendered without the marks.
//!
//! The PDF report's wording is in `locales/{en,ar}/report.ftl`, in bundles of its own
//! ([`crate::report::i18n`]); the coverage test below checks both files.
//!
//! **Counted nouns** do not use Fluent's own plural rules: `intl_pluralrules` 7.0.2 gets Arabic's
//! `few`/`many` wrong from 100 up (103 is "few" in CLDR, "other" there). Every numeric argument
//! `n` comes with a string argument `n-plural` holding its CLDR category from
//! [`crate::report::i18n::Lang::plural`], and the messages select on that.

use std::borrow::Cow;
use std::sync::OnceLock;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest, web};
use diesel::prelude::*;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

use crate::report::i18n::Category;
pub use crate::report::i18n::Lang;

/// The English messages.
pub const EN_FTL: &str = include_str!("../locales/en/server.ftl");
/// The Arabic messages.
pub const AR_FTL: &str = include_str!("../locales/ar/server.ftl");

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
        $crate::i18n::Msg {
            id: ::std::borrow::Cow::Borrowed($id),
            args: vec![$((
                ::std::borrow::Cow::Borrowed(stringify!($name)),
                $crate::i18n::Arg::from($value),
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
pub(crate) type Bundle = FluentBundle<FluentResource>;

/// The bundle of one message file (`isolate`: Fluent's FSI … PDI around every argument).
pub(crate) fn bundle(tag: &str, source: &'static str, isolate: bool) -> Bundle {
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
pub(crate) fn format(all: &[Bundle; 2], lang: Lang, id: &str, args: &FluentArgs<'_>) -> String {
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

/// The `lang` parameter (`en` when absent), or a 400 naming it.
pub fn lang_parameter(raw: Option<&str>) -> Result<Lang, crate::api::error::ApiError> {
    let raw = raw.unwrap_or("en");
    Lang::parse(raw).map_err(|_| {
        crate::api::error::ApiError::bad_request(
            "lang",
            crate::msg!(
                "lang-parameter-unknown",
                quoted = format!("{:?}", raw.trim())
            ),
        )
    })
}

/// The first of `ar` or `en` in an `Accept-Language` header, by quality.
pub fn from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(f32, Lang)> = None;
    for part in header.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q=").map(str::trim))
            .map_or(Some(1.0), |q| q.parse::<f32>().ok())
            .unwrap_or(0.0);
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        let lang = match primary {
            "ar" => Lang::Ar,
            "en" => Lang::En,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, l)| l)
}

/// What a request says about its reader before the database is asked: the `lang` query
/// parameter, the signed-in user (from a valid access token) and `Accept-Language`.
#[derive(Debug, Clone)]
pub struct Hints {
    query: Option<Lang>,
    token: Option<String>,
    accept: Option<Lang>,
}

impl Hints {
    /// Reads the hints of `req`.
    pub fn of(req: &HttpRequest) -> Self {
        let query = web::Query::<LangQuery>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.lang.as_deref().and_then(|l| Lang::parse(l).ok()));
        // Kept as it came; checked only when text is rendered.
        let token = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(|t| t.trim().to_owned());
        let accept = req
            .headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(from_accept_language);
        Self {
            query,
            token,
            accept,
        }
    }

    /// The reader's language: query, saved, header, English. Reads the saved language only
    /// when no query parameter decides, and falls back quietly when the database cannot say.
    pub async fn resolve(self, state: Option<&web::Data<crate::startup::AppState>>) -> Lang {
        if let Some(lang) = self.query {
            return lang;
        }
        let user = match (&self.token, state) {
            (Some(token), Some(state)) => state.keys.verify(token).ok().map(|c| c.sub),
            _ => None,
        };
        if let (Some(user), Some(state)) = (user, state) {
            let saved = state
                .db_once(move |conn| {
                    use sirr_store::schema::users;
                    Ok(users::table
                        .find(&user)
                        .select(users::language)
                        .first::<Option<String>>(conn)
                        .optional()?
                        .flatten())
                })
                .await;
            if let Ok(Some(saved)) = saved
                && let Ok(lang) = Lang::parse(&saved)
            {
                return lang;
            }
        }
        self.accept.unwrap_or(Lang::En)
    }
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// The reader's language, as an extractor (see the module documentation for the order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReaderLang(pub Lang);

impl FromRequest for ReaderLang {
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let hints = Hints::of(req);
        let state = req
            .app_data::<web::Data<crate::startup::AppState>>()
            .cloned();
        Box::pin(async move { Ok(Self(hints.resolve(state.as_ref()).await)) })
    }
}

/// An error body that can be rendered again in another language (put into the response's
/// extensions by whoever built the English body).
#[derive(Debug, Clone)]
pub struct LocalError {
    /// The stable code.
    pub code: &'static str,
    /// The message.
    pub message: Text,
    /// `(path, problem)` pairs.
    pub details: Vec<(String, Text)>,
}

impl LocalError {
    /// The `{"error": …}` body in `lang`.
    pub fn body(&self, lang: Lang) -> serde_json::Value {
        let message = self.message.render(lang);
        let details: Vec<serde_json::Value> = self
            .details
            .iter()
            .map(|(path, problem)| {
                serde_json::json!({
                    "path": path,
                    "problem": problem.render(lang),
                })
            })
            .collect();
        serde_json::json!({"error": {"code": self.code, "message": message, "details": details}})
    }
}

/// Middleware: an error response whose body was built in English is rendered again in the
/// reader's language. Successful responses pass untouched (and cost nothing).
///
/// # Errors
/// Whatever the inner service fails with.
pub async fn localize_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let hints = Hints::of(req.request());
    let state = req
        .app_data::<web::Data<crate::startup::AppState>>()
        .cloned();
    let res = next.call(req).await?.map_into_boxed_body();
    let Some(local) = res.response().extensions().get::<LocalError>().cloned() else {
        return Ok(res);
    };
    // The database is not asked when it is what failed.
    let state = state.filter(|_| local.code != "unavailable");
    let lang = hints.resolve(state.as_ref()).await;
    if lang == Lang::En {
        return Ok(res);
    }
    let (req, mut response) = res.into_parts();
    let body = serde_json::to_vec(&local.body(lang)).unwrap_or_default();
    response.headers_mut().insert(
        actix_web::http::header::CONTENT_LANGUAGE,
        actix_web::http::header::HeaderValue::from_static(lang.tag()),
    );
    let response = response.set_body(BoxBody::new(body));
    Ok(ServiceResponse::new(req, response))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast;
    use std::collections::{BTreeMap, BTreeSet};

    fn variables_of(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        fn inline(e: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
            match e {
                ast::InlineExpression::VariableReference { id } => {
                    let name = id.name.strip_suffix("-plural").unwrap_or(id.name);
                    out.insert(name.to_owned());
                }
                ast::InlineExpression::Placeable { expression } => expr(expression, out),
                // A term given the message's variables (`-state(status: $status)`).
                ast::InlineExpression::TermReference {
                    arguments: Some(args),
                    ..
                } => {
                    for a in &args.positional {
                        inline(a, out);
                    }
                    for a in &args.named {
                        inline(&a.value, out);
                    }
                }
                _ => {}
            }
        }
        fn expr(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
            match e {
                ast::Expression::Inline(i) => inline(i, out),
                ast::Expression::Select { selector, variants } => {
                    inline(selector, out);
                    for v in variants {
                        variables_of(&v.value, out);
                    }
                }
            }
        }
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expr(expression, out);
            }
        }
    }

    fn messages(source: &'static str) -> BTreeMap<String, BTreeSet<String>> {
        let resource = fluent_syntax::parser::parse(source)
            .unwrap_or_else(|(_, errors)| panic!("the message file does not parse: {errors:?}"));
        let mut out = BTreeMap::new();
        for entry in &resource.body {
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                let value = m.value.as_ref().expect("every message has a value");
                variables_of(value, &mut vars);
                assert!(
                    out.insert(m.id.name.to_owned(), vars).is_none(),
                    "{} is defined twice",
                    m.id.name
                );
            }
        }
        out
    }

    /// Every message id the code names with `msg!("…")`, and whether the report names it
    /// (in `src/report/`, whose messages are in `report.ftl`).
    fn ids_in_code() -> BTreeSet<(bool, String)> {
        fn walk(dir: &std::path::Path, report: bool, out: &mut BTreeSet<(bool, String)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    let report = report || path.file_name().is_some_and(|n| n == "report");
                    walk(&path, report, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (i, _) in text.match_indices("msg!(\"") {
                        let rest = &text[i + 6..];
                        let id = &rest[..rest.find('"').unwrap()];
                        out.insert((report, id.to_owned()));
                    }
                }
            }
        }
        let mut out = BTreeSet::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            false,
            &mut out,
        );
        // The macro's own documentation.
        out.retain(|(_, id)| id != "id" && id != "…");
        out
    }

    /// The same ids in `en` and `ar`, each with the same arguments; the messages of `en`.
    fn pair(name: &str, en: &'static str, ar: &'static str) -> BTreeMap<String, BTreeSet<String>> {
        let (en_messages, ar_messages) = (messages(en), messages(ar));
        let en_ids: BTreeSet<_> = en_messages.keys().collect();
        let ar_ids: BTreeSet<_> = ar_messages.keys().collect();
        assert_eq!(en_ids, ar_ids, "the same ids in en and ar {name}");
        for (id, vars) in &en_messages {
            assert_eq!(
                Some(vars),
                ar_messages.get(id),
                "the arguments of {id} ({name})"
            );
        }
        // The bundles load without errors (a parse error would drop messages quietly).
        assert!(fluent_bundle::FluentResource::try_new(en.to_owned()).is_ok());
        assert!(fluent_bundle::FluentResource::try_new(ar.to_owned()).is_ok());
        en_messages
    }

    #[test]
    fn every_message_is_in_both_languages_with_the_same_arguments_and_every_used_id_exists() {
        use crate::report::i18n as report;
        let server = pair("server.ftl", EN_FTL, AR_FTL);
        let report = pair("report.ftl", report::EN_FTL, report::AR_FTL);
        let used = ids_in_code();
        assert!(used.len() > 40, "the code's ids are found ({})", used.len());
        let by_report = used.iter().filter(|(r, _)| *r).count();
        assert!(by_report > 40, "the report's ids are found ({by_report})");
        for (by_report, id) in &used {
            let (file, messages) = if *by_report {
                ("report.ftl", &report)
            } else {
                ("server.ftl", &server)
            };
            assert!(
                messages.contains_key(id),
                "{id} is used in the code but not in {file}"
            );
        }
    }

    #[test]
    fn arabic_isolates_arguments_and_english_does_not() {
        let m = msg!("role-may-not", role = "qa");
        assert_eq!(m.render(Lang::En), "the qa role may not do this");
        let m = msg!("text-too-long", max = 10_000, chars = 10_001);
        let ar = m.render(Lang::Ar);
        assert!(ar.contains("\u{2068}10000\u{2069}"), "{ar}");
        assert!(!m.render(Lang::En).contains('\u{2068}'));
    }

    #[test]
    fn arabic_counts_take_cldr_plural_forms_past_100() {
        // few: n % 100 in 3..=10; many: n % 100 in 11..=99 (intl_pluralrules 7.0.2 calls
        // 103 "other").
        let want = [
            (0, "other"),
            (1, "one"),
            (2, "two"),
            (3, "few"),
            (11, "other"),
            (100, "other"),
            (101, "other"),
            (102, "other"),
            (103, "few"),
            (111, "other"),
        ];
        for (n, form) in want {
            let text = msg!("texts-too-long", count = n, max = 5).render(Lang::Ar);
            let expected = match form {
                "one" => "نص واحد أطول".to_owned(),
                "two" => "نصان أطول".to_owned(),
                "few" => format!("\u{2068}{n}\u{2069} نصوص أطول"),
                _ => format!("\u{2068}{n}\u{2069} نصا أطول"),
            };
            assert!(text.contains(&expected), "{n}: {text}");
        }
        assert_eq!(plural(Lang::Ar, 103.0), "few");
        assert_eq!(plural(Lang::Ar, 111.0), "many");
        assert_eq!(plural(Lang::Ar, 0.0), "zero");
        assert_eq!(plural(Lang::Ar, 100.0), "other");
        assert_eq!(plural(Lang::Ar, 102.0), "other");
    }

    #[test]
    fn accept_language_picks_by_quality() {
        assert_eq!(
            from_accept_language("ar-SA,ar;q=0.9,en;q=0.8"),
            Some(Lang::Ar)
        );
        assert_eq!(
            from_accept_language("fr, en;q=0.5, ar;q=0.4"),
            Some(Lang::En)
        );
        assert_eq!(
            from_accept_language("en-GB;q=0.3, ar;q=0.7"),
            Some(Lang::Ar)
        );
        assert_eq!(from_accept_language("fr"), None);
        assert_eq!(from_accept_language("ar;q=0"), None);
    }
}
