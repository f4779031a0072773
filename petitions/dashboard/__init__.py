"""The dashboards, one module per subject.

- `rates`: the three rates (三率) and the composite score, with their definitions
- `figures`: a scope's figures for a period, the weekly trends and the whole board
- `rankings`: areas ranked by composite score, red and black lists
- `departments`: a department's home and the ranking among departments
"""

from .departments import DepartmentRankRow, department_board, department_ranking
from .figures import (
    Figures,
    board,
    cached_board,
    category_breakdown,
    chain_status,
    figures,
    weekly_trends,
)
from .rankings import (
    RED_BLACK_SIZE,
    RankRow,
    latest_ranked_month,
    ranking,
    ranking_level,
    ranking_parent,
)
from .rates import Rates, monthly_rates, rates

__all__ = [
    "RED_BLACK_SIZE",
    "DepartmentRankRow",
    "Figures",
    "RankRow",
    "Rates",
    "board",
    "cached_board",
    "category_breakdown",
    "chain_status",
    "department_board",
    "department_ranking",
    "figures",
    "latest_ranked_month",
    "monthly_rates",
    "ranking",
    "ranking_level",
    "ranking_parent",
    "rates",
    "weekly_trends",
]
