"""The rule registry: every check mattercli runs, by id. Ids are unique; adding a duplicate is refused."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from mattercli.check.rules.accountability_basis import AccountabilityBasisRule
from mattercli.check.rules.base import Context, Hit, Message, Rule
from mattercli.check.rules.base_reference import BaseReferenceRule
from mattercli.check.rules.basis_drift import BasisDriftRule
from mattercli.check.rules.bundle_material_source import BundleMaterialSourceRule
from mattercli.check.rules.bundle_member import BundleMemberRule
from mattercli.check.rules.bundle_reference import BundleReferenceRule
from mattercli.check.rules.bundle_region import BundleRegionRule
from mattercli.check.rules.bundle_shared_material import BundleSharedMaterialRule
from mattercli.check.rules.bundle_time_limit import BundleTimeLimitRule
from mattercli.check.rules.code_consistency import CodeConsistencyRule
from mattercli.check.rules.community_proof import CommunityProofRule
from mattercli.check.rules.coverage_downward import CoverageDownwardRule
from mattercli.check.rules.duplicate_code import DuplicateCodeRule
from mattercli.check.rules.ex_officio_service import ExOfficioServiceRule
from mattercli.check.rules.fee_basis import FeeBasisRule
from mattercli.check.rules.file_name import FileNameRule
from mattercli.check.rules.file_problems import FILE_RULES
from mattercli.check.rules.immediate_case import ImmediateCaseRule
from mattercli.check.rules.law_in_force import LawInForceRule
from mattercli.check.rules.license_basis_drift import LicenseBasisDriftRule
from mattercli.check.rules.license_name_drift import LicenseNameDriftRule
from mattercli.check.rules.license_not_listed import LicenseNotListedRule
from mattercli.check.rules.name_drift import NameDriftRule
from mattercli.check.rules.online_visits import OnlineVisitsRule
from mattercli.check.rules.only_reduce import OnlyReduceRule
from mattercli.check.rules.placeholder_value import PlaceholderValueRule
from mattercli.check.rules.pledge_scope import PledgeScopeRule
from mattercli.check.rules.power_responsibility import PowerResponsibilityRule
from mattercli.check.rules.proof_basis_rank import ProofBasisRankRule
from mattercli.check.rules.proof_list_mismatch import ProofListMismatchRule
from mattercli.check.rules.region_code import RegionCodeRule
from mattercli.check.rules.registry_duplicate import RegistryDuplicateRule
from mattercli.check.rules.registry_missing import RegistryMissingRule
from mattercli.check.rules.registry_reference import RegistryReferenceRule
from mattercli.check.rules.result_type import ResultTypeRule
from mattercli.check.rules.schema import SchemaRule
from mattercli.check.rules.time_limit import TimeLimitRule
from mattercli.check.rules.todo_comment import TodoCommentRule
from mattercli.check.rules.unsuitable_reason import UnsuitableReasonRule
from mattercli.check.rules.uscc import UsccRule
from mattercli.check.rules.visit_reason import VisitReasonRule

__all__ = ["Context", "Hit", "Message", "Rule", "RuleRegistry", "default_registry"]


class RuleRegistry:
    """Rules by id, in registration order."""

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        self._rules: dict[str, Rule] = {}
        for rule in rules:
            self.add(rule)

    def add(self, rule: Rule) -> None:
        if rule.id in self._rules:
            raise ValueError(f"duplicate rule id: {rule.id}")
        self._rules[rule.id] = rule

    def __getitem__(self, rule_id: str) -> Rule:
        return self._rules[rule_id]

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def with_scope(self, method: str) -> list[Rule]:
        return [r for r in self._rules.values() if type(r).overrides(method)]


def default_registry() -> RuleRegistry:
    return RuleRegistry(
        [
            *(cls() for cls in FILE_RULES),
            SchemaRule(),
            PlaceholderValueRule(),
            TodoCommentRule(),
            FileNameRule(),
            CodeConsistencyRule(),
            UsccRule(),
            RegionCodeRule(),
            TimeLimitRule(),
            ImmediateCaseRule(),
            VisitReasonRule(),
            OnlineVisitsRule(),
            ExOfficioServiceRule(),
            UnsuitableReasonRule(),
            ResultTypeRule(),
            FeeBasisRule(),
            PowerResponsibilityRule(),
            AccountabilityBasisRule(),
            RegistryReferenceRule(),
            LawInForceRule(),
            RegistryDuplicateRule(),
            RegistryMissingRule(),
            DuplicateCodeRule(),
            BaseReferenceRule(),
            OnlyReduceRule(),
            NameDriftRule(),
            BasisDriftRule(),
            LicenseNotListedRule(),
            LicenseNameDriftRule(),
            LicenseBasisDriftRule(),
            CoverageDownwardRule(),
            ProofBasisRankRule(),
            ProofListMismatchRule(),
            CommunityProofRule(),
            PledgeScopeRule(),
            BundleReferenceRule(),
            BundleMemberRule(),
            BundleRegionRule(),
            BundleMaterialSourceRule(),
            BundleSharedMaterialRule(),
            BundleTimeLimitRule(),
        ]
    )
