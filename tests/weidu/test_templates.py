"""What Django's template language would print instead of hiding."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_template_comment_spans_lines():
    """`{# … #}` ends at the end of its line: one spanning lines is printed on the page as text
    (it showed above the coverage table). Longer comments use {% comment %}."""
    open_comments = [
        f"{path.relative_to(ROOT)}:{number}"
        # the project's templates and the apps' own
        for path in sorted([*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")])
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line[line.index("{#") :]
    ]
    assert open_comments == []
