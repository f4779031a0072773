"""Fixtures of the dispute tests: 新村社区 grid 1's building 6 with two neighbours (陈华 above,
王建国 below: water through the ceiling), and a helper opening a dispute between them."""

import pytest

from disputes.defaults import ensure_kinds
from disputes.models import DisputeKind
from disputes.services.intake import PartyData, open_dispute
from tests import factories as f


@pytest.fixture
def kinds(db):
    ensure_kinds(DisputeKind)
    return {kind.name: kind for kind in DisputeKind.objects.all()}


@pytest.fixture
def building(grid_a1):
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    return f.make_building(compound, grid_a1, name="6号楼")


@pytest.fixture
def neighbours(building):
    unit = f.make_unit(building, name="2单元")
    above = f.make_household(building.grid, unit=unit, room="401")
    below = f.make_household(building.grid, unit=unit, room="301")
    return (
        f.make_resident(above, name="陈华", phone="13812345678"),
        f.make_resident(below, name="王建国", phone="13987654321"),
    )


@pytest.fixture
def make_dispute(kinds, building, neighbours, grid_worker):
    def make(*, by=None, grid=None, level="grid", **kw):
        above, below = neighbours
        return open_dispute(
            by=by or grid_worker, kind=kinds["邻里纠纷"], found_by="wechat",
            description="楼上漏水到楼下,双方争执", grid=grid or building.grid,
            building=None if grid else building, level=level,
            parties=[PartyData("applicant", resident=below),
                     PartyData("respondent", resident=above)], **kw,
        )  # fmt: skip

    return make
