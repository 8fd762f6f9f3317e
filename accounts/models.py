from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


def language_choices():
    """The languages a user may pick, blank for the product's own."""
    return [("", _("product default (Chinese)")), *settings.LANGUAGES]


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
    # Blank: the product's language (Chinese), whatever the browser asks for; set
    # only by the user's own choice in the language switch.
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        choices=language_choices,
    )

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


class WorkingWeek(models.Model):
    """工作周. The company's regular working week: Monday to Friday, or Monday to
    Saturday (many factories work Saturdays). One row, kept by the admin; every due
    date and lateness count reads it through `accounts.workdays`."""

    # The primary key is pinned to 1 so that the database, not only the admin, keeps
    # this table to a single row.
    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    saturday_is_working = models.BooleanField(
        _("Saturday is a working day"),
        default=False,
        help_text=_("Off: Monday to Friday. On: Monday to Saturday."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("working week")
        verbose_name_plural = _("working week")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1), name="accounts_workingweek_single_row"
            ),
        ]

    def __str__(self):
        if self.saturday_is_working:
            return str(_("Monday to Saturday"))
        return str(_("Monday to Friday"))

    @classmethod
    def current(cls) -> "WorkingWeek":
        """The one row, created with the default (Monday to Friday) if missing."""
        week, _created = cls.objects.get_or_create(pk=1)
        return week


class CalendarSource(models.TextChoices):
    """Where a calendar day or year came from. The library's rows are refreshed by
    `manage.py load_calendar`; a row the admin entered or edited is never touched by
    it."""

    LIBRARY = "library", pgettext_lazy("calendar source", "calendar library")
    ADMIN = "admin", pgettext_lazy("calendar source", "entered by hand")
    # The statutory holidays of a year the library does not know yet, filled by the
    # law's rule (accounts.statutory); replaced by the library's days once it knows
    # the year. Its make-up working days (调休) wait for the announcement.
    RULE = "rule", pgettext_lazy("calendar source", "by statutory rule")


class CalendarDay(models.Model):
    """日历日: a public holiday (法定节假日) or a make-up working day (调休上班日) that
    overrides the working week on one date, as China announces them each year."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("public holiday")
        WORKDAY = "workday", _("make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(
        _("name"), max_length=64, help_text=_("For example 春节 or 国庆节调休.")
    )
    # A row that is not the loader's is the admin's: the safe default, since the
    # loader then leaves it alone.
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=CalendarSource.choices,
        default=CalendarSource.ADMIN,
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        permissions = [
            (
                "load_calendar",
                _("Can update the public holidays from the calendar library"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]),
                name="accounts_calendarday_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=["library", "admin", "rule"]),
                name="accounts_calendarday_source_valid",
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class CalendarYear(models.Model):
    """日历年份: a year whose public holidays and make-up working days are all in the
    calendar. A date in a year without a row is counted on the plain working week,
    and the screens say so (`accounts.workdays.WorkCalendar.covers`)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=CalendarSource.choices,
        default=CalendarSource.ADMIN,
    )
    loaded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("For example the State Council announcement the days follow."),
    )

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100),
                name="accounts_calendaryear_year_range",
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=["library", "admin", "rule"]),
                name="accounts_calendaryear_source_valid",
            ),
        ]

    def __str__(self):
        return str(self.year)


class CompanyProfile(models.Model):
    """本公司信息: the company's own name, address, telephone, taxpayer ID and bank,
    kept once by the administrator and printed at the head of every form (报价单,
    生产计划单, 派工单, 计划更改单). One row."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    name = models.CharField(_("company name"), max_length=128)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=64, blank=True)
    fax = models.CharField(_("fax"), max_length=64, blank=True)
    tax_id = models.CharField(
        _("taxpayer ID (纳税人识别号)"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                r"^[0-9A-Z]{15,20}$",
                _(
                    "A taxpayer ID is 15 to 20 digits and capital letters (the "
                    "unified social credit code has 18)."
                ),
            )
        ],
    )
    bank_name = models.CharField(_("bank (开户行)"), max_length=128, blank=True)
    bank_account = models.CharField(
        _("bank account number"),
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(
                r"^[0-9][0-9 ]{5,38}[0-9]$",
                _("An account number is digits, spaces allowed between them."),
            )
        ],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("company details")
        verbose_name_plural = _("company details")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1), name="accounts_companyprofile_single_row"
            ),
        ]

    def __str__(self):
        return self.name or str(_("company details"))

    @classmethod
    def current(cls) -> "CompanyProfile":
        """The one row; before the administrator has entered it, an unsaved blank
        one (reading never writes)."""
        return cls.objects.filter(pk=1).first() or cls()

    @property
    def bank_line(self) -> str:
        """开户行及账号 as one line, the way invoices and quotes print it."""
        return " ".join(part for part in (self.bank_name, self.bank_account) if part)
