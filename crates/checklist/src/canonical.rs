//! Canonical JSON (RFC 8785, the JSON Canonicalization Scheme) and the content hash.
//!
//! The content hash of a checklist is the SHA-256 of the canonical JSON of its canonical form
//! (the model serialised with defaults left out), so two documents that differ in anything that
//! matters can never share one published version, while spelling out a default changes nothing.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::model::Checklist;

/// Writes `value` as RFC 8785 canonical JSON: no whitespace, object members sorted by their
/// UTF-16 code units, numbers in ECMAScript form, minimal string escaping.
pub fn to_canonical_string(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            // RFC 8785 numbers are IEEE-754 doubles printed the way ECMAScript prints them.
            let f = n.as_f64().unwrap_or(0.0);
            let mut buf = ryu_js::Buffer::new();
            out.push_str(buf.format(f));
        }
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push('{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_value(out, v);
            }
            out.push('}');
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

impl Checklist {
    /// The checklist's canonical form as a JSON value (defaults left out).
    pub fn to_json_value(&self) -> Value {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The canonical JSON text (RFC 8785) of the checklist.
    pub fn to_canonical_json(&self) -> String {
        to_canonical_string(&self.to_json_value())
    }

    /// Readable JSON of the canonical form (indented, in document order), for files people edit.
    pub fn to_pretty_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_json_value()).unwrap_or_default()
    }

    /// SHA-256 of the canonical JSON, as lower-case hex (SPEC §9.6).
    pub fn content_hash(&self) -> String {
        let digest = Sha256::digest(self.to_canonical_json().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc8785_examples() {
        // Numbers from RFC 8785 §3.2.2.3 and member ordering by UTF-16 code units (§3.2.3).
        let v: Value = serde_json::from_str(
            r#"{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],
                "literals":[null,true,false],"\u20ac":"Euro Sign","\r":"Carriage Return",
                "\ud83d\ude00":"Emoji: Grinning Face","1":"One","\u0080":"Control\u007f",
                "\u00f6":"Latin Small Letter O With Diaeresis","\ufb33":"Hebrew Letter Dalet With Dagesh"}"#,
        )
        .unwrap();
        assert_eq!(
            to_canonical_string(&v),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"\u{80}\":\"Control\u{7f}\",\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}"
        );
    }

    #[test]
    fn escapes_controls_in_lower_case_hex() {
        assert_eq!(
            to_canonical_string(&Value::String("a\u{1f}b\"".into())),
            "\"a\\u001fb\\\"\""
        );
    }
}
