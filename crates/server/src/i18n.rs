//! Server-originated text in the reader's language (SPEC §10.31), with Project Fluent: the
//! request's side of it. The messages, their languages and plural rules are `sirr-i18n`'s
//! (re-exported here).
//!
//! Code that refuses a request or explains a flag does not write a sentence: it names a message
//! ([`Msg`]: an id in `crates/i18n/locales/{en,ar}/server.ftl` plus its arguments). The sentence is
//! made once the reader's language is known:
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
//! The PDF report's wording is in `crates/report/locales/{en,ar}/report.ftl`, in bundles of its
//! own (`sirr_report::i18n`); the coverage test below checks both files.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest, web};
use serde::Deserialize;

pub use sirr_i18n::{AR_FTL, Arg, EN_FTL, Lang, Msg, Text, plural, render};

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
                .db_once(move |conn| Ok(sirr_store::users::language_of(conn, &user.into())?))
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
    use crate::msg;
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
    /// (in `crates/report/src/`, whose messages are in `report.ftl`).
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
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        walk(&crates.join("server/src"), false, &mut out);
        walk(&crates.join("report/src"), true, &mut out);
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
        use sirr_report::i18n as report;
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
    fn the_web_app_knows_the_same_owners_as_the_report() {
        let ids = |source: &str| -> Vec<String> {
            let mut ids: Vec<String> = source
                .lines()
                .filter_map(|l| l.strip_prefix("owner-"))
                .filter_map(|l| l.split_once(" = ").map(|(key, _)| key.to_owned()))
                .collect();
            ids.sort();
            ids
        };
        let (en, ar) = (
            ids(sirr_report::i18n::EN_FTL),
            ids(sirr_report::i18n::AR_FTL),
        );
        assert!(en.contains(&"training".to_owned()), "{en:?}");
        assert_eq!(en, ar);
        let js = include_str!("../web/js/i18n.js");
        let mut web: Vec<String> = js
            .match_indices("owner_")
            .map(|(i, _)| {
                let rest = &js[i + 6..];
                rest[..rest.find(':').unwrap_or(0)].to_owned()
            })
            .filter(|key| key.chars().all(|c| c.is_ascii_lowercase()) && !key.is_empty())
            .collect();
        web.sort();
        // Once in the English table and once in the Arabic one.
        let twice: Vec<String> = en.iter().flat_map(|k| [k.clone(), k.clone()]).collect();
        assert_eq!(web, twice, "owner_* in web/js/i18n.js");
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
