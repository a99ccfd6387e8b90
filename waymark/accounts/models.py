from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager["User"]):
    """People sign in with their email address; there is no username."""

    def _create_user_object(
        self, username: str | None, email: str | None, password: str | None, **extra: Any
    ) -> User:
        email = self.normalize_email(email or username or "")
        user = self.model(email=email, **extra)
        user.password = ""
        if password is not None:
            user.set_password(password)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        user = self._create_user_object(None, email, password, **extra)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    is_standards_editor = models.BooleanField(
        _("standards editor"),
        default=False,
        help_text=_("Can create and edit frameworks, nodes and mappings for the whole site."),
    )
    is_national_analyst = models.BooleanField(
        _("national analyst"),
        default=False,
        help_text=_("Can see the national view: reports across organisations, suppressed."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = EmailUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.email
