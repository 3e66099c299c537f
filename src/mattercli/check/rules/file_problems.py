"""Rules for files that cannot be read as a catalogue document; the loader (yamlio) finds them.

Each is one FileRule with a single message; they share this module because they carry no logic of their own.
Passing: a UTF-8 file holding one YAML mapping. Failing examples are in each rule's docstring.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mattercli.check.findings import Severity
from mattercli.check.rules.base import FileRule, Message


class YamlSyntax(FileRule):
    """`a: [` — the YAML cannot be parsed."""

    id = "yaml-syntax"
    title, title_en = "YAML 语法错误", "YAML syntax error"
    messages = {"default": Message("YAML 语法错误: {detail_zh}", "YAML syntax error: {detail}")}

    def render(self, key: str, args: Mapping[str, Any]) -> tuple[str, str]:
        """The Chinese explanation (`detail_zh`, see yamlio.syntax_problem) where the loader gave one."""
        return super().render(key, {"detail_zh": args.get("detail", ""), **args})


class Encoding(FileRule):
    """A file saved as GBK (e.g. by Excel or Notepad) instead of UTF-8."""

    id = "encoding"
    title, title_en = "文件编码不是 UTF-8", "file is not UTF-8"
    messages = {
        "default": Message(
            "文件不是 UTF-8 编码(疑似 {guess}),请另存为 UTF-8(无 BOM)",
            "file is not UTF-8 (looks like {guess}); save it as UTF-8 without BOM",
        )
    }


class Bom(FileRule):
    """A UTF-8 file that starts with a byte-order mark; it is read, but should be saved without one."""

    id = "bom"
    severity = Severity.WARNING
    title, title_en = "文件带 BOM", "byte-order mark"
    messages = {"default": Message("文件以 UTF-8 BOM 开头,请去掉 BOM", "file starts with a UTF-8 byte-order mark")}


class ConflictMarker(FileRule):
    """`<<<<<<< HEAD` left in a file by an unfinished git merge."""

    id = "conflict-marker"
    title, title_en = "未解决的合并冲突", "unresolved merge conflict"
    messages = {
        "default": Message(
            "文件含未解决的 git 合并冲突标记「{marker}」,请先解决冲突",
            "unresolved git merge conflict marker '{marker}'",
        )
    }


class DuplicateKey(FileRule):
    """The same element twice in one mapping: the second would silently win."""

    id = "duplicate-key"
    title, title_en = "重复的要素", "duplicate key"
    messages = {
        "default": Message(
            "要素「{key}」重复出现(首次在第 {first_line} 行)",
            "key '{key}' appears again (first on line {first_line})",
        )
    }


class YamlAlias(FileRule):
    """`a: &x [...]` then `b: *x`: anchors and aliases are refused (they also make 'billion laughs' bombs)."""

    id = "yaml-alias"
    title, title_en = "不允许使用锚点和别名", "anchors and aliases are not allowed"
    messages = {
        "default": Message(
            "不允许使用 YAML 锚点/别名(&/*),请直接写出内容",
            "YAML anchors/aliases (&/*) are not allowed; write values out",
        )
    }


class YamlTag(FileRule):
    """`!!python/object` or `!!binary`: only plain strings, numbers, booleans, lists and mappings."""

    id = "yaml-tag"
    title, title_en = "不支持的 YAML 标签", "unsupported YAML tag"
    messages = {"default": Message("不支持的 YAML 标签 {tag}", "unsupported YAML tag {tag}")}


class YamlKeyType(FileRule):
    """`? [1]` — a key that is not a string."""

    id = "yaml-key-type"
    title, title_en = "键必须是字符串", "keys must be strings"
    messages = {"default": Message("键必须是字符串: {key}", "mapping key must be a string: {key}")}


class FileTooLarge(FileRule):
    """A 50 MB file in a catalogue of small matter files: refused before parsing."""

    id = "file-too-large"
    title, title_en = "文件过大", "file too large"
    messages = {
        "default": Message(
            "文件过大({size} 字节,上限 {limit} 字节),未解析", "file too large ({size} bytes, limit {limit}); not parsed"
        )
    }


class NotAMapping(FileRule):
    """A file holding a list, a scalar or nothing."""

    id = "not-a-mapping"
    title, title_en = "文件内容不是映射", "document is not a mapping"
    messages = {
        "default": Message(
            "文件顶层应为「要素: 值」映射,实际为 {found}", "top level must be a mapping of elements, found {found}"
        )
    }


class Unreadable(FileRule):
    """A file that cannot be opened (permissions, a dangling link)."""

    id = "unreadable"
    title, title_en = "文件无法读取", "file cannot be read"
    messages = {"default": Message("文件无法读取: {error}", "file cannot be read: {error}")}


class NumberTooLong(FileRule):
    """`时限: 999…9` with 4,301 digits: more than Python converts (a pasted hash or a typo), refused when read."""

    id = "number-too-long"
    title, title_en = "数字位数过多", "number too long"
    messages = {
        "default": Message(
            "整数有 {digits} 位,超过上限 {limit} 位(如是编码或文本,请加引号)",
            "integer of {digits} digits exceeds the limit of {limit} (quote it if it is a code or text)",
        )
    }


class TooManyKeys(FileRule):
    """A mapping with 600,000 keys (a generated or hostile file): refused before it is checked, which would take
    minutes and gigabytes. The limit is `yaml-keys-per-mapping` (docs/limits.md)."""

    id = "too-many-keys"
    title, title_en = "映射的键过多", "too many keys in a mapping"
    messages = {
        "default": Message(
            "一个映射中的键超过上限 {limit} 个,未解析(可在配置 [tool.mattercli.catalogue.limits] yaml-keys-per-mapping 中调整)",
            "a mapping has more than {limit} keys; not parsed (limits.yaml-keys-per-mapping in the configuration)",
        )
    }


class Symlink(FileRule):
    """`base/x.yaml -> /etc/passwd` or `base/dirloop -> .`: a symbolic link in the catalogue is never followed
    (it could lead outside the catalogue, or round in a loop); the real file belongs in the catalogue."""

    id = "symlink"
    title, title_en = "符号链接", "symbolic link"
    messages = {
        "default": Message(
            "符号链接(指向 {target})未读取:目录中的事项文件和文件夹必须是实际文件,不跟随链接",
            "symbolic link (to {target}) not followed: catalogue files and folders must be real ones",
        )
    }


class NotRegular(FileRule):
    """A FIFO, socket or device named like a YAML file: never opened (a FIFO would block the run)."""

    id = "not-regular-file"
    title, title_en = "不是普通文件", "not a regular file"
    messages = {
        "default": Message("不是普通文件({kind}),未读取", "not a regular file ({kind}); not read"),
    }


FILE_RULES = (
    YamlSyntax,
    Encoding,
    Bom,
    ConflictMarker,
    DuplicateKey,
    YamlAlias,
    YamlTag,
    YamlKeyType,
    FileTooLarge,
    NotAMapping,
    Unreadable,
    NumberTooLong,
    TooManyKeys,
    Symlink,
    NotRegular,
)
