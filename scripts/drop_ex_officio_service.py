"""Remove the service elements (办件类型, 承诺办结时限, 到办事现场次数, 办理形式, 网上办理深度) from every 依职权
implementation entry of a catalogue — the migration that rule `ex-officio-service-elements` asks for.

    python scripts/drop_ex_officio_service.py CATALOGUE [--check]

Only top-level keys are removed, with the lines of their values; every other line (comments included) stays as it
is. Files are read as `mattercli fmt` writes them (block style, values indented under their key). With --check
nothing is written and the exit status is 1 when some file would change.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mattercli.catalogue.catalog import iter_matter_files
from mattercli.catalogue.fsutil import atomic_write_text
from mattercli.catalogue.snapshot import parse_matter
from mattercli.catalogue.yamlio import load_file
from mattercli.model.matter import SERVICE_ELEMENTS


def drop_elements(text: str, keys: tuple[str, ...]) -> str:
    """`text` without the top-level `keys` and the indented lines of their values."""
    out: list[str] = []
    dropping = False
    for line in text.splitlines(keepends=True):
        top = bool(line) and not line[0].isspace() and not line.startswith("#")
        if top:
            dropping = line.split(":", 1)[0].strip() in keys
        elif dropping and line.strip() and not line[0].isspace():
            dropping = False  # a top-level comment ends the value
        if not dropping:
            out.append(line)
    return "".join(out)


def migrate(root: Path, write: bool = True) -> list[Path]:
    changed = []
    for path in iter_matter_files(root):
        matter = parse_matter(load_file(path, str(path)))
        if matter is None or not hasattr(matter, "implementation_code") or matter.on_application:
            continue
        text = path.read_text(encoding="utf-8")
        new = drop_elements(text, SERVICE_ELEMENTS)
        if new != text:
            changed.append(path)
            if write:
                atomic_write_text(path, new)
    return changed


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    check = "--check" in argv
    changed = migrate(Path(argv[0]), write=not check)
    for path in changed:
        print(f"{'would change' if check else 'changed'}: {path}")
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
