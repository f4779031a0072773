"""Tamper-evident trails: rows chained by an HMAC-SM3 over their content and the previous row's
MAC, one chain ("stream") per table (trails/chain.py says how; README "Cryptography").

This app sits beneath every other: the apps whose records are chained (events, audit, reveal
logs) inherit `ChainedRecord`; nothing here names them.
"""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from . import chain


class CreatedAtField(models.DateTimeField):
    """`auto_now_add` that keeps a time already set: a chained row's MAC covers its time, so the
    time is fixed before the MAC is computed, and the INSERT must not take a new one.
    Deconstructs as a DateTimeField: the column is the same, no migration."""

    keeps_a_set_time = True

    def pre_save(self, model_instance, add):
        if add and getattr(model_instance, self.attname) is None:
            return super().pre_save(model_instance, add)
        return getattr(model_instance, self.attname)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs


class ChainedRecord(models.Model):
    """A record appended to its table's trail when inserted.

    `trail_fields` names the fields the MAC covers: explicit, so that a field added to the model
    later does not change the MAC of the rows already chained.
    """

    trail_fields: tuple[str, ...] = ()

    # "" in the database too: a row inserted in bulk by SQL (generate_scale) has no MAC yet,
    # which verify_trails reports until it is sealed (trails/sealing.py).
    trail_previous = models.CharField(
        _("previous MAC"), max_length=64, blank=True, editable=False, db_default=""
    )
    trail_mac = models.CharField(_("MAC"), max_length=64, blank=True, editable=False, db_default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Every insert, whichever service makes it, joins the chain: a save() override rather
        # than a signal, so that the MAC is in the INSERT itself (one row lock and one UPDATE of
        # the head per record, nothing more).
        if not self._state.adding or self.pk is not None:
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or self._state.db or "default"
        with transaction.atomic(using=using, savepoint=False):
            chain.fix_created_times(self)
            head = TrailHead.locked(self._meta.db_table, using)
            self.trail_previous = head.mac
            self.trail_mac = chain.mac_of(
                head.stream, head.mac, chain.instance_values(self, self.trail_fields)
            )
            super().save(*args, **kwargs)
            head.advance(self.trail_mac, using)


class TrailHead(models.Model):
    """The last MAC of each stream, and the lock that keeps two writers from forking it."""

    stream = models.CharField(_("stream"), max_length=100, unique=True)
    mac = models.CharField(_("MAC"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("trail head")
        verbose_name_plural = _("trail heads")

    def __str__(self):
        return self.stream

    @classmethod
    def locked(cls, stream: str, using: str = "default") -> "TrailHead":
        """The stream's head, locked until the caller's transaction ends."""
        heads = cls.objects.using(using).select_for_update()
        try:
            return heads.get(stream=stream)
        except cls.DoesNotExist:  # a stream no migration has started: its first row
            cls.objects.using(using).get_or_create(stream=stream)
            return heads.get(stream=stream)

    def advance(self, mac: str, using: str = "default") -> None:
        self.mac = mac
        TrailHead.objects.using(using).filter(pk=self.pk).update(mac=mac)


class LogEntrySeal(models.Model):
    """The MAC of one row of Django's admin log (LogEntry is Django's model: its MAC lives here).

    The seals' own ids give the chain's order, the order in which the head lock was taken; the
    entry is named by id without a foreign key, so that a deleted entry leaves its seal."""

    entry_id = models.BigIntegerField(_("admin log entry"), unique=True)
    previous = models.CharField(_("previous MAC"), max_length=64, blank=True)
    mac = models.CharField(_("MAC"), max_length=64)

    class Meta:
        verbose_name = _("admin log seal")
        ordering = ["id"]
        verbose_name_plural = _("admin log seals")

    def __str__(self):
        return str(self.entry_id)


class TrailCheck(models.Model):
    """The last `manage.py verify_trails` result of each stream, shown in the admin (walking
    millions of rows is the command's job, never a web request's)."""

    stream = models.CharField(_("stream"), max_length=100, unique=True)
    checked_at = models.DateTimeField(_("checked at"))
    rows = models.PositiveBigIntegerField(_("rows checked"))
    broken_row = models.BigIntegerField(_("first broken row"), null=True, blank=True)
    problem = models.CharField(_("problem"), max_length=20, blank=True)  # a key of PROBLEMS

    class Meta:
        verbose_name = _("trail check")
        verbose_name_plural = _("trail checks")
        ordering = ["stream"]

    def __str__(self):
        return self.stream

    @property
    def intact(self) -> bool:
        return not self.problem

    @property
    def problem_text(self) -> str:
        return PROBLEMS[self.problem] % {"row": self.broken_row} if self.problem else ""


PROBLEMS = {
    "no_mac": _("row %(row)s has no MAC: it was inserted outside the trail"),
    "edited": _("row %(row)s does not match its MAC: it was edited"),
    "link": _("row %(row)s does not follow the row before it: a row before it was deleted"),
    "tail": _("the last rows were deleted: the trail's head names a MAC that no row holds"),
    "entry_deleted": _("admin log entry %(row)s was deleted (its seal remains)"),
}
