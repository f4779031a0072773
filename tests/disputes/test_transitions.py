"""Every dispute transition: the happy path with its event, and the refusals (wrong status,
wrong level or role, another street), none of which changes anything."""

import datetime

import pytest
from django.utils import timezone

from disputes.models import Dispute, DisputeEvent, DisputeNotification, Mediator, Referral
from disputes.services import transitions as t
from tests import factories as f


def _state(dispute):
    dispute = Dispute.objects.get(pk=dispute.pk)
    return dispute.status, dispute.level, dispute.version, DisputeEvent.objects.count()


def _mediate(dispute, by, outcome="success", **kw):
    kw.setdefault("terms", "陈华修好防水层,赔偿王建国800元")
    return t.mediate(
        dispute, by=by, held_on=timezone.localdate(), place="6号楼2单元楼道",
        mediators=[("five_three", None, "单元长 李秀兰"), ("grid_worker", by.official, "")],
        outcome=outcome, **kw,
    )  # fmt: skip


def test_accepting_starts_the_working_day_clock(make_dispute, grid_worker):
    dispute = make_dispute()
    t.accept(dispute, by=grid_worker)
    assert dispute.status == "accepted" and dispute.assignee == grid_worker
    assert dispute.due_at > dispute.accepted_at + datetime.timedelta(days=5)
    assert dispute.events.last().action == "accept"


def test_a_successful_mediation_records_mediators_and_the_agreement(make_dispute, grid_worker):
    dispute = make_dispute()
    t.accept(dispute, by=grid_worker)
    mediation = _mediate(dispute, grid_worker)
    dispute.refresh_from_db()
    assert dispute.status == "agreed" and dispute.outcome == "success"
    assert dispute.agreement_terms.startswith("陈华修好") and dispute.agreed_at
    roles = sorted(mediation.mediators.values_list("role", flat=True))
    assert roles == ["five_three", "grid_worker"]
    assert Mediator.objects.get(role="five_three").name == "单元长 李秀兰"


def test_a_partial_success_stays_in_mediation_and_a_failure_awaits_referral(
    make_dispute, grid_worker
):
    dispute = make_dispute()
    t.accept(dispute, by=grid_worker)
    _mediate(dispute, grid_worker, outcome="partial")
    assert Dispute.objects.get(pk=dispute.pk).status == "mediating"
    _mediate(dispute, grid_worker, outcome="failed", terms="")
    assert Dispute.objects.get(pk=dispute.pk).status == "failed"


def test_success_without_terms_or_without_mediators_is_refused(make_dispute, grid_worker):
    dispute = make_dispute()
    t.accept(dispute, by=grid_worker)
    before = _state(dispute)
    with pytest.raises(t.TransitionError):
        _mediate(dispute, grid_worker, terms=" ")
    with pytest.raises(t.TransitionError):
        t.mediate(dispute, by=grid_worker, held_on=timezone.localdate(), place="楼道",
                  mediators=[], outcome="failed")  # fmt: skip
    assert _state(dispute) == before


def test_a_failed_mediation_is_referred_to_court(make_dispute, grid_worker):
    dispute = make_dispute()
    t.accept(dispute, by=grid_worker)
    _mediate(dispute, grid_worker, outcome="failed", terms="")
    referral = t.refer(dispute, by=grid_worker, route="litigation", body="魏都区人民法院")
    dispute.refresh_from_db()
    assert dispute.status == "referred" and not dispute.is_open
    assert referral.route == "litigation" and Referral.objects.get().body == "魏都区人民法院"


def test_the_petition_route_needs_the_petition_it_came_from(make_dispute, grid_worker):
    dispute = make_dispute()
    t.accept(dispute, by=grid_worker)
    _mediate(dispute, grid_worker, outcome="failed", terms="")
    before = _state(dispute)
    with pytest.raises(t.TransitionError):
        t.refer(dispute, by=grid_worker, route="petition", body="社区")
    assert _state(dispute) == before


