#!/usr/bin/env python3
"""Writes a sirr checklist (JSON) as an XLSForm workbook, the way a quality team would design it
in a spreadsheet. Used once to make examples/checklists/retail-store-visit.xlsx, which the import
tests read back:

    pip install openpyxl
    python3 examples/checklists/make-xlsform.py examples/checklists/retail-store-visit.json \
        examples/checklists/retail-store-visit.xlsx

The workbook uses standard XLSForm (survey/choices/settings sheets, begin_group, select_one,
range, relevant, label::Language (code)) plus sirr's extra columns (weight, critical, owner,
na_allowed, evidence, bands, tags, min, max; score on choices).
"""
import json
import re
import sys

from openpyxl import Workbook

LANG_NAMES = {"en": "English", "ar": "Arabic", "fr": "French"}


def lang_col(base, lang):
    return f"{base}::{LANG_NAMES.get(lang, lang)} ({lang})"


# --- show_if (sirr) -> relevant (XLSForm) ------------------------------------------------------

TOKEN = re.compile(r"\s*(?:(==|!=|<=|>=|<|>)|([()\[\],])|('(?:\\.|[^'\\])*')|(-?\d+(?:\.\d+)?)|([a-z0-9][a-z0-9_-]*))")


def tokenize(text):
    pos, out = 0, []
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"cannot read {text!r} at {pos}")
        op, punct, string, number, word = m.groups()
        out.append(("op", op) if op else ("p", punct) if punct else ("str", string) if string
                   else ("num", number) if number else ("word", word))
        pos = m.end()
    out.append(("end", None))
    return out


class Translator:
    def __init__(self, text):
        self.toks, self.i = tokenize(text), 0

    def peek(self):
        return self.toks[self.i]

    def take(self):
        t = self.toks[self.i]
        self.i += 1
        return t

    def expr(self):
        left = self.conj()
        while self.peek() == ("word", "or"):
            self.take()
            left = f"({left} or {self.conj()})"
        return left

    def conj(self):
        left = self.unary()
        while self.peek() == ("word", "and"):
            self.take()
            left = f"({left} and {self.unary()})"
        return left

    def unary(self):
        if self.peek() == ("word", "not"):
            self.take()
            return f"not({self.unary()})"
        return self.atom()

    def operand(self):
        kind, value = self.take()
        if kind == "word" and value not in ("true", "false"):
            return "${" + value + "}"
        if kind == "str":
            return value.replace("\\'", "'")
        if kind == "num":
            return value
        if kind == "word":
            return f"{value}()"
        raise ValueError(f"unexpected {value}")

    def atom(self):
        kind, value = self.peek()
        if (kind, value) == ("p", "("):
            self.take()
            inner = self.expr()
            assert self.take() == ("p", ")")
            return inner
        if (kind, value) == ("word", "answered"):
            self.take(); self.take()
            key = self.take()[1]
            self.take()
            return "${" + key + "} != ''"
        if (kind, value) == ("word", "selected"):
            self.take(); self.take()
            key = self.take()[1]
            self.take()
            option = self.take()[1]
            self.take()
            return "selected(${" + key + "}, " + option + ")"
        left = self.operand()
        kind, value = self.take()
        if kind == "op":
            return f"{left} {'=' if value == '==' else value} {self.operand()}"
        negated = value == "not"
        if negated:
            assert self.take() == ("word", "in")
        assert self.take() == ("p", "[")
        values = [self.operand()]
        while self.peek() == ("p", ","):
            self.take()
            values.append(self.operand())
        assert self.take() == ("p", "]")
        alternatives = " or ".join(f"{left} = {v}" for v in values)
        return f"not({alternatives})" if negated else f"({alternatives})"


def relevant(show_if):
    t = Translator(show_if)
    out = t.expr()
    assert t.peek()[0] == "end", show_if
    return out


# --- checklist -> workbook ---------------------------------------------------------------------

def number(v):
    return int(v) if isinstance(v, (int, float)) and float(v).is_integer() else v


def bands_cell(bands):
    return "; ".join(f"{number(b['max']) if 'max' in b else '*'}:{number(b['score'])}" for b in bands)


def main(src, dst):
    doc = json.load(open(src, encoding="utf-8"))
    langs = doc["languages"]
    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey_cols = (["type", "name"] + [lang_col("label", l) for l in langs] + [lang_col("hint", l) for l in langs]
                   + ["relevant", "required", "parameters", "weight", "critical", "na_allowed", "owner", "evidence",
                      "bands", "min", "max", "tags"])
    survey.append(survey_cols)
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name"] + [lang_col("label", l) for l in langs] + ["score"])
    choices.append(["yes_no", "yes"] + [{"ar": "نعم"}.get(l, "Yes") for l in langs] + [None])
    choices.append(["yes_no", "no"] + [{"ar": "لا"}.get(l, "No") for l in langs] + [None])

    def row(**cells):
        survey.append([cells.get(c) for c in survey_cols])

    for section in doc["sections"]:
        row(type="begin_group", name=section["key"], weight=section.get("weight"),
            **{lang_col("label", l): section["title"].get(l) for l in langs})
        for item in section["items"]:
            kind = item["type"]
            cells = {"name": item["key"]}
            if kind == "yes_no":
                cells["type"] = "select_one yes_no"
            elif kind == "scale":
                cells["type"] = "range"
                cells["parameters"] = f"start={item['min']} end={item['max']} step=1"
            elif kind in ("choice", "multi_choice"):
                cells["type"] = ("select_one " if kind == "choice" else "select_multiple ") + item["key"]
                for option in item["options"]:
                    choices.append([item["key"], option["key"]]
                                   + [option.get("text", {}).get(l) for l in langs] + [option.get("score")])
            elif kind in ("number", "duration"):
                cells["type"] = "decimal" if kind == "number" else "duration"
                if "bands" in item:
                    cells["bands"] = bands_cell(item["bands"])
                cells["min"], cells["max"] = item.get("min"), item.get("max")
            else:
                cells["type"] = {"text": "text", "photo": "image", "timestamp": "datetime", "note": "note"}[kind]
            for l in langs:
                cells[lang_col("label", l)] = item["text"].get(l)
                cells[lang_col("hint", l)] = item.get("help", {}).get(l)
            if "show_if" in item:
                cells["relevant"] = relevant(item["show_if"])
            cells["required"] = "yes" if item.get("required") else None
            cells["weight"] = item.get("weight")
            cells["critical"] = "yes" if item.get("critical") else None
            cells["na_allowed"] = "yes" if item.get("na_allowed") else None
            cells["owner"] = item.get("owner")
            cells["evidence"] = item.get("evidence", {}).get("photo")
            cells["tags"] = ", ".join(item.get("tags", [])) or None
            row(**cells)
        row(type="end_group")

    settings = wb.create_sheet("settings")
    rule = doc.get("critical_rule", "zero")
    rule = rule if rule == "zero" else f"cap {rule['cap']}"
    settings.append(["form_id", "version", "default_language", "critical_rule"] + [lang_col("form_title", l) for l in langs])
    settings.append([doc["key"], doc["version"], langs[0], rule] + [doc["title"].get(l) for l in langs])
    wb.save(dst)


if __name__ == "__main__":
    main(*sys.argv[1:3])
