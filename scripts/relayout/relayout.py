"""Move mattercli's flat modules into packages by stage and rewrite every reference (one-shot)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(sys.argv[1]).resolve()
MAP: dict[str, str] = json.loads(Path(sys.argv[2]).read_text())  # "stats_figures" -> "stats.figures"
PKG_DOCS: dict[str, str] = json.loads(Path(sys.argv[3]).read_text()) if len(sys.argv) > 3 else {}
SRC = ROOT / "src" / "mattercli"


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True).stdout


def path_of(dotted: str) -> Path:
    p = SRC.joinpath(*dotted.split("."))
    return p if p.is_dir() else p.with_suffix(".py")


# 1. moves
for old, new in MAP.items():
    src = path_of(old)
    if not src.exists():
        print("skip (missing):", old)
        continue
    dest = SRC.joinpath(*new.split("."))
    if src.is_file():
        dest = dest.with_suffix(".py")
    dest.parent.mkdir(parents=True, exist_ok=True)
    for parent in dest.parents:
        if parent == SRC:
            break
        init = parent / "__init__.py"
        if not init.exists():
            rel = parent.relative_to(SRC).as_posix().replace("/", ".")
            init.write_text(f'"""{PKG_DOCS.get(rel, rel)}"""\n', encoding="utf-8")
            git("add", str(init))
    git("mv", str(src), str(dest))

# 2. rewrite references
names = sorted(MAP, key=len, reverse=True)
dotted = re.compile(r"\bmattercli\.(" + "|".join(re.escape(n) for n in names) + r")(?![\w])")
slashed = re.compile(r"\bsrc/mattercli/(" + "|".join(re.escape(n.replace(".", "/")) for n in names) + r")(\.py|/|\b)")
from_import = re.compile(r"^(\s*)from mattercli import (.+)$", re.M)


def fix_from_import(m: re.Match[str]) -> str:
    indent, body = m.group(1), m.group(2)
    if body.strip().startswith("("):
        return m.group(0)
    keep, lines = [], []
    for part in (p.strip() for p in body.split(",")):
        name, _, alias = part.partition(" as ")
        name, alias = name.strip(), alias.strip()
        if name in MAP:
            pkg, _, leaf = MAP[name].rpartition(".")
            target = f"from mattercli.{pkg} import {leaf}" if pkg else f"from mattercli import {leaf}"
            local = alias or name
            lines.append(f"{indent}{target}" + (f" as {local}" if local != leaf else ""))
        else:
            keep.append(part)
    if keep:
        lines.insert(0, f"{indent}from mattercli import {', '.join(keep)}")
    return "\n".join(lines)


inline_import = re.compile(r"(?<![\w.])from mattercli import (\w+)\b(?![ \t]*,)(?![ \t]+as\b)")


def fix_inline(m: re.Match[str]) -> str:
    name = m.group(1)
    if name not in MAP:
        return m.group(0)
    pkg, _, leaf = MAP[name].rpartition(".")
    return f"from mattercli.{pkg} import {leaf}" + (f" as {name}" if leaf != name else "")


files = [ROOT / f for f in git("ls-files").splitlines()]
for f in files:
    if f.suffix not in {".py", ".toml", ".md", ".cfg", ".txt", ".yaml", ".yml", ".ini", ".json"} or not f.is_file():
        continue
    if "golden" in f.parts or "fixtures" in f.parts or f.parts[-2:] == ("catalog",):
        continue
    text = f.read_text(encoding="utf-8")
    new = dotted.sub(lambda m: "mattercli." + MAP[m.group(1)], text)
    new = slashed.sub(lambda m: "src/mattercli/" + MAP[m.group(1)].replace(".", "/") + m.group(2), new)
    if f.suffix == ".py":
        new = from_import.sub(fix_from_import, new)
        new = inline_import.sub(fix_inline, new)
    if new != text:
        f.write_text(new, encoding="utf-8")
print("done")
