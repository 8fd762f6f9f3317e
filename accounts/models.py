from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """部门. Offices (业务部, 技术部 …) and workshops (下料车间, 生产线 …). The head
    (负责人) is whom reminders escalate to."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("office")
        WORKSHOP = "workshop", _("workshop")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.OFFICE
    )
    head = models.ForeignKey(
        "accounts.User",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """员工账号. A user belongs to one department and may hold several roles (groups)."""

    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        permissions = [
            ("view_admin_console", _("Can open the system administration")),
        ]

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @property
    def name(self):
        return str(self)
