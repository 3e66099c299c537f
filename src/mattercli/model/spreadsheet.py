"""Spreadsheet cells from user data: what a spreadsheet would evaluate when it opens a CSV cell, so that only that
is guarded (formula injection), and how a cell keeps its text there (the `excel-csv` variant of the export).

Checked against LibreOffice Calc 7.4 (CSV import with 「计算公式」 on, as a double-click opens a CSV) and Excel's
documented behaviour: LibreOffice evaluates a cell only when it starts with `=`; Excel also when it starts with
`+`, `-` or `@` and the rest is a formula it can parse (`+1+1` is 2, `-2+3` is 1, `@SUM(1,2)` is 3, `-A1` is a
reference), while `+86 571 87961033` (numbers separated by spaces: no formula) and `-无-` stay text and `-5` or
`+86` are plain numbers. `is_formula` accepts every formula Excel parses (a superset: any name counts, `;` separates
arguments as in other locales, `A1 B1` intersects), so it errs on the side of guarding.
"""

from __future__ import annotations

import re

#: Leading characters a cell may have before its formula (a spreadsheet may skip them).
_LEADING = " \t\r\n"
_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?$")
_ERROR = re.compile(r"#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!)", re.I)
#: A name, function name or cell reference (A1, $B$2, R1C1, Sheet1, 单元格名称): a letter, _ or \ first.
_NAME = re.compile(r"\$?[^\W\d]\$?[\w.\\$]*|\\[\w.\\]*|_[\w.\\]*")
_QUOTED_SHEET = re.compile(r"'(?:[^']|'')+'!")
_SHEET = re.compile(r"[^\W\d][\w.]*!")
#: DDE (`cmd|' /C calc'!A0`): an application, a topic and an item.
_DDE = re.compile(r"[\w.]+\|(?:'(?:[^']|'')*'|[^!\s]*)!\S*")
_BINARY = ("<>", "<=", ">=", "+", "-", "*", "/", "^", "&", "=", "<", ">", ":")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def space(self) -> bool:
        start = self.i
        while self.i < len(self.text) and self.text[self.i] in " \t\r\n":
            self.i += 1
        return self.i > start

    def peek(self, token: str) -> bool:
        return self.text.startswith(token, self.i)

    def expression(self, depth: int = 0) -> bool:
        """operand (operator operand)*; a space between two references is their intersection."""
        if depth > 50:
            return False
        referenceish = self.operand(depth)
        if referenceish is None:
            return False
        while True:
            before = self.i
            spaced = self.space()
            op = next((b for b in _BINARY if self.peek(b)), None)
            if op is not None:
                self.i += len(op)
                referenceish = self.operand(depth)
                if referenceish is None:
                    return False
                continue
            if spaced and referenceish and self.i < len(self.text) and self.text[self.i] not in "),;}":
                right = self.operand(depth)
                if not right:  # only references intersect: `86 571` is no formula
                    return False
                continue
            self.i = before
            return True

    def operand(self, depth: int) -> bool | None:
        """Parse one operand; True if it is reference-like (may be intersected), False if a value, None if none."""
        self.space()
        while self.i < len(self.text) and self.text[self.i] in "+-@":  # unary operators
            self.i += 1
            self.space()
        text, start = self.text, self.i
        if start >= len(text):
            return None
        result: bool | None
        if text[start] == "(":
            self.i += 1
            if not self.arguments(depth, ")"):
                return None
            result = True
        elif text[start] == "{":
            end = text.find("}", start)
            if end < 0:
                return None
            self.i = end + 1
            result = False
        elif text[start] == '"':
            match = re.compile(r'"(?:[^"]|"")*"').match(text, start)
            if match is None:
                return None
            self.i = match.end()
            result = False
        elif (match := _ERROR.match(text, start)) is not None:
            self.i = match.end()
            result = False
        elif (match := _DDE.match(text, start)) is not None:
            self.i = match.end()
            result = True
        elif (match := _QUOTED_SHEET.match(text, start) or _SHEET.match(text, start)) is not None:
            self.i = match.end()
            return self.operand(depth)
        elif (match := _NUMBER.match(text, start)) is not None:
            self.i = match.end()
            result = False
        elif (match := _NAME.match(text, start)) is not None:
            self.i = match.end()
            if self.peek("("):  # a function call
                self.i += 1
                if not self.arguments(depth, ")", empty=True):
                    return None
            result = True
        else:
            return None
        while self.i < len(text) and text[self.i] in "%#":  # percent, spill range
            self.i += 1
        return result

    def arguments(self, depth: int, close: str, empty: bool = False) -> bool:
        """Arguments up to `close`, separated by , or ; (an argument may be empty in a function call)."""
        while True:
            self.space()
            if self.peek(close) and empty:
                self.i += 1
                return True
            if self.peek(",") or self.peek(";"):
                if not empty:
                    return False
            elif not self.expression(depth + 1):
                return False
            self.space()
            if self.peek(close):
                self.i += 1
                return True
            if not (self.peek(",") or self.peek(";")):
                return False
            self.i += 1
            empty = True


def is_formula(text: str) -> bool:
    """Whether a spreadsheet opening this CSV cell would evaluate it (a formula, not text or a plain number)."""
    body = text.lstrip(_LEADING)
    if not body:
        return False
    first = body[0]
    if first == "=":
        return len(body) > 1
    if first not in "+-@":
        return False
    if _PLAIN_NUMBER.match(body):  # -5, +86: a number, not a formula (the excel-csv variant keeps them as text)
        return False
    if "|" in body and "!" in body:  # DDE in any form
        return True
    parser = _Parser(body)
    if not parser.expression():
        return False
    parser.space()
    return parser.i == len(body)


def guard_formula(text: str) -> str:
    """`text`, with a leading `'` when a spreadsheet would evaluate it (OWASP CSV injection)."""
    return "'" + text if is_formula(text) else text


#: Text a spreadsheet turns into a number, date or time when it opens a CSV: digits with signs, separators, an
#: exponent, a percent, currency or date words (000101001000 → 101001000, a 31-digit code → 1.133E+30,
#: 2024-01-01 → a date, 1/2 → 2 January).
_CONVERTIBLE = re.compile(r"^[\s+\-(]*[$¥￥€£]?[\d\s.,:/\-+()%eE年月日时時分秒]*\d[\d\s.,:/\-+()%eE年月日时時分秒]*$")
#: Excel's limit for a text constant inside a formula.
EXCEL_STRING_MAX = 255


def excel_text(text: str) -> str:
    """A CSV cell that Excel and LibreOffice (「计算公式」 on, their default) show as exactly `text`: a value they
    would convert or evaluate is written as the text formula ="…"; anything else as it is."""
    if len(text) > EXCEL_STRING_MAX - 3 or "\n" in text or "\r" in text:
        return guard_formula(text)
    if _CONVERTIBLE.match(text) or is_formula(text) or (text != "" and text[0] in "=+-@"):
        return '="' + text.replace('"', '""') + '"'
    return text
