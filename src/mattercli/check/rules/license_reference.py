"""What the four 行政许可事项清单 rules share: the base entries a reference list (registry/license-list.yaml)
speaks about, and where its entries are in that file."""

from __future__ import annotations

from collections.abc import Iterator

from mattercli.catalogue.catalog import Registries
from mattercli.check.index import CatalogIndex, MatterSummary
from mattercli.model.codes import MatterStatus, MatterType
from mattercli.model.registry import LicenseListEntry

LICENSE_FILE = "registry/license-list.yaml"
LICENSE_KEY = "行政许可事项"


def active_licences(index: CatalogIndex) -> Iterator[MatterSummary]:
    """Base entries of type 行政许可 that are not cancelled and passed the schema."""
    for base in index.bases:
        if base.complete and base.type == MatterType.LICENSING.value and base.status != MatterStatus.CANCELLED.value:
            yield base


def entries_for(registries: Registries, code: str) -> list[tuple[int, LicenseListEntry]]:
    """(position in license-list.yaml, entry) of every reference entry mapped to the basic code."""
    return [(i, entry) for i, entry in enumerate(registries.license_list or ()) if entry.basic_code == code]


def describe(entry: LicenseListEntry) -> str:
    return f"《{entry.list_name}》序号 {entry.number}"
