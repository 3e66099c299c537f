"""`mattercli rules`: list every rule with its id, default severity and title."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from mattercli.check.engine import full_registry
from mattercli.cli.options import Lang, LangOption

NAME = "rules"


class RulesFormat(StrEnum):
    text = "text"
    json = "json"


def command(
    lang: LangOption = Lang.zh,
    format: Annotated[RulesFormat, typer.Option("--format", "-f", help="输出格式 / output format")] = RulesFormat.text,
    as_json: Annotated[bool, typer.Option("--json", help="同 --format json / same as --format json")] = False,
) -> int:
    """列出全部校验规则。 List all rules."""
    rows = [
        {
            "id": r.id,
            "severity": r.severity.value,
            "default_enabled": r.default_enabled,
            "title": r.title_en if lang is Lang.en else r.title,
            "doc": (type(r).__doc__ or "").strip().splitlines()[0] if type(r).__doc__ else "",
        }
        for r in full_registry()
    ]
    if as_json or format is RulesFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        width = max(len(str(r["id"])) for r in rows)
        for r in rows:
            off = (
                ""
                if r["default_enabled"]
                else ("(默认关闭,strict 开启)" if lang is Lang.zh else " (off unless strict)")
            )
            sys.stdout.write(f"{r['id']:<{width}}  {r['severity']:<7}  {r['title']}{off}\n")
    return 0
