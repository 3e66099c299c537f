"""Rules about inline suppressions (`# mattercli: disable=RULE-ID 理由`): the engine (mattercli.check.suppress) finds
them, these rules give the findings their ids, severities and messages.

Passing: `事项名称: 某事项  # mattercli: disable=file-name 历史文件名,待统一改名` where file-name fires on that line.
Failing: the same comment without a reason (suppression-reason), or on a line where file-name does not fire
(suppression-unused).
"""

from __future__ import annotations

from mattercli.check.findings import Severity
from mattercli.check.rules.base import Message, Rule


class SuppressionReasonRule(Rule):
    """`# mattercli: disable=file-name` with nothing after the rule ids: every silenced problem needs a reason."""

    id = "suppression-reason"
    severity = Severity.WARNING
    title, title_en = "抑制注释缺少理由", "suppression without a reason"
    messages = {
        "default": Message(
            "抑制注释「disable={rules}」没有写明理由(在规则编号后写一句说明)",
            "suppression 'disable={rules}' gives no reason (write one after the rule ids)",
        )
    }


class SuppressionUnusedRule(Rule):
    """A suppression that silences nothing (the problem was fixed, or the comment is on the wrong line)."""

    id = "suppression-unused"
    severity = Severity.INFO
    title, title_en = "抑制注释未生效", "unused suppression"
    messages = {
        "unused": Message(
            "抑制注释「disable={rule}」没有抑制任何问题,可以删除",
            "suppression 'disable={rule}' silences nothing; remove it",
        ),
        "unknown": Message(
            "抑制注释中的规则「{rule}」不存在(用 `mattercli rules` 查看全部规则)",
            "suppression names an unknown rule '{rule}' (see `mattercli rules`)",
        ),
    }


SUPPRESSION_RULES = (SuppressionReasonRule, SuppressionUnusedRule)