def test_follow_up_then_close(make_dispute, grid_worker):
    dispute = make_dispute()
    t.accept(dispute, by=grid_worker)
    _mediate(dispute, grid_worker)
    t.follow_up(dispute, by=grid_worker, performance="performed", note="已赔偿")
    assert dispute.status == "followed_up" and dispute.performance == "performed"
    t.close(dispute, by=grid_worker)
    assert dispute.status == "closed" and dispute.closed_at


def test_an_agreement_not_kept_reopens_the_dispute(make_dispute, grid_worker, community_staff):
    dispute = make_dispute(by=community_staff)
    t.accept(dispute, by=grid_worker)
    _mediate(dispute, grid_worker)
    t.follow_up(dispute, by=grid_worker, performance="not")
    assert dispute.status == "failed"
    assert DisputeNotification.objects.filter(kind="failed").exists()


def test_the_recorder_is_told_to_follow_up_an_agreement(make_dispute, grid_worker, community_staff):
    dispute = make_dispute(by=community_staff)
    t.accept(dispute, by=grid_worker)
    _mediate(dispute, grid_worker)
    note = DisputeNotification.objects.get()
    assert (note.user, note.kind) == (community_staff, "follow_up")


def test_acting_on_a_dispute_reads_ones_own_notification_of_it(
    make_dispute, grid_worker, community_staff
):
    dispute = make_dispute(by=community_staff)
    t.accept(dispute, by=grid_worker)
    _mediate(dispute, grid_worker)
    note = DisputeNotification.objects.get(user=community_staff)
    assert note.read_at is None
    t.follow_up(dispute, by=community_staff, performance="performed", note="已赔偿")
    note.refresh_from_db()
    assert note.read_at is not None


def test_escalating_moves_it_up_and_tells_that_level(make_dispute, grid_worker, community_staff):
    dispute = make_dispute()
    t.escalate(dispute, by=grid_worker, reason="涉及物业,需社区协调")
    assert (dispute.status, dispute.level) == ("new", "community")
    assert DisputeNotification.objects.get().user == community_staff
    t.return_down(dispute, by=community_staff, reason="楼栋内可化解")
    assert dispute.level == "grid"


def test_withdraw(make_dispute, grid_worker):
    dispute = make_dispute()
    t.withdraw(dispute, by=grid_worker, reason="双方已自行和解")
    assert dispute.status == "withdrawn" and not dispute.is_open


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize("action", list(t.RULES))
def test_every_action_is_refused_from_a_status_it_does_not_start_from(
    make_dispute, grid_worker, action
):
    dispute = make_dispute()
    t.withdraw(dispute, by=grid_worker, reason="和解")  # withdrawn: nothing starts from it
    assert t.refusal(grid_worker, Dispute.objects.get(pk=dispute.pk), action) is not None


def test_wrong_status_refused_and_nothing_changes(make_dispute, grid_worker):
    dispute = make_dispute()
    before = _state(dispute)
    for call in (
        lambda: _mediate(dispute, grid_worker),  # not accepted yet
        lambda: t.close(dispute, by=grid_worker),
        lambda: t.follow_up(dispute, by=grid_worker, performance="performed"),
        lambda: t.refer(dispute, by=grid_worker, route="litigation", body="法院"),
    ):
        with pytest.raises(t.TransitionError):
            call()
    assert _state(dispute) == before


def test_a_grid_worker_cannot_handle_a_community_dispute(make_dispute, grid_worker):
    dispute = make_dispute(level="community")
    before = _state(dispute)
    with pytest.raises(t.TransitionError, match="层级"):
        t.accept(dispute, by=grid_worker)
    assert _state(dispute) == before


def test_the_street_cannot_follow_up_or_close(make_dispute, grid_worker, street_a_staff):
    dispute = make_dispute()
    t.accept(dispute, by=grid_worker)
    _mediate(dispute, grid_worker)
    with pytest.raises(t.TransitionError, match="网格和社区"):
        t.follow_up(dispute, by=street_a_staff, performance="performed")


