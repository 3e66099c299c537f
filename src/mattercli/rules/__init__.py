"""The rule registry: every check mattercli runs, by id. Ids are unique; adding a duplicate is refused."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from mattercli.rules.accountability_basis import AccountabilityBasisRule
from mattercli.rules.base import Context, Hit, Message, Rule
from mattercli.rules.base_reference import BaseReferenceRule
from mattercli.rules.basis_drift import BasisDriftRule
from mattercli.rules.bundle_material_source import BundleMaterialSourceRule
from mattercli.rules.bundle_member import BundleMemberRule
from mattercli.rules.bundle_reference import BundleReferenceRule
from mattercli.rules.bundle_region import BundleRegionRule
from mattercli.rules.bundle_shared_material import BundleSharedMaterialRule
from mattercli.rules.bundle_time_limit import BundleTimeLimitRule
from mattercli.rules.code_consistency import CodeConsistencyRule
from mattercli.rules.community_proof import CommunityProofRule
from mattercli.rules.coverage_downward import CoverageDownwardRule
from mattercli.rules.duplicate_code import DuplicateCodeRule
from mattercli.rules.ex_officio_service import ExOfficioServiceRule
from mattercli.rules.fee_basis import FeeBasisRule
from mattercli.rules.file_name import FileNameRule
from mattercli.rules.file_problems import FILE_RULES
from mattercli.rules.immediate_case import ImmediateCaseRule
from mattercli.rules.law_in_force import LawInForceRule
from mattercli.rules.license_basis_drift import LicenseBasisDriftRule
from mattercli.rules.license_name_drift import LicenseNameDriftRule
from mattercli.rules.license_not_listed import LicenseNotListedRule
from mattercli.rules.name_drift import NameDriftRule
from mattercli.rules.online_visits import OnlineVisitsRule
from mattercli.rules.only_reduce import OnlyReduceRule
from mattercli.rules.pledge_scope import PledgeScopeRule
from mattercli.rules.power_responsibility import PowerResponsibilityRule
from mattercli.rules.proof_basis_rank import ProofBasisRankRule
from mattercli.rules.proof_list_mismatch import ProofListMismatchRule
from mattercli.rules.region_code import RegionCodeRule
from mattercli.rules.registry_duplicate import RegistryDuplicateRule
from mattercli.rules.registry_missing import RegistryMissingRule
from mattercli.rules.registry_reference import RegistryReferenceRule
from mattercli.rules.result_type import ResultTypeRule
from mattercli.rules.schema import SchemaRule
from mattercli.rules.time_limit import TimeLimitRule
from mattercli.rules.unsuitable_reason import UnsuitableReasonRule
from mattercli.rules.uscc import UsccRule
from mattercli.rules.visit_reason import VisitReasonRule

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
