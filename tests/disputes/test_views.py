"""The dispute pages through the client: who sees what (another street's official gets 404),
POST-only actions, a dispute from a petition keeps the link both ways, masked phones and logged
reveals, the printable agreement, the monthly report."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from disputes.models import Dispute, Party, PartyRevealLog
from disputes.services import transitions as t
from petitions.models import Category, Petition
from tests import factories as f


def _agreed(make_dispute, by):
    dispute = make_dispute()
    t.accept(dispute, by=by)
    t.mediate(dispute, by=by, held_on=timezone.localdate(), place="社区调解室",
              mediators=[("judge", None, "周法官"), ("lawyer", None, "陈律师")],
              outcome="success", terms="王建国自行修缮,陈华补偿500元")  # fmt: skip
    return Dispute.objects.get(pk=dispute.pk)


def test_another_streets_official_gets_404_everywhere(client_for, make_dispute, street_b_staff):
    dispute = make_dispute()
    party = dispute.parties.first()
    client = client_for(street_b_staff)
    for url in (reverse("disputes:detail", args=[dispute.pk]),
                reverse("disputes:agreement", args=[dispute.pk])):  # fmt: skip
        assert client.get(url).status_code == 404
    assert client.post(reverse("disputes:party_reveal", args=[party.pk])).status_code == 404
    assert client.post(reverse("disputes:act", args=[dispute.pk, "accept"]),
                       {"version": 0}).status_code == 404  # fmt: skip
    assert "陈华" not in client.get(reverse("disputes:list")).content.decode()


def test_a_grid_worker_records_a_dispute_between_a_resident_and_an_outsider(
    client_for, grid_worker, kinds, building, neighbours
):
    above, _below = neighbours
    response = client_for(grid_worker).post(
        reverse("disputes:create") + f"?household={above.household_id}",
        {"kind": kinds["邻里纠纷"].pk, "found_by": "wechat", "description": "噪音扰民",
         "people_involved": "2", "risk": "low", "grid": building.grid_id,
         "building": building.pk, "applicant_resident": above.pk,
         "respondent_name": "租户 刘某", "respondent_phone": "139 1234 5678",
         "household": above.household_id},
    )  # fmt: skip
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/disputes/{dispute.pk}/")
    outsider = Party.objects.get(side="respondent")
    assert (outsider.name, outsider.phone) == ("租户 刘某", "13912345678")
    assert dispute.compound == building.compound


def test_a_dispute_form_sent_twice_records_one_dispute(
    client_for, grid_worker, kinds, building, neighbours
):
    above, _below = neighbours
    url = reverse("disputes:create") + f"?household={above.household_id}"
    data = {"kind": kinds["邻里纠纷"].pk, "found_by": "wechat", "description": "噪音扰民",
            "people_involved": "2", "risk": "low", "grid": building.grid_id,
            "building": building.pk, "applicant_resident": above.pk,
            "respondent_name": "租户 刘某", "household": above.household_id,
            "idempotency_key": "5f0c7a52-3a8e-4d7e-9a55-0d5cbd1a7e11"}  # fmt: skip
    client = client_for(grid_worker)
    assert 'name="idempotency_key"' in client.get(url).text
    first = client.post(url, data)
    again = client.post(url, data, follow=True)
    dispute = Dispute.objects.get()
    assert first.url.endswith(f"/disputes/{dispute.pk}/")
    assert again.redirect_chain[-1][0].endswith(f"/disputes/{dispute.pk}/")
    assert "已经保存过，没有重复保存。" in again.text and Party.objects.count() == 2


def test_a_form_without_parties_says_so_in_chinese_and_saves_nothing(
    client_for, grid_worker, kinds, building, settings
):
    response = client_for(grid_worker).post(
        reverse("disputes:create"),
        {"kind": kinds["邻里纠纷"].pk, "found_by": "wechat", "description": "x",
         "people_involved": "abc", "risk": "low", "grid": building.grid_id},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )  # fmt: skip
    assert response.status_code == 200 and Dispute.objects.count() == 0


def test_without_a_household_the_parties_are_typed_not_picked(
    client_for, grid_worker, kinds, building
):
    """Opened from the list (no visit, no household): no resident list of one empty choice."""
    form = client_for(grid_worker).get(reverse("disputes:create"))
    assert "非本户居民" not in form.text
    assert 'type="hidden" name="applicant_resident"' in form.text
    response = client_for(grid_worker).post(
        reverse("disputes:create"),
        {"kind": kinds["邻里纠纷"].pk, "found_by": "wechat", "description": "噪音扰民",
         "people_involved": "2", "risk": "low", "grid": building.grid_id,
         "applicant_name": "张某", "respondent_name": "李某"},
    )  # fmt: skip
    assert response.status_code == 302
    assert sorted(Party.objects.values_list("name", flat=True)) == ["张某", "李某"]


def test_the_detail_masks_phones_and_a_reveal_is_logged(client_for, make_dispute, grid_worker):
    dispute = make_dispute()
    client = client_for(grid_worker)
    page = client.get(reverse("disputes:detail", args=[dispute.pk])).content.decode()
    assert "139****4321" in page and "13987654321" not in page
    party = dispute.parties.get(side="applicant")
    page = client.post(reverse("disputes:party_reveal", args=[party.pk])).content.decode()
    assert "13987654321" in page
    assert PartyRevealLog.objects.get().party == party


def test_actions_are_post_only_and_refused_input_keeps_the_form(
    client_for, make_dispute, grid_worker
):
    dispute = make_dispute()
    client = client_for(grid_worker)
    url = reverse("disputes:act", args=[dispute.pk, "accept"])
    assert client.get(url).status_code == 405
    assert client.post(url, {"version": dispute.version}).status_code == 302
    dispute.refresh_from_db()
    response = client.post(
        reverse("disputes:act", args=[dispute.pk, "mediate"]),
        {
            "version": dispute.version,
            "held_on": "2026-02-30",
            "place": "楼道",
            "outcome": "success",
        },
    )
    assert response.status_code == 400
    assert Dispute.objects.get(pk=dispute.pk).status == "accepted"


def test_a_stale_form_still_possible_comes_back_as_typed(client_for, make_dispute, grid_worker):
    dispute = make_dispute()
    seen = dispute.version
    client = client_for(grid_worker)
    assert client.post(reverse("disputes:act", args=[dispute.pk, "accept"]),
                       {"version": seen}).status_code == 302  # fmt: skip
    response = client.post(
        reverse("disputes:act", args=[dispute.pk, "mediate"]),
        {"version": seen, "held_on": "2026-02-03", "place": "三楼楼道口", "outcome": "success"},
    )
    assert response.status_code == 400 and "刚刚被他人处理过" in response.text
    assert 'value="三楼楼道口"' in response.text
    assert not Dispute.objects.get(pk=dispute.pk).mediations.exists()


def test_the_agreement_prints_both_parties_and_the_terms(client_for, make_dispute, grid_worker):
    dispute = _agreed(make_dispute, grid_worker)
    page = client_for(grid_worker).get(reverse("disputes:agreement", args=[dispute.pk]))
    text = page.content.decode()
    assert "王建国自行修缮" in text and "陈华" in text and "王建国" in text
    assert "13812345678" not in text


def test_no_agreement_to_print_before_one_is_reached(client_for, make_dispute, grid_worker):
    dispute = make_dispute()
    url = reverse("disputes:agreement", args=[dispute.pk])
    assert client_for(grid_worker).get(url).status_code == 404


def test_a_petition_turned_into_a_dispute_shows_it_on_its_page(
    client_for, grid_worker, kinds, building, neighbours, casework_defaults
):
    above, _below = neighbours
    petition = Petition.objects.create(
        source="wechat", category=Category.objects.get(name="其他"), grid=building.grid,
        household=above.household, resident=above, description="楼上漏水", created_by=grid_worker,
    )  # fmt: skip
    client = client_for(grid_worker)
    page = client.get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert f"/disputes/new/?petition={petition.pk}" in page
    form = client.get(reverse("disputes:create") + f"?petition={petition.pk}").content.decode()
    assert "楼上漏水" in form
    client.post(
        reverse("disputes:create"),
        {"petition": petition.pk, "kind": kinds["邻里纠纷"].pk, "found_by": "reported",
         "description": "楼上漏水", "people_involved": "2", "risk": "low",
         "grid": building.grid_id, "applicant_name": "王建国", "respondent_name": "陈华"},
    )  # fmt: skip
    dispute = Dispute.objects.get()
    assert dispute.petition == petition
    page = client.get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert reverse("disputes:detail", args=[dispute.pk]) in page


def test_the_monthly_report_counts_screened_mediated_resolved(
    client_for, make_dispute, grid_worker, community_staff, community_a
):
    _agreed(make_dispute, grid_worker)
    make_dispute()
    client = client_for(community_staff)
    response = client.get(reverse("disputes:report"), {"community": community_a.pk})
    report = response.context["report"]
    assert (report.total.screened, report.total.mediated, report.total.resolved) == (2, 1, 1)
    assert report.total.rate == "100%"
    neighbours = next(line for line in report.by_kind if line.label == "邻里纠纷")
    assert neighbours.screened == 2
    assert [line.screened for line in report.by_band] == [2, 0, 0, 0]
    xlsx = client.get(reverse("disputes:report_xlsx"), {"community": community_a.pk})
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert "邻里纠纷" in cells and "100%" in cells


def test_the_report_page_keeps_its_figures_a_while_and_the_excel_file_is_always_fresh(
    settings, client_for, make_dispute, community_staff, community_a, street_a_staff
):
    settings.FIGURES_CACHE_SECONDS = 300
    make_dispute()
    client = client_for(community_staff)
    url, query = reverse("disputes:report"), {"community": community_a.pk}
    assert client.get(url, query).context["report"].total.screened == 1
    make_dispute()
    response = client.get(url, query)
    assert response.context["report"].total.screened == 1 and "统计于" in response.text
    # kept per area: the street's report is its own, counted now
    street_report = client_for(street_a_staff).get(url).context["report"]
    assert street_report.total.screened == 2
    xlsx = client.get(reverse("disputes:report_xlsx"), query)
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    total = next(r for r in book.active.iter_rows(values_only=True) if r[0] == "合计")
    assert total[1] == 2


def test_the_report_of_another_streets_community_is_404(client_for, community_staff, community_b):
    client = client_for(community_staff)
    assert client.get(reverse("disputes:report"), {"community": community_b.pk}).status_code == 404


@pytest.mark.parametrize("month", ["2026-13", "1999-01", "2999-01", "abc"])
def test_a_bad_month_is_a_400_in_chinese(client_for, community_staff, month):
    response = client_for(community_staff).get(
        reverse("disputes:report"), {"month": month}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400


def test_a_department_is_sent_home_from_the_new_dispute_form(client_for, department_staff):
    response = client_for(department_staff).get(reverse("disputes:create"))
    assert response.status_code == 302


def test_a_judge_added_to_the_community_mediates(client_for, make_dispute, community_a):
    judge = f.make_official("judge", name="周法官", areas=[community_a])
    dispute = make_dispute(level="community")
    client = client_for(judge)
    assert client.get(reverse("disputes:detail", args=[dispute.pk])).status_code == 200


def test_a_dispute_recorded_from_a_visit_is_prefilled_and_keeps_the_link(
    client_for, grid_worker, kinds, building, neighbours
):
    above, below = neighbours
    visit = f.make_visit(above.household, by=grid_worker)
    client = client_for(grid_worker)
    page = client.get(reverse("petitions:visit_detail", args=[visit.pk])).content.decode()
    assert f"/disputes/new/?visit={visit.pk}" in page
    form = client.get(reverse("disputes:create"), {"visit": visit.pk})
    assert form.context["visit"] == visit and form.context["household"] == above.household
    initial = form.context["form"].initial
    assert (initial["grid"], initial["building"], initial["found_by"]) == (
        building.grid_id,
        building.pk,
        "visit",
    )
    assert "陈华" in form.content.decode()  # the household's residents are offered as parties
    response = client.post(
        reverse("disputes:create"),
        {"visit": visit.pk, "household": above.household_id, "kind": kinds["邻里纠纷"].pk,
         "found_by": "visit", "description": "入户走访发现:楼上漏水", "people_involved": "2",
         "risk": "low", "grid": building.grid_id, "building": building.pk,
         "applicant_resident": above.pk, "respondent_name": "王建国"},
    )  # fmt: skip
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and dispute.visit == visit
    page = client.get(reverse("petitions:visit_detail", args=[visit.pk])).content.decode()
    assert reverse("disputes:detail", args=[dispute.pk]) in page
    detail = client.get(reverse("disputes:detail", args=[dispute.pk])).content.decode()
    assert reverse("petitions:visit_detail", args=[visit.pk]) in detail


def test_a_visit_out_of_reach_opens_no_dispute(
    client_for, grid_worker, street_b_staff, department_staff, neighbours, kinds, grid_b1
):
    above, _below = neighbours
    visit = f.make_visit(above.household, by=grid_worker)
    for user in (street_b_staff, department_staff):
        client = client_for(user)
        page = client.get(reverse("petitions:visit_detail", args=[visit.pk]))
        assert page.status_code == 404
    # Another street's official who types the visit's id gets a form without it, and a dispute
    # saved in their own grid is not linked to the visit.
    client = client_for(street_b_staff)
    form = client.get(reverse("disputes:create"), {"visit": visit.pk})
    assert form.status_code == 200 and form.context["visit"] is None
    assert 'name="visit"' not in form.content.decode()
    client.post(
        reverse("disputes:create"),
        {"visit": visit.pk, "kind": kinds["邻里纠纷"].pk, "found_by": "visit",
         "description": "x", "people_involved": "2", "risk": "low", "grid": grid_b1.pk,
         "applicant_name": "张三", "respondent_name": "李四"},
    )  # fmt: skip
    assert Dispute.objects.get().visit is None
    # The department is sent home from the form, whatever it is given.
    response = client_for(department_staff).get(reverse("disputes:create"), {"visit": visit.pk})
    assert response.status_code == 302


def test_the_turnout_form_link_opens_a_dispute_found_on_a_police_day(client_for, grid_worker):
    form = client_for(grid_worker).get(reverse("disputes:create"), {"found_by": "police_day"})
    assert form.context["form"].initial["found_by"] == "police_day"
    form = client_for(grid_worker).get(reverse("disputes:create"), {"found_by": "nonsense"})
    assert "found_by" not in form.context["form"].initial


def test_dispute_notifications_are_in_the_officials_one_inbox(
    client_for, make_dispute, grid_worker, community_staff, casework_defaults
):
    from disputes.models import DisputeNotification

    dispute = make_dispute()
    t.escalate(dispute, by=grid_worker, reason="涉及多户,需社区出面")
    notification = DisputeNotification.objects.get(user=community_staff)
    client = client_for(community_staff)
    inbox = client.get(reverse("petitions:inbox"))
    assert inbox.context["unread_notifications"] == 1
    link = reverse("disputes:notification", args=[notification.pk])
    assert link in inbox.text and "上报" in inbox.text
    # Another official's inbox does not show it.
    assert link not in client_for(grid_worker).get(reverse("petitions:inbox")).text
    # Mark all as read marks the disputes' too; the entry stays, read.
    client = client_for(community_staff)
    assert client.post(reverse("petitions:inbox_read")).status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    inbox = client.get(reverse("petitions:inbox"))
    assert inbox.context["unread_notifications"] == 0 and link in inbox.text


def test_a_list_row_shows_what_the_dispute_is_and_where(
    client_for, make_dispute, community_staff, grid_a1
):
    """Kind, status, level, high risk, the description with numbers masked, community, place
    (compound and building, else the grid), how it was found and the day, linked to its page."""
    in_building = make_dispute(risk="high")
    Dispute.objects.filter(pk=in_building.pk).update(description="楼上漏水,电话13812345678")
    in_grid = make_dispute(grid=grid_a1)
    page = client_for(community_staff).get(reverse("disputes:list")).text
    row = page[page.index(f'href="/disputes/{in_building.pk}/"') :].split("</li>")[0]
    assert "<strong>邻里纠纷</strong>" in row and "高风险" in row
    assert "13812345678" not in row and "138****5678" in row
    assert f"{grid_a1.community.name} · 安装公司家属院 6号楼 · " in row
    assert f"{timezone.localtime(in_building.created_at):%Y-%m-%d}" in row
    other = page[page.index(f'href="/disputes/{in_grid.pk}/"') :].split("</li>")[0]
    assert f"{grid_a1.community.name} · {grid_a1.name} · " in other and "高风险" not in other


def test_an_error_of_a_hidden_field_is_shown_not_swallowed(
    client_for, grid_worker, kinds, building
):
    """A form whose hidden value is refused (a key mangled in transit) says so on the page."""
    response = client_for(grid_worker).post(
        reverse("disputes:create"),
        {"kind": kinds["邻里纠纷"].pk, "found_by": "wechat", "description": "噪音扰民",
         "people_involved": "2", "risk": "low", "grid": building.grid_id,
         "applicant_name": "张某", "respondent_name": "李某", "idempotency_key": "not-a-key"},
    )  # fmt: skip
    assert response.status_code == 200 and not Dispute.objects.exists()
    errors = response.text.split('<div class="form-errors" role="alert">')
    assert any("UUID" in e.split("</div>")[0] for e in errors[1:])