def test_another_streets_official_is_refused(make_dispute, street_b_staff, department_staff):
    dispute = make_dispute()
    before = _state(dispute)
    for user in (street_b_staff, department_staff):
        with pytest.raises(t.TransitionError):
            t.accept(dispute, by=user)
        assert t.allowed_actions(user, dispute) == []
    assert _state(dispute) == before


def test_escalating_a_district_dispute_and_returning_a_grid_one_are_refused(
    make_dispute, organizer, grid_worker
):
    top = make_dispute(level="district")
    with pytest.raises(t.TransitionError, match="区级纠纷"):
        t.escalate(top, by=organizer, reason="x")
    bottom = make_dispute()
    with pytest.raises(t.TransitionError, match="网格级纠纷"):
        t.return_down(bottom, by=grid_worker, reason="x")


def test_a_stale_version_is_refused(make_dispute, grid_worker):
    dispute = make_dispute()
    stale = Dispute.objects.get(pk=dispute.pk)
    t.accept(dispute, by=grid_worker)
    with pytest.raises(t.TransitionError, match="他人处理过"):
        t.withdraw(stale, by=grid_worker, reason="和解")


def test_a_mediation_in_the_future_is_refused(make_dispute, grid_worker):
    dispute = make_dispute()
    t.accept(dispute, by=grid_worker)
    with pytest.raises(t.TransitionError):
        t.mediate(
            dispute, by=grid_worker, held_on=timezone.localdate() + datetime.timedelta(1),
            place="楼道", mediators=[("mediator", None, "张三")], outcome="failed",
        )  # fmt: skip


def test_a_new_official_in_the_community_may_mediate(make_dispute, community_a):
    judge = f.make_official("judge", name="法官 周", areas=[community_a])
    dispute = make_dispute(level="community")
    t.accept(dispute, by=judge)
    assert dispute.assignee == judge


def test_every_action_has_one_registry_entry_its_docs_row_and_a_verb_for_a_button():
    from pathlib import Path

    from django.utils import translation

    from disputes.actions import ACTIONS

    docs = (Path(__file__).resolve().parents[2] / "docs" / "dispute-states.md").read_text()
    assert list(ACTIONS) == list(t.RULES)
    with translation.override("zh-hans"):
        for verb, action in ACTIONS.items():
            label = str(action.label)
            assert f"| `{verb}` | {label} |" in docs, verb
            assert not label.startswith("已"), (verb, label)


def test_the_signed_agreement_is_uploaded_as_a_scan(make_dispute, grid_worker):
    from disputes.models import DisputePhoto
    from petitions.photos import clean_photo
    from tests.petitions.test_photos import image_file

    dispute = make_dispute()
    t.accept(dispute, by=grid_worker)
    _mediate(dispute, grid_worker)
    before = Dispute.objects.get(pk=dispute.pk).status
    t.upload_agreement(dispute, by=grid_worker, photos=[clean_photo(image_file())])
    photo = DisputePhoto.objects.get()
    assert photo.event.action == "upload_agreement" and dispute.status == before


def test_no_scan_no_upload(make_dispute, grid_worker):
    dispute = make_dispute()
    t.accept(dispute, by=grid_worker)
    _mediate(dispute, grid_worker)
    with pytest.raises(t.TransitionError):
        t.upload_agreement(dispute, by=grid_worker, photos=[])


def test_a_dispute_from_a_petition_goes_back_to_the_petition_route(
    make_dispute, grid_worker, neighbours, casework_defaults
):
    from petitions.models import Category, Petition

    above, _below = neighbours
    petition = Petition.objects.create(
        source="wechat", category=Category.objects.get(name="其他"), grid=above.household.grid,
        household=above.household, description="漏水", created_by=grid_worker,
    )  # fmt: skip
    dispute = make_dispute(petition=petition)
    t.accept(dispute, by=grid_worker)
    _mediate(dispute, grid_worker, outcome="failed", terms="")
    referral = t.refer(dispute, by=grid_worker, route="petition", body="社区诉求办理")
    assert referral.petition == petition and petition.disputes.get() == dispute
